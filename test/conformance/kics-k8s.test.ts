/**
 * Conformance with KICS's per-query Kubernetes fixtures: for every KICS query whose intent a
 * PhiWall check shares (kics-k8s-map.ts), PhiWall must fail each line KICS expects in the positive
 * fixtures and nothing in the negative ones, except where the map documents a disagreement; there
 * the test asserts what PhiWall does instead. See README.md ("KICS — Kubernetes").
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { ALL_CHECKS, type Check } from '../../src/checks/index.js'
import type { Finding, Resource, ScanResult } from '../../src/model/index.js'
import { scan } from '../../src/scan/index.js'
import { propertyLinesOf } from '../../src/sources/index.js'
import { KICS_K8S_MAP, KICS_K8S_UNMAPPED, type K8sException, type K8sMapping, type K8sUnmappedCategory } from './kics-k8s-map.js'
import { judgeExpectation, unusedExceptions } from './kics-judge.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const CANDIDATES = [path.resolve(repoRoot, '../shared/corpus/kics/k8s'), '/work/shared/corpus/kics/k8s']
const k8sDir = CANDIDATES.find((d) => fs.existsSync(d))
const NOW = new Date('2026-11-23T00:00:00Z')

/** One KICS expectation: a line KICS reports in a positive file, or a negative file as a whole. */
interface Expectation {
  file: string
  line?: number
}

/**
 * Lines KICS expects per positive file (`fileName`, older fixtures `filename`; a query with a single
 * positive fixture may name no file, which then means that fixture); duplicates collapse.
 */
function expectedLines(ruleDir: string): Map<string, number[]> {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(ruleDir, 'test', 'positive_expected_result.json'), 'utf8'))
  const positives = fixturesOf(ruleDir).filter((f) => f.startsWith('positive'))
  const out = new Map<string, number[]>()
  for (const e of raw as { fileName?: string; filename?: string; line: number }[]) {
    const file = e.fileName ?? e.filename ?? (positives.length === 1 ? positives[0] : undefined)
    if (!file) throw new Error(`${ruleDir}: expected result without a file name, and the query has ${positives.length} positive fixtures`)
    const lines = out.get(file) ?? []
    if (!lines.includes(e.line)) lines.push(e.line)
    out.set(file, lines)
  }
  return out
}

/** Fixture files of a query: `positive*` / `negative*` YAML or JSON, not the expected results. */
function fixturesOf(ruleDir: string): string[] {
  return fs
    .readdirSync(path.join(ruleDir, 'test'))
    .filter((f) => /^(positive|negative)/.test(f) && /\.(ya?ml|json)$/.test(f) && !f.endsWith('_expected_result.json'))
    .sort()
}

/** One object of a manifest with the lines it spans and the start line of each of its properties. */
interface ObjectSpan {
  resource: Resource
  start: number
  end: number
  /** Property path → line of its key (list items: the line of the item). */
  props: [string, number][]
}

/** `---` document separators of a YAML file (line numbers). */
function separators(text: string): number[] {
  const out: number[] = []
  text.split(/\r?\n/).forEach((l, i) => {
    if (/^---(\s|$)/.test(l)) out.push(i + 1)
  })
  return out
}

/**
 * The objects of a scanned file with their spans: an object starts at its first recorded key and
 * ends before the next object or the next `---` after it (JSON `List` items end where the next
 * item starts).
 */
function objectSpans(result: ScanResult, text: string): ObjectSpan[] {
  const seps = separators(text)
  const objs = result.inventory.resources
    .filter((r) => r.provider === 'kubernetes' && r.kind !== 'phiwall:stack' && r.location.line !== undefined)
    .map((r) => {
      const props = Object.entries({ ...r.propLines, ...propertyLinesOf(r.props) }).sort((a, b) => a[1] - b[1])
      const start = Math.min(r.location.line!, ...props.map((p) => p[1]))
      return { resource: r, start, end: Infinity, props }
    })
    .sort((a, b) => a.start - b.start)
  objs.forEach((o, i) => {
    const next = objs.slice(i + 1).find((n) => n.start > o.start)?.start ?? Infinity
    const sep = seps.find((s) => s > o.start) ?? Infinity
    o.end = Math.min(next, sep) - 1
  })
  return objs
}

/** The object whose span contains a line. */
function objectAt(spans: ObjectSpan[], line: number): ObjectSpan | undefined {
  return spans.find((o) => o.start <= line && line <= o.end)
}

/** Start lines of the object's properties whose span contains a line (a property ends where the next property outside it starts). */
function propertyStartsEnclosing(o: ObjectSpan, line: number): number[] {
  const out: number[] = []
  for (const [p, lp] of o.props) {
    if (lp > line) break
    const after = o.props.find(([q, lq]) => lq > lp && q !== p && !q.startsWith(`${p}.`))
    const end = Math.min(after ? after[1] - 1 : Infinity, o.end)
    if (line <= end) out.push(lp)
  }
  return out
}

