import { InventoryView } from '../inventory/index.js'
import { lineOfProperty } from '../sources/index.js'
import { PhiwallError, type Finding, type Inventory, type Resource } from '../model/index.js'
import type { Check, CheckContext, CheckResult } from './types.js'

/** Options of {@link evaluateChecks}. */
export interface EvaluateOptions {
  /** Scan time (default: now). */
  now?: Date
  /** Run only these check ids (exact, or a prefix ending in `*`). */
  only?: string[]
  /** Skip these check ids (exact, or a prefix ending in `*`). */
  skip?: string[]
  /** Check parameter values by check id and name (validate them first: {@link checkParamsProblem}). */
  checkParams?: Readonly<Record<string, Readonly<Record<string, string>>>>
  /**
   * Progress of the checks: resources judged so far, resources to judge, and the kind being judged;
   * called every {@link CHECK_PROGRESS_STEP} resources and at the end (the CLI's progress bar).
   */
  onCheckProgress?: (done: number, total: number, kind: string) => void
}

/** Resources judged between two {@link EvaluateOptions.onCheckProgress} calls. */
export const CHECK_PROGRESS_STEP = 256

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({})

/**
 * A check's parameter values: the given ones, else the defaults. A given value the check does not
 * take is refused here too (not only by the CLI), so a library caller's `allowedDays: '30d'` cannot
 * turn into NaN and pass everything.
 */
function paramValues(check: Check, given: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  if (given) {
    const problem = checkParamsProblem([check], { [check.id]: given })
    if (problem) throw new PhiwallError('PW_ERR_USAGE', problem)
  }
  if (!check.parameters) return NO_PARAMS
  const out: Record<string, string> = {}
  for (const [name, p] of Object.entries(check.parameters)) {
    const v = (given && Object.hasOwn(given, name) ? given[name] : undefined) ?? p.default
    if (v !== undefined) out[name] = v
  }
  return Object.freeze(out)
}

/**
 * What is wrong with check parameter values given by check id and name — a check that does not
 * exist or has no such parameter, a value of the wrong form — or undefined when they are all right.
 * The CLI refuses to scan with bad parameters rather than judge with a setting the user did not mean.
 */
export function checkParamsProblem(checks: readonly Check[], given: Readonly<Record<string, Readonly<Record<string, string>>>>): string | undefined {
  for (const [id, values] of Object.entries(given)) {
    const check = checks.find((c) => c.id === id)
    if (!check) return `No check ${id}.`
    const known = Object.keys(check.parameters ?? {})
    for (const [name, value] of Object.entries(values)) {
      const p = check.parameters && Object.hasOwn(check.parameters, name) ? check.parameters[name] : undefined
      if (!p) return `Check ${id} has no parameter ${name}${known.length ? ` (it has: ${known.join(', ')})` : ' (it takes none)'}.`
      if (p.pattern && !p.pattern.test(value)) return `Parameter ${id}.${name} takes ${p.form}; got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}.`
    }
  }
  return undefined
}

const matches = (id: string, patterns: string[]): boolean => patterns.some((p) => (p.endsWith('*') ? id.startsWith(p.slice(0, -1)) : id === p))

/**
 * Runs checks over an inventory: each check sees the resources of its kinds. A check that throws
 * yields an `error` finding for that resource and the run goes on. Suppressions written on a
 * resource (by check id or a peer's rule id) mark failing findings as suppressed, unless expired.
 */
