import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskValue } from '../../model/index.js'
import { scanPhiFiles, scanPhiText, scanDicom, detectHealthInfo, isLoinc, containsPhiRule } from './index.js'
import { fakeDetect } from './testdata/fake-detector.js'
import { dicomFile } from './testdata/dicom-builder.js'
import { storedZip } from './testdata/archive-builder.js'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata')
const fixture = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8')
const scan = (name: string) => scanPhiText(name, fixture(name), { detect: fakeDetect })
const RAW_VALUES = ['555-12-3456', 'Hartwell', 'HARTWELL', 'Eleanor', 'eleanor.h@example.org', 'MRN00481516', '10.0.12.7']

describe('containsPhi on the fixtures', () => {
  it.each([
    ['adt_a01.hl7', true, 'hl7'],
    ['fhir_bundle.json', true, 'fhir'],
    ['patients_dx.csv', true, 'csv'],
    ['patients_nodx.csv', false, 'csv'],
    ['staff_directory.csv', false, 'csv'],
    // a hospital's staff: clinical words in department and title name where people work, not what they have
    ['hospital_staff.csv', false, 'csv'],
    ['service.log', false, 'log'],
    ['dump.sql', true, 'sql'],
  ])('%s → containsPhi %s', (name, phi, format) => {
    const r = scan(name)
    expect(r.file).toEqual({ file: name, status: 'scanned', containsPhi: phi, format })
  })
  it('needs identifiers and health information in the same record', () => {
    expect(containsPhiRule(new Set([0, 1]), new Set([2]))).toBe(false)
    expect(containsPhiRule(new Set([0, 2]), new Set([2]))).toBe(true)
    // a log line with an IP and a diagnosis code is not PHI; with an email it is
    expect(scanPhiText('a.log', '2024-03-15T08:30:00Z INFO src=10.0.0.1 dx=E11.9\n', { detect: fakeDetect }).file.containsPhi).toBe(false)
    expect(scanPhiText('a.log', '2024-03-15T08:30:00Z INFO user=jo@example.org dx=E11.9\n', { detect: fakeDetect }).file.containsPhi).toBe(true)
    // log timestamps are not identifiers; a date of birth is
    expect(scanPhiText('a.log', '2024-03-15T08:30:00Z INFO dx=E11.9\n', { detect: fakeDetect }).file.containsPhi).toBe(false)
    expect(scanPhiText('a.log', '2024-03-15T08:30:00Z INFO dob=1958-07-04 dx=E11.9\n', { detect: fakeDetect }).file.containsPhi).toBe(true)
    // a clinical note is one record; a diagnosis alone is not PHI
    expect(scanPhiText('note.txt', 'Patient email jo@example.org\n\nAssessment: diagnosed with asthma.\n', { detect: fakeDetect }).file.containsPhi).toBe(true)
    expect(scanPhiText('note.txt', 'Assessment: diagnosed with asthma.\n', { detect: fakeDetect }).file.containsPhi).toBe(false)
  })
})

