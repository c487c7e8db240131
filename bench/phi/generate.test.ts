import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PHI_TYPES } from '../../src/phi/types.js'
import { buildCorpus, lineCol, lineStarts, MIN_INFRA_RECORDS, writeCorpus, type Corpus } from './generate.mjs'
import { findingSpan, flaggedRecords, mapPresidio, matchSpans, prf, sumCounts, loadPresidio, type SpanLike } from './evaluate.mjs'

// Validators written independently of bench/phi/values.mjs.
const luhnOk = (s: string) => [...s].reverse().reduce((sum, ch, i) => { let d = Number(ch); if (i % 2) { d *= 2; if (d > 9) d -= 9 } return sum + d }, 0) % 10 === 0
const ssnOk = (s: string) => {
  const m = /^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$/.exec(s)
  if (!m) return false
  const [a, g, n] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return a >= 1 && a <= 899 && a !== 666 && g >= 1 && n >= 1
}
const deaOk = (s: string) => {
  if (!/^[A-Z][A-Z9]\d{7}$/.test(s)) return false
  const d = [...s.slice(2)].map(Number)
  return (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10 === d[6]
}
const vinOk = (v: string) => {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(v)) return false
  const t = 'A1B2C3D4E5F6G7H8J1K2L3M4N5P7R9S2T3U4V5W6X7Y8Z9'
  const val = (c: string) => (/\d/.test(c) ? Number(c) : Number(t[t.indexOf(c) + 1]))
  const w = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
  const sum = [...v].reduce((s, c, i) => s + val(c) * w[i]!, 0)
  return v[8] === (sum % 11 === 10 ? 'X' : String(sum % 11))
}
const MBI = /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}$/
const sha = (c: Corpus) => createHash('sha256').update(JSON.stringify([c.files.map((f) => [f.file, f.text, f.containsPhi]), c.labels, c.records, c.allowed])).digest('hex')

