import Table from 'cli-table3'
import pc from 'picocolors'
import type { Finding, ScanResult, Severity } from '../../model/index.js'
import { SEVERITIES, severityRank } from '../../model/index.js'
import { alsoKnownAsText } from './peers.js'

const SEV_COLOR: Record<Severity, (s: string) => string> = { critical: (s) => pc.bold(pc.red(s)), high: pc.red, medium: pc.yellow, low: pc.cyan, info: pc.dim }

/** Options of {@link renderTerminal}. */
export interface TerminalOptions {
  /** Use colours (default: when stdout is a terminal). */
  color?: boolean
  /** Failing findings listed in detail (default 20). */
  maxFindings?: number
  /** Show every CSF subcategory, not only those with automated checks. */
  allControls?: boolean
}

/**
 * The terminal summary: resources by kind, findings by severity, the per-control table
 * (NIST CSF subcategory → HIPAA citations → pass / fail / manual) and the top failures.
 */
export function renderTerminal(result: ScanResult, options: TerminalOptions = {}): string {
  const c = options.color ?? false
  const color = (f: (s: string) => string, s: string): string => (c ? f(s) : s)
  const style = { head: [] as string[], border: [] as string[] }
  // no separator between rows: tables stay readable and half as tall
  const chars = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }
  const out: string[] = []
  const res = result.inventory.resources
  const files = { ok: 0, error: 0, skipped: 0 }
  for (const f of result.files) files[f.status]++
  out.push(color(pc.bold, `PhiWall ${result.tool.version} — scanned ${result.files.length - files.skipped} input file${result.files.length - files.skipped === 1 ? '' : 's'} in ${result.durationMs} ms`) + (files.error ? color(pc.red, ` (${files.error} with errors)`) : ''))
  out.push('')

  const byKind = new Map<string, number>()
  for (const r of res) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1)
  const phi = res.filter((r) => r.holdsPhi === 'yes').length
  const kinds = new Table({ head: ['Resource kind', 'Count'], style, chars })
  for (const [k, n] of [...byKind.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) kinds.push([k, String(n)])
  if (byKind.size > 15) kinds.push([`… ${byKind.size - 15} more kinds`, String([...byKind.entries()].sort((a, b) => b[1] - a[1]).slice(15).reduce((s, [, n]) => s + n, 0))])
  out.push(color(pc.bold, `Resources: ${res.length}`) + ` (${phi} hold or handle PHI)`)
  out.push(kinds.toString())
  out.push('')
  if (result.components?.length) out.push(...componentLines(result, color), '')

  const sev = new Map<Severity, number>(SEVERITIES.map((s) => [s, 0]))
  let passN = 0
  let manualN = 0
  let errorN = 0
  let suppressed = 0
  for (const f of result.findings) {
    if (f.status === 'fail' && f.suppressed) suppressed++
    else if (f.status === 'fail') sev.set(f.severity, (sev.get(f.severity) ?? 0) + 1)
    else if (f.status === 'pass') passN++
    else if (f.status === 'manual') manualN++
    else errorN++
  }
  const sevTable = new Table({ head: ['Severity', 'Failing'], style, chars })
  for (const s of SEVERITIES) sevTable.push([color(SEV_COLOR[s], s), String(sev.get(s) ?? 0)])
  out.push(color(pc.bold, 'Findings') + `: ${[...sev.values()].reduce((a, b) => a + b, 0)} failing, ${passN} passing, ${manualN} manual, ${suppressed} suppressed${errorN ? `, ${errorN} errors` : ''}`)
  out.push(sevTable.toString())
  out.push('')

  const controls = new Table({ head: ['CSF', 'HIPAA citations', 'Status', 'Pass', 'Fail', 'Manual'], style, chars, colWidths: [10, 46, 8, 6, 6, 8], wordWrap: true })
  const csf = result.controls.filter((x) => x.framework === 'csf' && (options.allControls || x.checks.length > 0))
  for (const x of csf) {
    const status = x.status === 'fail' ? color(pc.red, 'fail') : x.status === 'pass' ? color(pc.green, 'pass') : x.status === 'manual' ? color(pc.yellow, 'manual') : color(pc.dim, 'n/a')
    controls.push([x.id, x.related.join(', ') || '—', status, String(x.counts.pass), String(x.counts.fail), String(x.counts.manual)])
  }
  const manualControls = result.controls.filter((x) => x.framework === 'csf' && x.checks.length === 0).length
  out.push(color(pc.bold, 'Controls') + ` (NIST CSF 1.1 → HIPAA Security Rule; ${manualControls} more subcategories need manual assessment, see the HTML or JSON report)`)
  out.push(controls.toString())

  const failing = result.findings.filter((f) => f.status === 'fail' && !f.suppressed)
  if (failing.length) {
    const max = options.maxFindings ?? 20
    out.push('')
    out.push(color(pc.bold, `Top failing findings${failing.length > max ? ` (${max} of ${failing.length})` : ''}`))
    const worstFirst = (a: Finding, b: Finding): number => severityRank(b.severity) - severityRank(a.severity) || a.location.file.localeCompare(b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0)
    for (const f of firstSorted(failing, max, worstFirst)) {
      out.push(`  ${color(SEV_COLOR[f.severity], f.severity.padEnd(8))} ${color(pc.dim, `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}`)}  ${f.checkId}`)
      out.push(`           ${f.message}`)
      const aka = alsoKnownAsText(f.references)
      if (aka) out.push(color(pc.dim, `           also known as ${aka}`))
    }
  }
  const errs = result.files.filter((f) => f.status === 'error')
  if (errs.length) {
    out.push('')
    out.push(color(pc.bold, color(pc.red, `Input errors (${errs.length} file${errs.length === 1 ? '' : 's'})`)))
    for (const f of errs.slice(0, 10)) {
      const d = f.diagnostics.find((x) => x.level === 'error') ?? f.diagnostics[0]
      if (d) out.push(`  ${d.code}  ${d.message}`)
    }
    if (errs.length > 10) out.push(`  … and ${errs.length - 10} more (see the JSON report's errors[])`)
  }
  // what the command line asked for that no input used (`--param Nope=1`)
  for (const d of result.diagnostics.filter((x) => x.file === '(command line)')) out.push(color(pc.yellow, `${d.code}  ${d.message}`))
  return out.join('\n') + '\n'
}

