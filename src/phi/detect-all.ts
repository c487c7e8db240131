import { detectStructured, resolveOverlaps } from './detect/index.js'
import { detectGeo, detectNames } from './names/index.js'
import type { DetectContext, PhiHit } from './types.js'

/**
 * Every detector over one text: structured identifiers, names and geographic units. A hit lying
 * entirely inside another hit of the same type, or inside an at least as confident hit of another
 * type, is dropped (a ZIP inside a street address, digits inside a phone number); partial overlaps
 * are kept, since each may be an identifier in its own right. Sorted by start, longest first.
 */
export function detectAll(text: string, ctx?: DetectContext): PhiHit[] {
  const hits = detectStructured(text, ctx)
  for (const h of detectNames(text, ctx)) hits.push(h)
  for (const h of detectGeo(text, ctx)) hits.push(h)
  return resolveOverlaps(hits)
}
