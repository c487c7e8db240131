import type { DetectContext } from '../types.js'

/** Kinds of health information recognised in text. */
export type HealthCueKind = 'ICD10' | 'LOINC' | 'NDC' | 'CPT' | 'TERM' | 'FHIR_RESOURCE' | 'HL7_SEGMENT' | 'FIELD'

/** Health information found in a text: a span `[start, end)` (UTF-16) and its kind. */
export interface HealthCue {
  kind: HealthCueKind
  start: number
  end: number
}

/** Field names whose (non-empty) values are health information. */
export const CLINICAL_FIELD = /(?:^|[^a-z])(?:diagnos[ie]s|diagnosis_?(?:code|desc\w*)?|dx(?:_?code)?|icd(?:_?10)?(?:_?cm)?(?:_?code)?|icd|loinc(?:_?code)?|ndc(?:_?code)?|cpt(?:_?code)?|hcpcs|snomed\w*|medications?|meds|drug(?:_?name)?|rx|prescriptions?|allerg(?:y|ies)|conditions?|problems?|procedures?(?:_?code)?|lab_?(?:result|test|value)s?|test_?result|results?_?value|chief_?complaint|symptoms?|clinical_?notes?|visit_?reason|reason_?for_?visit|treatment|therapy|dosage|vitals?)(?:$|[^a-z])/i
const CONTEXT_WORDS = /\b(?:icd[- ]?10(?:[- ]?cm)?|icd|dx|diag(?:nosis|nosed|noses)?|problem|condition|loinc|lab|ndc|drug|cpt|hcpcs|procedure|billing code|code)\b/i

/** A small lexicon of clinical terms (conditions, medications, lab tests, clinical actions). */
export const CLINICAL_TERMS = [
  'diabetes', 'diabetic', 'hypertension', 'hyperlipidemia', 'asthma', 'copd', 'pneumonia', 'influenza', 'covid-19', 'hiv', 'aids', 'hepatitis', 'cancer',
  'carcinoma', 'melanoma', 'leukemia', 'lymphoma', 'tumor', 'depression', 'depressive disorder', 'anxiety disorder', 'bipolar', 'schizophrenia', 'dementia',
  "alzheimer's", 'alzheimer', 'parkinson', 'epilepsy', 'seizure', 'stroke', 'myocardial infarction', 'heart failure', 'atrial fibrillation', 'arrhythmia',
  'coronary artery disease', 'chronic kidney disease', 'renal failure', 'dialysis', 'cirrhosis', 'obesity', 'osteoporosis', 'arthritis', 'fracture',
  'pregnancy', 'pregnant', 'prenatal', 'miscarriage', 'substance use disorder', 'opioid use disorder', 'alcohol use disorder', 'overdose', 'tuberculosis',
  'sepsis', 'anemia', 'hypothyroidism', 'hyperthyroidism', 'migraine', 'ptsd', 'adhd', 'autism', 'chlamydia', 'gonorrhea', 'syphilis',
  'metformin', 'insulin', 'lisinopril', 'atorvastatin', 'simvastatin', 'amlodipine', 'metoprolol', 'losartan', 'levothyroxine', 'albuterol', 'warfarin',
  'apixaban', 'clopidogrel', 'omeprazole', 'gabapentin', 'sertraline', 'fluoxetine', 'escitalopram', 'bupropion', 'oxycodone', 'hydrocodone', 'morphine',
  'fentanyl', 'buprenorphine', 'methadone', 'naloxone', 'prednisone', 'amoxicillin', 'azithromycin', 'ciprofloxacin', 'furosemide', 'hydrochlorothiazide',
  'hemoglobin a1c', 'hba1c', 'a1c', 'blood glucose', 'glucose level', 'cholesterol', 'ldl', 'creatinine', 'egfr', 'troponin', 'white blood cell', 'platelet count',
  'blood pressure', 'viral load', 'cd4 count', 'biopsy', 'mri', 'ct scan', 'x-ray', 'mammogram', 'colonoscopy', 'chemotherapy', 'radiation therapy',
  'diagnosed with', 'diagnosis of', 'history of', 'prescribed', 'admitted for', 'discharged', 'chief complaint', 'lab result', 'test result', 'positive for',
  'negative for', 'mg daily', 'mg twice daily', 'mg bid', 'mg tid', 'mg po',
]
const SINGLE_TERMS = new Set(CLINICAL_TERMS.filter((t) => !t.includes(' ')))
/** Multi-word terms by their first word, as sticky regexes matching the rest. */
const PHRASES = new Map<string, RegExp[]>()
for (const t of CLINICAL_TERMS) {
  const words = t.split(' ')
  if (words.length < 2) continue
  const rest = words.slice(1).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+')
  const list = PHRASES.get(words[0]!) ?? []
  list.push(new RegExp(`\\s+${rest}(?![\\w])`, 'iy'))
  PHRASES.set(words[0]!, list)
}
const WORD = /[A-Za-z][A-Za-z0-9'-]*/g
const fieldCache = new Map<string, boolean>()
function clinicalField(field: string | undefined): boolean {
  if (field === undefined) return false
  let r = fieldCache.get(field)
  if (r === undefined) {
    r = CLINICAL_FIELD.test(field)
    if (fieldCache.size > 10000) fieldCache.clear()
    fieldCache.set(field, r)
  }
  return r
}

function terms(text: string, out: HealthCue[]): void {
  WORD.lastIndex = 0
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    let w = m[0].toLowerCase()
    // trailing hyphens and apostrophes are not part of the word
    while (w.endsWith('-') || w.endsWith("'")) w = w.slice(0, -1)
    const end = m.index + w.length
    const phrases = PHRASES.get(w)
    if (phrases) {
      let matched = false
      for (const re of phrases) {
        re.lastIndex = end
        const p = re.exec(text)
        if (p) {
          out.push({ kind: 'TERM', start: m.index, end: end + p[0].length })
          matched = true
          break
        }
      }
      if (matched) continue
    }
    if (SINGLE_TERMS.has(w)) out.push({ kind: 'TERM', start: m.index, end })
  }
}