/** Lines that name an object as a whole: `apiVersion`, `kind`, `metadata` and `metadata.name`. */
function wholeObjectLines(o: ObjectSpan): number[] {
  const lines = o.props.filter(([p]) => p === 'apiVersion' || p === 'kind' || p === 'metadata' || p === 'metadata.name').map(([, l]) => l)
  return [...lines, o.resource.location.line!]
}

/**
 * Does PhiWall report the failure KICS expects at `line`? A failing finding of a mapped check agrees
 * when its line is KICS's line, or when it is on the object whose span holds KICS's line and
 *  - one line starts a property whose span contains the other (KICS names a parent or a child of
 *    what PhiWall names: `securityContext` vs `securityContext.privileged`, a container's
 *    `- name:` line vs a property inside that container), or
 *  - KICS's line is the object's `apiVersion`, `kind`, `metadata` or `metadata.name` line (KICS
 *    names the object as a whole).
 */
function agrees(spans: ObjectSpan[], fails: Finding[], line: number): boolean {
  if (fails.some((f) => f.location.line === line)) return true
  const o = objectAt(spans, line)
  if (!o) return false
  const mine = fails.filter((f) => f.resourceId === o.resource.id && f.location.line !== undefined)
  if (!mine.length) return false
  if (wholeObjectLines(o).includes(line)) return true
  const kicsStarts = propertyStartsEnclosing(o, line)
  for (const f of mine) {
    const fl = f.location.line!
    if (kicsStarts.includes(fl)) return true
    if (propertyStartsEnclosing(o, fl).includes(line)) return true
  }
  return false
}

/**
 * Checks whether PhiWall behaves as an exception documents; returns what differs, if anything.
 * `mine` are the findings of the mapped checks, `relevant` the failures that count for this query.
 */
function exceptionHolds(x: K8sException, spans: ObjectSpan[], mine: Finding[], relevant: (f: Finding) => boolean): string | undefined {
  const o = x.phiwall
  const fails = mine.filter(relevant)
  const failLines = [...new Set(fails.map((f) => f.location.line))].sort((a, b) => (a ?? 0) - (b ?? 0))
  if (o.kind === 'fails-at') {
    if (x.line === undefined) return JSON.stringify(failLines) === JSON.stringify(o.lines) ? undefined : `expected failures at exactly lines ${JSON.stringify(o.lines)}, got ${JSON.stringify(failLines)}`
    const missing = o.lines.filter((l) => !failLines.includes(l))
    return missing.length ? `expected failures at lines ${JSON.stringify(o.lines)}, got ${JSON.stringify(failLines)}` : undefined
  }
  const at = x.line !== undefined ? objectAt(spans, x.line) : undefined
  if (!at) return 'no object encloses the line'
  const subjects = mine.filter((f) => f.resourceId === at.resource.id)
  const failing = subjects.filter(relevant)
  const manual = subjects.some((f) => f.status === 'manual')
  const seen = `got ${JSON.stringify(subjects.map((f) => `${f.status} L${f.location.line}`))}`
  if (o.kind === 'not-judged') return subjects.length === 0 ? undefined : `expected no finding, ${seen}`
  if (o.kind === 'manual') return manual && failing.length === 0 ? undefined : `expected manual and no failure, ${seen}`
  // pass: judged, and neither a failure of this property nor a manual result
  return subjects.length > 0 && failing.length === 0 && !manual ? undefined : `expected a judgement without failure or manual, ${seen}`
}

/** Tallies for the summary. */
const tally = { rules: 0, full: 0, partial: 0, fixtures: 0, agreements: 0, exceptions: 0, positives: 0, negatives: 0 }

/** Judges one mapped KICS query; returns the problems found (an empty list is success). */
async function judgeRule(m: K8sMapping, checks: Check[]): Promise<string[]> {
  const ruleDir = path.join(k8sDir!, m.rule)
  const testDir = path.join(ruleDir, 'test')
  const lines = expectedLines(ruleDir)
  const problems: string[] = []
  const exceptions = m.exceptions ?? []
  const used = new Set<K8sException>()
  const facet = m.facet !== undefined ? new RegExp(m.facet) : undefined
  for (const file of fixturesOf(ruleDir)) {
    const full = path.join(testDir, file)
    const text = fs.readFileSync(full, 'utf8')
    const result = await scan([full], { checks, now: NOW })
    const spans = objectSpans(result, text)
    const mine = result.findings.filter((f) => m.checks.includes(f.checkId))
    const relevant = (f: Finding): boolean => f.status === 'fail' && (facet === undefined || facet.test(f.message))
    const fails = mine.filter(relevant)
    tally.fixtures++
    const positive = file.startsWith('positive')
    const expectations: Expectation[] = positive ? (lines.get(file) ?? []).map((line) => ({ file, line })) : [{ file }]
    if (positive && expectations.length === 0) problems.push(`${file}: positive fixture without expected lines`)
    const srcLines = text.split(/\r?\n/)
    for (const e of expectations) {
      const agree = e.line !== undefined ? agrees(spans, fails, e.line) : fails.length === 0
      const x = exceptions.find((y) => y.file === e.file && y.line === e.line)
      judgeExpectation(
        e,
        agree,
        x,
        { used, tally, problems },
        (where) => {
          const seen = mine.map((f) => `${f.status} L${f.location.line} ${f.message.slice(0, 90)}`).join(' | ') || 'no findings'
          return e.line !== undefined
            ? `${where} [${(srcLines[e.line - 1] ?? '').trim()}]: KICS expects a failure here, PhiWall reports none there (${seen})`
            : `${where}: negative fixture, PhiWall fails at ${JSON.stringify(fails.map((f) => f.location.line))} (${seen})`
        },
        () => exceptionHolds(x!, spans, mine, relevant),
      )
    }
  }
  problems.push(...unusedExceptions(exceptions, used))
  return problems
}

