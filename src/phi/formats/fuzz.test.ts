import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCsv, readJson, readHl7, readSql, readText, readDicom, scanPhiText, redact, detectHealthInfo, JsonScanError } from './index.js'
import { rawSpan } from './positions.js'
import { dicomFile } from './testdata/dicom-builder.js'
import { fakeDetect } from './testdata/fake-detector.js'
import type { TextUnit } from './types.js'

const inBounds = (text: { length: number }, units: TextUnit[]): void => {
  for (const u of units) {
    const s = rawSpan(u, 0, u.value.length)
    expect(s.start).toBeGreaterThanOrEqual(0)
    expect(s.end).toBeLessThanOrEqual(text.length)
    expect(s.end).toBeGreaterThanOrEqual(s.start)
    if (!u.map) expect(u.offset + u.value.length).toBeLessThanOrEqual(text.length)
  }
}
const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r', 'é', '1', '-', '\t') , maxLength: 12 })
const quote = (c: string): string => (/[",\n\r]/.test(c) || c !== c.trim() ? `"${c.replace(/"/g, '""')}"` : c)

describe('fuzz: readers never throw and stay in bounds', () => {
  it('readCsv round-trips quoted cells', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const text = ['h1,h2', ...rows.map((r) => r.map(quote).join(','))].join('\r\n') + '\r\n'
        const r = readCsv(text, ',')
        inBounds(text, r.units)
        const expected = rows.flatMap((row, ri) => row.map((c, ci) => ({ c, ri, ci }))).filter((x) => x.c.trim() !== '')
        expect(r.units.filter((u) => !u.name).map((u) => [u.value, u.record, u.field])).toEqual(expected.map((x) => [x.c, x.ri, x.ci === 0 ? 'h1' : 'h2']))
        expect(r.units.filter((u) => u.name).map((u) => u.value)).toEqual(['h1', 'h2'])
      }),
      { numRuns: 300 },
    )
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => inBounds(s, readCsv(s).units)), { numRuns: 300 })
  })
  it('readJson finds every string with its exact raw text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined)
        const r = readJson(text)
        inBounds(text, r.units)
        for (const u of r.units) {
          const s = rawSpan(u, 0, u.value.length)
          const raw = text.slice(s.start, s.end)
          if (text[s.start - 1] === '"') expect(JSON.parse(`"${raw}"`)).toBe(u.value)
          else expect(raw).toBe(u.value)
        }
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        try {
          inBounds(s, readJson(s).units)
        } catch (e) {
          expect(e).toBeInstanceOf(JsonScanError)
        }
      }),
      { numRuns: 300 },
    )
  })
  it('readHl7 decodes escaped components back to their values', () => {
    const comp = fc.string({ unit: fc.constantFrom('A', 'b', '|', '^', '~', '&', '\\', ' ', '1'), minLength: 1, maxLength: 8 })
    const esc = (c: string): string => c.replace(/[\\|^~&]/g, (ch) => ({ '\\': '\\E\\', '|': '\\F\\', '^': '\\S\\', '~': '\\R\\', '&': '\\T\\' })[ch]!)
    fc.assert(
      fc.property(comp, comp, (family, given) => {
        const text = `MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1||X||${esc(family)}^${esc(given)}\r`
        const r = readHl7(text)
        inBounds(text, r.units)
        const names = r.units.filter((u) => u.field === 'PID-5').map((u) => u.value)
        expect(names).toEqual([family, given].filter((x) => x.trim() !== ''))
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const t = `MSH|^~\\&|${s}`
        inBounds(t, readHl7(t).units)
      }),
      { numRuns: 300 },
    )
  })
  it('readSql round-trips quoted strings', () => {
    const str = fc.string({ unit: fc.constantFrom('a', "'", ' ', ',', '(', ')', 'é', '1', ';'), minLength: 1, maxLength: 10 })
    fc.assert(
      fc.property(fc.array(str, { minLength: 1, maxLength: 4 }), (vals) => {
        const text = `INSERT INTO t (c) VALUES ${vals.map((v) => `('${v.replace(/'/g, "''")}')`).join(', ')};\n`
        const r = readSql(text)
        inBounds(text, r.units)
        expect(r.units.map((u) => u.value)).toEqual(vals.filter((v) => v.trim() !== ''))
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const t = `INSERT INTO t VALUES ${s}\nCOPY t (a) FROM stdin;\n${s}`
        inBounds(t, readSql(t).units)
      }),
      { numRuns: 300 },
    )
  })
  it('readText and detectHealthInfo take any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.boolean(), (s, log) => {
        const text = log ? `2024-01-01T00:00:00Z INFO ${s}\n2024-01-01T00:00:01Z INFO ${s}` : s
        inBounds(text, readText(text).units)
        for (const c of detectHealthInfo(text)) expect(c.end).toBeLessThanOrEqual(text.length)
      }),
      { numRuns: 300 },
    )
  })
  it('readDicom survives truncation and random bytes', () => {
    const buf = dicomFile([
      { group: 0x0010, element: 0x0010, vr: 'PN', value: 'DOE^JANE' },
      { group: 0x0008, element: 0x1115, vr: 'SQ', items: [[{ group: 0x0010, element: 0x0020, vr: 'LO', value: 'X1' }]] },
      { group: 0x0010, element: 0x0030, vr: 'DA', value: '19700101' },
    ])
    fc.assert(
      fc.property(fc.nat({ max: buf.length }), fc.uint8Array({ maxLength: 64 }), fc.boolean(), (cut, noise, implicit) => {
        const b = Buffer.concat([buf.subarray(0, cut), Buffer.from(noise)])
        if (implicit && b.length > 200) b.write('1.2.840.10008.1.2\0\0', 200, 'latin1')
        const r = readDicom(b)
        inBounds(b, r.units)
      }),
      { numRuns: 500 },
    )
  })
})

describe('fuzz: scan and redact', () => {
  it('scanPhiText never throws and reports 1-based positions', () => {
    fc.assert(
      fc.property(fc.constantFrom('a.csv', 'a.json', 'a.hl7', 'a.sql', 'a.log', 'a.txt', 'a.ndjson'), fc.string({ maxLength: 300 }), (name, s) => {
        const r = scanPhiText(name, s, { detect: fakeDetect })
        for (const f of r.findings) {
          expect(f.line).toBeGreaterThanOrEqual(1)
          expect(f.column).toBeGreaterThanOrEqual(1)
        }
      }),
      { numRuns: 300 },
    )
  })
  it('redact leaves no detected identifier behind', () => {
    const piece = fc.constantFrom('555-12-3456', 'jo@example.org', '10.0.0.1', ' ', ',', '"', 'x', '\n', '{', '}', '=')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const text = parts.join('')
        const r = redact(text, { detect: fakeDetect, key: 'k' })
        expect(fakeDetect(r.text).filter((h) => h.type === 'SSN' || h.type === 'EMAIL')).toEqual([])
      }),
      { numRuns: 300 },
    )
  })
})
