/**
 * Conformance with KICS's per-query CloudFormation / SAM / Serverless fixtures: for every KICS
 * query whose intent a PhiWall check shares (kics-map.ts), PhiWall must fail each line KICS
 * expects in the positive fixtures and nothing in the negative ones, except where the map
 * documents a disagreement; there the test asserts what PhiWall does instead. See README.md.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { ALL_CHECKS, type Check } from '../../src/checks/index.js'
import type { Finding, Resource, ScanResult } from '../../src/model/index.js'
import { scan } from '../../src/scan/index.js'
import { physicalName } from '../../src/inventory/index.js'
import { judgeExpectation, unusedExceptions } from './kics-judge.js'
import { KICS_MAP, KICS_UNMAPPED, type KicsException, type KicsMapping } from './kics-map.js'
import { propertyLinesOf } from '../../src/sources/index.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpusDir = [path.resolve(repoRoot, '../shared/corpus'), '/work/shared/corpus'].find((d) => fs.existsSync(path.join(d, 'kics')))
const kicsDir = corpusDir ? path.join(corpusDir, 'kics') : undefined
const NOW = new Date('2026-11-23T00:00:00Z')

/** One KICS expectation: a line KICS reports in a positive file, or a negative file as a whole. */
interface Expectation {
  file: string
  line?: number
}

/** Lines KICS expects per positive file (`fileName`, older fixtures `filename`); duplicates collapse. */
function expectedLines(ruleDir: string): Map<string, number[]> {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(ruleDir, 'test', 'positive_expected_result.json'), 'utf8'))
  const out = new Map<string, number[]>()
  for (const e of raw as { fileName?: string; filename?: string; line: number }[]) {
    const file = e.fileName ?? e.filename
    if (!file) throw new Error(`${ruleDir}: expected result without a file name`)
    const lines = out.get(file) ?? []
    if (!lines.includes(e.line)) lines.push(e.line)
    out.set(file, lines)
  }
  return out
}

/** Resources read from a template (not PhiWall's synthetic stack nodes), with a line. */
function sourceResources(result: ScanResult): Resource[] {
  return result.inventory.resources.filter((r) => !r.type.startsWith('PhiWall::') && r.location.line !== undefined)
}

/**
 * The resources a line belongs to: those declared at the greatest resource line at or before it
 * (SAM and Serverless expansion give several resources one source line), and where the next
 * declaration starts.
 */
function enclosing(result: ScanResult, line: number): { resources: Resource[]; start: number; next: number } | undefined {
  const res = sourceResources(result)
  const starts = [...new Set(res.map((r) => r.location.line!))].sort((a, b) => a - b)
  const start = starts.filter((s) => s <= line).pop()
  if (start === undefined) return undefined
  return { resources: res.filter((r) => r.location.line === start), start, next: starts.find((s) => s > start) ?? Infinity }
}

/** Property paths of a resource whose source span contains a line, with their start lines. */
function propsEnclosing(r: Resource, line: number, next: number): { path: string; line: number }[] {
  const entries = Object.entries({ ...r.propLines, ...propertyLinesOf(r.props) }).sort((a, b) => a[1] - b[1])
  const out: { path: string; line: number }[] = []
  for (const [p, lp] of entries) {
    if (lp > line) continue
    // a property ends where the next property that is not inside it starts
    const after = entries.find(([q, lq]) => lq > lp && q !== p && !q.startsWith(`${p}.`))
    const end = Math.min(after ? after[1] - 1 : Infinity, next - 1)
    if (line <= end) out.push({ path: p, line: lp })
  }
  return out
}

/**
 * Does PhiWall report the failure KICS expects at `line`? A failing finding of a mapped check
 * agrees when it is on the resource the line belongs to and
 *  - its line is KICS's line, or the resource's own line, or
 *  - KICS's line is the resource's line or lies in no property (KICS names the resource as a whole), or
 *  - one line starts a property that contains the other (KICS names a parent or a child of what PhiWall names);
 * or when it is on a resource the KICS resource attaches to (a standalone security group rule,
 * policy, permission or profile: PhiWall reports those on the resource they govern).
 */