export function evaluateChecks(inventory: Inventory, checks: readonly Check[], options: EvaluateOptions = {}): Finding[] {
  const view = new InventoryView(inventory)
  const ctx: CheckContext = { view, now: options.now ?? new Date(), params: NO_PARAMS }
  const byKind = new Map<string, Resource[]>()
  for (const r of inventory.resources) (byKind.get(r.kind) ?? byKind.set(r.kind, []).get(r.kind)!).push(r)
  // Resource by resource, every check of its kind in turn: the helpers a kind's checks share (a
  // workload's pod spec, its containers, its name in messages) are worked out for the resource at
  // hand and asked again at once, while its objects are still in the CPU caches. The findings are
  // then put in the order check by check, kind by kind as each check lists them, resource by
  // resource: one bucket per (check, position in its resourceKinds).
  const selected = checks.filter((check) => !(options.only?.length && !matches(check.id, options.only)) && !(options.skip?.length && matches(check.id, options.skip)))
  const buckets: Finding[][][] = selected.map((check) => check.resourceKinds.map(() => []))
  const byKindChecks = new Map<string, { check: Check; bucket: Finding[]; params: Readonly<Record<string, string>> }[]>()
  selected.forEach((check, i) => {
    const params = paramValues(check, options.checkParams?.[check.id])
    check.resourceKinds.forEach((kind, j) => {
      if (!byKind.has(kind)) return
      ;(byKindChecks.get(kind) ?? byKindChecks.set(kind, []).get(kind)!).push({ check, bucket: buckets[i]![j]!, params })
    })
  })
  const progress = options.onCheckProgress
  let total = 0
  if (progress) for (const kind of byKindChecks.keys()) total += byKind.get(kind)!.length
  let done = 0
  for (const [kind, runs] of byKindChecks) {
    for (const r of byKind.get(kind)!) {
      if (progress && done % CHECK_PROGRESS_STEP === 0) progress(done, total, kind)
      done++
      for (const { check, bucket, params } of runs) {
        let out: CheckResult | CheckResult[]
        ctx.params = params
        try {
          if (check.appliesTo && !check.appliesTo(r, ctx)) continue
          out = check.evaluate(r, ctx)
        } catch (err) {
          bucket.push(toFinding(check, r, { status: 'fail', message: '' }, ctx, err))
          continue
        }
        if (Array.isArray(out)) for (const res of out) bucket.push(toFinding(check, r, res, ctx))
        else bucket.push(toFinding(check, r, out, ctx))
      }
    }
  }
  if (progress) progress(done, total, '')
  const findings: Finding[] = []
  for (const perKind of buckets) for (const bucket of perKind) for (const f of bucket) findings.push(f)
  return findings
}

/** Evidence of results that give none: one frozen object shared by them all (findings are read-only data). */
const NO_EVIDENCE: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>

function toFinding(check: Check, r: Resource, res: CheckResult, ctx: CheckContext, error?: unknown): Finding {
  const line = res.line !== undefined && Number.isInteger(res.line) && res.line > 0 ? res.line : res.path ? lineOfPath(r, res.path) : r.location.line
  const f: Finding = {
    checkId: check.id,
    title: check.title,
    resourceId: r.id,
    status: error !== undefined ? 'error' : res.status,
    severity: check.severity,
    message:
      error !== undefined
        ? `Check ${check.id} could not evaluate ${r.kind} ${r.name} (${error instanceof Error ? error.name : 'error'}); code PW_ERR_CHECK_FAILED.`
        : res.message,
    evidence: res.evidence ?? NO_EVIDENCE,
    // results about the resource as a whole share its location object (read-only data)
    location: line === r.location.line ? r.location : line !== undefined ? { file: r.location.file, line } : { file: r.location.file },
    remediation: check.remediation.text,
    controls: check.controls,
    references: check.references,
  }
  if (f.status === 'fail' && r.suppressions?.length) {
    const peerIds = [...check.references.cdkNag, ...check.references.awsConfig, ...check.references.prowler]
    const s = r.suppressions.find((x) => x.id === check.id || peerIds.includes(x.id))
    if (s) {
      const expired = s.expires !== undefined && !Number.isNaN(Date.parse(s.expires)) && Date.parse(s.expires) < ctx.now.getTime()
      if (!expired) f.suppressed = { reason: s.reason, source: s.source, ...(s.owner ? { owner: s.owner } : {}), ...(s.expires ? { expires: s.expires } : {}) }
      else f.evidence = { ...f.evidence, expiredSuppression: { reason: s.reason, expires: s.expires } }
    }
  }
  return f
}

/** Line of the deepest recorded property on a path, else the resource line. */
export function lineOfPath(r: Resource, path: string): number | undefined {
  const exact = r.propLines[path]
  if (exact !== undefined) return exact
  const deep = lineOfProperty(r.props, path)
  if (deep !== undefined) return deep
  let p = path
  while (p) {
    const l = r.propLines[p]
    if (l !== undefined) return l
    const dot = p.lastIndexOf('.')
    if (dot === -1) break
    p = p.slice(0, dot)
  }
  return r.location.line
}
