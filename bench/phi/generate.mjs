#!/usr/bin/env node
// Seeded generator of the labelled PHI corpus (bench/phi/README.md): synthetic clinical notes,
// HL7 v2 ADT^A01 / ORU^R01 feeds, FHIR R4 bundles, CSV exports, PHI-bearing application logs, and
// PHI-free files (staff directories, code tables, aggregate statistics, and ≥ 2,000 infrastructure
// records: CloudTrail, Kubernetes events, CI logs, VPC flow logs, access logs, service logs,
// Terraform plans, Prometheus metrics). Every identifier's span is written to labels.jsonl.
// Usage: node bench/phi/generate.mjs [--out DIR] [--mb N] [--seed N]   (default .bench-tmp/phi-corpus, 20 MB)
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { faker, fakerDE, fakerEN_IN, fakerES_MX, fakerVI } from '@faker-js/faker'
import { rng } from '../generate.mjs'
import * as V from './values.mjs'

/** Bump when the generated content changes, so recorded results name what they measured. */
export const PHI_GENERATOR_VERSION = 1
export const DEFAULT_SEED = 0x5eed_0007
export const MIN_INFRA_RECORDS = 2000

// ------------------------------------------------------------------ a text with labelled spans

/** Builds one file's text; `v(type, s)` appends `s` and labels it, `a(type, s)` marks an allowed span. */
class Text {
  constructor() { this.parts = []; this.len = 0; this.labels = []; this.allowed = []; this.records = [] }
  t(s) { this.parts.push(s); this.len += s.length; return this }
  v(type, s) { this.labels.push({ type, start: this.len, end: this.len + s.length }); return this.t(s) }
  a(type, s) { this.allowed.push({ type, start: this.len, end: this.len + s.length }); return this.t(s) }
  /** Marks everything `fn` appends as one infrastructure record. */
  rec(kind, fn) {
    const start = this.len, a0 = this.allowed.length
    fn()
    this.records.push({ kind, start, end: this.len, allowed: this.allowed.slice(a0) })
    return this
  }
  toString() { return this.parts.join('') }
}

/** A labelled JSON value: `L('NAME', 'Smith')` is emitted as the string and its inside labelled. */
const L = (type, value) => ({ __label: type, value })
/** An allowed (infrastructure, not PHI) JSON string: a timestamp or an internal IP. */
const A = (type, value) => ({ __allowed: type, value })

/** Emits `value` as JSON into `tx`, labelling L()/A() strings (inside the quotes). */
function emitJson(tx, value, indent = '  ', cur = '') {
  if (value && typeof value === 'object' && ('__label' in value || '__allowed' in value)) {
    const s = JSON.stringify(value.value)
    if (s.length !== value.value.length + 2) throw new Error(`labelled JSON value needs escaping: ${s}`)
    tx.t('"')
    if ('__label' in value) tx.v(value.__label, value.value); else tx.a(value.__allowed, value.value)
    tx.t('"')
  } else if (Array.isArray(value)) {
    if (value.length === 0) { tx.t('[]'); return }
    const inner = cur + indent
    tx.t(indent ? '[\n' : '[')
    value.forEach((v, i) => { tx.t(indent ? inner : ''); emitJson(tx, v, indent, inner); tx.t(i < value.length - 1 ? (indent ? ',\n' : ',') : '') })
    tx.t(indent ? `\n${cur}]` : ']')
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value)
    if (keys.length === 0) { tx.t('{}'); return }
    const inner = cur + indent
    tx.t(indent ? '{\n' : '{')
    keys.forEach((k, i) => {
      tx.t(`${indent ? inner : ''}${JSON.stringify(k)}:${indent ? ' ' : ''}`)
      emitJson(tx, value[k], indent, inner)
      tx.t(i < keys.length - 1 ? (indent ? ',\n' : ',') : '')
    })
    tx.t(indent ? `\n${cur}}` : '}')
  } else tx.t(JSON.stringify(value))
}

// ------------------------------------------------------------------ clinical vocabulary

const DX = [
  ['E11.9', 'type 2 diabetes mellitus without complications'], ['I10', 'essential (primary) hypertension'],
  ['J44.1', 'chronic obstructive pulmonary disease with acute exacerbation'], ['I50.9', 'heart failure, unspecified'],
  ['N18.3', 'chronic kidney disease, stage 3'], ['F32.9', 'major depressive disorder, single episode'],
  ['J18.9', 'pneumonia, unspecified organism'], ['I48.91', 'unspecified atrial fibrillation'],
  ['E78.5', 'hyperlipidemia, unspecified'], ['M17.11', 'unilateral primary osteoarthritis, right knee'],
  ['C50.911', 'malignant neoplasm of right female breast'], ['K21.9', 'gastro-esophageal reflux disease'],
  ['G40.909', 'epilepsy, unspecified'], ['S72.001A', 'fracture of right femoral neck, initial encounter'],
  ['A41.9', 'sepsis, unspecified organism'], ['N39.0', 'urinary tract infection'], ['F10.20', 'alcohol dependence, uncomplicated'],
  ['B20', 'HIV disease'], ['O24.419', 'gestational diabetes mellitus in pregnancy'], ['G30.9', "Alzheimer's disease, unspecified"],
]
const MEDS = ['metformin 500 mg PO BID', 'lisinopril 10 mg daily', 'atorvastatin 40 mg nightly', 'apixaban 5 mg BID', 'furosemide 40 mg daily', 'sertraline 50 mg daily', 'insulin glargine 20 units at bedtime', 'levetiracetam 750 mg BID', 'tiotropium 18 mcg inhaled daily', 'omeprazole 20 mg daily']
const LABS = [['4548-4', 'Hemoglobin A1c', '%', 5, 11], ['2345-7', 'Glucose', 'mg/dL', 70, 320], ['2160-0', 'Creatinine', 'mg/dL', 0.6, 3.2], ['718-7', 'Hemoglobin', 'g/dL', 8, 16], ['2823-3', 'Potassium', 'mmol/L', 3.1, 5.6], ['33762-6', 'NT-proBNP', 'pg/mL', 50, 9000], ['6690-2', 'WBC', '10*3/uL', 3, 19]]
const HOSPITALS = ['Good Health Hospital', 'Riverside Medical Center', 'St. Brigid Regional', 'Lakeview Clinic', 'Northgate Family Practice', 'Mercy Valley Hospital']
const DEPTS = ['Cardiology', 'Oncology', 'Radiology', 'Emergency Medicine', 'Pharmacy', 'Health Information Management', 'Nursing Administration', 'IT Infrastructure', 'Billing Office', 'Pediatrics', 'Behavioral Health']
const STATES = ['MA', 'NY', 'CA', 'TX', 'IL', 'WA', 'OR', 'NC', 'PA', 'OH', 'GA', 'MN', 'CO', 'AZ']