/** FHIR clinical resource types, as they appear in text (`"resourceType": "Observation"`). */
const FHIR_RE = /"resourceType"\s*:\s*"(Observation|Condition|MedicationRequest|MedicationStatement|MedicationAdministration|Encounter|Procedure|DiagnosticReport|AllergyIntolerance|Immunization|CarePlan|Claim|ExplanationOfBenefit|Coverage|Patient|ServiceRequest|ImagingStudy)"/g
/** HL7 v2 clinical segments at the start of a segment. */
const HL7_RE = /(?:^|[\r\n])((?:OBX|OBR|DG1|PR1|RXE|RXO|RXA|RXD|AL1|PV1)\|)/g

/** Every code-shaped token in one pass; each match is classified in {@link classifyCode}. */
const CODE = /(?<![\w.-])(?:[A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4}|[0-9A-Z]{1,4})?|\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2}|\d{1,5}-\d|\d{10,11}|\d{5}|\d{4}[FTU])(?![\w-]|\.\w)/g
const ICD_DOTTED = /^[A-TV-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4}$/
const NDC_DASHED = /^(?:\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2})$/

function classifyCode(code: string, text: string, at: number, ctx?: DetectContext): HealthCueKind | undefined {
  const c0 = code.charCodeAt(0)
  if (c0 >= 65) {
    if (ICD_DOTTED.test(code)) return 'ICD10'
    return /\d/.test(code.slice(1)) && hasContext(text, at, ctx) ? 'ICD10' : undefined
  }
  if (code.includes('-')) {
    if (NDC_DASHED.test(code)) return 'NDC'
    const dash = code.indexOf('-')
    return loincCheckDigit(code.slice(0, dash)) === Number(code.slice(dash + 1)) && hasContext(text, at, ctx) ? 'LOINC' : undefined
  }
  if (!hasContext(text, at, ctx)) return undefined
  return code.length >= 10 ? 'NDC' : 'CPT'
}

