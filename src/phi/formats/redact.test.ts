import { describe, expect, it } from 'vitest'
import { redact, pseudonym, normaliseValue } from './index.js'
import { fakeDetect } from './testdata/fake-detector.js'

const KEY = 'test-key-0001'

describe('redact', () => {
  it('replaces identifiers with consistent keyed pseudonyms', () => {
    const text = 'ssn=555-12-3456 mail=jo@example.org\nagain ssn 555-12-3456 from 10.0.0.7\n'
    const r = redact(text, { detect: fakeDetect, key: KEY })
    const p = pseudonym('SSN', '555-12-3456', KEY)
    expect(p).toMatch(/^\[SSN-[0-9a-f]{6}\]$/)
    expect(r.text).toBe(`ssn=${p} mail=${pseudonym('EMAIL', 'jo@example.org', KEY)}\nagain ssn ${p} from ${pseudonym('IP', '10.0.0.7', KEY)}\n`)
    expect(r.replaced).toBe(4)
    expect(r.byType).toEqual({ SSN: 2, EMAIL: 1, IP: 1 })
  })
  it('gives the same pseudonym across calls with the same key, another with another key', () => {
    const a = redact('ssn 555-12-3456', { detect: fakeDetect, key: KEY }).text
    const b = redact('other file: 555-12-3456', { detect: fakeDetect, key: Buffer.from(KEY) }).text
    expect(a.slice(4)).toBe(b.slice(12))
    expect(redact('ssn 555-12-3456', { detect: fakeDetect, key: 'other' }).text).not.toBe(a)
  })
  it('normalises values: punctuation of identifiers, case and spaces of names', () => {
    expect(normaliseValue('SSN', '555-12-3456')).toBe(normaliseValue('SSN', '555 12 3456'))
    expect(pseudonym('NAME', 'Eleanor  HARTWELL', KEY)).toBe(pseudonym('NAME', 'eleanor hartwell', KEY))
  })
  it("formats by type, and keeps JSON and HL7 structure", () => {
    const json = '{"patient_name":"Eleanor \\"Ellie\\" Hartwell","ssn":"555-12-3456","n":1}'
    const r = redact(json, { detect: fakeDetect, key: KEY, format: 'type' })
    expect(r.text).toBe('{"patient_name":"[NAME]","ssn":"[SSN]","n":1}')
    expect(JSON.parse(r.text)).toEqual({ patient_name: '[NAME]', ssn: '[SSN]', n: 1 })
    const hl7 = 'MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1||X1^^^H^MR||DOE^JOHN||19700101|||||||||||555-12-3456\r'
    const h = redact(hl7, { detect: fakeDetect, key: KEY, format: 'type' })
    expect(h.text).toBe('MSH|^~\\&|A|B|C|D|[DATE]||ADT^A01|1|P|2.5\rPID|1||[MRN]^^^H^MR||[NAME]^[NAME]||[DATE]|||||||||||[SSN]\r')
  })
  it('leaves text without identifiers alone', () => {
    expect(redact('nothing here', { detect: fakeDetect, key: KEY })).toEqual({ text: 'nothing here', replaced: 0, byType: {} })
  })
})

describe('redact: overlapping hits', () => {
  it('replaces the union of overlapping hits, so no tail of the later one is left in clear', async () => {
    const { detectAll } = await import('../detect-all.js')
    const r = redact('Phone: 617-555-0100 03/14/1961\n', { detect: detectAll, key: 'k'.repeat(32), format: 'type', name: 'note.txt' })
    expect(r.text).toBe('Phone: [PHONE]\n')
    expect(r.text).not.toMatch(/\d/)
    // a detector giving two overlapping spans of its own
    const two = redact('abc 123456 xyz', { detect: () => [{ type: 'MRN', start: 4, end: 8, confidence: 0.9, detector: 't' }, { type: 'ACCOUNT', start: 6, end: 10, confidence: 0.9, detector: 't' }], key: 'k'.repeat(32), format: 'type', name: 'a.txt' })
    expect(two.text).toBe('abc [MRN] xyz')
    expect(two.replaced).toBe(1)
  })
})
