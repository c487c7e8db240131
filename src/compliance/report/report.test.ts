import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import AjvModule from 'ajv'
import AjvDraft04Module from 'ajv-draft-04'
import addFormatsModule from 'ajv-formats'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PeerReferences, ScanResult } from '../../model/index.js'
import { scan } from '../../scan/index.js'
import fc from 'fast-check'
import { buildJsonReport, csvField, renderCsv, renderReport, renderSarif, renderTerminal, REPORT_FORMATS } from './index.js'
import { firstSorted } from './terminal.js'

// CommonJS modules that set `exports.default`: NodeNext types the namespace, the class is `.default`
const Ajv = AjvModule.default
const AjvDraft04 = AjvDraft04Module.default
const addFormats = addFormatsModule.default
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SECRET = 'sk_live_51HxQbRKd9f3Ty6PqW2mZ8nVcLa0'
let result: ScanResult

beforeAll(async () => {
  result = await scan([path.join(root, 'examples/clinic-intake')], { now: new Date('2026-11-23T00:00:00Z') })
})

describe('JSON report', () => {
  it('validates against schemas/report-v1.schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: false })
    addFormats(ajv)
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(root, 'schemas/report-v1.schema.json'), 'utf8')))
    const report = buildJsonReport(result)
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true)
    expect(report.summary.resources).toBe(result.inventory.resources.length)
    expect(report.findings.length).toBe(result.findings.length)
    // the schema would catch a report that dropped a required field
    const broken = JSON.parse(JSON.stringify(report))
    delete broken.findings[0].location
    expect(validate(broken)).toBe(false)
    // each finding carries its check's controls and references (the contract); title and
    // remediation are in checks[], once per check
    const checks = new Map(report.checks.map((c) => [c.id, c]))
    for (const f of report.findings) {
      const check = checks.get(f.checkId)!
      expect(check).toBeDefined()
      expect(f.controls).toEqual(check.controls)
      expect(f.references).toEqual(check.references)
      expect(Object.keys(f)).not.toContain('remediation')
    }
    const missing = JSON.parse(JSON.stringify(report))
    delete missing.findings[0].controls
    expect(validate(missing)).toBe(false)
  })
})

describe('SARIF report', () => {
  it('validates against the SARIF 2.1.0 schema and carries what GitHub code scanning needs', () => {
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false })
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(root, 'schemas/sarif-2.1.0.json'), 'utf8')))
    const sarif = JSON.parse(renderSarif(result, root))
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true)
    const run = sarif.runs[0]
    expect(run.tool.driver.rules.length).toBe(result.checks.length)
    for (const rule of run.tool.driver.rules) expect(Number(rule.properties['security-severity'])).toBeGreaterThanOrEqual(0)
    const failing = result.findings.filter((f) => f.status === 'fail')
    expect(run.results.filter((r: { kind: string }) => r.kind === 'fail').length).toBe(failing.length)
    for (const r of run.results) {
      expect(r.partialFingerprints['phiwallFindingHash/v1']).toMatch(/^[0-9a-f]{64}$/)
      expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%')
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^examples\/clinic-intake\//)
    }
    const suppressed = run.results.filter((r: { suppressions?: unknown[] }) => r.suppressions)
    expect(suppressed.length).toBe(failing.filter((f) => f.suppressed).length)
    // fingerprints are stable across runs
    expect(JSON.parse(renderSarif(result, root)).runs[0].results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints)).toEqual(run.results.map((r: { partialFingerprints: unknown }) => r.partialFingerprints))
  })
})

describe('CSV report', () => {
  it('quotes fields and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`)
    expect(csvField('+1')).toBe("'+1")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    const csv = renderCsv(result)
    const rows = csv.trim().split('\r\n')
    expect(rows.length).toBe(result.findings.length + 1)
    expect(rows[0]).toMatch(/^status,severity,check_id/)
  })
})

describe('every report format', () => {
  it.each(REPORT_FORMATS)('%s never contains a secret value found in the inputs', (format) => {
    const { text } = renderReport(result, format)
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(SECRET.slice(8, 24))
  })

  it('the example app has the secret flagged, masked', () => {
    const f = result.findings.find((x) => x.checkId === 'aws/lambda-env-plaintext-secrets' && x.status === 'fail')!
    expect(f.evidence['masked']).toMatch(/^\*\*\*\*\(\d+ chars, fp [0-9a-f]{8}\)$/)
  })
})

