import type { PhiHit, PhiType, DetectContext } from '../types.js'

/**
 * Identifier types that make a record identifiable for the file-level rule: every Safe Harbor type
 * except IP and URL (infrastructure: server addresses and endpoints in service logs do not identify a
 * patient by themselves). DATE counts except in log lines (every log line has a timestamp), where it counts only in a
 * field about a person ({@link PERSONAL_DATE_FIELD}: `dob=…`, `admitted_at=…`).
 */
export const RULE_TYPES: ReadonlySet<PhiType> = new Set<PhiType>(['NAME', 'GEO', 'DATE', 'AGE_OVER_89', 'PHONE', 'FAX', 'EMAIL', 'SSN', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'BIOMETRIC', 'PHOTO', 'OTHER_ID'])

/** Hits below this confidence are reported but do not make a record identifiable. */
export const RULE_MIN_CONFIDENCE = 0.5

/** Does this hit make its record identifiable (see {@link RULE_TYPES})? */
export function countsAsIdentifier(hit: Pick<PhiHit, 'type' | 'confidence'>, kind?: DetectContext['kind'], field?: string): boolean {
  if (!RULE_TYPES.has(hit.type) || hit.confidence < RULE_MIN_CONFIDENCE) return false
  if (hit.type === 'DATE' && kind === 'log') return field !== undefined && PERSONAL_DATE_FIELD.test(field)
  return true
}

/** Log fields whose dates are about a person (birth, admission, discharge, death, date of service). */
export const PERSONAL_DATE_FIELD = /birth|dob|admi[st]|discharg|death|deceased|date_?of_?service|dos$/i

/**
 * The file-level rule (issue #7: PHI is identifiers *with* health information): `containsPhi` is
 * true when at least one record holds both an identifier that counts ({@link countsAsIdentifier})
 * and health information (`detectHealthInfo` on a value of the record, or a structural cue: an HL7
 * clinical message or segment, a FHIR resource, a DICOM image, a row of a clinical SQL table, a
 * patient photo). The record is the scope: a CSV/TSV row, a SQL tuple or COPY line, an NDJSON line,
 * an element of a top-level JSON list, a FHIR resource (Bundle entries each), an HL7 message, a DICOM
 * file, a log line; plain text (a note, a letter) is one record.
 */
export function containsPhiRule(identified: ReadonlySet<number>, health: ReadonlySet<number>): boolean {
  for (const r of identified) if (health.has(r)) return true
  return false
}
