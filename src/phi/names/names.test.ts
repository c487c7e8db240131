import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PhiHit } from '../types.js'
import { detectNames } from './index.js'
import { isNameWord, lexiconFrom } from './lexicon.js'

const testdata = (name: string) => readFileSync(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)), 'utf8')

/** The text of each NAME hit. */
function names(text: string, field?: string): string[] {
  return detectNames(text, field ? { field } : undefined).map((h) => text.slice(h.start, h.end))
}

describe('name lexicon', () => {
  it('keeps names and drops stopwords, months, medical and product words', () => {
    for (const w of ['Maria', 'Thomas', 'Nguyen', 'Okafor', 'Kaczmarek']) expect(isNameWord(w), w).toBe(true)
    for (const w of ['The', 'May', 'Will', 'Patient', 'Street', 'Jenkins', 'Kafka', 'Monday', 'Canada', 'Cancer']) expect(isNameWord(w), w).toBe(false)
  })
  it('folds accents and case', () => {
    expect(isNameWord('JOSÉ')).toBe(true)
    expect(isNameWord('josé')).toBe(true)
  })
  it('filters keys of one letter and stopwords', () => {
    const lex = lexiconFrom(['A', 'Ann', 'Br\uFFFDll', 'The'], new Set(['the']))
    expect(['a', 'ann', 'the', 'brll', 'bob'].filter((k) => lex.has(k))).toEqual(['ann'])
  })
})

describe('detectNames cues', () => {
  it.each([
    ['Seen by Dr. Alice Mendez today.', 'Alice Mendez', 12],
    ['Pt seen with his mother Jane Doe at bedside.', 'Jane Doe', 24],
    ['Patient Name: Doe, Jane', 'Doe, Jane', 14],
    ['Attending: Robert K. Lin', 'Robert K. Lin', 11],
    ['Signed by Maria Lopez, MD', 'Maria Lopez', 10],
    ['Referred by Thomas Nguyen, PA-C', 'Thomas Nguyen', 12],
    ['Emergency contact: Peter Novak (brother)', 'Peter Novak', 19],
    ['Mr. Okafor was admitted on 3/4.', 'Okafor', 4],
    ['Linda Park RN administered the dose.', 'Linda Park', 0],
    ['my name is jane doe', 'jane doe', 11],
    ['Spoke with the patient\'s wife, Rosa.', 'Rosa', 31],
    ['Met with Carlos Ramirez.', 'Carlos Ramirez', 9],
    ['Results were reviewed with Grace and Maria yesterday.', 'Maria', 37],
  ])('%s', (text, name, start) => {
    const hits = detectNames(text)
    expect(hits.map((h) => text.slice(h.start, h.end))).toContain(name)
    const hit = hits.find((h) => text.slice(h.start, h.end) === name) as PhiHit
    expect(hit).toMatchObject({ type: 'NAME', start, end: start + name.length })
  })

  it('reads a single lexicon name after a title, not at a bare sentence start', () => {
    expect(names('Maria called about her refill.')).toEqual(['Maria'])
    expect(names('Charlotte is the capital of nothing.')).toEqual(['Charlotte'])
    expect(names('Harper bought a new car.')).toEqual([])
  })

  it('finds First M. Last and names of two lexicon words without a cue', () => {
    expect(names('Follow up with Anna M. Kowalski next week.')).toEqual(['Anna M. Kowalski'])
    expect(names('Report cc to Joseph Whitaker and the team.')).toEqual(['Joseph Whitaker'])
  })

  it('reads HL7 name fields', () => {
    const msg = 'MSH|^~\\&|LAB|HOSP|||202401011200||ADT^A01|1|P|2.5\rPID|1||12345^^^HOSP^MR||DOE^JOHN^A||19800101|M\rNK1|1|SMITH^MARY|MTH'
    const hits = detectNames(msg)
    expect(hits.map((h) => msg.slice(h.start, h.end))).toEqual(['DOE^JOHN^A', 'SMITH^MARY'])
    expect(hits.every((h) => h.detector === 'name-hl7')).toBe(true)
  })

  it('takes the whole value of a name field', () => {
    expect(detectNames('  Adaeze Okafor ', { field: 'patient_name' })).toEqual([{ type: 'NAME', start: 2, end: 15, confidence: 0.95, detector: 'name-field' }])
    expect(names('Okafor', 'name.family')).toEqual(['Okafor'])
    expect(names('DOE^JOHN', 'PID-5')).toEqual(['DOE^JOHN'])
    expect(names('orders-prod', 'bucket_name')).toEqual([])
    expect(names('N/A', 'last_name')).toEqual([])
  })

  it('finds every name in a clinical note', () => {
    const text = testdata('clinical-note.txt')
    expect(names(text)).toEqual(['Okafor, Adaeze', 'Robert K. Lin', 'Miriam Okafor', 'Peter Novak', 'Okafor', 'Linda Park', 'Thomas Nguyen', 'Maria Lopez'])
  })
})

