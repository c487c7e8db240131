import { detectStructured } from './detect/index.js'
import { detectGeo, detectNames } from './names/index.js'
import type { DetectContext, PhiHit } from './types.js'

/**
 * Every detector over one text: structured identifiers, names and geographic units. A hit lying
 * entirely inside another hit of the same type, or inside an at least as confident hit of another
 * type, is dropped (a ZIP inside a street address, digits inside a phone number); partial overlaps
 * are kept, since each may be an identifier in its own right. Sorted by start, longest first.
 */
export function detectAll(text: string, ctx?: DetectContext): PhiHit[] {
  const hits = [...detectStructured(text, ctx), ...detectNames(text, ctx), ...detectGeo(text, ctx)]
  if (hits.length < 2) return hits
  hits.sort((a, b) => a.start - b.start || b.end - a.end || b.confidence - a.confidence)
  const out: PhiHit[] = []
  // hits kept so far that still reach past the current start: the only ones that can contain it
  let active: PhiHit[] = []
  for (const h of hits) {
    active = active.filter((o) => o.end > h.start)
    const covered = active.some((o) => o.start <= h.start && h.end <= o.end && (o.type === h.type || o.confidence >= h.confidence))
    if (covered) continue
    out.push(h)
    active.push(h)
  }
  return out
}
