import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DetectContext, PhiType } from '../types.js'
import { detectAges, detectCodes, detectCuedIds, detectDates, detectEmails, detectIps, detectPhones, detectSsn, detectStructured, detectUrls } from './index.js'

/** [type, covered text] of every hit, in order. */
function found(text: string, ctx?: DetectContext): Array<[PhiType, string]> {
  return detectStructured(text, ctx).map((h) => [h.type, text.slice(h.start, h.end)])
}
function ofType(text: string, type: PhiType, ctx?: DetectContext): string[] {
  return found(text, ctx).filter(([t]) => t === type).map(([, v]) => v)
}

describe('DATE', () => {
  it.each([
    ['DOB: 03/14/1961.', '03/14/1961'],
    ['seen 3/14/61 in clinic', '3/14/61'],
    ['born 1961-03-14', '1961-03-14'],
    ['on 14-Mar-1961', '14-Mar-1961'],
    ['on 14 March 1961', '14 March 1961'],
    ['on the 14th of March, 1961', '14th of March, 1961'],
    ['on March 14, 1961', 'March 14, 1961'],
    ['on Mar 14th 1961', 'Mar 14th 1961'],
    ['on Sept. 3, 2019', 'Sept. 3, 2019'],
    ['on 14.03.1961', '14.03.1961'],
    ['in March 1961', 'March 1961'],
    ['since 03/2019', '03/2019'],
    ['seen on March 14 for follow-up', 'March 14'],
    ['admitted 2024-03-01 10:30 for observation', '2024-03-01 10:30'],
    ['"effectiveDateTime": "2023-01-05T10:30:00Z"', '2023-01-05T10:30:00Z'],
    ['DD-MON-YY 14-MAR-61', '14-MAR-61'],
  ])('finds %j', (text, value) => {
    expect(ofType(text, 'DATE')).toEqual([value])
  })

  it('gives exact spans', () => {
    expect(detectDates('DOB: 03/14/1961')).toEqual([{ type: 'DATE', start: 5, end: 15, confidence: 0.9, detector: 'date' }])
  })

  it.each([
    'in 1961 she moved',
    'version 1.2.3 released',
    'upgraded to v2.10.1',
    'ratio 1/2 and 3/4',
    'BP 120/80 mmHg',
    'host 10.12.20.15 up',
    '2/5 retries',
    'you may 5 times',
    'sha 1234-56-78 no',
  ])('no date in %j', (text) => {
    expect(ofType(text, 'DATE')).toEqual([])
  })

  it('treats date-times in logs and timestamp fields as event times', () => {
    expect(ofType('2024-03-01T12:00:00.123Z INFO started', 'DATE')).toEqual([])
    expect(ofType('[2024-03-01 12:00:00,123] INFO started', 'DATE')).toEqual([])
    expect(ofType('user created at 2024-03-01T12:00:00Z', 'DATE', { kind: 'log' })).toEqual([])
    expect(ofType('Mar  7 10:00:01 host sshd[1]: accepted', 'DATE', { kind: 'log' })).toEqual([])
    expect(ofType('2024-03-01T12:00:00Z', 'DATE', { field: 'created_at' })).toEqual([])
    expect(ofType('2024-03-01', 'DATE', { field: '@timestamp' })).toEqual([])
    expect(ofType('1709294407', 'DATE', { field: 'ts' })).toEqual([])
    expect(ofType('{"@timestamp":"2024-03-01T12:00:00.1Z","dob":"1961-03-14"}', 'DATE')).toEqual(['1961-03-14'])
    expect(ofType('level=info ts=2024-03-01T12:00:00Z msg=ok', 'DATE')).toEqual([])
    // a date without a time of day in a log is still a date of an individual
    expect(ofType('2024-03-01T12:00:00Z INFO lookup dob=1961-03-14', 'DATE', { kind: 'log' })).toEqual(['1961-03-14'])
  })

  it('reads compact YYYYMMDD only in a date field or after a birth cue', () => {
    expect(ofType('19610314', 'DATE', { field: 'PID-7' })).toEqual(['19610314'])
    expect(ofType('DOB 19610314', 'DATE')).toEqual(['19610314'])
    expect(ofType('order 19610314 shipped', 'DATE')).toEqual([])
  })
})

