import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { osvRecordSchema } from '../osv.js'
import type { OsvRecord } from '../osv.js'
import { advisorySeverity, cvssSeverity, ratingSeverity, scoreVector } from './index.js'

const testdata = (name: string): string => readFileSync(fileURLToPath(new URL(`testdata/${name}`, import.meta.url)), 'utf8')
const records = new Map(
  (JSON.parse(testdata('records.json')) as unknown[]).map((r) => {
    const rec = osvRecordSchema.parse(r)
    return [rec.id, rec] as const
  }),
)
const record = (id: string): OsvRecord => {
  const r = records.get(id)
  if (!r) throw new Error(`no fixture ${id}`)
  return r
}

describe('scoreVector', () => {
  // Each expected score recomputed by hand from the specification's formulas (see the test names).
  it('CVSS 3.1 Heartbleed (spec §7 example CVE-2014-0160): 7.5 high', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N')).toEqual({
      version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', baseScore: 7.5, overallScore: 7.5, severity: 'high',
    })
  })
  it('CVSS 3.1 all high, scope unchanged: 9.8 critical; scope changed: 10.0', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')?.baseScore).toBe(9.8)
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')?.baseScore).toBe(10)
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H')?.severity).toBe('critical')
  })
  it('CVSS 3.0 vector of NSWG-ECO-26 (npm): 6.5 medium', () => {
    const vector = record('NSWG-ECO-26').severity?.[0]?.score ?? ''
    expect(vector).toBe('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N')
    expect(scoreVector(vector)).toMatchObject({ version: '3.0', baseScore: 6.5, severity: 'medium' })
  })
  it('CVSS 3.1 with no impact scores 0, rated none', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toMatchObject({ baseScore: 0, severity: 'none' })
  })
  it('temporal metrics change the overall score, not the base score', () => {
    expect(scoreVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C')).toMatchObject({ baseScore: 9.8, overallScore: 8.5, severity: 'critical' })
  })
  it('CVSS 4.0 specification example: 9.3 critical', () => {
    expect(scoreVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toEqual({
      version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', baseScore: 9.3, overallScore: 9.3, severity: 'critical',
    })
  })
  it('CVSS 4.0 vectors agree with independently published calculator results (FIRST examples)', () => {
    const expected: Array<[string, number, number]> = [
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 10],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', 6.9, 6.9],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H', 7.9, 7.9],
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U', 10, 9.1],
      ['CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.3, 7.3],
      ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.7, 7.7],
      ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 7.7, 5.2],
      ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N', 8.3, 8.3],
      ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.6, 4.6],
    ]
    expect(expected.map(([v]) => { const s = scoreVector(v); return [v, s?.baseScore, s?.overallScore] })).toEqual(expected)
  })
  it('CVSS 4.0 with a threat metric (RUSTSEC-2026-0066): base is CVSS-B, overall is CVSS-BT', () => {
    const s = scoreVector('CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N/E:U')
    expect(s?.baseScore).toBe(scoreVector('CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N')?.baseScore)
    expect(s?.overallScore).toBeLessThan(s?.baseScore ?? 0)
  })
  it('CVSS v2 without prefix, with parentheses, with CVSS:2.0/: 7.5 high (NVD rating)', () => {
    for (const v of ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '(AV:N/AC:L/Au:N/C:P/I:P/A:P)', 'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P']) {
      expect(scoreVector(v)).toEqual({ version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5, overallScore: 7.5, severity: 'high' })
    }
  })
  it('rejects incomplete, duplicated, unknown and garbled vectors', () => {
    for (const bad of [
      '', 'garbage', 'CVSS:3.1/', 'CVSS:3.1/AV:N', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q',
      'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', 'AV:N/AC:L/Au:N/C:P/I:P', 'constructor:x',
    ]) expect(scoreVector(bad), bad).toBeUndefined()
  })
  it('scores every distinct vector of the real OSV data but the one malformed (I:U) npm vector', () => {
    const lines = testdata('osv-vectors.tsv').split('\n').filter((l) => l && !l.startsWith('#'))
    expect(lines.length).toBe(272)
    const rejected = lines.filter((l) => scoreVector(l.split('\t')[2] ?? '') === undefined)
    expect(rejected).toEqual(['npm\tNSWG-ECO-504\tCVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U'])
    for (const line of lines.filter((l) => !rejected.includes(l))) {
      const vector = line.split('\t')[2] ?? ''
      const s = scoreVector(vector)
      expect(s, line).toBeDefined()
      expect(s?.baseScore).toBeGreaterThanOrEqual(0)
      expect(s?.baseScore).toBeLessThanOrEqual(10)
      expect(s?.severity).toBe(cvssSeverity(s?.baseScore ?? -1, s?.version ?? '3.1'))
    }
  })
  it('never throws on random input', () => {
    fc.assert(fc.property(fc.string(), (s) => { scoreVector(s) }), { numRuns: 500 })
    const metric = fc.constantFrom('AV:N', 'AC:L', 'PR:N', 'UI:N', 'S:U', 'C:H', 'I:L', 'A:N', 'AT:N', 'VC:H', 'E:U', 'Au:N', 'X:Y')
    fc.assert(
      fc.property(fc.constantFrom('CVSS:3.1/', 'CVSS:3.0/', 'CVSS:4.0/', ''), fc.array(metric, { maxLength: 14 }), (prefix, parts) => {
        const s = scoreVector(prefix + parts.join('/'))
        if (s) expect(s.baseScore).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 500 },
    )
  })
})