function agrees(result: ScanResult, fails: Finding[], line: number): boolean {
  const enc = enclosing(result, line)
  if (!enc) return false
  for (const r of enc.resources) {
    const kicsProps = propsEnclosing(r, line, enc.next)
    for (const f of fails.filter((x) => x.resourceId === r.id)) {
      const fl = f.location.line
      if (fl === undefined) continue
      if (fl === line || fl === enc.start || line === enc.start || kicsProps.length === 0) return true
      if (kicsProps.some((p) => p.line === fl)) return true
      if (propsEnclosing(r, fl, enc.next).some((p) => p.line === line)) return true
    }
  }
  const ids = new Set(enc.resources.map((r) => r.id))
  const governed = new Set(result.inventory.edges.filter((e) => e.kind === 'attached' && ids.has(e.from)).map((e) => e.to))
  return fails.some((f) => governed.has(f.resourceId))
}

/**
 * Checks whether PhiWall behaves as an exception documents; returns what differs, if anything.
 * `mine` are the findings of the mapped checks, `relevant` the failures that count for this query.
 */
function exceptionHolds(x: KicsException, result: ScanResult, mine: Finding[], relevant: (f: Finding) => boolean): string | undefined {
  const o = x.phiwall
  const fails = mine.filter(relevant)
  const failLines = [...new Set(fails.map((f) => f.location.line))].sort((a, b) => (a ?? 0) - (b ?? 0))
  if (o.kind === 'unreadable') {
    const codes = result.files.flatMap((f) => f.diagnostics.map((d) => d.code))
    return codes.includes(o.code) && mine.length === 0 ? undefined : `expected ${o.code} and no findings; diagnostics ${JSON.stringify(codes)}, ${mine.length} findings`
  }
  if (o.kind === 'fails-at') {
    if (x.line === undefined) return JSON.stringify(failLines) === JSON.stringify(o.lines) ? undefined : `expected failures at lines ${JSON.stringify(o.lines)}, got ${JSON.stringify(failLines)}`
    const missing = o.lines.filter((l) => !failLines.includes(l))
    return missing.length ? `expected failures at lines ${JSON.stringify(o.lines)}, got ${JSON.stringify(failLines)}` : undefined
  }
  let subjects: Finding[]
  if (o.kind === 'not-judged' && o.scope === 'file') subjects = mine
  else {
    let ids: Set<string>
    if (o.resources) {
      const named = sourceResources(result).filter((r) => o.resources!.includes(r.sourceId))
      if (named.length !== o.resources.length) return `resources ${o.resources.join(', ')} not all found`
      ids = new Set(named.map((r) => r.id))
    } else {
      const enc = x.line !== undefined ? enclosing(result, x.line) : undefined
      if (!enc) return 'no resource encloses the line'
      ids = new Set(enc.resources.map((r) => r.id))
    }
    subjects = mine.filter((f) => ids.has(f.resourceId))
  }
  const failing = subjects.filter(relevant)
  const manual = subjects.some((f) => f.status === 'manual')
  const seen = `got ${JSON.stringify(subjects.map((f) => `${f.status} L${f.location.line}`))}`
  if (o.kind === 'not-judged') return subjects.length === 0 ? undefined : `expected no finding, ${seen}`
  if (o.kind === 'manual') return manual && failing.length === 0 ? undefined : `expected manual and no failure, ${seen}`
  // pass: judged, and neither a failure of this property nor a manual result
  return subjects.length > 0 && failing.length === 0 && !manual ? undefined : `expected a judgement without failure or manual, ${seen}`
}

/**
 * The mapped checks' results of each fixture scanned alone (`file → checks and sorted results`),
 * which a scan of every fixture together must repeat: one template must never be judged with
 * another's resources (a policy naming `Records` in one file is not about another file's bucket).
 */
const alone = new Map<string, { checks: string[]; results: string[] }>()
const resultsOf = (findings: Finding[], file: string, checks: string[]): string[] =>
  findings
    .filter((f) => checks.includes(f.checkId) && f.location.file === file)
    .map((f) => `${f.checkId} ${f.resourceId} ${f.status} L${f.location.line ?? '?'}`)
    .sort()