describe('AGE_OVER_89', () => {
  it.each([
    ['a 92-year-old woman', '92'],
    ['age 94', '94'],
    ['aged 90', '90'],
    ['Age: 101', '101'],
    ['94 y/o female', '94'],
    ['94yo F', '94'],
    ['91 years old', '91'],
    ['she just turned 96', '96'],
  ])('finds %j', (text, value) => {
    expect(ofType(text, 'AGE_OVER_89')).toEqual([value])
  })
  it.each(['a 45-year-old man', 'age 89', '100 years ago', '95 mg daily', 'page 94', 'SpO2 94%', 'Cache-Control: max-age=120', 'Strict-Transport-Security: max-age=100; includeSubDomains', 's-maxage=300', 'age 90 months', 'Age: 95 days'])('not in %j', (text) => {
    expect(ofType(text, 'AGE_OVER_89')).toEqual([])
  })
  it('reads an age field', () => {
    expect(detectAges('97', { field: 'age' })).toEqual([{ type: 'AGE_OVER_89', start: 0, end: 2, confidence: 0.95, detector: 'age-field' }])
    expect(detectAges('88', { field: 'age' })).toEqual([])
  })
})

describe('PHONE and FAX', () => {
  it.each([
    ['call (212) 555-0123 today', 'PHONE', '(212) 555-0123'],
    ['at 212-555-0123.', 'PHONE', '212-555-0123'],
    ['at 212.555.0123', 'PHONE', '212.555.0123'],
    ['at +1 212 555 0123', 'PHONE', '+1 212 555 0123'],
    ['at 1-800-555-0199 x204', 'PHONE', '1-800-555-0199 x204'],
    ['London +44 20 7946 0958', 'PHONE', '+44 20 7946 0958'],
    ['Phone: 0490 75 40 81', 'PHONE', '0490 75 40 81'],
    ['Fax: 617-555-0199', 'FAX', '617-555-0199'],
    ['Facsimile (617) 555-0199', 'FAX', '(617) 555-0199'],
    ['F: 617-555-0199', 'FAX', '617-555-0199'],
    ['07700 063 966-Fax', 'FAX', '07700 063 966'],
    ['APO AA 61487\n416 60 039 office', 'PHONE', '416 60 039'],
    ['Phone:\n60-56-85-91\n', 'PHONE', '60-56-85-91'],
    ['at +1-984-182-0190', 'PHONE', '+1-984-182-0190'],
    ['mobile +447700 921 916', 'PHONE', '+447700 921 916'],
  ])('finds %j', (text, type, value) => {
    expect(found(text).filter(([t]) => t === 'PHONE' || t === 'FAX')).toEqual([[type, value]])
  })
  it('tells a phone from the fax after it', () => {
    expect(found('Phone: (617) 555-0143    Fax: 617-555-0199')).toEqual([
      ['PHONE', '(617) 555-0143'],
      ['FAX', '617-555-0199'],
    ])
  })
  it('uses the field name', () => {
    expect(found('6175550199', { field: 'fax_number' })).toEqual([['FAX', '6175550199']])
    expect(found('617 555 0143', { field: 'homePhone' })).toEqual([['PHONE', '617 555 0143']])
    expect(detectPhones('617-555-0143', { field: 'request_id' })).toEqual([])
  })
  it.each(['took 2125550123 ms', 'epoch 1709294407000', 'port 8080 pid 4512', '123-45-6789', 'version 212.555.0123'])('not in %j', (text) => {
    expect(found(text).filter(([t]) => t === 'PHONE' || t === 'FAX')).toEqual([])
  })
})

describe('EMAIL and URL', () => {
  it('finds addresses with exact spans', () => {
    expect(detectEmails('mail jane.doe+x@example.org; ok')).toEqual([{ type: 'EMAIL', start: 5, end: 27, confidence: 0.97, detector: 'email' }])
  })
  it.each(['git@github.com:org/repo.git', 'registry/img@sha256:abcd', 'npm i pkg@1.2.3', 'user@localhost'])('no email in %j', (text) => {
    expect(detectEmails(text)).toEqual([])
  })
  it('finds URLs and trims punctuation', () => {
    expect(ofType('see https://portal.example.com/p/123?x=1. Or www.example.org/a, ok', 'URL')).toEqual(['https://portal.example.com/p/123?x=1', 'www.example.org/a'])
    expect(ofType('ftp://files.example.net/x', 'URL')).toEqual(['ftp://files.example.net/x'])
  })
  it('marks internal URLs as weak and drops them from logs', () => {
    expect(detectUrls('http://10.0.0.5:8080/health')[0]?.confidence).toBe(0.4)
    expect(detectUrls('GET http://intake.default.svc.cluster.local/health', { kind: 'log' })).toEqual([])
  })
})

