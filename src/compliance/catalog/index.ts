import { CSF } from './csf.js'
import { FERPA } from './ferpa.js'
import { HIPAA } from './hipaa.js'
import type { CsfSubcategory, FerpaPractice, HipaaEntry } from './types.js'

export { CSF, FERPA, HIPAA }
export type { CsfSubcategory, FerpaPractice, HipaaEntry }

const csfById = new Map(CSF.map((c) => [c.id, c]))
const hipaaById = new Map(HIPAA.map((h) => [h.id, h]))
const ferpaById = new Map(FERPA.map((f) => [f.id, f]))

/** CSF subcategory by id (`PR.AC-5`). */
export function csfSubcategory(id: string): CsfSubcategory | undefined {
  return csfById.get(id)
}

/** FERPA practice by id. */
export function ferpaPractice(id: string): FerpaPractice | undefined {
  return ferpaById.get(id)
}

/**
 * The catalog entry a citation names: exact (`164.312(a)(2)(iv)`), else the nearest enclosing
 * entry (`164.314(a)(2)(i)(C)` → `164.314(a)(2)(i)`, `164.310(d)` → `164.310(d)(1)` standard,
 * `164.306(e)` → section 164.306).
 */
export function hipaaEntry(citation: string): HipaaEntry | undefined {
  const exact = hipaaById.get(citation)
  if (exact) return exact
  // standards are listed with their first paragraph: 164.310(d) is 164.310(d)(1)
  const withOne = hipaaById.get(`${citation}(1)`)
  if (withOne) return withOne
  // 164.308(a)(1)(i) is the standard 164.308(a)(1)
  const noI = citation.replace(/\(i\)$/, '')
  if (noI !== citation && hipaaById.get(noI)) return hipaaById.get(noI)
  const m = /^(.*)\([^()]+\)$/.exec(citation)
  return m ? hipaaEntry(m[1]!) : undefined
}

/** Normalize a citation to the id of its catalog entry; unchanged when unknown. */
export function normalizeCitation(citation: string): string {
  return hipaaEntry(citation)?.id ?? citation
}

/** The standard (or section) an entry belongs to: a specification's parent standard, else itself. */
export function hipaaStandardOf(citation: string): HipaaEntry | undefined {
  const e = hipaaEntry(citation)
  if (!e) return undefined
  if (e.type === 'implementation-specification' && e.parent) return hipaaById.get(e.parent) ?? e
  return e
}

/** Is the id a known CSF subcategory, HIPAA citation or FERPA practice? */
export function isKnownControl(framework: 'csf' | 'hipaa' | 'ferpa', id: string): boolean {
  if (framework === 'csf') return csfById.has(id)
  if (framework === 'ferpa') return ferpaById.has(id)
  return hipaaById.has(id)
}

/** CSF functions in framework order. */
export const CSF_FUNCTIONS = ['IDENTIFY', 'PROTECT', 'DETECT', 'RESPOND', 'RECOVER'] as const
