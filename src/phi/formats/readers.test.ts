import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readCsv, readJson, readHl7, readSql, readText, readDicom, scanJson, unescapeHl7, sniffTextFormat, JsonScanError, fhirIdentifierType, sniffImage, photoContext } from './index.js'
import { dicomFile } from './testdata/dicom-builder.js'
import { rawSpan } from './positions.js'
import { logLineUnits } from './text.js'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata')
const fixture = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8')
/** The raw text a unit covers, through its map. */
const rawOf = (text: string, u: { value: string; offset: number; map?: number[] }): string => {
  const s = rawSpan(u, 0, u.value.length)
  return text.slice(s.start, s.end)
}

describe('readCsv', () => {
  it('names cells by header, unquotes "" and keeps embedded newlines', () => {
    const text = fixture('patients_dx.csv')
    const r = readCsv(text)
    expect(r.format).toBe('csv')
    const notes = r.units.filter((u) => u.field === 'notes')
    expect(notes.map((u) => u.value)).toEqual(['follow-up in 3 months, "fasting"', 'multi-line\nnote'])
    expect(rawOf(text, notes[0]!)).toBe('follow-up in 3 months, ""fasting""')
    const name2 = r.units.find((u) => u.field === 'patient_name' && u.record === 1)!
    expect(name2.value).toBe('Okafor, Chidi')
    expect(name2.offset).toBe(text.indexOf('Okafor'))
    const dx3 = r.units.find((u) => u.field === 'diagnosis_code' && u.record === 2)!
    expect(dx3.value).toBe('J45.909')
    expect(r.units.filter((u) => u.record === 2).map((u) => u.field)).toEqual(['patient_name', 'date_of_birth', 'diagnosis_code'])
  })
  it('reads a headerless export as data with column<n> fields', () => {
    const r = readCsv('Eleanor Hartwell,555-12-3456\nChidi Okafor,555-98-7654')
    expect(r.units.map((u) => [u.field, u.value, u.record])).toEqual([
      ['column1', 'Eleanor Hartwell', 0], ['column2', '555-12-3456', 0], ['column1', 'Chidi Okafor', 1], ['column2', '555-98-7654', 1],
    ])
    expect(readCsv('Eleanor Hartwell,555-12-3456').units.length).toBe(2)
  })
  it('reads a cell with characters after its closing quote as written, so none of it escapes detection', () => {
    const text = 'name,ssn\n"Hartwell" Eleanor,""555-12-3456\n'
    const r = readCsv(text)
    expect(r.units.filter((u) => !u.name).map((u) => [u.field, u.value, u.offset])).toEqual([
      ['name', '"Hartwell" Eleanor', text.indexOf('"Hartwell"')],
      ['ssn', '""555-12-3456', text.indexOf('""555')],
    ])
  })
  it('reads TSV and CRLF rows', () => {
    const r = readCsv('a\tb\r\nx\ty\r\n', '\t')
    expect(r.format).toBe('tsv')
    expect(r.units.map((u) => [u.field, u.value, u.offset, u.record])).toEqual([[undefined, 'a', 0, -1], [undefined, 'b', 2, -1], ['a', 'x', 5, 0], ['b', 'y', 7, 0]])
    // the header cells are name units: scanned, and withheld from fields when they hold an identifier
    expect(r.units.filter((u) => u.name).map((u) => u.value)).toEqual(['a', 'b'])
  })
})