describe('IP', () => {
  it('finds IPv4 and IPv6', () => {
    expect(ofType('client 203.0.113.45 via 2001:db8::8a2e:370:7334 and ::ffff:192.0.2.1 or 2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'IP')).toEqual([
      '203.0.113.45',
      '2001:db8::8a2e:370:7334',
      '::ffff:192.0.2.1',
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    ])
  })
  it.each(['time 10:22:33', 'mac 00:1A:2B:3C:4D:5E', 'std::vector<int>', 'arn:aws:iam::123456789012:role/x', '256.1.1.1', '1.2.3.4.5', 'v1.2.3.4'])('no IP in %j', (text) => {
    expect(detectIps(text)).toEqual([])
  })
  it('skips version fields and private addresses outside an IP field', () => {
    expect(detectIps('1.2.3.4', { field: 'version' })).toEqual([])
    expect(detectIps('upstream 10.0.12.7:8443', { kind: 'log' })).toEqual([])
    expect(detectIps('host 10.0.12.7 and fe80::1ff:fe23:4567:890a')).toEqual([])
    expect(detectIps('client 203.0.113.45', { kind: 'log' })).toHaveLength(1)
    expect(detectIps('10.0.12.7', { field: 'client_ip' })[0]?.confidence).toBe(0.5)
  })
})

describe('SSN', () => {
  it.each([
    ['SSN 536-22-8765', '536-22-8765', 0.98],
    ['id 536-22-8765', '536-22-8765', 0.85],
    ['id 536 22 8765', '536 22 8765', 0.7],
    ['SSN: 536228765', '536228765', 0.98],
    ['social security number is 536-22-8765', '536-22-8765', 0.98],
  ])('finds %j', (text, value, conf) => {
    const h = detectSsn(text)
    expect(h.map((x) => text.slice(x.start, x.end))).toEqual([value])
    expect(h[0]?.confidence).toBe(conf)
  })
  it.each(['000-12-3456', '666-12-3456', '912-12-3456', '536-00-8765', '536-22-0000', '078-05-1120', '219-09-9999', '123-45-6789', 'id 536228765', '1536-22-8765', '536-22-87651'])('rejects %j', (text) => {
    expect(detectSsn(text)).toEqual([])
  })
  it('reads an ssn field and ignores infrastructure fields', () => {
    expect(found('536228765', { field: 'patient_ssn' })).toEqual([['SSN', '536228765']])
    expect(detectSsn('536-22-8765', { field: 'trace_id' })).toEqual([])
  })
})