describe('findings', () => {
  it('lets the structure settle PHONE vs FAX, and reports a FHIR photo as one PHOTO finding', () => {
    const text = JSON.stringify({
      resourceType: 'Patient',
      telecom: [{ system: 'phone', value: '(312) 555-0142' }, { system: 'fax', value: '(312) 243-1277' }],
      photo: [{ contentType: 'image/jpeg', data: 'MRN12345678 (312) 555-0199 ' + 'A'.repeat(64) }],
    })
    const r = scanPhiText('p.json', text, { detect: fakeDetect })
    expect(r.findings.map((f) => [f.type, f.field])).toEqual([
      ['PHONE', 'Patient.telecom.value'],
      ['FAX', 'Patient.telecom.value'],
      ['PHOTO', 'Patient.photo.data'],
    ])
  })
  it('reports exact 1-based line/column and lengths in a CSV with quoted multi-line cells', () => {
    const r = scan('patients_dx.csv')
    expect(r.findings.map((f) => [f.type, f.line, f.column, f.length, f.field])).toEqual([
      ['NAME', 2, 1, 16, 'patient_name'],
      ['DATE', 2, 18, 10, 'date_of_birth'],
      ['SSN', 2, 29, 11, 'ssn'],
      ['NAME', 3, 2, 13, 'patient_name'],
      ['DATE', 3, 17, 10, 'date_of_birth'],
      ['SSN', 3, 28, 11, 'ssn'],
      ['NAME', 5, 1, 11, 'patient_name'],
      ['DATE', 5, 13, 10, 'date_of_birth'],
    ])
    expect(r.findings[2]!.masked).toBe(maskValue('555-12-3456'))
  })
  it('reports HL7 positions over \\r-separated segments, and structurally implied identifiers', () => {
    const r = scan('adt_a01.hl7')
    const pid19 = r.findings.find((f) => f.field === 'PID-19')!
    expect([pid19.type, pid19.line, pid19.column, pid19.length]).toEqual(['SSN', 3, 189, 11])
    const name = r.findings.filter((f) => f.field === 'PID-5')
    expect(name.map((f) => [f.type, f.line, f.column, f.length])).toEqual([['NAME', 3, 53, 8], ['NAME', 3, 62, 7], ['NAME', 3, 70, 1]])
    const types = new Set(r.findings.map((f) => f.type))
    expect([...types].sort()).toEqual(['ACCOUNT', 'DATE', 'EMAIL', 'GEO', 'HEALTH_PLAN', 'LICENSE', 'MRN', 'NAME', 'PHONE', 'SSN'])
  })
  it('reports FHIR string positions in the original JSON text', () => {
    const text = fixture('fhir_bundle.json')
    const r = scan('fhir_bundle.json')
    const ssn = r.findings.find((f) => f.field === 'Patient.identifier.ssn')!
    const lines = text.split('\n')
    expect(lines[ssn.line - 1]!.slice(ssn.column - 1, ssn.column - 1 + ssn.length)).toBe('555-12-3456')
    expect([ssn.type, ssn.line, ssn.column]).toEqual(['SSN', 11, 67])
  })
  it('never puts a raw value in the result', () => {
    for (const name of ['adt_a01.hl7', 'fhir_bundle.json', 'patients_dx.csv', 'dump.sql']) {
      const json = JSON.stringify(scan(name))
      for (const v of RAW_VALUES) expect(json.includes(v)).toBe(false)
    }
  })
  it('scans DICOM headers at byte positions', () => {
    const buf = dicomFile([
      { group: 0x0010, element: 0x0010, vr: 'PN', value: 'HARTWELL^ELEANOR' },
      { group: 0x0010, element: 0x0020, vr: 'LO', value: 'MRN00481516' },
    ])
    const r = scanDicom('ct.dcm', buf, fakeDetect)
    expect(r.file).toEqual({ file: 'ct.dcm', status: 'scanned', containsPhi: true, format: 'dicom' })
    const off = buf.indexOf('HARTWELL')
    expect(r.findings.map((f) => [f.type, f.line, f.column, f.length])).toEqual([['NAME', 1, off + 1, 16], ['MRN', 1, off + 16 + 8 + 1, 11]])
  })
  it('windows huge lines and skips deeply nested JSON', () => {
    const line = 'x'.repeat(3 * 1024 * 1024) + ' ssn 555-12-3456'
    const r = scanPhiText('big.txt', line, { detect: fakeDetect })
    expect(r.findings.map((f) => [f.type, f.line, f.column])).toEqual([['SSN', 1, 3 * 1024 * 1024 + 6]])
    const deep = scanPhiText('deep.json', '['.repeat(5000) + ']'.repeat(5000), { detect: fakeDetect })
    expect(deep.file).toEqual({ file: 'deep.json', status: 'skipped', containsPhi: false, reason: 'JSON nested deeper than 256 levels' })
  })
})