// ------------------------------------------------------------------ people

/** Name locales and their shares: US English, Mexican Spanish (compound surnames), Indian English, Vietnamese (diacritics), German. */
const NAME_LOCALES = [[faker, 0.7], [fakerES_MX, 0.12], [fakerEN_IN, 0.08], [fakerVI, 0.05], [fakerDE, 0.05]]
function nameFaker(r) { let x = r.next(); for (const [f, p] of NAME_LOCALES) { if (x < p) return f; x -= p } return faker }
function person(r, sex = r.chance(0.5) ? 'female' : 'male') {
  const f = nameFaker(r)
  const first = f.person.firstName(sex), last = f.person.lastName()
  const middle = r.chance(0.3) ? faker.person.firstName(sex)[0] + '.' : ''
  return { first, last, middle, sex }
}
function addressOf(r) {
  return { street: faker.location.streetAddress(r.chance(0.25)), city: faker.location.city(), state: r.pick(STATES), zip: r.chance(0.8) ? faker.location.zipCode('#####') : faker.location.zipCode('#####-####') }
}
function patientOf(r, { old = r.chance(0.1) } = {}) {
  const p = person(r)
  const age = old ? r.int(90, 104) : r.int(18, 89)
  const dob = { y: 2026 - age, m: r.int(1, 12), d: r.int(1, 28) }
  const email = `${p.first}.${p.last}${r.int(1, 99)}@${r.pick(['example.com', 'mail.example.net', 'inbox.example.org', 'example.us'])}`.toLowerCase().replace(/[^a-z0-9.@-]/g, '')
  return { ...p, age, dob, address: addressOf(r), phone: V.phone(r), email, mrn: V.mrn(r), ssn: V.ssn(r), mbi: V.mbi(r), member: V.memberId(r), account: V.account(r), dx: r.pick(DX) }
}
function providerOf(r) { const p = person(r); return { ...p, npi: V.npi(r), dea: V.dea(r, p.last), title: r.pick(['MD', 'DO', 'NP', 'PA-C']) } }

/** Writes "First [M.] Last" as one NAME span (titles are not part of the span). */
function fullName(tx, p, withMiddle = true) { tx.v('NAME', withMiddle && p.middle ? `${p.first} ${p.middle} ${p.last}` : `${p.first} ${p.last}`) }
function addrFree(tx, a) { tx.v('GEO', a.street).t(', ').v('GEO', a.city).t(`, ${a.state} `).v('GEO', a.zip) }

// ------------------------------------------------------------------ clinical notes (free text)