describe('cued identifiers', () => {
  it.each([
    ['MRN: 00482913', 'MRN', '00482913'],
    ['medical record number MR-0048213', 'MRN', 'MR-0048213'],
    ['Chart #: 12345', 'MRN', '12345'],
    ['PID: 778812', 'MRN', '778812'],
    ['patient id 4471-22', 'MRN', '4471-22'],
    ['member ID: XYZ123456789', 'HEALTH_PLAN', 'XYZ123456789'],
    ['Policy #: P-55512', 'HEALTH_PLAN', 'P-55512'],
    ['group number 00412', 'HEALTH_PLAN', '00412'],
    ['Medicaid # 99812233A', 'HEALTH_PLAN', '99812233A'],
    ['HICN 536228765A', 'HEALTH_PLAN', '536228765A'],
    ['Acct #: 99812345', 'ACCOUNT', '99812345'],
    ['billing account 7712-0093', 'ACCOUNT', '7712-0093'],
    ['NPI: 1234567893', 'LICENSE', '1234567893'],
    ['DEA: AB1234563', 'LICENSE', 'AB1234563'],
    ['license MD-48213', 'LICENSE', 'MD-48213'],
    ["driver's license number is 2270-66-1551", 'LICENSE', '2270-66-1551'],
    ['DL# D1234567', 'LICENSE', 'D1234567'],
    ["My driver's license number is F162823540116", 'LICENSE', 'F162823540116'],
    ['plate 7ABC 123', 'VEHICLE', '7ABC 123'],
    ['license plate: XYZ-1234', 'VEHICLE', 'XYZ-1234'],
    ['serial #: PMK4471290', 'DEVICE', 'PMK4471290'],
    ['S/N 88123-44', 'DEVICE', '88123-44'],
    ['IMEI 490154203237518', 'DEVICE', '490154203237518'],
    ['Fingerprint template id FP-88213', 'BIOMETRIC', 'FP-88213'],
    ['retina scan #RS4471', 'BIOMETRIC', 'RS4471'],
    ['voiceprint VP-0091', 'BIOMETRIC', 'VP-0091'],
    ['confirmed by palm vein template BIO-1B61C495.', 'BIOMETRIC', 'BIO-1B61C495'],
    ['finger vein scan FV-20931', 'BIOMETRIC', 'FV-20931'],
    ['hand geometry record HG-4471', 'BIOMETRIC', 'HG-4471'],
    ['DNA profile id DP-778812', 'BIOMETRIC', 'DP-778812'],
    ['gait signature template GS-0042', 'BIOMETRIC', 'GS-0042'],
    ['iris template BIO-95322817', 'BIOMETRIC', 'BIO-95322817'],
    ['case # 2023-0045', 'OTHER_ID', '2023-0045'],
    ['claim number CLM88812', 'OTHER_ID', 'CLM88812'],
    ['encounter id E-77812', 'OTHER_ID', 'E-77812'],
    ['accession number ACC12345', 'OTHER_ID', 'ACC12345'],
  ])('finds %j', (text, type, value) => {
    expect(found(text)).toEqual([[type, value]])
  })

  it.each([
    'gait 10 m walk test in 12 s',
    'DNA 2 copies detected',
    'hand 3 fingers swollen',
    'palm vein 2 cm laceration',
    'fingerprint template on file',
  ])('needs a qualifier after a common-word modality: %j', (text) => {
    expect(ofType(text, 'BIOMETRIC')).toEqual([])
  })

  it('takes a biometric reference id without digits (a hex id after its prefix)', () => {
    expect(ofType('Confirmed by iris template BIO-FDECBDFA. HbA1c 6.0%', 'BIOMETRIC')).toEqual(['BIO-FDECBDFA'])
    expect(ofType('Fingerprint template FINGER on file, HbA1c 6.0%', 'BIOMETRIC')).toEqual([])
  })

  it('gives the value span', () => {
    expect(detectCuedIds('MRN: 00482913')).toEqual([{ type: 'MRN', start: 5, end: 13, confidence: 0.95, detector: 'mrn-cue' }])
  })

  it.each([
    'pid=4512 started',
    'License: Apache-2.0',
    'license MIT',
    'account 123456789012 in us-east-1',
    'AWS account 123456789012',
    'case 4 of 12',
    'platelets 150000',
    'serial console enabled',
    'MRN: 5f2b9c3e-8a1d-4c2e-9f0a-1b2c3d4e5f60',
    'claim id 9fceb02d0ae598e95dc970b74767f19372d61af8',
    'build 4512 (#4512)',
  ])('not in %j', (text) => {
    expect(found(text)).toEqual([])
  })

  it('drops a PID and a plain account number in logs', () => {
    expect(found('PID: 4512', { kind: 'log' })).toEqual([])
    expect(found('account 123456789012', { kind: 'log' })).toEqual([])
  })
})