/** Tallies for the summary. */
const tally = { rules: 0, full: 0, partial: 0, fixtures: 0, agreements: 0, exceptions: 0, positives: 0, negatives: 0 }

/** Judges one mapped KICS query; returns the problems found (an empty list is success). */
async function judgeRule(m: KicsMapping, checks: Check[]): Promise<string[]> {
  const ruleDir = path.join(kicsDir!, m.rule)
  const testDir = path.join(ruleDir, 'test')
  const lines = expectedLines(ruleDir)
  const files = fs.readdirSync(testDir).filter((f) => /^(positive|negative)/.test(f) && !f.endsWith('_expected_result.json')).sort()
  const problems: string[] = []
  const exceptions = m.exceptions ?? []
  const used = new Set<KicsException>()
  const facet = m.facet !== undefined ? new RegExp(m.facet) : undefined
  const exceptionFor = (e: Expectation): KicsException | undefined => exceptions.find((x) => x.file === e.file && x.line === e.line)
  for (const file of files) {
    const result = await scan([path.join(testDir, file)], { checks, now: NOW })
    const mine = result.findings.filter((f) => m.checks.includes(f.checkId))
    const shown = result.files[0]?.file
    if (shown !== undefined) {
      const prev = alone.get(shown)
      const all = [...new Set([...(prev?.checks ?? []), ...m.checks])]
      alone.set(shown, { checks: all, results: resultsOf(result.findings, shown, all) })
    }
    const relevant = (f: Finding): boolean => f.status === 'fail' && (facet === undefined || facet.test(f.message))
    const fails = mine.filter(relevant)
    tally.fixtures++
    const expectations: Expectation[] = file.startsWith('positive') ? (lines.get(file) ?? []).map((line) => ({ file, line })) : [{ file }]
    if (file.startsWith('positive') && expectations.length === 0) problems.push(`${file}: positive fixture without expected lines`)
    for (const e of expectations) {
      const agree = e.line !== undefined ? agrees(result, fails, e.line) : fails.length === 0
      judgeExpectation(
        e,
        agree,
        exceptionFor(e),
        { used, tally, problems },
        (where) => `${where}: ${e.line !== undefined ? 'KICS expects a failure here, PhiWall reports none' : `negative fixture, PhiWall fails at ${JSON.stringify(fails.map((f) => f.location.line))}`} (${mine.map((f) => `${f.status} L${f.location.line}`).join(', ') || 'no findings'})`,
        () => exceptionHolds(exceptionFor(e)!, result, mine, relevant),
      )
    }
  }
  problems.push(...unusedExceptions(exceptions, used))
  return problems
}