describe('detectNames hard negatives', () => {
  it.each([
    'Lambda invoked Kafka consumer; Jenkins build pushed to Grafana via Amazon SQS.',
    'ERROR Request failed for service Athena in region us-east-1',
    'Discharge Summary\nChief Complaint: chest pain',
    'May is a good month. Will you come?',
    'The Davis, Reynolds and Williamson Orchestra was founded in 1977.',
    'Deploy Redis, Consul and Vault with Helm on Docker and Azure.',
    'She lives at 12 Kimberly Way.',
  ])('%s', (text) => {
    expect(names(text)).toEqual([])
  })

  it('flags no names in infrastructure logs', () => {
    expect(names(testdata('infra.log'))).toEqual([])
  })
})

describe('detectNames tokenizer and long inputs', () => {
  it('reads letters beyond ASCII: combining marks, astral letters, Greek capitals, typographic apostrophes', () => {
    expect(names('Seen by Dr. Jose\u0301 Marti\u0301nez today.')).toEqual(['Jose\u0301 Marti\u0301nez'])
    expect(names('Patient Name: \u{1D409}ohn \u03A9mega')).toEqual(['\u{1D409}ohn \u03A9mega'])
    expect(names('Referred by ΑΝΝΑ ΠΑΠΑΔΟΠΟΥΛΟΥ, MD')).toEqual(['ΑΝΝΑ ΠΑΠΑΔΟΠΟΥΛΟΥ'])
    expect(names("Mrs. D'Angelo's son Marco")).toEqual(["D'Angelo", 'Marco'])
    expect(names('my name is jane doe-')).toEqual(['jane doe'])
  })

  it('finds in a long text (read in line-aligned chunks) exactly the hits of its lines', () => {
    const note = testdata('clinical-note.txt')
    const lines = [note, 'Follow up with Anna M. Kowalski next week.', 'Lambda invoked Kafka consumer; Jenkins build pushed.', 'Report cc to Joseph Whitaker and the team.']
    const parts: string[] = []
    for (let i = 0; parts.join('\n').length < 100_000; i++) parts.push(lines[i % lines.length]!)
    const text = parts.join('\n')
    const expected: PhiHit[] = []
    let offset = 0
    for (const part of parts) {
      for (const h of detectNames(part)) expected.push({ ...h, start: h.start + offset, end: h.end + offset })
      offset += part.length + 1
    }
    expect(detectNames(text)).toEqual(expected)
  })
})