function note(r, kind) {
  const tx = new Text(), pt = patientOf(r), doc = providerOf(r), ref = providerOf(r), rel = person(r)
  const adm = V.ymd(r, 2022, 2026), dis = { ...adm, d: Math.min(28, adm.d + r.int(1, 9)) }
  const hosp = r.pick(HOSPITALS), [icd, dxText] = pt.dx, [icd2, dx2] = r.pick(DX)
  const relWord = r.pick(pt.sex === 'female' ? ['husband', 'son', 'daughter', 'sister'] : ['wife', 'son', 'daughter', 'brother'])
  const say = (s) => tx.t(s)
  const date = (dt) => tx.v('DATE', V.fmtDate(r, dt))
  const sentences = []
  if (kind === 'referral') {
    say(`${hosp}\n`); tx.v('GEO', faker.location.streetAddress()).t('\n').v('GEO', faker.location.city()).t(`, ${r.pick(STATES)} `).v('GEO', faker.location.zipCode('#####')).t('\nTel ').v('PHONE', V.phone(r)).t('  Fax ').v('FAX', V.phone(r)).t('\n\n')
    date(V.ymd(r, 2023, 2026)); say('\n\nDear Dr. '); tx.v('NAME', ref.last); say(',\n\n')
    say('Thank you for seeing '); fullName(tx, pt); say(' (DOB '); date(pt.dob); say(', MRN '); tx.v('MRN', pt.mrn); say(`), whom I am referring for evaluation of ${dxText} (${icd}). `)
  } else {
    say(`${kind === 'admission' ? 'ADMISSION HISTORY AND PHYSICAL' : kind === 'discharge' ? 'DISCHARGE SUMMARY' : 'PROGRESS NOTE'}\n${hosp}\n\n`)
    say(r.pick(['Patient: ', 'Patient Name: ', 'Name: '])); tx.v('NAME', r.chance(0.3) ? `${pt.last.toUpperCase()}, ${pt.first.toUpperCase()}` : `${pt.first} ${pt.last}`)
    say('    DOB: '); date(pt.dob); say('    MRN: '); tx.v('MRN', pt.mrn); say('\n')
    say(kind === 'discharge' ? 'Admission date: ' : 'Date of service: '); date(adm)
    if (kind === 'discharge') { say('    Discharge date: '); date(dis) }
    say('\nAttending: '); say(r.pick(['Dr. ', ''])); fullName(tx, doc, false); say(`, ${doc.title} (NPI `); tx.v('LICENSE', doc.npi); say(')\n\n')
    say('HISTORY OF PRESENT ILLNESS:\n')
    say(r.pick(pt.sex === 'female' ? ['Ms. ', 'Mrs. ', ''] : ['Mr. ', ''])); tx.v('NAME', r.chance(0.5) ? pt.last : `${pt.first} ${pt.last}`); say(' is a ')
    if (pt.age > 89) tx.v('AGE_OVER_89', String(pt.age)); else say(String(pt.age))
    say(`-year-old ${pt.sex === 'female' ? 'woman' : 'man'} with a history of ${dxText} (ICD-10 ${icd}) diagnosed in ${r.int(1995, 2021)}, and ${dx2} (${icd2}), who presents with ${r.pick(['shortness of breath', 'chest pain', 'fever and productive cough', 'a fall at home', 'worsening edema', 'confusion'])} for ${r.int(2, 10)} days. `)
  }
  // optional sentences, each with its own identifiers
  sentences.push(() => { say(`${pt.sex === 'female' ? 'Her' : 'His'} ${relWord}, `); fullName(tx, rel, false); say(', can be reached at '); tx.v('PHONE', V.phone(r)); say('. ') })
  sentences.push(() => { say('The patient lives at '); addrFree(tx, pt.address); say(r.pick([' with family. ', ' alone. ', '. '])) })
  sentences.push(() => { say('Preferred contact: '); tx.v('PHONE', pt.phone); say(' or e-mail '); tx.v('EMAIL', pt.email); say('. ') })
  sentences.push(() => { say(`Insurance: Medicare, MBI `); tx.v('HEALTH_PLAN', V.mbi(r, r.chance(0.3))); say('; secondary ' + r.pick(['Aetna', 'BCBS', 'United', 'Cigna']) + ' member ID '); tx.v('HEALTH_PLAN', pt.member); say('. ') })
  sentences.push(() => { say('SSN on file: '); tx.v('SSN', V.ssn(r, r.chance(0.85) ? 'dash' : 'space')); say('. Billing account # '); tx.v('ACCOUNT', pt.account); say('. ') })
  sentences.push(() => { say(`Discharged on ${r.pick(MEDS)}; oxycodone 5 mg q6h PRN prescribed by Dr. `); tx.v('NAME', doc.last); say(' (DEA '); tx.v('LICENSE', doc.dea); say('). ') })
  sentences.push(() => { say(`A ${r.pick(['dual-chamber pacemaker', 'insulin pump', 'ICD', 'cochlear implant'])} was placed in ${r.int(2010, 2024)}; device serial number `); tx.v('DEVICE', V.serial(r)); say(', UDI '); tx.v('DEVICE', V.udi(r)); say('. ') })
  sentences.push(() => { say(`Injured as the driver in a motor vehicle collision on `); date(V.ymd(r, 2024, 2026)); say('; vehicle VIN '); tx.v('VEHICLE', V.vin(r)); say(', license plate '); tx.v('VEHICLE', V.plate(r)); say('. ') })
  sentences.push(() => { say('Results were released to the patient portal at '); tx.v('URL', `https://portal.${r.pick(['riverside-health', 'ghh', 'lakeview-clinic'])}.example.org/patients/${V.mrn(r)}/results`); say(' and viewed from IP '); tx.v('IP', V.publicIp(r)); say('. ') })
  sentences.push(() => { say('Identity confirmed at check-in by '); tx.v('BIOMETRIC', `${r.pick(['fingerprint', 'palm vein', 'iris', 'voiceprint'])} template ${V.biometricId(r)}`); say('. ') })
  sentences.push(() => { say('Related claim number '); tx.v('OTHER_ID', V.claimNo(r)); say('; specimen accession '); tx.v('OTHER_ID', V.accession(r)); say('. ') })
  sentences.push(() => { say('Driver license '); tx.v('LICENSE', V.driverLicense(r)); say(` (${r.pick(STATES)}) copied for the chart. `) })
  sentences.push(() => { say(`Follow up in clinic on `); date(V.ymd(r, 2025, 2027)); say(' with Dr. '); fullName(tx, ref, false); say(', '); tx.v('PHONE', V.phone(r)); say('. ') })
  sentences.push(() => { say('Portal message from patient: "Thank you all 🙏 — '); tx.v('NAME', pt.first); say('". ') })
  // PHI-free clinical sentences (hard negatives: years, ages ≤ 89, doses, lab values, codes)
  const filler = [
    () => say(`Labs: HbA1c ${(5 + r.next() * 5).toFixed(1)}% (LOINC 4548-4), creatinine ${(0.6 + r.next() * 2).toFixed(2)} mg/dL, potassium ${(3.2 + r.next() * 2).toFixed(1)} mmol/L. `),
    () => say(`Vitals: BP ${r.int(100, 170)}/${r.int(60, 100)}, HR ${r.int(55, 120)}, RR ${r.int(12, 28)}, SpO2 ${r.int(86, 100)}% on ${r.int(0, 4)} L. `),
    () => say(`Medications: ${r.pick(MEDS)}; ${r.pick(MEDS)} (NDC 0002-${V.pad(r.int(1000, 9999), 4)}-${V.pad(r.int(1, 99), 2)}). `),
    () => say(`Past surgical history: appendectomy in ${r.int(1970, 2015)}, cholecystectomy ${r.int(1990, 2020)}. Family history: father with MI at age ${r.int(40, 80)}. `),
    () => say(`Assessment and plan: ${dxText} — continue current regimen, CPT ${r.pick(['99213', '99214', '99223', '99238'])}; repeat BMP in ${r.int(2, 14)} days; room ${r.int(2, 9)}${r.pick(['A', 'B', 'C'])}-${r.int(100, 450)}. `),
    () => say(`Also followed for ${r.pick(["Parkinson's disease", "Crohn's disease", "Hashimoto's thyroiditis", "Bell's palsy", 'Hodgkin lymphoma', "Graves' disease"])}; ${r.pick(['Foley catheter removed', 'Glasgow Coma Scale 15', 'Babinski sign negative', 'Apgar 8/9 at birth', 'Murphy sign positive'])}; take 1/2 tablet if needed, ${r.pick(['Tylenol', 'Lasix', 'Coumadin', 'Keppra'])} per Dr. order. `),
    () => say(`Social history: ${r.int(0, 40)} pack-years, quit ${r.int(1990, 2022)}; drinks ${r.int(0, 14)} units/week. `),
  ]
  const order = sentences.map((f, i) => [r.next(), f, i])
  order.sort((a, b) => a[0] - b[0])
  const n = r.int(5, sentences.length)
  for (let i = 0; i < n; i++) { order[i][1](); if (r.chance(0.7)) r.pick(filler)(); if (r.chance(0.25)) say('\n\n') }
  for (const f of filler) if (r.chance(0.5)) f()
  if (kind === 'referral') { say('\n\nSincerely,\n\n'); fullName(tx, doc, false); say(`, ${doc.title}\nNPI `); tx.v('LICENSE', doc.npi); say('\n') }
  else { say('\n\nElectronically signed by '); fullName(tx, doc, false); say(`, ${doc.title} on `); date(V.ymd(r, 2022, 2026)); say('\n') }
  return tx
}

/** A note with every identifier replaced by a placeholder: health information, no identifiers → not PHI. */
function redactedNote(r) {
  const src = note(r, r.pick(['admission', 'discharge', 'progress', 'referral'])), text = src.toString(), tx = new Text()
  const style = r.int(0, 2)
  let pos = 0
  for (const l of src.labels) { tx.t(text.slice(pos, l.start)); tx.t(style === 0 ? `[${l.type}]` : style === 1 ? '[REDACTED]' : '***'); pos = l.end }
  tx.t(text.slice(pos))
  return tx
}

// ------------------------------------------------------------------ HL7 v2