describe('KICS conformance', () => {
  if (!kicsDir) {
    const reason = `KICS corpus not found (looked for ${path.resolve(repoRoot, '../shared/corpus')}/kics and /work/shared/corpus/kics)`
    if (process.env['CI']) {
      it('has the KICS corpus', () => {
        throw new Error(`${reason}; the conformance test cannot run in CI without it.`)
      })
    } else {
      it.skip(`skipped: ${reason}`, () => {})
    }
    return
  }

  it('the map names existing KICS queries, existing checks, and sound exceptions', () => {
    const ids = new Set(ALL_CHECKS.map((c) => c.id))
    const rules = KICS_MAP.map((m) => m.rule)
    expect(new Set(rules).size, 'each KICS query is mapped once').toBe(rules.length)
    for (const m of KICS_MAP) {
      const dir = path.join(kicsDir, m.rule)
      expect(fs.existsSync(path.join(dir, 'metadata.json')), `${m.rule} exists`).toBe(true)
      expect(m.checks.length, `${m.rule} maps to checks`).toBeGreaterThan(0)
      for (const c of m.checks) expect(ids.has(c), `${m.rule}: unknown check ${c}`).toBe(true)
      if (m.equivalence === 'partial') expect(m.note, `${m.rule}: a partial equivalent says how it differs`).toBeTruthy()
      const lines = expectedLines(dir)
      for (const x of m.exceptions ?? []) {
        const where = `${m.rule} ${x.file}:${x.line ?? '-'}`
        expect(fs.existsSync(path.join(dir, 'test', x.file)), `${where}: fixture exists`).toBe(true)
        expect(x.reason.length, `${where}: reason`).toBeGreaterThan(20)
        if (x.file.startsWith('negative')) {
          expect(x.line, `${where}: a negative exception is about the whole file`).toBeUndefined()
          expect(x.phiwall.kind, `${where}: PhiWall can only disagree with a negative by failing`).toBe('fails-at')
        } else {
          expect(lines.get(x.file) ?? [], `${where}: KICS expects this line`).toContain(x.line)
        }
      }
    }
    for (const u of KICS_UNMAPPED) {
      expect(fs.existsSync(path.join(kicsDir, u.rule, 'metadata.json')), `${u.rule} exists`).toBe(true)
      expect(rules, `${u.rule} is either mapped or unmapped`).not.toContain(u.rule)
    }
  })

  for (const m of KICS_MAP) {
    it(`${m.rule} → ${m.checks.join(', ')}`, async () => {
      const checks = ALL_CHECKS.filter((c) => m.checks.includes(c.id))
      tally.rules++
      tally[m.equivalence]++
      expect(await judgeRule(m, checks)).toEqual([])
    })
  }

  it('judges every fixture the same when all are scanned together as when each is scanned alone', async () => {
    const paths = KICS_MAP.flatMap((m) => {
      const testDir = path.join(kicsDir, m.rule, 'test')
      return fs.readdirSync(testDir).filter((f) => /^(positive|negative)/.test(f) && !f.endsWith('_expected_result.json')).sort().map((f) => path.join(testDir, f))
    })
    const ids = new Set(KICS_MAP.flatMap((m) => m.checks))
    const together = await scan(paths, { checks: ALL_CHECKS.filter((c) => ids.has(c.id)), now: NOW })
    expect(alone.size, 'the rule tests above ran first').toBeGreaterThan(100)
    // fixtures that declare the same physical name (many call their bucket `S3Bucket`) name one
    // AWS resource, as they would in one account: those may be judged together; no other may
    const declared = new Map<string, Set<string>>()
    for (const r of together.inventory.resources) {
      const name = physicalName(r.type, r.props)
      if (name === undefined) continue
      const key = `${r.type} ${name}`
      ;(declared.get(key) ?? declared.set(key, new Set()).get(key)!).add(r.location.file)
    }
    const sharing = new Set([...declared.values()].filter((files) => files.size > 1).flatMap((files) => [...files]))
    // account-level checks: a multi-Region trail in any scanned template covers the account's other trails
    const accountLevel = new Set(['aws/cloudtrail-multi-region'])
    const differ: string[] = []
    let compared = 0
    for (const [file, { checks, results }] of alone) {
      if (sharing.has(file)) continue
      compared++
      const local = checks.filter((c) => !accountLevel.has(c))
      const got = resultsOf(together.findings, file, local)
      const want = results.filter((x) => !accountLevel.has(x.split(' ')[0]!))
      if (JSON.stringify(got) !== JSON.stringify(want)) differ.push(`${file}: alone ${JSON.stringify(want)}, together ${JSON.stringify(got)}`)
    }
    expect(differ).toEqual([])
    expect(compared, 'fixtures compared').toBeGreaterThan(300)
  })

  afterAll(() => {
    const judged = tally.agreements + tally.exceptions
    const rate = judged ? ((100 * tally.agreements) / judged).toFixed(1) : '0'
    console.log(
      [
        'KICS conformance summary',
        `  rules mapped:          ${tally.rules} (${tally.full} full, ${tally.partial} partial); ${KICS_UNMAPPED.length} related queries considered and not mapped`,
        `  fixtures judged:       ${tally.fixtures} files (${tally.positives} expected failures in positive files, ${tally.negatives} negative files)`,
        `  agreements:            ${tally.agreements} of ${judged} (${rate}%)`,
        `  documented exceptions: ${tally.exceptions}`,
      ].join('\n'),
    )
  })
})