describe('detectHealthInfo', () => {
  it('finds codes with their context rules', () => {
    const kinds = (t: string, field?: string) => detectHealthInfo(t, field ? { field } : undefined).map((c) => [c.kind, t.slice(c.start, c.end)])
    expect(kinds('Dx: E11.9 and I10')).toEqual([['ICD10', 'E11.9'], ['ICD10', 'I10']])
    expect(kinds('build v1.2.3 on host web01 R2D2')).toEqual([])
    expect(kinds('LOINC 4548-4 and 4548-5')).toEqual([['LOINC', '4548-4']])
    expect(kinds('NDC 0002-7510-01')).toEqual([['NDC', '0002-7510-01']])
    expect(kinds('99213', 'cpt_code')).toEqual([['FIELD', '99213'], ['CPT', '99213']])
    expect(kinds('port 99213')).toEqual([])
    expect(kinds('Diagnosed with type 2 diabetes; metformin 500 mg daily')).toEqual([['TERM', 'Diagnosed with'], ['TERM', 'diabetes'], ['TERM', 'metformin'], ['TERM', 'mg daily']])
    expect(kinds('Cardiology')).toEqual([])
  })
  it('checks LOINC digits', () => {
    expect(['2951-2', '718-7', '4548-4', '2160-0'].map(isLoinc)).toEqual([true, true, true, true])
    expect(['2951-3', '718-1', '12-34'].map(isLoinc)).toEqual([false, false, false])
  })
})