function hl7File(r) {
  const tx = new Text(), eol = r.chance(0.5) ? '\n' : '\r\n', n = r.int(4, 14)
  for (let i = 0; i < n; i++) {
    const pt = patientOf(r), doc = providerOf(r), nk = person(r), oru = r.chance(0.4)
    const when = V.ymd(r, 2023, 2026), fac = r.pick(['GHH', 'RMC', 'SBR', 'LVC'])
    tx.t(`MSH|^~\\&|${oru ? 'LAB' : 'ADT1'}|${fac}|EHR|${fac}|`).v('DATE', V.hl7Ts(r, when)).t(`||${oru ? 'ORU^R01^ORU_R01' : 'ADT^A01^ADT_A01'}|MSG${V.digits(r, 8)}|P|2.5.1${eol}`)
    if (!oru) { tx.t('EVN|A01|').v('DATE', V.hl7Ts(r, when)).t(eol) }
    tx.t('PID|1||').v('MRN', pt.mrn).t(`^^^${fac}^MR||`).v('NAME', pt.last.toUpperCase()).t('^').v('NAME', pt.first.toUpperCase())
    if (pt.middle) tx.t('^').v('NAME', pt.middle[0])
    tx.t('||').v('DATE', V.hl7Date(pt.dob)).t(`|${pt.sex === 'female' ? 'F' : 'M'}||2106-3|`)
    tx.v('GEO', pt.address.street.toUpperCase()).t('^^').v('GEO', pt.address.city.toUpperCase()).t(`^${pt.address.state}^`).v('GEO', pt.address.zip).t('^USA||')
    tx.v('PHONE', V.phone(r, r.pick([0, 1, 4]))).t('|').v('PHONE', V.phone(r, r.pick([0, 1, 4]))).t('||M||').v('ACCOUNT', pt.account).t('^^^').t(fac).t('^AN|').v('SSN', r.chance(0.5) ? pt.ssn : pt.ssn.replace(/-/g, '')).t('|')
    if (r.chance(0.4)) tx.v('LICENSE', V.driverLicense(r)).t(`^${pt.address.state}`)
    tx.t(eol)
    if (r.chance(0.7)) { tx.t('NK1|1|').v('NAME', nk.last.toUpperCase()).t('^').v('NAME', nk.first.toUpperCase()).t(`|${r.pick(['SPO^SPOUSE', 'CHD^CHILD', 'SIB^SIBLING'])}||`).v('PHONE', V.phone(r, 1)).t(`||NK^NEXT OF KIN${eol}`) }
    tx.t(`PV1|1|${oru ? 'O' : 'I'}|${r.int(2, 9)}N^${r.int(200, 450)}^${r.int(1, 2)}||||`).v('LICENSE', doc.npi).t('^').v('NAME', doc.last.toUpperCase()).t('^').v('NAME', doc.first.toUpperCase()).t(`^^^DR^^^NPI|||MED||||ADM|A0||||`).v('OTHER_ID', V.encounterNo(r)).t('|||||||||||||||||||||||||').v('DATE', V.hl7Ts(r, when)).t(eol)
    if (r.chance(0.6)) { tx.t(`IN1|1|MCR|CMS|MEDICARE PART A||||||||||||||||||||||||||||||||`).v('HEALTH_PLAN', pt.mbi).t(eol) }
    const [icd, dx] = pt.dx
    tx.t(`DG1|1||${icd}^${dx.toUpperCase().replace(/[|^]/g, ' ')}^I10||`).v('DATE', V.hl7Ts(r, when)).t(`|A${eol}`)
    if (oru) {
      const [loinc, lname, unit, lo, hi] = r.pick(LABS)
      tx.t('OBR|1|').v('OTHER_ID', `ORD${V.digits(r, 6)}`).t('^EHR|').v('OTHER_ID', V.accession(r)).t(`^LAB|${loinc}^${lname}^LN|||`).v('DATE', V.hl7Ts(r, when)).t(eol)
      tx.t(`OBX|1|NM|${loinc}^${lname}^LN||${(lo + r.next() * (hi - lo)).toFixed(1)}|${unit}|${lo}-${hi}|${r.pick(['N', 'H', 'L'])}|||F|||`).v('DATE', V.hl7Ts(r, when)).t(eol)
    }
    tx.t(eol)
  }
  return tx
}

// ------------------------------------------------------------------ FHIR R4 bundles

function fhirBundle(r) {
  const entries = [], n = r.int(1, 4)
  for (let i = 0; i < n; i++) {
    const pt = patientOf(r), gp = providerOf(r), kin = person(r), pid = V.uuid(r)
    const patient = {
      resourceType: 'Patient', id: pid,
      identifier: [
        { use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:oid:2.16.840.1.113883.19.5', value: L('MRN', pt.mrn) },
        { system: 'http://hl7.org/fhir/sid/us-ssn', value: L('SSN', pt.ssn) },
        { system: 'http://hl7.org/fhir/sid/us-mbi', value: L('HEALTH_PLAN', pt.mbi) },
      ],
      name: [{ use: 'official', family: L('NAME', pt.last), given: pt.middle ? [L('NAME', pt.first), L('NAME', pt.middle[0])] : [L('NAME', pt.first)] }],
      telecom: [{ system: 'phone', value: L('PHONE', pt.phone), use: 'home' }, { system: 'email', value: L('EMAIL', pt.email) }, ...(r.chance(0.3) ? [{ system: 'fax', value: L('FAX', V.phone(r)) }] : [])],
      gender: pt.sex, birthDate: L('DATE', V.isoDate(pt.dob)),
      address: [{ use: 'home', line: [L('GEO', pt.address.street)], city: L('GEO', pt.address.city), state: pt.address.state, postalCode: L('GEO', pt.address.zip), country: 'US' }],
      contact: [{ relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] }], name: { family: L('NAME', kin.last), given: [L('NAME', kin.first)] }, telecom: [{ system: 'phone', value: L('PHONE', V.phone(r)) }] }],
      generalPractitioner: [{ reference: `Practitioner/${V.uuid(r)}`, display: L('NAME', `${gp.first} ${gp.last}`) }],
    }
    if (r.chance(0.05)) patient.photo = [{ contentType: 'image/jpeg', title: 'face', data: L('PHOTO', Buffer.from(V.hex(r, 96), 'hex').toString('base64')) }]
    entries.push({ fullUrl: `urn:uuid:${pid}`, resource: patient })
    const [icd, dx] = pt.dx
    entries.push({ fullUrl: `urn:uuid:${V.uuid(r)}`, resource: { resourceType: 'Condition', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: icd, display: dx }] }, subject: { reference: `urn:uuid:${pid}` }, onsetDateTime: L('DATE', V.isoDate(V.ymd(r, 2010, 2025))), recordedDate: L('DATE', V.isoDate(V.ymd(r, 2015, 2026))) } })
    for (let k = r.int(1, 3); k > 0; k--) {
      const [loinc, lname, unit, lo, hi] = r.pick(LABS)
      entries.push({ fullUrl: `urn:uuid:${V.uuid(r)}`, resource: { resourceType: 'Observation', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }], code: { coding: [{ system: 'http://loinc.org', code: loinc, display: lname }] }, subject: { reference: `urn:uuid:${pid}` }, effectiveDateTime: L('DATE', V.isoTs(r, V.ymd(r, 2023, 2026))), valueQuantity: { value: Number((lo + r.next() * (hi - lo)).toFixed(2)), unit, system: 'http://unitsofmeasure.org' }, performer: [{ display: L('NAME', `${gp.first} ${gp.last}`) }] } })
    }
  }
  const tx = new Text()
  emitJson(tx, { resourceType: 'Bundle', id: V.uuid(r), type: r.pick(['collection', 'transaction', 'searchset']), entry: entries }, r.chance(0.8) ? '  ' : '')
  tx.t('\n')
  return tx
}