/**
 * The first `n` items of `items` sorted by `compare`, as a stable sort would order them, without
 * sorting them all: a scan has tens of thousands of failing findings and the summary lists 20.
 * Each item is placed after the kept items it does not sort before, so ties keep their order.
 */
export function firstSorted<T>(items: readonly T[], n: number, compare: (a: T, b: T) => number): T[] {
  const kept: T[] = []
  if (n <= 0) return kept
  for (const item of items) {
    if (kept.length === n && compare(kept[n - 1]!, item) <= 0) continue
    // the first kept item that sorts after this one
    let lo = 0
    let hi = kept.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compare(kept[mid]!, item) > 0) hi = mid
      else lo = mid + 1
    }
    kept.splice(lo, 0, item)
    if (kept.length > n) kept.pop()
  }
  return kept
}

/** Components, vulnerabilities and the database they were judged against: a few lines. */
function componentLines(result: ScanResult, color: (f: (s: string) => string, s: string) => string): string[] {
  const comps = result.components ?? []
  const byEco = new Map<string, number>()
  for (const x of comps) byEco.set(x.ecosystem, (byEco.get(x.ecosystem) ?? 0) + 1)
  const sources = result.files.filter((f) => (f.components ?? 0) > 0).length
  const lines = [color(pc.bold, `Components: ${comps.length}`) + ` from ${sources} source${sources === 1 ? '' : 's'} (${[...byEco].sort((a, b) => b[1] - a[1]).map(([e, n]) => `${e} ${n}`).join(', ')})`]
  const vulns = result.findings.filter((f) => f.checkId === 'vulns/known-vulnerability' && f.status === 'fail')
  if (result.vulnerabilityDb) {
    const open = vulns.filter((f) => !f.suppressed)
    const bySev = SEVERITIES.map((s) => [s, open.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0)
    const affected = new Set(open.map((f) => f.resourceId)).size
    lines.push(`  Vulnerabilities: ${open.length} in ${affected} component${affected === 1 ? '' : 's'}${bySev.length ? ` (${bySev.map(([s, n]) => color(SEV_COLOR[s], `${s} ${n}`)).join(', ')})` : ''}${vulns.length - open.length ? `, ${vulns.length - open.length} suppressed by VEX` : ''}`)
    const db = result.vulnerabilityDb
    lines.push(color(pc.dim, `  Database: ${db.total.toLocaleString('en-US')} advisories, updated ${db.lastUpdated ?? 'never'}${db.ageDays !== undefined ? ` (${db.ageDays} day${db.ageDays === 1 ? '' : 's'} ago)` : ''}`) + (db.stale ? color(pc.yellow, ' — stale: run `phiwall db update`') : ''))
  }
  for (const d of result.diagnostics.filter((x) => x.code === 'PW_ERR_VULNDB_MISSING')) lines.push(color(pc.yellow, `  ${d.message}`))
  return lines
}