describe('KICS conformance — Kubernetes', () => {
  if (!k8sDir) {
    const reason = `KICS Kubernetes corpus not found (looked for ${CANDIDATES.join(' and ')})`
    const ci = process.env['CI']
    if (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') {
      it('has the KICS Kubernetes corpus', () => {
        throw new Error(`${reason}; the conformance test cannot run in CI without it.`)
      })
    } else {
      it.skip(`skipped: ${reason}`, () => {})
    }
    return
  }

  it('the map accounts for every KICS Kubernetes query, names existing checks, and has sound exceptions', () => {
    const ids = new Set(ALL_CHECKS.map((c) => c.id))
    const rules = KICS_K8S_MAP.map((m) => m.rule)
    const unmapped = KICS_K8S_UNMAPPED.map((u) => u.rule)
    expect(new Set(rules).size, 'each KICS query is mapped once').toBe(rules.length)
    expect(new Set(unmapped).size, 'each KICS query is listed once as unmapped').toBe(unmapped.length)
    const queries = fs.readdirSync(k8sDir).filter((d) => fs.existsSync(path.join(k8sDir, d, 'metadata.json')))
    expect([...rules, ...unmapped].sort(), 'every query of the corpus is either mapped or unmapped, never both').toEqual([...queries].sort())
    for (const m of KICS_K8S_MAP) {
      const dir = path.join(k8sDir, m.rule)
      expect(m.checks.length, `${m.rule} maps to checks`).toBeGreaterThan(0)
      for (const c of m.checks) {
        expect(ids.has(c), `${m.rule}: unknown check ${c}`).toBe(true)
        expect(c.startsWith('k8s/'), `${m.rule}: ${c} is a Kubernetes check`).toBe(true)
      }
      if (m.equivalence === 'partial') expect(m.note, `${m.rule}: a partial equivalent says how it differs`).toBeTruthy()
      if (m.facet !== undefined) expect(() => new RegExp(m.facet!), `${m.rule}: facet is a regular expression`).not.toThrow()
      const lines = expectedLines(dir)
      for (const x of m.exceptions ?? []) {
        const where = `${m.rule} ${x.file}:${x.line ?? '-'}`
        expect(fs.existsSync(path.join(dir, 'test', x.file)), `${where}: fixture exists`).toBe(true)
        expect(x.reason.length, `${where}: reason`).toBeGreaterThan(20)
        if (x.phiwall.kind === 'fails-at') expect(x.phiwall.lines.length, `${where}: fails-at names lines`).toBeGreaterThan(0)
        if (x.file.startsWith('negative')) {
          expect(x.line, `${where}: a negative exception is about the whole file`).toBeUndefined()
          expect(x.phiwall.kind, `${where}: PhiWall can only disagree with a negative by failing`).toBe('fails-at')
        } else {
          expect(lines.get(x.file) ?? [], `${where}: KICS expects this line`).toContain(x.line)
        }
      }
    }
    for (const u of KICS_K8S_UNMAPPED) expect(u.reason.length, `${u.rule}: reason`).toBeGreaterThan(20)
  })

  for (const m of KICS_K8S_MAP) {
    it(`${m.rule} → ${m.checks.join(', ')}`, async () => {
      const checks = ALL_CHECKS.filter((c) => m.checks.includes(c.id))
      tally.rules++
      tally[m.equivalence]++
      const problems = await judgeRule(m, checks)
      expect(problems, `\n${problems.join('\n')}\n`).toEqual([])
    })
  }

  afterAll(() => {
    const unmapped = (c: K8sUnmappedCategory): number => KICS_K8S_UNMAPPED.filter((u) => u.category === c).length
    const judged = tally.agreements + tally.exceptions
    const rate = judged ? ((100 * tally.agreements) / judged).toFixed(1) : '0'
    console.log(
      [
        'KICS Kubernetes conformance summary',
        `  queries mapped:        ${tally.rules} (${tally.full} full, ${tally.partial} partial); ${KICS_K8S_UNMAPPED.length} not mapped (${unmapped('component-flags')} component flags, ${unmapped('pod-security-policy')} PodSecurityPolicy, ${unmapped('other-property')} other properties)`,
        `  fixtures judged:       ${tally.fixtures} files (${tally.positives} expected failures in positive files, ${tally.negatives} negative files)`,
        `  agreements:            ${tally.agreements} of ${judged} (${rate}%)`,
        `  documented exceptions: ${tally.exceptions}`,
      ].join('\n'),
    )
  })
})