describe('terminal summary', () => {
  it("lists each top failing finding with its peers' names (also known as)", () => {
    const lines = renderTerminal(result).split('\n')
    const top = lines.findIndex((l) => l.startsWith('Top failing findings'))
    expect(top).toBeGreaterThan(0)
    const checks = new Map(result.checks.map((c) => [c.id, c]))
    let named = 0
    for (let i = top + 1; i < lines.length && lines[i]!.startsWith('  '); i++) {
      const head = /^ {2}\S+\s+\S+ {2}(\S+)$/.exec(lines[i]!)
      if (!head) continue
      const refs: PeerReferences = checks.get(head[1]!)!.references
      const peers = [...refs.awsConfig, ...refs.cdkNag, ...refs.prowler, ...(refs.pss ?? []), ...(refs.cis ?? [])]
      const aka = lines[i + 2]!.trim().startsWith('also known as ') ? lines[i + 2]! : ''
      if (peers.length === 0) expect(aka, head[1]).toBe('')
      else {
        named++
        for (const x of peers) expect(aka, head[1]).toContain(x)
      }
    }
    expect(named).toBeGreaterThan(0)
  })
})

describe('streamed JSON', () => {
  it('joins to exactly the materialized report', async () => {
    const { jsonReportChunks } = await import('./index.js')
    const chunks = [...jsonReportChunks(result)]
    expect(chunks.join('')).toBe(JSON.stringify(buildJsonReport(result)) + '\n')
  })

  it('joins to exactly the materialized report at every batch boundary', async () => {
    const { jsonReportChunks } = await import('./index.js')
    const many = <T,>(xs: readonly T[], n: number): T[] => Array.from({ length: n }, (_, i) => xs[i % xs.length]!)
    for (const n of [0, 1, 999, 1000, 1001, 2500]) {
      const big = { ...result, inventory: { resources: many(result.inventory.resources, n), edges: many(result.inventory.edges, Math.max(0, n - 1)) }, findings: many(result.findings, n) }
      expect([...jsonReportChunks(big)].join(''), String(n)).toBe(JSON.stringify(buildJsonReport(big)) + '\n')
    }
  })
})

describe('streamed JSON findings', () => {
  it('equal JSON.stringify for any findings, whatever their text holds (property-based)', async () => {
    const { jsonReportChunks } = await import('./index.js')
    const base = result.findings
    // strings that look like the placeholder the writer uses, or like its JSON
    const tricky = fc.oneof(fc.string(), fc.constantFrom('"controls":"', '\u0000', 'controls', '"controls":"0"', '},{"checkId":"x","controls":"1"'))
    const strings = fc.array(tricky, { minLength: 0, maxLength: 3 })
    const finding = fc.record({
      at: fc.nat({ max: base.length - 1 }),
      message: tricky,
      evidenceKey: fc.constantFrom('controls', 'references', 'note'),
      evidenceValue: tricky,
      // a fresh controls / references object, not the check's shared one
      fresh: fc.option(fc.record({ csf: strings, hipaa: strings, ferpa: strings, awsConfig: strings, cdkNag: strings, prowler: strings }), { nil: undefined }),
      suppressed: fc.option(fc.record({ reason: tricky, source: fc.string() }), { nil: undefined }),
    })
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 40 }), (specs) => {
        const findings = specs.map((s) => {
          const f = { ...base[s.at]!, message: s.message, evidence: { [s.evidenceKey]: s.evidenceValue } } as (typeof base)[number]
          if (s.fresh) {
            f.controls = { csf: s.fresh.csf, hipaa: s.fresh.hipaa, ferpa: s.fresh.ferpa }
            f.references = { awsConfig: s.fresh.awsConfig, cdkNag: s.fresh.cdkNag, prowler: s.fresh.prowler }
          }
          if (s.suppressed) f.suppressed = s.suppressed
          else delete f.suppressed
          return f
        })
        const r = { ...result, findings }
        expect([...jsonReportChunks(r)].join('')).toBe(JSON.stringify(buildJsonReport(r)) + '\n')
      }),
      { numRuns: 300 },
    )
  })
})

describe('firstSorted', () => {
  it('gives the first n items of a stable sort (property-based)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ k: fc.integer({ min: 0, max: 5 }), id: fc.nat() }), { maxLength: 200 }), fc.integer({ min: 0, max: 30 }), (items, n) => {
        const byK = (a: { k: number }, b: { k: number }): number => a.k - b.k
        expect(firstSorted(items, n, byK)).toEqual([...items].sort(byK).slice(0, n))
      }),
      { numRuns: 500 },
    )
  })
})