describe('cvssSeverity', () => {
  it('follows the v3/v4 table at its boundaries and NVD for v2', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((s) => cvssSeverity(s, '3.1'))).toEqual(['none', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical'])
    expect([0, 3.9, 4, 6.9, 7, 10].map((s) => cvssSeverity(s, '2.0'))).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high'])
  })
})

describe('advisorySeverity', () => {
  const base: OsvRecord = { id: 'GHSA-test-0000-0000', modified: '2024-01-01T00:00:00Z' }

  it('scores a real record from its vector (RUSTSEC-2023-0090: 9.9 critical)', () => {
    // CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H: roundup(1.08 × (6.0477 + 3.1008)) = 9.9
    expect(advisorySeverity(record('RUSTSEC-2023-0090'))).toEqual({
      score: 9.9, vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', version: '3.1', severity: 'critical', source: 'cvss',
      all: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', baseScore: 9.9, overallScore: 9.9, severity: 'critical' }],
    })
  })
  it('a zero-impact CVSS 4.0 record (RUSTSEC-2026-0024) rates low, not none', () => {
    expect(advisorySeverity(record('RUSTSEC-2026-0024'))).toMatchObject({ score: 0, version: '4.0', severity: 'low', source: 'cvss' })
  })
  it('prefers v3.1 over v4.0 and v2, and lists every score primary first', () => {
    const r: OsvRecord = {
      ...base,
      severity: [
        { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
        { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
      ],
    }
    const s = advisorySeverity(r)
    expect(s).toMatchObject({ score: 7.5, version: '3.1', severity: 'high', source: 'cvss' })
    expect(s.all.map((a) => a.version)).toEqual(['3.1', '4.0', '2.0'])
  })
  it('uses v4.0 when there is no v3, and v2 last', () => {
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }, { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }] }))
      .toMatchObject({ score: 9.3, version: '4.0' })
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }] })).toMatchObject({ score: 7.5, version: '2.0', severity: 'high' })
  })
  it("prefers the affected entry's vector of the same version, skips invalid vectors", () => {
    const r: OsvRecord = { ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }
    const affected = { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }, { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }] }
    const s = advisorySeverity(r, affected)
    expect(s).toMatchObject({ score: 7.5, severity: 'high' })
    expect(s.all.map((a) => a.baseScore)).toEqual([7.5, 9.8])
  })
  it('falls back to the GHSA rating word', () => {
    expect(advisorySeverity({ ...base, database_specific: { severity: 'MODERATE', cwe_ids: ['CWE-79'] } })).toEqual({ severity: 'medium', source: 'advisory', all: [] })
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V3', score: 'not a vector' }], database_specific: { severity: 'CRITICAL' } })).toMatchObject({ severity: 'critical', source: 'advisory' })
  })
  it('falls back to Ubuntu priorities and Debian urgency', () => {
    expect(advisorySeverity({ ...base, id: 'UBUNTU-CVE-2024-1', severity: [{ type: 'Ubuntu', score: 'negligible' }] })).toMatchObject({ severity: 'low', source: 'advisory' })
    expect(advisorySeverity({ ...base, id: 'UBUNTU-CVE-2024-2', severity: [{ type: 'Ubuntu', score: 'high' }] })).toMatchObject({ severity: 'high', source: 'advisory' })
    expect(advisorySeverity({ ...base, id: 'DEBIAN-CVE-2024-3' }, { ecosystem_specific: { urgency: 'unimportant' } })).toMatchObject({ severity: 'low', source: 'advisory' })
    expect(advisorySeverity({ ...base, id: 'DEBIAN-CVE-2024-4' }, { ecosystem_specific: { urgency: 'not yet assigned' } })).toEqual({ severity: 'unknown', source: 'none', all: [] })
  })
  it('nothing to go on: unknown (real Go-style record without severity)', () => {
    expect(advisorySeverity(record('NSWG-ECO-26'), {})).toMatchObject({ source: 'cvss' })
    expect(advisorySeverity({ ...base, id: 'GO-2024-0001', database_specific: { url: 'https://pkg.go.dev/vuln/GO-2024-0001', review_status: 'REVIEWED' } }))
      .toEqual({ severity: 'unknown', source: 'none', all: [] })
  })
  it('reads KEV and EPSS flags where present', () => {
    expect(advisorySeverity({ ...base, database_specific: { severity: 'HIGH', cisa_kev: true, epss: 0.97412 } })).toEqual({ severity: 'high', source: 'advisory', all: [], kev: true, epss: 0.97412 })
    expect(advisorySeverity({ ...base, database_specific: { kev: { dateAdded: '2021-12-10' }, epss: { score: '0.5' } } })).toMatchObject({ kev: true, epss: 0.5 })
    expect(advisorySeverity({ ...base, database_specific: { epss: 42 } })).not.toHaveProperty('epss')
  })
  it('maps rating words', () => {
    expect(['CRITICAL', 'High', 'important', 'MODERATE', 'medium', 'LOW', 'negligible', 'low**', 'untriaged', 'whatever'].map(ratingSeverity))
      .toEqual(['critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'low', 'unknown', undefined])
  })
})