describe('scanPhiFiles', () => {
  let tmp: string
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-phi-'))
    fs.mkdirSync(path.join(tmp, 'exports/patients'), { recursive: true })
    fs.copyFileSync(path.join(dir, 'patients_dx.csv'), path.join(tmp, 'exports/b.csv'))
    fs.copyFileSync(path.join(dir, 'staff_directory.csv'), path.join(tmp, 'exports/a.csv'))
    fs.writeFileSync(path.join(tmp, 'exports/patients/headshot.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))
    fs.writeFileSync(path.join(tmp, 'exports/blob.bin'), Buffer.from([0, 1, 2, 3, 0, 255]))
    fs.writeFileSync(path.join(tmp, 'exports/latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]))
    // bytes 0x80–0xff without a NUL: not text however leniently it is read
    fs.writeFileSync(path.join(tmp, 'exports/noise.dat'), Buffer.from(Array.from({ length: 4096 }, (_, i) => 0x80 + ((i * 37) % 128))))
    // a log in UTF-8 with one Latin-1 byte: read, the byte as U+FFFD, the PHI found
    fs.writeFileSync(path.join(tmp, 'exports/clinic.log'), Buffer.concat([Buffer.from('2024-03-15T08:30:00Z INFO caf'), Buffer.from([0xe9]), Buffer.from(' visit patient=Eleanor Hartwell ssn=555-12-3456 dx=E11.9\n')]))
    fs.writeFileSync(path.join(tmp, 'exports/old.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0]))
    fs.writeFileSync(path.join(tmp, 'exports/rows.csv.gz'), zlib.gzipSync('name,dx\nEleanor Hartwell,E11.9\n'))
    fs.writeFileSync(path.join(tmp, 'feed.hl7.gz'), zlib.gzipSync(fs.readFileSync(path.join(dir, 'adt_a01.hl7'))))
    fs.writeFileSync(path.join(tmp, 'lambda.zip'), storedZip([{ name: 'data/fhir.json', data: fixture('fhir_bundle.json') }, { name: 'app.log', data: fixture('service.log') }]))
    fs.writeFileSync(path.join(tmp, 'broken.zip'), Buffer.from('PK\u0003\u0004garbage'))
  })
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

  it('walks directories sorted, reads archives entry by entry, and never throws on bad input', async () => {
    const progress: number[] = []
    const r = await scanPhiFiles([tmp, path.join(tmp, 'missing.csv')], { detect: fakeDetect, onProgress: (done) => progress.push(done) })
    const rel = (f: string): string => f.slice(f.indexOf('phiwall-phi-')).replace(/^phiwall-phi-[^/]+\//, '')
    expect(r.files.map((f) => [rel(f.file), f.status, f.containsPhi, f.format ?? null, f.reason ?? null])).toEqual([
      ['missing.csv', 'error', false, null, 'not found'],
      ['broken.zip', 'error', false, 'zip', 'zip archive is corrupt or truncated; entries before the damage were read'],
      ['exports/a.csv', 'scanned', false, 'csv', null],
      ['exports/b.csv', 'scanned', true, 'csv', null],
      ['exports/blob.bin', 'skipped', false, null, 'binary file (contains NUL bytes)'],
      ['exports/clinic.log', 'scanned', true, 'log', '1 invalid UTF-8 sequence read as U+FFFD'],
      ['exports/latin1.txt', 'scanned', false, 'text', '1 invalid UTF-8 sequence read as U+FFFD'],
      ['exports/noise.dat', 'skipped', false, null, 'binary file (is not valid UTF-8)'],
      ['exports/old.xz', 'skipped', false, null, 'xz-compressed; not read'],
      ['exports/patients/headshot.jpg', 'scanned', true, 'image', 'jpeg image'],
      ['exports/rows.csv.gz', 'scanned', true, 'csv', null],
      ['feed.hl7.gz', 'scanned', true, 'hl7', null],
      ['lambda.zip', 'scanned', true, 'zip', null],
      ['lambda.zip!/data/fhir.json', 'scanned', true, 'fhir', null],
      ['lambda.zip!/app.log', 'scanned', false, 'log', null],
    ])
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    const photo = r.findings.find((f) => f.type === 'PHOTO')!
    expect([rel(photo.file), photo.line, photo.column, photo.length]).toEqual(['exports/patients/headshot.jpg', 1, 1, 6])
    const json = JSON.stringify(r)
    for (const v of RAW_VALUES) expect(json.includes(v)).toBe(false)
  })
  it('reads tar archives and skips files over the size limit', async () => {
    const pack = tar.pack()
    pack.entry({ name: 'logs/feed.hl7' }, fixture('adt_a01.hl7'))
    pack.entry({ name: 'logs/big.txt' }, 'y'.repeat(5000))
    pack.finalize()
    const chunks: Buffer[] = []
    for await (const c of pack) chunks.push(c as Buffer)
    const file = path.join(tmp, 'export.tar')
    fs.writeFileSync(file, Buffer.concat(chunks))
    const r = await scanPhiFiles([file], { detect: fakeDetect, maxFileBytes: 4096 })
    expect(r.files.map((f) => [f.file.replace(/^.*export\.tar/, 'export.tar'), f.status, f.containsPhi, f.reason ?? null])).toEqual([
      ['export.tar', 'skipped', false, 'larger than 4096 bytes'],
    ])
    const r2 = await scanPhiFiles([file], { detect: fakeDetect, maxFileBytes: 32768 })
    expect(r2.files.map((f) => [f.file.replace(/^.*export\.tar/, 'export.tar'), f.status, f.containsPhi, f.reason ?? null])).toEqual([
      ['export.tar', 'scanned', true, null],
      ['export.tar!/logs/feed.hl7', 'scanned', true, null],
      ['export.tar!/logs/big.txt', 'scanned', false, null],
    ])
  })
})

describe('huge lines', () => {
  it('finds health information anywhere in a line longer than a megabyte', async () => {
    const { detectAll } = await import('../detect-all.js')
    const filler = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(1_100_000 / 27))
    for (const [where, line] of [
      ['end', `${filler}patient=John Smith ssn=536-22-8765 dx=E11.9`],
      ['start', `patient=John Smith ssn=536-22-8765 dx=E11.9 ${filler}`],
    ] as const) {
      const r = scanPhiText('huge.txt', `${line}\n`, { detect: detectAll })
      expect(r.file.containsPhi, where).toBe(true)
    }
    expect(scanPhiText('huge.txt', `${filler}patient=John Smith ssn=536-22-8765\n`, { detect: detectAll }).file.containsPhi).toBe(false)
  })
})

describe('scanPhiFiles on a file with more findings than a spread into push takes', () => {
  it('keeps all 150,000 findings of one file (a 15,000-row export has about that many)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-many-'))
    const rows = Array.from({ length: 150_000 }, (_, i) => `${String(100 + (i % 800)).padStart(3, '0')}-${String(10 + (i % 89)).padStart(2, '0')}-${String(1000 + (i % 8999)).padStart(4, '0')}`)
    fs.writeFileSync(path.join(dir, 'ssn.csv'), `ssn\n${rows.join('\n')}\n`)
    const r = await scanPhiFiles([dir], { detect: fakeDetect })
    expect(r.files.map((f) => f.status)).toEqual(['scanned'])
    expect(r.findings.length).toBe(150_000)
    fs.rmSync(dir, { recursive: true })
  })
})

describe('UTF-16 exports', () => {
  it('reads UTF-16 with a byte-order mark (LE and BE) and without one, at the same lines and columns as UTF-8', async () => {
    const text = 'name,ssn,dx\nEleanor Hartwell,555-12-3456,E11.9\n'
    const utf8 = scanPhiText('a.csv', text, { detect: fakeDetect })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-utf16-'))
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const be = Buffer.from(le)
    be.swap16()
    fs.writeFileSync(path.join(dir, 'le.csv'), le)
    fs.writeFileSync(path.join(dir, 'be.csv'), be)
    fs.writeFileSync(path.join(dir, 'nobom.csv'), Buffer.from(text, 'utf16le'))
    const r = await scanPhiFiles([dir], { detect: fakeDetect })
    expect(r.files.map((f) => [path.basename(f.file), f.status, f.containsPhi, f.reason])).toEqual([
      ['be.csv', 'scanned', true, 'read as UTF-16'],
      ['le.csv', 'scanned', true, 'read as UTF-16'],
      ['nobom.csv', 'scanned', true, 'read as UTF-16'],
    ])
    const at = (file: string) => r.findings.filter((f) => f.file.endsWith(file)).map((f) => `${f.type} ${f.line}:${f.column}+${f.length}`)
    const want = utf8.findings.map((f) => `${f.type} ${f.line}:${f.column}+${f.length}`)
    for (const f of ['le.csv', 'be.csv', 'nobom.csv']) expect(at(f)).toEqual(want)
    fs.rmSync(dir, { recursive: true })
  })
})


describe('names that hold identifiers: JSON keys and CSV header cells', () => {
  const scanReal = async (name: string, text: string) => {
    const { detectAll } = await import('../detect-all.js')
    return scanPhiText(name, text, { detect: detectAll })
  }

  it('scans a JSON key that holds a value and keeps it out of every field path', async () => {
    const r = await scanReal('a.json', '{"patients":{"219-45-6789":{"name":"Jane Doe","dx":"E11.9"}}}')
    expect(r.findings.map((f) => [f.type, f.field])).toEqual([
      ['SSN', 'patients'],
      ['NAME', 'patients.[withheld].name'],
    ])
    expect(JSON.stringify(r)).not.toContain('219-45-6789')
    expect(r.file.containsPhi).toBe(true)
    // plain field names are not scanned as values
    expect((await scanReal('e.json', '{"birthDate":"1961-03-14","patient_name":"Jane Doe"}')).findings.map((f) => f.field)).toEqual(['birthDate', 'patient_name'])
  })

  it('scans a first row of data that passes for a header, and never uses its cells as field names', async () => {
    const r = await scanReal('b.csv', 'Jane Doe,F,Type 2 diabetes\nJohn Smith,M,Hypertension\n')
    expect(r.findings.map((f) => [f.type, f.line, f.field])).toEqual([
      ['NAME', 1, undefined],
      ['NAME', 2, '[withheld]'],
    ])
    expect(JSON.stringify(r.findings)).not.toContain('Jane Doe')
    expect(r.file.containsPhi).toBe(true)
  })

  it('does not take header words for names', async () => {
    const r = await scanReal('d.csv', 'Date of Birth,Mother Maiden Name,Next of Kin,Diagnosis\n1961-03-14,,,E11.9\n')
    expect(r.findings.map((f) => [f.type, f.line, f.field])).toEqual([['DATE', 2, 'Date of Birth']])
  })

  it('reads a header-less CSV wider than the call stack allows spreading', async () => {
    const wide = `${Array.from({ length: 300_000 }, (_, i) => i % 10).join(',')}\n1,2\n`
    const r = scanPhiText('wide.csv', wide)
    expect(r.file.status).toBe('scanned')
  })
})
