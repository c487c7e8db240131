/**
 * PHI detection shapes shared by every detector, reader and report. The 18 HIPAA Safe Harbor
 * identifiers (45 CFR 164.514(b)(2)(i)) as PhiWall names them.
 */
export type PhiType =
  | 'NAME'
  | 'GEO'
  | 'DATE'
  | 'AGE_OVER_89'
  | 'PHONE'
  | 'FAX'
  | 'EMAIL'
  | 'SSN'
  | 'MRN'
  | 'HEALTH_PLAN'
  | 'ACCOUNT'
  | 'LICENSE'
  | 'VEHICLE'
  | 'DEVICE'
  | 'URL'
  | 'IP'
  | 'BIOMETRIC'
  | 'PHOTO'
  | 'OTHER_ID'

/** Every {@link PhiType}, in the order of the Safe Harbor list. */
export const PHI_TYPES: readonly PhiType[] = ['NAME', 'GEO', 'DATE', 'AGE_OVER_89', 'PHONE', 'FAX', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'URL', 'IP', 'BIOMETRIC', 'PHOTO', 'OTHER_ID']

/** What a detector knows about where the text came from. */
export interface DetectContext {
  /**
   * The field, column or key the text is the value of (`patient_name`, `PID-5`, `Patient.birthDate`),
   * when the text comes from structured data. Detectors use it as a strong cue (a `mrn` column holds
   * MRNs) and as a strong negative (`trace_id`, `request_id`, `arn` columns hold no PHI).
   */
  field?: string
  /** The kind of document: free text, a log line, a CSV cell, … */
  kind?: 'text' | 'log' | 'cell' | 'value'
}

/** One identifier found in a text: a span of UTF-16 code units `[start, end)`. */
export interface PhiHit {
  type: PhiType
  start: number
  end: number
  /** 0..1: how sure the detector is (validated checksums and strong context near 1). */
  confidence: number
  /** Which detector found it (`ssn`, `npi`, `phone`, `name-lexicon`, …), for evaluation and tuning. */
  detector: string
}

/** A detector: pure, no I/O; finds the identifiers it knows in a text. */
export type Detector = (text: string, ctx?: DetectContext) => PhiHit[]