describe('readJson / scanJson', () => {
  it('gives key paths and exact string positions, decoding escapes with a map', () => {
    const text = '{"a":{"b":[{"c":"x\\"y"}]},"n":123456789}'
    const r = readJson(text)
    expect(r.format).toBe('json')
    expect(r.units.map((u) => [u.field, u.value, u.offset])).toEqual([['a.b[0].c', 'x"y', 17], ['n', '123456789', 30]])
    expect(rawOf(text, r.units[0]!)).toBe('x\\"y')
  })
  it('makes each element of a top-level list a record, and each NDJSON line', () => {
    expect(readJson('[{"n":"a"},{"n":"b"}]').units.map((u) => u.record)).toEqual([0, 1])
    const nd = readJson('{"n":"a"}\n\n{"n":"b","m":"c"}\n', true)
    expect(nd.format).toBe('ndjson')
    expect(nd.units.map((u) => [u.value, u.offset, u.record])).toEqual([['a', 6, 0], ['b', 17, 1], ['c', 25, 1]])
  })
  it('rejects nesting deeper than the limit without recursion', () => {
    const deep = '['.repeat(100000) + ']'.repeat(100000)
    expect(() => scanJson(deep, () => undefined)).toThrow(JsonScanError)
    expect(() => scanJson(deep, () => undefined)).toThrow('nested deeper than 256 levels')
  })
  it('reads a FHIR bundle: resource fields, identifier hints, implied types, one record per entry', () => {
    const text = fixture('fhir_bundle.json')
    const r = readJson(text)
    expect(r.format).toBe('fhir')
    expect(r.health).toEqual([{ record: 1, cue: 'fhir:Patient' }, { record: 2, cue: 'fhir:Observation' }])
    const by = (f: string): { value: string; implied?: string; record: number }[] => r.units.filter((u) => u.field === f).map((u) => ({ value: u.value, implied: u.implied, record: u.record }))
    expect(by('Patient.identifier.mrn')).toEqual([{ value: 'MRN00481516', implied: 'MRN', record: 1 }])
    expect(by('Patient.identifier.ssn')).toEqual([{ value: '555-12-3456', implied: 'SSN', record: 1 }])
    expect(by('Patient.name.given').map((u) => u.value)).toEqual(['Eleanor', 'Jane'])
    expect(by('Patient.telecom.value').map((u) => u.implied)).toEqual(['PHONE', 'EMAIL'])
    expect(by('Patient.birthDate')).toEqual([{ value: '1958-07-04', implied: 'DATE', record: 1 }])
    expect(by('Patient.address.postalCode')).toEqual([{ value: '62704', implied: 'GEO', record: 1 }])
    expect(by('Patient.address.state')).toEqual([{ value: 'IL', implied: undefined, record: 1 }])
    expect(by('Observation.code.coding.code')).toEqual([{ value: '4548-4', implied: undefined, record: 2 }])
    expect(by('Observation.subject.display')).toEqual([{ value: 'Eleanor Hartwell', implied: 'NAME', record: 2 }])
    expect(by('Bundle.type')).toEqual([{ value: 'transaction', implied: undefined, record: 0 }])
    // code system URLs and references are not units
    expect(r.units.some((u) => u.value.startsWith('http://'))).toBe(false)
    const ssn = r.units.find((u) => u.field === 'Patient.identifier.ssn')!
    expect(text.slice(ssn.offset, ssn.offset + 11)).toBe('555-12-3456')
  })
  it('reads a person photo attachment (data or url) as PHOTO, fax telecoms as FAX', () => {
    const text = JSON.stringify({
      resourceType: 'Patient',
      telecom: [{ system: 'fax', value: '(312) 243-1277' }],
      photo: [{ contentType: 'image/jpeg', data: 'VhA79E3d4hR71dO6sf+2oAkMu8cs' }, { url: 'https://ehr.example.org/photos/8812.jpg' }],
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueString: 'x' }],
    })
    const r = readJson(text)
    expect(r.units.filter((u) => u.implied === 'PHOTO').map((u) => u.value)).toEqual(['VhA79E3d4hR71dO6sf+2oAkMu8cs', 'https://ehr.example.org/photos/8812.jpg'])
    expect(r.units.find((u) => u.field === 'Patient.telecom.value')?.implied).toBe('FAX')
    expect(r.units.some((u) => u.value.startsWith('http://hl7.org'))).toBe(false) // other urls stay out
    const prac = readJson(JSON.stringify({ resourceType: 'Practitioner', photo: [{ data: 'AAAA' }] }))
    expect(prac.units.some((u) => u.implied === 'PHOTO')).toBe(false)
  })
  it('maps identifier systems and type codes', () => {
    expect(fhirIdentifierType({ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' })).toEqual({ type: 'LICENSE', hint: 'npi' })
    expect(fhirIdentifierType({ type: { coding: [{ code: 'MB' }] }, value: 'x' })).toEqual({ type: 'HEALTH_PLAN', hint: 'member-id' })
    expect(fhirIdentifierType({ system: 'urn:example' })).toBeUndefined()
  })
})

describe('readHl7', () => {
  const text = fixture('adt_a01.hl7')
  const r = readHl7(text)
  const unit = (field: string, value: string) => r.units.find((u) => u.field === field && u.value === value)
  it('numbers fields like the standard and implies types by position', () => {
    expect(r.format).toBe('hl7')
    expect(unit('PID-3', 'MRN00481516')?.implied).toBe('MRN')
    expect(unit('PID-3', '555-12-3456')?.implied).toBe('SSN') // CX-5 = SS on the second repetition
    expect(unit('PID-5', 'HARTWELL')?.implied).toBe('NAME')
    expect(unit('PID-5', 'ELEANOR')?.implied).toBe('NAME')
    expect(unit('PID-7', '19580704')?.implied).toBe('DATE')
    expect(unit('PID-11', 'SPRINGFIELD')?.implied).toBe('GEO')
    expect(unit('PID-11', 'IL')?.implied).toBeUndefined()
    expect(unit('PID-13', 'eleanor.h@example.org')?.implied).toBe('EMAIL')
    expect(unit('PID-19', '555-12-3456')?.implied).toBe('SSN')
    expect(unit('NK1-2', 'MARCUS')?.implied).toBe('NAME')
    expect(unit('IN1-36', 'XYZ123456789')?.implied).toBe('HEALTH_PLAN')
    expect(unit('MSH-3', 'EPIC')).toBeDefined()
    expect(r.units.some((u) => u.field === 'MSH-10')).toBe(false)
    expect(unit('MSH-7', '20240315083000')?.implied).toBe('DATE') // the admission message's time
    expect(unit('EVN-2', '20240315083000')?.implied).toBe('DATE')
    expect(unit('PV1-7', '1234567893')?.implied).toBe('LICENSE') // attending doctor's NPI (Luhn-valid)
    expect(unit('PID-18', 'ACCT-77812')?.implied).toBe('ACCOUNT')
    expect(unit('IN1-2', 'BCBS-PPO')?.implied).toBeUndefined() // the plan product, not the beneficiary
    const pid5 = unit('PID-5', 'HARTWELL')!
    expect(text.slice(pid5.offset, pid5.offset + 8)).toBe('HARTWELL')
  })
  it('implies DATE for TS fields with a day, order numbers as OTHER_ID, provider NPIs as LICENSE', () => {
    const msg = [
      'MSH|^~\\&|LAB|GHH|EHR|GHH|2023||ORU^R01^ORU_R01|MSG1|P|2.5.1',
      'PV1|1|O|4N^207^1||||004777^KESSLER^BRIDGET^^^DR|1023032662^LEE^AL^^^DR^^^NPI||MED||||ADM|A0||||969806740|||||||||||||||||||||||||202309051244',
      'DG1|1||I10^HYPERTENSION^I10||202309051302|A',
      'OBR|1|ORD123456^EHR|ACC-2023-991^LAB|4548-4^HBA1C^LN|||202309051302',
      'OBX|1|NM|4548-4^HBA1C^LN||5.7|%|4.0-5.6|H|||F|||20230905130215-0500',
    ].join('\r')
    const m = readHl7(msg)
    const u = (field: string, value: string) => m.units.find((x) => x.field === field && x.value === value)
    expect(u('MSH-7', '2023')?.implied).toBeUndefined() // a year alone is not a date of an individual
    expect(u('PV1-44', '202309051244')?.implied).toBe('DATE')
    expect(u('DG1-5', '202309051302')?.implied).toBe('DATE')
    expect(u('OBR-7', '202309051302')?.implied).toBe('DATE')
    expect(u('OBX-14', '20230905130215-0500')?.implied).toBe('DATE')
    expect(u('PV1-19', '969806740')?.implied).toBe('OTHER_ID')
    expect(u('OBR-2', 'ORD123456')?.implied).toBe('OTHER_ID')
    expect(u('OBR-3', 'ACC-2023-991')?.implied).toBe('OTHER_ID')
    expect(u('PV1-7', '004777')?.implied).toBeUndefined() // a local staff code is not a licence
    expect(u('PV1-8', '1023032662')?.implied).toBe('LICENSE') // XCN-9 assigning authority NPI
    expect(u('OBX-5', '5.7')?.implied).toBeUndefined()
  })
  it('marks the message as health information', () => {
    expect(r.health.map((h) => h.cue)).toEqual(['hl7:ADT', 'hl7:PV1', 'hl7:DG1', 'hl7:IN1'])
    expect(new Set(r.units.map((u) => u.record))).toEqual(new Set([0]))
  })
  it('decodes escapes with a map to the raw text', () => {
    const d = unescapeHl7('A\\F\\B\\S\\C', 10, '\\')
    expect(d.value).toBe('A|B^C')
    expect(d.map).toEqual([10, 11, 14, 15, 18, 19])
  })
  it('splits messages on MSH, with LF segment ends', () => {
    const two = 'MSH|^~\\&|A|B|C|D|20240101||ADT^A04|1|P|2.5\nPID|1||X1^^^H^MR||DOE^JOHN\nMSH|^~\\&|A|B|C|D|20240101||ADT^A04|2|P|2.5\nPID|1||X2^^^H^MR||ROE^JANE\n'
    const m = readHl7(two)
    expect(m.units.filter((u) => u.field === 'PID-5').map((u) => [u.value, u.record])).toEqual([['DOE', 0], ['JOHN', 0], ['ROE', 1], ['JANE', 1]])
  })
})

describe('readSql', () => {
  const text = fixture('dump.sql')
  const r = readSql(text)
  it('reads INSERT tuples with columns from CREATE TABLE, quoted identifiers and COPY blocks', () => {
    expect(r.units.map((u) => [u.field, u.value, u.record])).toEqual([
      ['id', '1', 0], ['full_name', 'Eleanor Hartwell', 0], ['ssn', '555-12-3456', 0],
      ['id', '2', 1], ['full_name', "Conor O'Brien", 1], ['ssn', '555-98-7654', 1],
      ['patient_id', '1', 2], ['full_name', 'Eleanor Hartwell', 2], ['icd10', 'E11.9', 2],
      ['id', '1', 3], ['full_name', 'Eleanor Hartwell', 3], ['visit_reason', 'annual check\tup', 3],
      ['id', '2', 4],
    ])
    expect(r.health).toEqual([{ record: 2, cue: 'sql:clinical-table' }])
    const conor = r.units.find((u) => u.value === "Conor O'Brien")!
    expect(rawOf(text, conor)).toBe("Conor O''Brien")
  })
  it('reads past function calls in a tuple, and the values inside them', () => {
    const dump = "INSERT INTO patients (name, ssn, created_at, dob) VALUES ('Jane Doe','219-45-6789',NOW(),TO_DATE('1961-03-14', 'YYYY-MM-DD')),('John Smith','219-45-6790',now(),NULL);\n"
    expect(readSql(dump).units.map((u) => [u.field, u.value, u.record])).toEqual([
      ['name', 'Jane Doe', 0], ['ssn', '219-45-6789', 0], ['created_at', 'NOW()', 0], ['dob', "TO_DATE('1961-03-14', 'YYYY-MM-DD')", 0],
      ['name', 'John Smith', 1], ['ssn', '219-45-6790', 1], ['created_at', 'now()', 1],
    ])
  })
})

describe('readText', () => {
  it('recognises a log and splits key=value and embedded JSON', () => {
    const text = fixture('service.log')
    const r = readText(text)
    expect(r.format).toBe('log')
    const src = r.units.filter((u) => u.field === 'src')
    expect(src.map((u) => [u.value, u.record])).toEqual([['10.0.12.7', 0], ['10.0.12.7', 1], ['10.0.12.8', 3]])
    expect(text.slice(src[0]!.offset, src[0]!.offset + 9)).toBe('10.0.12.7')
    expect(r.units.find((u) => u.field === 'host')?.value).toBe('10.0.40.22')
    expect(r.units.every((u) => u.kind === 'log')).toBe(true)
  })
  it('keeps an unquoted phone with a parenthesised area code whole', () => {
    const line = 'ts=1 patient=Ward phone=(404) 492-7005 dx=F32.9 alt=(720)222-8929 f(a=1)'
    const units = logLineUnits(line, 0, line.length, 0)
    const by = (f: string) => units.find((u) => u.field === f)!
    expect(by('phone').value).toBe('(404) 492-7005')
    expect(line.slice(by('phone').offset, by('phone').offset + 14)).toBe('(404) 492-7005')
    expect(by('dx').value).toBe('F32.9')
    expect(by('alt').value).toBe('(720)222-8929')
    expect(by('a').value).toBe('1')
  })
  it('reads prose as one record of text lines', () => {
    const r = readText('Patient seen today.\nDiagnosed with asthma.\n')
    expect(r.format).toBe('text')
    expect(r.units.map((u) => [u.value, u.offset, u.record, u.kind])).toEqual([['Patient seen today.', 0, 0, 'text'], ['Diagnosed with asthma.', 20, 0, 'text']])
  })
})

describe('sniffTextFormat', () => {
  it('uses names and content', () => {
    expect(sniffTextFormat('x.hl7', '')).toBe('hl7')
    expect(sniffTextFormat('feed.txt', 'MSH|^~\\&|A')).toBe('hl7')
    expect(sniffTextFormat('a.dat', '{"a":1}')).toBe('json')
    expect(sniffTextFormat('dump', 'INSERT INTO t VALUES (1);')).toBe('sql')
    expect(sniffTextFormat('export', 'a,b,c\n1,2,3\n4,5,6\n')).toBe('csv')
    expect(sniffTextFormat('notes.txt', 'hello, world')).toBe('text')
  })
})

describe('readDicom', () => {
  const dataset = [
    { group: 0x0008, element: 0x0050, vr: 'SH', value: 'ACC778812' },
    { group: 0x0008, element: 0x0090, vr: 'PN', value: 'OKAFOR^CHIDI' },
    { group: 0x0008, element: 0x1115, vr: 'SQ', items: [[{ group: 0x0010, element: 0x1001, vr: 'PN', value: 'HARTWELL^ELLIE' }]] },
    { group: 0x0010, element: 0x0010, vr: 'PN', value: 'HARTWELL^ELEANOR' },
    { group: 0x0010, element: 0x0020, vr: 'LO', value: 'MRN00481516' },
    { group: 0x0010, element: 0x0030, vr: 'DA', value: '19580704' },
    { group: 0x0010, element: 0x1010, vr: 'AS', value: '093Y' },
    { group: 0x0010, element: 0x1040, vr: 'LO', value: '742 EVERGREEN TER SPRINGFIELD IL' },
    { group: 0x7fe0, element: 0x0010, vr: 'OW', value: Buffer.from('HARTWELL^ELEANOR') },
  ]
  for (const explicit of [true, false]) {
    it(`reads patient attributes in ${explicit ? 'explicit' : 'implicit'} VR little endian, stopping at pixel data`, () => {
      const buf = dicomFile(dataset, explicit)
      const r = readDicom(buf)
      expect(r.positions).toBe('byte')
      expect(r.note).toBeUndefined()
      expect(r.units.map((u) => [u.field, u.value, u.implied])).toEqual([
        ['AccessionNumber', 'ACC778812', 'OTHER_ID'],
        ['ReferringPhysicianName', 'OKAFOR^CHIDI', 'NAME'],
        ['OtherPatientNames', 'HARTWELL^ELLIE', 'NAME'],
        ['PatientName', 'HARTWELL^ELEANOR', 'NAME'],
        ['PatientID', 'MRN00481516', 'MRN'],
        ['PatientBirthDate', '19580704', 'DATE'],
        ['PatientAge', '093Y', 'AGE_OVER_89'],
        ['PatientAddress', '742 EVERGREEN TER SPRINGFIELD IL', 'GEO'],
      ])
      for (const u of r.units) expect(buf.toString('latin1', u.offset, u.offset + u.value.length)).toBe(u.value)
    })
  }
  it('notes a truncated header and keeps what it read', () => {
    const buf = dicomFile(dataset)
    const cut = buf.subarray(0, buf.indexOf('MRN00481516') + 3)
    const r = readDicom(cut)
    expect(r.note).toBe('DICOM header is truncated')
    expect(r.units.map((u) => u.field)).toEqual(['AccessionNumber', 'ReferringPhysicianName', 'OtherPatientNames', 'PatientName'])
  })
})

describe('images', () => {
  it('sniffs magic bytes and applies the photo rule to paths', () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg')
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('png')
    expect(sniffImage(Buffer.from('GIF89a'))).toBe('gif')
    expect(sniffImage(Buffer.from('hello'))).toBeUndefined()
    expect(photoContext('uploads/patients/4411/headshot.jpg')).toEqual({ photo: true, patient: true })
    expect(photoContext('staff/headshots/dana.jpg')).toEqual({ photo: true, patient: false })
    // camelCase and PascalCase names, and `patient photo` spelled together
    expect(photoContext('PatientPhotos/1.jpg')).toEqual({ photo: true, patient: true })
    expect(photoContext('uploads/patientPhoto.jpg')).toEqual({ photo: true, patient: true })
    expect(photoContext('assets/logoDark.png')).toEqual({ photo: false, patient: false })
    expect(photoContext('assets/logo.png')).toEqual({ photo: false, patient: false })
  })
})

describe('readHl7: telephone numbers in XTN components 6 and 7 (v2.3 and later)', () => {
  it('implies PHONE, or FAX for equipment type FX, for the area code and the local number', () => {
    const text = 'MSH|^~\\&|ADT|HOSP|REC|REC|20250101120000||ADT^A01|1|P|2.5.1\rPID|1||12345^^^HOSP^MR||Doe^Jane||19610314|F|||||^PRN^PH^^1^617^5550142~^WPN^FX^^1^617^5550199\rNK1|1|Doe^John|SPO||^PRN^PH^^1^508^5550123\r'
    const implied = readHl7(text).units.filter((u) => u.implied === 'PHONE' || u.implied === 'FAX').map((u) => [u.field, u.value, u.implied])
    expect(implied).toEqual([
      ['PID-13', '617', 'PHONE'], ['PID-13', '5550142', 'PHONE'],
      ['PID-13', '617', 'FAX'], ['PID-13', '5550199', 'FAX'],
      ['NK1-5', '508', 'PHONE'], ['NK1-5', '5550123', 'PHONE'],
    ])
  })
})
