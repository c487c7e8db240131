import type { CheckInfo, ControlCounts, ControlResult, ControlStatus, Finding, FindingStatus } from '../model/index.js'
import { CSF, FERPA, HIPAA, normalizeCitation } from './catalog/index.js'

const emptyCounts = (): ControlCounts => ({ pass: 0, fail: 0, manual: 0, error: 0, suppressed: 0 })

function add(counts: ControlCounts, status: FindingStatus, suppressed: boolean): void {
  if (status === 'fail' && suppressed) counts.suppressed++
  else counts[status]++
}

function statusOf(counts: ControlCounts, checks: string[]): ControlStatus {
  if (checks.length === 0) return 'manual'
  if (counts.fail > 0 || counts.error > 0) return 'fail'
  if (counts.pass > 0 || counts.suppressed > 0) return counts.manual > 0 && counts.pass === 0 ? 'manual' : 'pass'
  if (counts.manual > 0) return 'manual'
  return 'not-applicable'
}

/**
 * Rolls findings up to every control of the catalog: each NIST CSF 1.1 subcategory, each HIPAA
 * Security Rule section, standard and implementation specification, each FERPA practice. A control
 * with no automated check is `manual` with guidance, never dropped; one whose checks found nothing
 * to judge is `not-applicable`. Errors count as failures: an unjudged control is not a passed one.
 */
export function rollupControls(findings: readonly Finding[], checks: readonly CheckInfo[]): ControlResult[] {
  const byCheck = new Map<string, Finding[]>()
  for (const f of findings) (byCheck.get(f.checkId) ?? byCheck.set(f.checkId, []).get(f.checkId)!).push(f)
  const checksFor = { csf: new Map<string, string[]>(), hipaa: new Map<string, string[]>(), ferpa: new Map<string, string[]>() }
  for (const c of checks) {
    for (const id of c.controls.csf) (checksFor.csf.get(id) ?? checksFor.csf.set(id, []).get(id)!).push(c.id)
    for (const raw of c.controls.hipaa) {
      const id = normalizeCitation(raw)
      const list = checksFor.hipaa.get(id) ?? checksFor.hipaa.set(id, []).get(id)!
      if (!list.includes(c.id)) list.push(c.id)
    }
    for (const id of c.controls.ferpa) (checksFor.ferpa.get(id) ?? checksFor.ferpa.set(id, []).get(id)!).push(c.id)
  }
  // each finding belongs to exactly one check: count per check once, then sum per control
  const perCheck = new Map<string, ControlCounts>()
  for (const [id, fs] of byCheck) {
    const c = emptyCounts()
    for (const f of fs) add(c, f.status, f.suppressed !== undefined)
    perCheck.set(id, c)
  }
  const count = (checkIds: string[]): ControlCounts => {
    const counts = emptyCounts()
    for (const id of new Set(checkIds)) {
      const c = perCheck.get(id)
      if (!c) continue
      counts.pass += c.pass
      counts.fail += c.fail
      counts.manual += c.manual
      counts.error += c.error
      counts.suppressed += c.suppressed
    }
    return counts
  }
  const out: ControlResult[] = []
  for (const c of CSF) {
    const ids = checksFor.csf.get(c.id) ?? []
    const counts = count(ids)
    out.push({
      framework: 'csf',
      id: c.id,
      title: c.title,
      status: statusOf(counts, ids),
      counts,
      checks: ids,
      related: c.hipaa.map(normalizeCitation).filter((v, i, a) => a.indexOf(v) === i),
      ...(ids.length === 0 ? { guidance: `No automated check covers ${c.id}; assess it from policies, procedures and interviews (NIST CSF 1.1 ${c.category}: ${c.categoryTitle}).` } : {}),
    })
  }
  const csfByHipaa = new Map<string, string[]>()
  for (const c of CSF) for (const h of c.hipaa) {
    const id = normalizeCitation(h)
    const l = csfByHipaa.get(id) ?? csfByHipaa.set(id, []).get(id)!
    if (!l.includes(c.id)) l.push(c.id)
  }
  // a HIPAA standard or section also rolls up the checks of what it contains
  const childrenOf = new Map<string, string[]>()
  for (const h of HIPAA) if (h.parent) (childrenOf.get(h.parent) ?? childrenOf.set(h.parent, []).get(h.parent)!).push(h.id)
  const descendants = (id: string): string[] => [id, ...(childrenOf.get(id) ?? []).flatMap(descendants)]
  for (const h of HIPAA) {
    const ids = [...new Set(descendants(h.id).flatMap((d) => checksFor.hipaa.get(d) ?? []))]
    const counts = count(ids)
    out.push({
      framework: 'hipaa',
      id: h.id,
      title: h.title,
      status: statusOf(counts, ids),
      counts,
      checks: ids,
      related: csfByHipaa.get(h.id) ?? [],
      hipaaStatus: h.status,
      ...(ids.length === 0 ? { guidance: `No automated check covers 45 CFR ${h.id} (${h.title}); document how it is met${h.status === 'addressable' ? ', or why an alternative measure is reasonable and appropriate' : ''}.` } : {}),
    })
  }
  for (const p of FERPA) {
    const ids = checksFor.ferpa.get(p.id) ?? []
    const counts = count(ids)
    out.push({ framework: 'ferpa', id: p.id, title: p.title, status: statusOf(counts, ids), counts, checks: ids, related: [], guidance: p.guidance })
  }
  return out
}