// ------------------------------------------------------------------ CSV

const csvCell = (tx, type, s) => { const q = /[",\n]/.test(s); if (q) tx.t('"'); if (type) tx.v(type, s.replace(/"/g, '""')); else tx.t(s.replace(/"/g, '""')); if (q) tx.t('"') }
function csvRows(tx, header, rows) {
  tx.t(header.join(',') + '\n')
  for (const row of rows) { row.forEach(([type, s], i) => { if (i) tx.t(','); csvCell(tx, type, s) }); tx.t('\n') }
}
function csvPatients(r) {
  const tx = new Text(), rows = []
  for (let i = r.int(20, 120); i > 0; i--) {
    const p = patientOf(r), adm = V.ymd(r, 2023, 2026)
    rows.push([['MRN', p.mrn], ['NAME', p.first], ['NAME', p.last], ['DATE', V.isoDate(p.dob)], [null, p.sex[0].toUpperCase()], ['SSN', p.ssn], ['PHONE', p.phone], ['EMAIL', p.email], ['GEO', p.address.street], ['GEO', p.address.city], [null, p.address.state], ['GEO', p.address.zip], ['HEALTH_PLAN', r.chance(0.5) ? p.mbi : p.member], [null, p.dx[0]], [null, p.dx[1]], ['DATE', V.fmtDate(r, adm, r.pick([0, 1, 2]))], ['LICENSE', V.npi(r)]])
  }
  csvRows(tx, ['mrn', 'first_name', 'last_name', 'dob', 'sex', 'ssn', 'phone', 'email', 'address', 'city', 'state', 'zip', 'member_id', 'icd10_code', 'diagnosis', 'admit_date', 'attending_npi'], rows)
  return tx
}
function csvClaims(r) {
  const tx = new Text(), rows = []
  for (let i = r.int(30, 150); i > 0; i--) {
    const p = patientOf(r)
    rows.push([['OTHER_ID', V.claimNo(r)], ['ACCOUNT', p.account], ['NAME', `${p.last}, ${p.first}`], ['DATE', V.fmtDate(r, V.ymd(r, 2024, 2026), r.pick([0, 2]))], [null, r.pick(['99213', '99214', '80053', '71046', '93000'])], [null, p.dx[0]], [null, (r.int(40, 4000) + r.int(0, 99) / 100).toFixed(2)], [null, r.pick(['paid', 'denied', 'pending'])]])
  }
  csvRows(tx, ['claim_id', 'account_number', 'patient', 'service_date', 'cpt', 'icd10', 'billed_amount', 'status'], rows)
  return tx
}
/** Staff directory: identifiers, no health information about anyone → containsPhi false. */
function csvStaff(r) {
  const tx = new Text(), rows = []
  for (let i = r.int(20, 100); i > 0; i--) {
    const p = person(r)
    rows.push([['NAME', p.first], ['NAME', p.last], [null, r.pick(['Registered Nurse', 'Physician', 'Medical Assistant', 'Pharmacist', 'Systems Engineer', 'Billing Specialist', 'Unit Clerk'])], [null, r.pick(DEPTS)], ['PHONE', V.phone(r, 1)], [null, `x${r.int(1000, 9999)}`], ['EMAIL', `${p.first[0]}${p.last}@staff.example-hospital.org`.toLowerCase().replace(/[^a-z0-9.@-]/g, '')], [null, `Bldg ${r.pick(['A', 'B', 'C'])} Rm ${r.int(100, 499)}`]])
  }
  csvRows(tx, ['first_name', 'last_name', 'title', 'department', 'phone', 'extension', 'email', 'office'], rows)
  return tx
}
/** Health information without identifiers → containsPhi false. */
function csvCodes(r) {
  const tx = new Text()
  if (r.chance(0.5)) {
    tx.t('icd10_code,description,chapter\n')
    for (const [c, d] of DX) if (r.chance(0.8)) tx.t(`${c},"${d}",${c[0]}\n`)
  } else {
    tx.t('year,icd10_code,diagnosis,encounters,median_age\n')
    for (let y = 2019; y <= 2025; y++) for (const [c, d] of DX) if (r.chance(0.4)) tx.t(`${y},${c},"${d}",${r.int(10, 9000)},${r.int(20, 80)}\n`)
  }
  return tx
}

// ------------------------------------------------------------------ application logs with PHI

function appLog(r) {
  const tx = new Text(), svc = r.pick(['appointment-svc', 'intake-api', 'lab-results-worker', 'portal-web'])
  for (let i = r.int(30, 150); i > 0; i--) {
    tx.a('DATE', V.isoTs(r, V.ymd(r, 2026, 2026)).replace(/([+-]\d\d:\d\d|Z)$/, 'Z')).t(` ${r.pick(['INFO', 'INFO', 'WARN', 'DEBUG'])} [${svc}] req=${V.uuid(r)} `)
    const p = patientOf(r), k = r.int(0, 5)
    if (k === 0) { tx.t('appointment booked patient_mrn=').v('MRN', p.mrn).t(' name="').v('NAME', `${p.first} ${p.last}`).t('" dob=').v('DATE', V.isoDate(p.dob)).t(` reason="${p.dx[1]} (${p.dx[0]})"`) }
    else if (k === 1) { tx.t('portal login ok email=').v('EMAIL', p.email).t(' client_ip=').v('IP', V.publicIp(r)).t(` mrn=`).v('MRN', p.mrn) }
    else if (k === 2) { tx.t(`lab result posted loinc=${r.pick(LABS)[0]} patient=`).v('NAME', `${p.last}, ${p.first}`).t(' phone=').v('PHONE', p.phone).t(` dx=${p.dx[0]}`) }
    else if (k === 3) { tx.t('eligibility check mbi=').v('HEALTH_PLAN', p.mbi).t(' result=active plan=MEDICARE-A') }
    else if (k === 4) { tx.t(`cache refresh took ${r.int(2, 900)}ms keys=${r.int(10, 5000)}`) }
    else { tx.t('sms reminder sent to ').v('PHONE', V.phone(r, 3)).t(` for visit on `).v('DATE', V.isoDate(V.ymd(r, 2026, 2027))).t(` (${p.dx[1]})`) }
    tx.t('\n')
  }
  return tx
}

// ------------------------------------------------------------------ infrastructure (PHI-free records)

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1']
const acct = (r) => String(r.int(100000000000, 999999999999))
const awsTs = (r) => V.isoTs(r, V.ymd(r, 2026, 2026)).replace(/([+-]\d\d:\d\d|Z)$/, 'Z')
const upperHex = (r, n) => V.hex(r, n).toUpperCase()
const akid = (r, p = 'ASIA') => p + Array.from({ length: 16 }, () => r.pick([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'])).join('')
const sha = (r) => V.hex(r, 40)
const podName = (r, app) => `${app}-${V.hex(r, 9)}-${V.hex(r, 5)}`
const APPS = ['intake-api', 'scheduler', 'lab-gateway', 'fhir-proxy', 'billing-worker', 'notifier', 'auth-service']

function infraCloudTrail(r) {
  const tx = new Text(), a = acct(r)
  tx.t('{"Records":[\n')
  const n = r.int(15, 60)
  for (let i = 0; i < n; i++) {
    tx.rec('cloudtrail', () => {
      const [src, name] = r.pick([['s3.amazonaws.com', 'GetObject'], ['kms.amazonaws.com', 'Decrypt'], ['sts.amazonaws.com', 'AssumeRole'], ['dynamodb.amazonaws.com', 'DescribeTable'], ['lambda.amazonaws.com', 'UpdateFunctionCode20150331v2'], ['ec2.amazonaws.com', 'DescribeInstances']])
      const role = r.pick(['ci-deploy', 'intake-api-exec', 'billing-worker-exec', 'readonly-audit'])
      const ev = {
        eventVersion: '1.08',
        userIdentity: { type: 'AssumedRole', principalId: `AROA${upperHex(r, 17)}:${role}-session-${r.int(1000, 9999)}`, arn: `arn:aws:sts::${a}:assumed-role/${role}/${role}-session-${r.int(1000, 9999)}`, accountId: a, accessKeyId: akid(r), sessionContext: { attributes: { creationDate: A('DATE', awsTs(r)), mfaAuthenticated: 'false' } } },
        eventTime: A('DATE', awsTs(r)), eventSource: src, eventName: name, awsRegion: r.pick(REGIONS),
        sourceIPAddress: r.chance(0.5) ? A('IP', V.privateIp(r)) : `${src}`,
        userAgent: r.pick(['aws-sdk-js/3.540.0', 'Boto3/1.34.69 md/Botocore#1.34.69', 'terraform-provider-aws/5.42.0', 'AWS Internal']),
        requestParameters: src === 's3.amazonaws.com' ? { bucketName: `clinic-artifacts-${a}`, key: `builds/${sha(r).slice(0, 12)}/bundle.zip` } : { resourceArn: `arn:aws:${src.split('.')[0]}:${r.pick(REGIONS)}:${a}:${r.pick(['key', 'table', 'function'])}/${V.uuid(r)}` },
        responseElements: null, requestID: upperHex(r, 16), eventID: V.uuid(r), readOnly: r.chance(0.7), eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: a, eventCategory: 'Management',
      }
      emitJson(tx, ev, '')
    })
    tx.t(i < n - 1 ? ',\n' : '\n')
  }
  tx.t(']}\n')
  return tx
}
function infraK8s(r) {
  const tx = new Text()
  tx.t('LAST SEEN   TYPE      REASON              OBJECT                                   MESSAGE\n')
  for (let i = r.int(25, 80); i > 0; i--) {
    tx.rec('k8s-event', () => {
      const app = r.pick(APPS), pod = podName(r, app), a = acct(r)
      const [type, reason, msg] = r.pick([
        ['Normal', 'Scheduled', `Successfully assigned prod/${pod} to ip-10-0-${r.int(0, 9)}-${r.int(2, 250)}.ec2.internal`],
        ['Normal', 'Pulling', `Pulling image "${a}.dkr.ecr.${r.pick(REGIONS)}.amazonaws.com/${app}:sha-${V.hex(r, 7)}"`],
        ['Normal', 'Pulled', `Successfully pulled image in ${r.int(1, 40)}.${r.int(100, 999)}s (${r.int(1, 40)}.${r.int(100, 999)}s including waiting). Image size: ${r.int(10000000, 900000000)} bytes.`],
        ['Warning', 'BackOff', `Back-off restarting failed container ${app} in pod ${pod}_prod(${V.uuid(r)})`],
        ['Normal', 'ScalingReplicaSet', `Scaled up replica set ${app}-${V.hex(r, 9)} to ${r.int(1, 12)}`],
        ['Warning', 'Unhealthy', 'Readiness probe failed: Get "'],
      ])
      tx.t(`${r.int(1, 59)}${r.pick(['s', 'm', 'h'])}   ${type.padEnd(9)} ${reason.padEnd(19)} pod/${pod.padEnd(38)} `)
      if (reason === 'Unhealthy') {
        tx.t(msg)
        const u0 = tx.len // the probe URL of an internal address: allowed as URL, its host as IP
        tx.t('http://').a('IP', V.privateIp(r)).t(`:${r.pick([8080, 3000, 9090])}/healthz`)
        tx.allowed.push({ type: 'URL', start: u0, end: tx.len })
        tx.t('": context deadline exceeded')
      } else tx.t(msg)
    })
    tx.t('\n')
  }
  return tx
}
function infraCi(r) {
  const tx = new Text(), build = r.int(1000, 99999), commit = sha(r), repo = r.pick(['clinic/intake-api', 'clinic/fhir-proxy', 'platform/infra'])
  const line = (fn) => { tx.rec('ci-log', () => { tx.t('[').a('DATE', awsTs(r)).t('] '); fn() }); tx.t('\n') }
  line(() => tx.t(`Build #${build} started by push to main (commit ${commit})`))
  line(() => tx.t(`Checking out ${repo}@${commit.slice(0, 7)} into /home/runner/work/${repo.split('/')[1]}`))
  for (let i = r.int(20, 70); i > 0; i--) {
    const k = r.int(0, 6)
    if (k === 0) line(() => tx.t(`npm ci --no-audit: added ${r.int(200, 1900)} packages in ${r.int(5, 90)}s`))
    else if (k === 1) line(() => tx.t(`✓ test/unit/handler.test.ts (${r.int(3, 120)} tests) ${r.int(20, 4000)}ms`))
    else if (k === 2) line(() => tx.t(`Step ${r.int(1, 30)}/${r.int(30, 40)} : RUN npm run build --workspace=${r.pick(APPS)}`))
    else if (k === 3) line(() => tx.t(`---> Using cache ${V.hex(r, 12)}; layer sha256:${V.hex(r, 64)}`))
    else if (k === 4) line(() => tx.t(`Uploading artifact build-${build}-${commit.slice(0, 8)}.tar.gz (${r.int(1, 900)} MB) run_id=${r.int(1000000000, 9999999999)} attempt=${r.int(1, 3)}`))
    else if (k === 5) line(() => tx.t(`Pushed ${acct(r)}.dkr.ecr.${r.pick(REGIONS)}.amazonaws.com/${r.pick(APPS)}:${build} digest: sha256:${V.hex(r, 64)} size: ${r.int(1000, 9999)}`))
    else line(() => tx.t(`Job ${V.uuid(r)} finished with status ${r.pick(['success', 'success', 'failure'])} in ${r.int(1, 59)}m${r.int(0, 59)}s`))
  }
  return tx
}
function infraVpc(r) {
  const tx = new Text(), a = acct(r)
  tx.t('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n')
  for (let i = r.int(40, 120); i > 0; i--) {
    tx.rec('vpc-flow', () => {
      const start = r.int(1761955200, 1767225599)
      tx.t(`2 ${a} eni-0${V.hex(r, 16)} `).a('IP', V.privateIp(r)).t(' ').a('IP', r.chance(0.8) ? V.privateIp(r) : V.publicIp4(r))
      tx.t(` ${r.int(1024, 65535)} ${r.pick([443, 5432, 6379, 22, 53, 8080])} ${r.pick([6, 17])} ${r.int(1, 400)} ${r.int(40, 900000)} ${start} ${start + 60} ${r.pick(['ACCEPT', 'ACCEPT', 'REJECT'])} OK`)
    })
    tx.t('\n')
  }
  return tx
}
function infraAccess(r) {
  const tx = new Text()
  for (let i = r.int(40, 120); i > 0; i--) {
    tx.rec('access-log', () => {
      const dt = V.ymd(r, 2026, 2026)
      tx.a('IP', V.privateIp(r)).t(' - - [').a('DATE', `${V.pad(dt.d, 2)}/${V.MON[dt.m - 1]}/${dt.y}:${V.pad(r.int(0, 23), 2)}:${V.pad(r.int(0, 59), 2)}:${V.pad(r.int(0, 59), 2)} +0000`).t('] ')
      const path = r.pick(['/healthz', '/readyz', `/api/v2/jobs/${V.uuid(r)}`, '/metrics', `/static/js/main.${V.hex(r, 8)}.js`, `/api/v1/config?rev=${r.int(1, 900)}`])
      tx.t(`"${r.pick(['GET', 'GET', 'POST', 'PUT'])} ${path} HTTP/1.1" ${r.pick([200, 200, 204, 304, 404, 502])} ${r.int(0, 90000)} "-" "${r.pick(['kube-probe/1.29', 'ELB-HealthChecker/2.0', 'Prometheus/2.51.0', 'curl/8.5.0'])}" rt=${(r.next() / 2).toFixed(3)} request_id=${V.hex(r, 32)} trace_id=Root=1-${V.hex(r, 8)}-${V.hex(r, 24)} upstream=${r.pick(APPS)}:${r.pick([8080, 3000])}`)
    })
    tx.t('\n')
  }
  return tx
}
/** Service-to-service log with IPs: identifiers of servers, not of people → not PHI. */
function infraService(r) {
  const tx = new Text(), app = r.pick(APPS)
  for (let i = r.int(40, 120); i > 0; i--) {
    tx.rec('service-log', () => {
      tx.a('DATE', awsTs(r)).t(` ${r.pick(['INFO', 'INFO', 'WARN', 'ERROR'])} ${app} grpc call upstream=`).a('IP', V.privateIp(r)).t(`:${r.pick([50051, 8443, 9000])} method=/${r.pick(['inventory.v1.Stock/Get', 'auth.v2.Token/Verify', 'queue.v1.Jobs/Lease'])} latency_ms=${r.int(1, 900)} trace_id=${V.hex(r, 32)} span_id=${V.hex(r, 16)} build=${r.int(1000, 99999)} pid=${r.int(1, 65535)}`)
    })
    tx.t('\n')
  }
  return tx
}
function infraTerraform(r) {
  const tx = new Text(), a = acct(r)
  tx.t('Terraform used the selected providers to generate the following execution plan.\n\n')
  for (let i = r.int(6, 20); i > 0; i--) {
    tx.rec('terraform-plan', () => {
      const name = r.pick(['logs', 'artifacts', 'intake', 'fhir', 'audit']) + '_' + r.int(1, 99)
      const k = r.int(0, 2)
      if (k === 0) tx.t(`  # aws_s3_bucket.${name} will be created\n  + resource "aws_s3_bucket" "${name}" {\n      + arn    = (known after apply)\n      + bucket = "clinic-${name.replace('_', '-')}-${a}-${r.pick(REGIONS)}"\n      + id     = (known after apply)\n      + tags   = {\n          + "Environment" = "prod"\n          + "CostCenter"  = "${r.int(1000, 9999)}"\n        }\n    }\n`)
      else if (k === 1) { tx.t(`  # aws_security_group_rule.${name} will be created\n  + resource "aws_security_group_rule" "${name}" {\n      + cidr_blocks       = [\n          + "`).a('IP', `10.${r.int(0, 255)}.0.0/16`).t(`",\n        ]\n      + from_port         = 443\n      + security_group_id = "sg-0${V.hex(r, 16)}"\n      + to_port           = 443\n      + type              = "ingress"\n    }\n`) }
      else tx.t(`  # aws_iam_role_policy_attachment.${name} will be updated in-place\n  ~ resource "aws_iam_role_policy_attachment" "${name}" {\n        id         = "${name}-${r.int(10000000000000, 99999999999999)}"\n      ~ policy_arn = "arn:aws:iam::${a}:policy/${name}-v${r.int(1, 9)}" -> "arn:aws:iam::${a}:policy/${name}-v${r.int(10, 19)}"\n        role       = "${name}-exec"\n    }\n`)
    })
    tx.t('\n')
  }
  tx.t(`Plan: ${r.int(1, 20)} to add, ${r.int(0, 5)} to change, 0 to destroy.\n`)
  return tx
}
function infraProm(r) {
  const tx = new Text()
  for (let i = r.int(8, 25); i > 0; i--) {
    tx.rec('prometheus', () => {
      const m = r.pick(['http_requests_total', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes', 'http_request_duration_seconds_count', 'queue_depth'])
      tx.t(`# HELP ${m} ${m.replace(/_/g, ' ')}\n# TYPE ${m} ${m.endsWith('total') || m.endsWith('count') ? 'counter' : 'gauge'}\n`)
      for (let k = r.int(1, 5); k > 0; k--) {
        const app = r.pick(APPS)
        tx.t(`${m}{handler="/api/v1/${r.pick(['slots', 'config', 'jobs', 'health'])}",instance="`).a('IP', V.privateIp(r)).t(`:9090",pod="${podName(r, app)}",code="${r.pick([200, 404, 500])}"} ${r.int(0, 9000000)} ${r.int(1761955200000, 1767225599000)}\n`)
      }
    })
  }
  return tx
}

const INFRA = { cloudtrail: [infraCloudTrail, 'json'], k8s: [infraK8s, 'txt'], ci: [infraCi, 'log'], vpc: [infraVpc, 'log'], access: [infraAccess, 'log'], service: [infraService, 'log'], terraform: [infraTerraform, 'txt'], prometheus: [infraProm, 'prom'] }

/** File kinds: [generator, directory/prefix, extension, containsPhi, share of bytes]. */
const KINDS = [
  ['note-admission', (r) => note(r, 'admission'), 'notes/admission', 'txt', true, 0.1],
  ['note-discharge', (r) => note(r, 'discharge'), 'notes/discharge', 'txt', true, 0.1],
  ['note-progress', (r) => note(r, 'progress'), 'notes/progress', 'txt', true, 0.06],
  ['note-referral', (r) => note(r, 'referral'), 'notes/referral', 'txt', true, 0.06],
  ['hl7', hl7File, 'hl7/feed', 'hl7', true, 0.1],
  ['fhir', fhirBundle, 'fhir/bundle', 'json', true, 0.14],
  ['csv-patients', csvPatients, 'csv/patients', 'csv', true, 0.08],
  ['csv-claims', csvClaims, 'csv/claims', 'csv', true, 0.05],
  ['app-log', appLog, 'logs/app', 'log', true, 0.06],
  ['csv-staff', csvStaff, 'csv/staff-directory', 'csv', false, 0.03],
  ['csv-codes', csvCodes, 'csv/code-table', 'csv', false, 0.01],
  ['note-redacted', redactedNote, 'notes/redacted', 'txt', false, 0.03],
  ...Object.entries(INFRA).map(([k, [fn, ext]]) => [`infra-${k}`, fn, `infra/${k}`, ext, false, 0.21 / 8]),
]
export const FILE_KINDS = KINDS.map((k) => k[0])

// ------------------------------------------------------------------ the corpus

/** 1-based line and column (UTF-16 code units; lines end at "\n", a "\r" before it belongs to the line). */
export function lineStarts(text) { const s = [0]; for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) s.push(i + 1); return s }
export function lineCol(starts, off) { let lo = 0, hi = starts.length - 1; while (lo < hi) { const m = (lo + hi + 1) >> 1; if (starts[m] <= off) lo = m; else hi = m - 1 } return { line: lo + 1, column: off - starts[lo] + 1 } }

/**
 * Generates the corpus in memory: `{ files: [{file, kind, containsPhi, text}], labels, records }`.
 * `file` is the path relative to the corpus root (forward slashes). Deterministic in (seed, mb).
 */
export function buildCorpus({ mb = 20, seed = DEFAULT_SEED } = {}) {
  const r = rng(seed)
  for (const [f] of NAME_LOCALES) f.seed(seed)
  const target = mb * 1e6, files = [], labels = [], records = [], allowed = [], counters = {}
  let bytes = 0, infraRecords = 0
  const total = KINDS.reduce((s, k) => s + k[5], 0)
  const made = Object.fromEntries(KINDS.map((k) => [k[0], 0]))
  const add = (k) => {
    const [kind, fn, prefix, ext, containsPhi] = k
    const tx = fn(r), text = tx.toString()
    const n = (counters[prefix] = (counters[prefix] ?? 0) + 1)
    const file = `${prefix}-${V.pad(n, 5)}.${ext}`
    const starts = lineStarts(text)
    for (const l of tx.labels) labels.push({ file, type: l.type, start: l.start, end: l.end, ...lineCol(starts, l.start) })
    for (const a of tx.allowed) allowed.push({ file, type: a.type, start: a.start, end: a.end })
    for (const rec of tx.records) records.push({ file, start: rec.start, end: rec.end, kind: rec.kind, allowed: rec.allowed })
    infraRecords += tx.records.length
    const b = Buffer.byteLength(text)
    bytes += b; made[kind] += b
    files.push({ file, kind, containsPhi, text, bytes: b })
  }
  // every kind at least once, then the kind furthest below its share of bytes
  for (const k of KINDS) add(k)
  while (bytes < target) {
    let best = KINDS[0], gap = -Infinity
    for (const k of KINDS) { const g = (k[5] / total) * bytes - made[k[0]]; if (g > gap) { gap = g; best = k } }
    add(best)
  }
  const infraKinds = KINDS.filter((k) => k[0].startsWith('infra-'))
  for (let i = 0; infraRecords < MIN_INFRA_RECORDS; i++) add(infraKinds[i % infraKinds.length])
  return { generatorVersion: PHI_GENERATOR_VERSION, seed, mb, bytes, files, labels, records, allowed }
}

/** Writes the corpus under `outDir` (files + labels.jsonl, files.jsonl, records.jsonl, manifest.json). */
export function writeCorpus(corpus, outDir) {
  fs.rmSync(outDir, { recursive: true, force: true })
  const dirs = new Set(corpus.files.map((f) => path.dirname(path.join(outDir, f.file))))
  for (const d of dirs) fs.mkdirSync(d, { recursive: true })
  for (const f of corpus.files) fs.writeFileSync(path.join(outDir, f.file), f.text)
  const jsonl = (rows) => rows.map((x) => JSON.stringify(x)).join('\n') + '\n'
  fs.writeFileSync(path.join(outDir, 'labels.jsonl'), jsonl(corpus.labels))
  fs.writeFileSync(path.join(outDir, 'files.jsonl'), jsonl(corpus.files.map((f) => ({ file: f.file, kind: f.kind, containsPhi: f.containsPhi, bytes: f.bytes }))))
  fs.writeFileSync(path.join(outDir, 'records.jsonl'), jsonl(corpus.records))
  fs.writeFileSync(path.join(outDir, 'allowed.jsonl'), jsonl(corpus.allowed))
  const manifest = { generatorVersion: corpus.generatorVersion, seed: corpus.seed, mb: corpus.mb, bytes: corpus.bytes, files: corpus.files.length, labels: corpus.labels.length, infraRecords: corpus.records.length }
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
  return manifest
}

export function generateCorpus({ outDir = '.bench-tmp/phi-corpus', mb = 20, seed = DEFAULT_SEED } = {}) {
  const corpus = buildCorpus({ mb, seed })
  const manifest = writeCorpus(corpus, outDir)
  return { corpus, manifest, outDir }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const arg = (name, d) => { const i = process.argv.indexOf(name); return i === -1 ? d : process.argv[i + 1] }
  const { manifest, outDir } = generateCorpus({ outDir: arg('--out', '.bench-tmp/phi-corpus'), mb: Number(arg('--mb', 20)), seed: Number(arg('--seed', DEFAULT_SEED)) })
  console.log(`wrote ${outDir}: ${manifest.files} files, ${(manifest.bytes / 1e6).toFixed(1)} MB, ${manifest.labels} labels, ${manifest.infraRecords} infrastructure records`)
}