describe('self-validating codes', () => {
  it.each([
    ['DEA AB1234563', 'LICENSE', 'AB1234563'],
    ['card on file BB1388568', 'LICENSE', 'BB1388568'],
    ['1EG4-TE5-MK73', 'HEALTH_PLAN', '1EG4-TE5-MK73'],
    ['beneficiary 1EG4TE5MK73', 'HEALTH_PLAN', '1EG4TE5MK73'],
    ['car 1HGCM82633A004352', 'VEHICLE', '1HGCM82633A004352'],
    ['UDI (01)00614141999996(17)201231(10)A1234(21)SN5566 ok', 'DEVICE', '(01)00614141999996(17)201231(10)A1234(21)SN5566'],
    ['label +H123ABC01234567890D', 'DEVICE', '+H123ABC01234567890D'],
    ['card 4111 1111 1111 1111', 'ACCOUNT', '4111 1111 1111 1111'],
    ['amex 3782 822463 10005', 'ACCOUNT', '3782 822463 10005'],
    ['card 4111111111111111', 'ACCOUNT', '4111111111111111'],
    ['IBAN GB82WEST12345698765432', 'ACCOUNT', 'GB82WEST12345698765432'],
  ])('finds %j', (text, type, value) => {
    expect(found(text)).toEqual([[type, value]])
  })
  it.each([
    'AB1234564',
    '1EG4TE5MK7S',
    '1HGCM82633A004353',
    '(01)00614141999997',
    '+H123ABC01234567890E',
    '4111111111111112',
    'trace_id=4111111111111111',
    'GB82WEST12345698765433',
    'sha 3E7A9F0C1B2D4E5F60718',
  ])('rejects %j', (text) => {
    expect(found(text)).toEqual([])
  })
  it('honours infrastructure fields', () => {
    expect(detectCodes('1HGCM82633A004352', { field: 'build_id' })).toEqual([])
  })
})

describe('field names', () => {
  it.each([
    ['Observation.effectiveDateTime', '2026-02-17T14:39:10Z'],
    ['Condition.onsetDateTime', '2025-07-09T19:50:41+00:00'],
    ['Procedure.performedDateTime', '2024-05-28T10:01:21-05:00'],
    ['admit_time', '2024-03-01 10:30'],
  ])('%s holds a date of care even with a time at the start of the value', (field, value) => {
    expect(found(value, { field, kind: 'value' })).toEqual([['DATE', value]])
  })
  it.each([
    ['meta.lastUpdated', '2026-02-17T14:39:10Z'],
    ['timestamp', '2026-02-17T14:39:10Z'],
    ['event_time', '2026-02-17 14:39:10'],
  ])('%s stays a machine event time', (field, value) => {
    expect(ofType(value, 'DATE', { field, kind: 'value' })).toEqual([])
  })
  it.each([
    ['mrn', '00482913', 'MRN'],
    ['memberId', 'QHP884120557', 'HEALTH_PLAN'],
    ['vin', 'SALVA2AE4EH877482', 'VEHICLE'],
    ['device_serial', 'PMK4471290', 'DEVICE'],
    ['account_number', '55120874', 'ACCOUNT'],
    ['claim_id', 'CLM-0093321', 'OTHER_ID'],
  ])('%s declares %s', (field, value, type) => {
    expect(found(value, { field })).toEqual([[type, value]])
  })
  it.each([
    ['trace_id', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['request_id', '5f2b9c3e-8a1d-4c2e-9f0a-1b2c3d4e5f60'],
    ['span_id', '00f067aa0ba902b7'],
    ['arn', 'arn:aws:iam::123456789012:role/intake'],
    ['account_id', '123456789012'],
    ['commit', '9fceb02d0ae598e95dc970b74767f19372d61af8'],
    ['sha', '9fceb02'],
    ['build', '4512'],
    ['version', '1.14.2'],
    ['port', '8443'],
    ['duration_ms', '2125550123'],
  ])('%s suppresses its value', (field, value) => {
    expect(found(value, { field })).toEqual([])
  })
})

describe('fixtures', () => {
  const read = (f: string): string => readFileSync(new URL(`./testdata/${f}`, import.meta.url), 'utf8')
  it('finds every identifier of the clinical note', () => {
    const text = read('clinical-note.txt')
    const expected = JSON.parse(read('clinical-note.expected.json')) as Array<[PhiType, string]>
    expect(found(text, { kind: 'text' })).toEqual(expected)
  })
  it('finds nothing in the service log', () => {
    expect(found(read('service.log'), { kind: 'log' })).toEqual([])
    // line by line, as a log reader calls it
    for (const line of read('service.log').split('\n')) expect(found(line, { kind: 'log' })).toEqual([])
  })
})

describe('fuzz', () => {
  const alphabet = fc.constantFrom(...'0123456789-/.:() +@#xXTZ\nMRNSSNabcdefAB   '.split(''))
  const pieces = fc.constantFrom('MRN: ', 'SSN ', 'DOB ', 'Fax: ', 'age 9', '(01)', '+H1', 'www.', 'http://', '::', '1EG4', 'March ', '2024-03-01T', 'account ', 'VIN ')
  const texty = fc.array(fc.oneof(fc.string({ unit: alphabet, maxLength: 12 }), pieces, fc.string({ maxLength: 8 })), { maxLength: 20 }).map((a) => a.join(''))
  const ctx = fc.record({ field: fc.option(fc.constantFrom('mrn', 'trace_id', 'phone', 'created_at', 'age', 'vin', 'x'), { nil: undefined }), kind: fc.option(fc.constantFrom('text', 'log', 'cell', 'value') as fc.Arbitrary<DetectContext['kind']>, { nil: undefined }) })
  it('never throws and keeps every span inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(texty, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })), ctx, (text, c) => {
        for (const h of detectStructured(text, c)) {
          expect(h.start).toBeGreaterThanOrEqual(0)
          expect(h.end).toBeLessThanOrEqual(text.length)
          expect(h.start).toBeLessThan(h.end)
          expect(h.confidence).toBeGreaterThan(0)
          expect(h.confidence).toBeLessThanOrEqual(1)
        }
      }),
      { numRuns: 2000 },
    )
  })
})