describe('PHI corpus generator', () => {
  const corpus = buildCorpus({ mb: 1 })
  const byFile = new Map(corpus.files.map((f) => [f.file, f]))
  const spanText = (l: { file: string; start: number; end: number }) => byFile.get(l.file)!.text.slice(l.start, l.end)
  const linesCache = new Map<string, string[]>()
  const linesOf = (f: { file: string; text: string }) => { let l = linesCache.get(f.file); if (!l) linesCache.set(f.file, (l = f.text.split('\n'))); return l }
  const of = (type: string) => corpus.labels.filter((l) => l.type === type).map(spanText)

  it('is deterministic: same seed → same bytes and labels; another seed → different', () => {
    expect(sha(buildCorpus({ mb: 1 }))).toBe(sha(corpus))
    expect(sha(buildCorpus({ mb: 1, seed: 42 }))).not.toBe(sha(corpus))
  })

  it('labels every PHI type but PHOTO-only rarities, with in-bounds, non-empty, non-overlapping spans and right line/column', () => {
    const types = new Set(corpus.labels.map((l) => l.type))
    for (const t of PHI_TYPES) if (t !== 'PHOTO') expect(types, t).toContain(t)
    const seen = new Map<string, { start: number; end: number }[]>()
    for (const l of corpus.labels) {
      const f = byFile.get(l.file)!
      expect(PHI_TYPES).toContain(l.type)
      expect(l.start).toBeGreaterThanOrEqual(0)
      expect(l.end).toBeLessThanOrEqual(f.text.length)
      expect(spanText(l).trim().length, JSON.stringify(l)).toBeGreaterThan(0)
      expect(spanText(l)).toBe(spanText(l).trim())
      const lines = linesOf(f)
      expect(lines[l.line - 1]!.slice(l.column - 1, l.column - 1 + (l.end - l.start))).toBe(spanText(l))
      if (!seen.has(l.file)) seen.set(l.file, [])
      seen.get(l.file)!.push(l)
    }
    for (const spans of seen.values()) {
      spans.sort((a, b) => a.start - b.start)
      for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end)
    }
  })

  it('has validators that accept known-good values and reject altered ones', () => {
    expect(luhnOk('80840' + '1234567893')).toBe(true) // the CMS example NPI
    expect(luhnOk('80840' + '1234567894')).toBe(false)
    expect(deaOk('AB1234563')).toBe(true)
    expect(deaOk('AB1234564')).toBe(false)
    expect(vinOk('1M8GDM9AXKP042788')).toBe(true)
    expect(vinOk('1M8GDM9A1KP042788')).toBe(false)
    expect('1EG4TE5MK73').toMatch(MBI) // the CMS example MBI
    expect('1EG4TS5MK73').not.toMatch(MBI) // S is never used
    expect(ssnOk('123-45-6789')).toBe(true)
    for (const bad of ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000']) expect(ssnOk(bad), bad).toBe(false)
  })

  it('generates identifiers that are valid by their own rules', () => {
    const ssns = of('SSN')
    expect(ssns.length).toBeGreaterThan(100)
    for (const s of ssns) expect(ssnOk(s), s).toBe(true)
    const lic = of('LICENSE')
    const npis = lic.filter((s) => /^\d{10}$/.test(s)), deas = lic.filter((s) => /^[A-Z]{2}\d{7}$/.test(s))
    expect(npis.length).toBeGreaterThan(50)
    expect(deas.length).toBeGreaterThan(10)
    for (const s of npis) expect(luhnOk('80840' + s), s).toBe(true)
    for (const s of deas) expect(deaOk(s), s).toBe(true)
    const vins = of('VEHICLE').filter((s) => s.length === 17)
    expect(vins.length).toBeGreaterThan(10)
    for (const s of vins) expect(vinOk(s), s).toBe(true)
    const mbis = of('HEALTH_PLAN').filter((s) => /^\d/.test(s))
    expect(mbis.length).toBeGreaterThan(50)
    for (const s of mbis) expect(s.replace(/-/g, ''), s).toMatch(MBI)
    for (const s of of('EMAIL')) expect(s).toMatch(/^[^@\s]+@[a-z0-9.-]+\.[a-z]+$/)
    for (const s of of('AGE_OVER_89')) expect(Number(s)).toBeGreaterThan(89)
    for (const s of of('DATE')) expect(s, 'a date is more than a year').not.toMatch(/^\d{4}$/)
    for (const s of of('URL')) expect(s).toMatch(/^https?:\/\//)
    for (const s of of('IP')) expect(s).toMatch(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)$/)
    for (const s of of('PHONE').concat(of('FAX'))) expect(s.replace(/\D/g, '').length).toBeGreaterThanOrEqual(10)
  })

  it('has ≥ 2,000 PHI-free infrastructure records without labels, whose allowed spans are IPs, URLs and timestamps', () => {
    expect(corpus.records.length).toBeGreaterThanOrEqual(MIN_INFRA_RECORDS)
    for (const r of corpus.records) {
      const f = byFile.get(r.file)!
      expect(f.containsPhi).toBe(false)
      expect(r.end).toBeGreaterThan(r.start)
      expect(r.end).toBeLessThanOrEqual(f.text.length)
      for (const a of r.allowed) {
        expect(a.start >= r.start && a.end <= r.end).toBe(true)
        expect(['IP', 'URL', 'DATE']).toContain(a.type)
        if (a.type === 'IP') expect(f.text.slice(a.start, a.end)).toMatch(/^[\d.]+(\/\d+)?$/)
      }
    }
    const labelled = new Set(corpus.labels.map((l) => l.file))
    for (const f of corpus.files) if (f.kind.startsWith('infra-') || f.kind === 'note-redacted' || f.kind === 'csv-codes') expect(labelled.has(f.file), f.file).toBe(false)
    expect(corpus.files.some((f) => f.kind === 'note-redacted')).toBe(true)
    // and a file-level ground truth for both classes
    expect(corpus.files.filter((f) => f.containsPhi).length).toBeGreaterThan(50)
    expect(corpus.files.filter((f) => !f.containsPhi).length).toBeGreaterThan(30)
  })

  it('writes the corpus and JSONL files that read back to the same labels', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phi-corpus-'))
    try {
      const small = buildCorpus({ mb: 0.2, seed: 7 })
      const m = writeCorpus(small, dir)
      expect(m.files).toBe(small.files.length)
      const labels = fs.readFileSync(path.join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
      expect(labels).toEqual(small.labels)
      const files = fs.readFileSync(path.join(dir, 'files.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
      expect(files.map((f) => f.containsPhi)).toEqual(small.files.map((f) => f.containsPhi))
      for (const l of labels.slice(0, 500)) {
        const text = fs.readFileSync(path.join(dir, l.file), 'utf8')
        expect(text.slice(l.start, l.end)).toBe(small.files.find((f) => f.file === l.file)!.text.slice(l.start, l.end))
      }
      expect(fs.readFileSync(path.join(dir, 'records.jsonl'), 'utf8').trim().split('\n').length).toBe(small.records.length)
    } finally { fs.rmSync(dir, { recursive: true, force: true }) }
  })

  it('counts line and column in UTF-16 code units', () => {
    const text = 'a🙏b\nxy🙂z'
    const starts = lineStarts(text)
    expect(lineCol(starts, text.indexOf('b'))).toEqual({ line: 1, column: 4 })
    expect(lineCol(starts, text.indexOf('z'))).toEqual({ line: 2, column: 5 })
    expect(findingSpan(starts, { type: 'NAME', line: 2, column: 5, length: 1 })).toEqual({ type: 'NAME', start: text.indexOf('z'), end: text.indexOf('z') + 1 })
  })
})

describe('evaluation', () => {
  it('computes exact span-level precision, recall and F2 on a hand-made set', () => {
    const gold = [{ type: 'NAME', start: 0, end: 5 }, { type: 'NAME', start: 10, end: 15 }, { type: 'SSN', start: 20, end: 31 }]
    const pred = [
      { type: 'NAME', start: 1, end: 3 }, // TP (overlaps gold NAME 0–5)
      { type: 'NAME', start: 2, end: 4 }, // TP too (same gold span)
      { type: 'PHONE', start: 20, end: 31 }, // FP: right place, wrong type
      { type: 'SSN', start: 40, end: 45 }, // FP
      { type: 'DATE', start: 50, end: 55 }, // overlaps an untyped ignored span → ignored
      { type: 'IP', start: 60, end: 62 }, // overlaps a typed allowed IP span → ignored
      { type: 'DATE', start: 60, end: 62 }, // allowed span is IP only → FP
    ]
    const ignored = [{ start: 48, end: 60 }, { type: 'IP', start: 58, end: 70 }]
    const sink = { missed: [] as SpanLike[], fps: [] as SpanLike[] }
    const c = matchSpans(gold, pred, ignored, sink)
    expect(c.NAME).toEqual({ gold: 2, found: 1, pred: 2, tp: 2, fp: 0, ignored: 0 })
    expect(c.SSN).toEqual({ gold: 1, found: 0, pred: 1, tp: 0, fp: 1, ignored: 0 })
    expect(c.PHONE).toEqual({ gold: 0, found: 0, pred: 1, tp: 0, fp: 1, ignored: 0 })
    expect(c.DATE).toEqual({ gold: 0, found: 0, pred: 1, tp: 0, fp: 1, ignored: 1 })
    expect(c.IP).toEqual({ gold: 0, found: 0, pred: 0, tp: 0, fp: 0, ignored: 1 })
    expect(sink.missed).toHaveLength(2)
    expect(sink.fps).toHaveLength(3)
    const name = prf(c.NAME!)
    expect(name.precision).toBe(1)
    expect(name.recall).toBe(0.5)
    expect(name.f2).toBeCloseTo(2.5 / 4.5, 12)
    expect(prf(c.SSN!)).toEqual({ precision: 0, recall: 0, f2: 0 })
    const all = sumCounts(c)
    expect(all).toEqual({ gold: 3, found: 1, pred: 5, tp: 2, fp: 3, ignored: 2 })
    const m = prf(all)
    expect(m.precision).toBeCloseTo(0.4, 12)
    expect(m.recall).toBeCloseTo(1 / 3, 12)
    expect(m.f2).toBeCloseTo((5 * 0.4 * (1 / 3)) / (4 * 0.4 + 1 / 3), 12)
    // no gold and no prediction: perfect by convention
    expect(prf(sumCounts({}))).toEqual({ precision: 1, recall: 1, f2: 1 })
    // adjacent spans do not overlap
    expect(matchSpans([{ type: 'NAME', start: 0, end: 5 }], [{ type: 'NAME', start: 5, end: 9 }]).NAME).toMatchObject({ found: 0, tp: 0, fp: 1 })
  })

  it('flags records by overlap, except same-type hits on allowed spans (unless strict)', () => {
    const records = [{ start: 0, end: 50, allowed: [{ type: 'IP', start: 10, end: 20 }] }, { start: 51, end: 100, allowed: [] }, { start: 101, end: 150, allowed: [] }]
    expect(flaggedRecords(records, [{ type: 'IP', start: 12, end: 18 }])).toEqual([false, false, false])
    expect(flaggedRecords(records, [{ type: 'IP', start: 12, end: 18 }], { strict: true })).toEqual([true, false, false])
    expect(flaggedRecords(records, [{ type: 'MRN', start: 12, end: 18 }, { type: 'ACCOUNT', start: 120, end: 130 }])).toEqual([true, false, true])
    expect(flaggedRecords(records, [{ type: 'OTHER_ID', start: 45, end: 60 }])).toEqual([true, true, false])
  })

  it('maps presidio-research entities to PhiTypes, ignoring non-identifiers', () => {
    expect(mapPresidio('PERSON', 'Jane Doe')).toEqual({ type: 'NAME' })
    expect(mapPresidio('DATE_TIME', '2014').ignore).toBe('year only')
    expect(mapPresidio('DATE_TIME', 'Thursday').ignore).toBeDefined()
    expect(mapPresidio('DATE_TIME', '10:30')).toHaveProperty('ignore')
    expect(mapPresidio('DATE_TIME', '2/10/1985')).toEqual({ type: 'DATE' })
    expect(mapPresidio('DATE_TIME', '1978-07-13 07:00:28')).toEqual({ type: 'DATE' })
    expect(mapPresidio('AGE', '95')).toEqual({ type: 'AGE_OVER_89' })
    expect(mapPresidio('AGE', '41')).toHaveProperty('ignore')
    expect(mapPresidio('GPE', 'Norway')).toHaveProperty('ignore')
    expect(mapPresidio('GPE', 'Poznań')).toEqual({ type: 'GEO' })
    expect(mapPresidio('ORGANIZATION', 'Persint')).toHaveProperty('ignore')
    expect(mapPresidio('CREDIT_CARD', '4111111111111111')).toEqual({ type: 'ACCOUNT' })
    const { docs } = loadPresidio([{ full_text: '🙏 Ann at 5', spans: [{ entity_type: 'PERSON', entity_value: 'Ann', start_position: 2, end_position: 5 }, { entity_type: 'AGE', entity_value: '5', start_position: 9, end_position: 10 }] }])
    expect(docs[0]!.gold).toEqual([{ type: 'NAME', start: 3, end: 6 }]) // code points → UTF-16
    expect(docs[0]!.ignored).toEqual([{ start: 10, end: 11 }])
  })
})

describe('bench/phi.mjs with the stand-in detector', () => {
  it('runs end to end, prints every section and target, and exits 1 on the missed targets', async () => {
    const { spawnSync } = await import('node:child_process')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phi-bench-'))
    try {
      const root = path.resolve(__dirname, '..', '..')
      const r = spawnSync(process.execPath, ['bench/phi.mjs', '--detector', 'stub', '--mb', '0.3', '--runs', '1', '--out', path.join(dir, 'corpus'), '--results', path.join(dir, 'results.json')], { cwd: root, encoding: 'utf8', timeout: 120_000 })
      expect(r.status, r.stderr).toBe(1) // the stand-in misses most targets
      for (const h of ['## Generated corpus', '## Infrastructure records flagged', '## File-level containsPhi', '## presidio-research', '## Speed', '## Targets']) expect(r.stdout).toContain(h)
      const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'))
      expect(results.verdicts).toHaveLength(10)
      expect(results.verdicts.some((v: { ok: boolean }) => !v.ok)).toBe(true)
      expect(results.records.n).toBeGreaterThanOrEqual(MIN_INFRA_RECORDS)
      expect(results.fileLevel.tp + results.fileLevel.fn).toBeGreaterThan(0)
      expect(fs.existsSync(path.join(dir, 'corpus', 'labels.jsonl'))).toBe(true)
    } finally { fs.rmSync(dir, { recursive: true, force: true }) }
  })
})