/** The LOINC mod-10 check digit of the digits before the hyphen (LOINC Users' Guide: the Luhn scheme). */
export function loincCheckDigit(digits: string): number {
  let sum = 0
  let double = true
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return (10 - (sum % 10)) % 10
}

/** Is `code` (`2951-2`) a LOINC code with a valid check digit? */
export function isLoinc(code: string): boolean {
  const m = /^(\d{1,5})-(\d)$/.exec(code)
  return !!m && loincCheckDigit(m[1]!) === Number(m[2])
}

function hasContext(text: string, at: number, ctx?: DetectContext): boolean {
  if (clinicalField(ctx?.field)) return true
  return CONTEXT_WORDS.test(text.slice(Math.max(0, at - 40), at))
}

/**
 * Health information in a text: ICD-10-CM codes (dotted `E11.9` always; undotted `E119` only with
 * context), LOINC codes whose mod-10 check digit is valid (with context: a `loinc`/`lab`/`code`
 * word before or a clinical field), NDC codes (dashed 4-4-2, 5-3-2, 5-4-1/2 forms; 10/11 plain digits
 * only with context), CPT codes (5 digits or 4 + F/T/U, only with context), terms of
 * {@link CLINICAL_TERMS}, FHIR clinical resource types, HL7 clinical segments, and any non-empty value
 * of a clinical field (`diagnosis`, `icd10`, `medication`, `lab_result`, … — {@link CLINICAL_FIELD}).
 * Context = a clinical field name, or a word such as `ICD-10`, `dx`, `diagnosis`, `LOINC`, `NDC`, `CPT`,
 * `code` in the 40 characters before. Pure; cues may overlap.
 */
/**
 * Fields that name where someone works, not what someone has: a staff directory's `department:
 * Radiology - MRI` or `title: Oncology Nurse` is no health information about a person.
 */
export const ORG_FIELD = /^(?:department|dept|division|unit|team|job_?title|title|role|position|specialt(?:y|ies)|speciality|service_?line|practice_?area|office|org(?:anization)?_?(?:unit)?|employer|cost_?cent(?:er|re))$/i

/** Is the field (a column, a key, or a path's last key: `staff[3].department`) an organisational one? */
const orgCache = new Map<string, boolean>()
function orgField(field: string): boolean {
  // called for every cell of a CSV: once per distinct field name
  let r = orgCache.get(field)
  if (r === undefined) {
    const last = field.split(/[.[\]/]+/).filter(Boolean).pop() ?? field
    r = ORG_FIELD.test(last.replace(/[\s-]+/g, '_'))
    if (orgCache.size > 10000) orgCache.clear()
    orgCache.set(field, r)
  }
  return r
}

export function detectHealthInfo(text: string, ctx?: DetectContext): HealthCue[] {
  const out: HealthCue[] = []
  if (ctx?.field !== undefined && orgField(ctx.field)) return out
  if (clinicalField(ctx?.field) && text.trim() !== '') out.push({ kind: 'FIELD', start: 0, end: text.length })
  const each = (re: RegExp, f: () => HealthCueKind): void => {
    re.lastIndex = 0
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const k = f()
      out.push({ kind: k, start: m.index, end: m.index + m[0].length })
    }
  }
  if (/\d/.test(text)) {
    CODE.lastIndex = 0
    for (let m = CODE.exec(text); m; m = CODE.exec(text)) {
      const k = classifyCode(m[0], text, m.index, ctx)
      if (k) out.push({ kind: k, start: m.index, end: m.index + m[0].length })
    }
  }
  terms(text, out)
  if (text.includes('resourceType')) each(FHIR_RE, () => 'FHIR_RESOURCE')
  if (text.includes('|')) each(HL7_RE, () => 'HL7_SEGMENT')
  return out
}