describe('look-back shortcuts (character checks before the regex) keep the results', () => {
  it.each([
    ['version\u00a01.2.30 and v 3.4.50', []],
    ['ts =\u00a02024-03-14 12:00:00 x', []],
    ['seen 14\u00a0March 2023', [['DATE', 'March 2023']]],
    ['seen 14 March 2023', [['DATE', '14 March 2023']]],
    ['Patient ID: ARN123456789', [['MRN', 'ARN123456789']]],
    ['acct sg-12345', []],
    ['Case no 2023-03-14', [['DATE', '2023-03-14']]],
    ['Case no 12-03-2023X5', [['OTHER_ID', '12-03-2023X5']]],
  ] as Array<[string, Array<[PhiType, string]>]>)('%j', (text, expected) => {
    expect(found(text)).toEqual(expected)
  })
  it('reuses contexts without leaking one call into the next', () => {
    expect(ofType('age: 95', 'AGE_OVER_89')).toEqual(['95'])
    expect(ofType('95', 'AGE_OVER_89', { field: 'patientAge' })).toEqual(['95'])
    expect(ofType('95', 'AGE_OVER_89', { field: 'patientAge', kind: 'log' })).toEqual(['95'])
    expect(ofType('95', 'AGE_OVER_89')).toEqual([])
    expect(ofType('10.0.0.7', 'IP', { field: 'client_ip' })).toEqual(['10.0.0.7'])
    expect(ofType('10.0.0.7', 'IP')).toEqual([])
  })
})

describe('cryptographic fingerprints are not biometric identifiers', () => {
  it.each(['ECDSA key fingerprint is SHA256:p2QAMXNIC1TJYWeIOttrVc98/R1BUFWu3/LiyKgUfQM.', 'tls fingerprint: 7f3a9c2e1b', 'fingerprint=e3b0c44298fc1c149afbf4c8996fb924', 'Server host key fingerprint SHA256 abc123'])('none in %j', (text) => {
    expect(detectStructured(text).filter((h) => h.type === 'BIOMETRIC')).toEqual([])
  })
  it('still reads a person’s fingerprint references', () => {
    expect(ofType('right thumb fingerprint 4471902', 'BIOMETRIC')).toEqual(['4471902'])
    expect(ofType('Fingerprint template id FP-88213', 'BIOMETRIC')).toEqual(['FP-88213'])
    expect(detectStructured('FP-20931', { field: 'fingerprint', kind: 'value' }).map((h) => h.type)).toEqual(['BIOMETRIC'])
    expect(detectStructured('FP-20931', { field: 'ssh_key_fingerprint', kind: 'value' }).map((h) => h.type)).not.toContain('BIOMETRIC')
  })
})