describe('detectNames fuzz', () => {
  it('never throws and keeps every span inside the text', () => {
    const alphabet = fc.constantFrom(...'Aa Bb Jj Mm Dr. Mr. Ms , : ^ | \n 12 é Ł O\'Brien Mary Smith name is his mother MD RN'.split(' '))
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(' '))), (text) => {
        for (const h of detectNames(text)) {
          expect(h.type).toBe('NAME')
          expect(h.start).toBeGreaterThanOrEqual(0)
          expect(h.end).toBeLessThanOrEqual(text.length)
          expect(h.start).toBeLessThan(h.end)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('detectNames medical eponyms', () => {
  it.each([
    "Also followed for Hashimoto's thyroiditis; Foley catheter in place.",
    "Also followed for Crohn's disease; Glasgow Coma Scale 15.",
    'History of Hodgkin lymphoma, in remission.',
    "Known Graves' disease, on methimazole.",
    'Parkinson disease with resting tremor; Alzheimer dementia suspected.',
    "Right Bell's palsy, improving. Murphy sign positive.",
    'Guillain-Barré syndrome in 2019. Down syndrome. Tourette syndrome.',
    'Positive Romberg test and Babinski sign; Epley maneuver performed.',
    'Apgar score 8/9. Wells score 2. Kaposi sarcoma of the leg.',
    'HODGKIN LYMPHOMA',
    'Past history: Cushing syndrome, Addison disease, Sjögren syndrome.',
    "Diagnosed with Parkinson's. History of Crohn's.",
  ])('%s', (text) => {
    expect(names(text)).toEqual([])
  })

  it('still reads eponym surnames as people without a medical head word', () => {
    expect(names('Seen by Dr. Graves today.')).toEqual(['Graves'])
    expect(names('Follow up with John Parkinson next week.')).toEqual(['John Parkinson'])
    expect(names("Spoke with the patient's wife, Hannah Crohn.")).toEqual(['Hannah Crohn'])
    expect(names("Mrs. Addison's daughter called.")).toEqual(['Addison'])
  })
})

describe('detectNames insurers and payers', () => {
  it.each([
    'Primary Medicare, MBI on file; secondary Cigna member ID on file.',
    'Coverage: Aetna PPO. Prior plan Humana Gold, then Anthem Blue Cross.',
    'Referred from Kaiser Permanente; UnitedHealthcare denied the claim; Tricare pending.',
    'Insurance: Molina Healthcare (Medicaid).',
  ])('%s', (text) => {
    expect(names(text)).toEqual([])
  })

  it('keeps people whose surname is also a payer', () => {
    expect(names('Met with Henry Kaiser.')).toEqual(['Henry Kaiser'])
    expect(names('Attending: Dr. Julio César Molina Maldonado')).toEqual(['Julio César Molina Maldonado'])
  })
})

describe('detectNames log vocabulary and structure', () => {
  it.each([
    '3s   Warning   BackOff             pod/scheduler-7d9 Back-off restarting failed container',
    '53h  Normal    Pulling             pod/notifier-5c  Pulling image "123.dkr.ecr.aws/notifier:1.4"',
    '2m   Warning   CrashLoopBackOff    pod/api-0  FailedScheduling  Unhealthy  Killing',
    '[2026-06-09T03:13:45Z] Step 23/33 : RUN npm run build --workspace=intake-api',
    'rt=0.296 request_id=f79eee243ea4 trace_id=Root=1-2d6b73d9-63ce4163 upstream=intake-api:3000',
    '{"reason":"Scheduled","message":"Successfully assigned","node":"Hunter"}',
    'user=Root level=info msg="Started" Marcus=1',
  ])('%s', (text) => {
    expect(names(text)).toEqual([])
  })

  it('reads no job title or identifier letters as a name', () => {
    expect(names('Julius,Luettgen,Unit Clerk,Cardiology,301-985-6215')).not.toContain('Clerk')
    expect(names('Karen,McGlynn,Systems Engineer,Health Information Management')).not.toContain('Engineer')
    expect(names('prescribed by Dr. Iyer (DEA MI3772351).')).toEqual(['Iyer'])
    expect(names('iris template BIO-3557777C. Portal message from patient')).toEqual([])
    expect(names('Met with Anna Clerk.')).toEqual(['Anna Clerk'])
  })

  it('keeps CamelCase surnames', () => {
    expect(names('Attending: Dr. Leona McLaughlin')).toEqual(['Leona McLaughlin'])
    expect(names('Her sister, Jeremiah Harris-McCullough, visited.')).toEqual(['Jeremiah Harris-McCullough'])
    expect(names('Electronically signed by Lorene DuBuque-Bradtke')).toEqual(['Lorene DuBuque-Bradtke'])
    expect(names('Met with DeShawn MacDonald.')).toEqual(['DeShawn MacDonald'])
  })

  it('needs a real cue in a log line (kind log)', () => {
    const log = (text: string, field?: string) => detectNames(text, { kind: 'log', ...(field ? { field } : {}) }).map((h) => text.slice(h.start, h.end))
    expect(log('job finished for Marcus in 3s')).toEqual([])
    expect(log('Started container Maria')).toEqual([])
    expect(log('result posted patient=Barrows, Edmond phone=1-240-632-3208')).toEqual(['Barrows, Edmond'])
    expect(log('intake posted patient_mrn=47022496 name="Gilbert Mosciski" dob=1974-05-26')).toEqual(['Gilbert Mosciski'])
    expect(log('reminder sent to Maria Lopez')).toEqual(['Maria Lopez'])
    // A value split from `patient=…` by the log reader: the field is the cue.
    expect(log('Barrows, Edmond', 'patient')).toEqual(['Barrows, Edmond'])
    expect(log('BackOff', 'reason')).toEqual([])
  })
})

describe('name spans end at the next field', () => {
  const names = (text: string): string[] => detectNames(text, { kind: 'text' }).map((h: PhiHit) => text.slice(h.start, h.end))
  it('an identifier cue in capitals is not part of the name before it; field labels are not names', () => {
    expect(names('patient Cornelius Wainwright SSN 456-78-9012 seen today')).toEqual(['Cornelius Wainwright'])
    expect(names('Patient John Smith MRN 12345678 admitted')).toEqual(['John Smith'])
    expect(names('Seen by Dr. Alice Brown DOB 01/02/1950')).toEqual(['Alice Brown'])
    expect(names('Dates: 2024-03-01 to 2024-03-09\nAges: 45, 67')).toEqual([])
    // a name in capitals is still a name: only the cue acronyms split
    expect(names('Patient JOHN SMITH SSN 456-78-9012')).toEqual(['JOHN SMITH'])
  })
})

describe('units and service log fields are not names', () => {
  it('finds no person in a Lambda REPORT line or a font size, and still reads the titles Ms and Pt', () => {
    const report = 'REPORT RequestId: 3f1c2a9e-1d2b-4c3d-8e9f-0a1b2c3d4e5f\tDuration: 2.35 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tInit Duration: 180.21 ms'
    expect(detectNames(report, { kind: 'log' })).toEqual([])
    expect(detectNames('set in 12 pt Arial Black', { kind: 'text' })).toEqual([])
    const seen = (t: string) => detectNames(t, { kind: 'text' }).map((h) => t.slice(h.start, h.end))
    expect(seen('Seen by Ms Jane Doe today')).toEqual(['Jane Doe'])
    expect(seen('pt John Smith admitted')).toEqual(['John Smith'])
    expect(seen('Max Maxwell called')).toEqual(['Max Maxwell'])
  })
})
