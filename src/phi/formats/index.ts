/**
 * @module phi/formats
 * Structured readers (CSV/TSV, JSON/NDJSON, FHIR, HL7 v2, DICOM, SQL dumps, logs, images), health
 * information cues, the file-level PHI rule, the PHI scan of files and archives, and redaction.
 */
export { scanPhiFiles, scanPhiText, scanDicom, detectUnit, detectRead, redactableText } from './scan.js'
export type { ScanPhiOptions, ScanPhiTextOptions, PhiTextResult, UnitHit } from './scan.js'
export { redact, pseudonym, normaliseValue, RedactRefused } from './redact.js'
export type { RedactOptions, RedactResult } from './redact.js'
export { detectHealthInfo, isLoinc, loincCheckDigit, CLINICAL_FIELD, CLINICAL_TERMS } from './health.js'
export type { HealthCue, HealthCueKind } from './health.js'
export { containsPhiRule, countsAsIdentifier, RULE_TYPES, RULE_MIN_CONFIDENCE, PERSONAL_DATE_FIELD } from './rule.js'
export { readCsv, sniffDelimiter, looksLikeHeader } from './csv.js'
export { readJson, scanJson, formatPath, fhirIdentifierType, JsonScanError, MAX_JSON_DEPTH, FHIR_RESOURCE_TYPES } from './json.js'
export { readHl7, looksLikeHl7, unescapeHl7, HL7_IMPLIED, HL7_CLINICAL_SEGMENTS } from './hl7.js'
export { readDicom, looksLikeDicom, DICOM_TAGS } from './dicom.js'
export { readSql, looksLikeSql, CLINICAL_TABLE } from './sql.js'
export { readText, logLineUnits, isLogLine } from './text.js'
export { sniffImage, photoContext } from './image.js'
export type { ImageKind } from './image.js'
export { readTextFile, sniffTextFormat } from './read.js'
export { LineIndex } from './positions.js'
export type { PhiScanResult, PhiFinding, PhiFileResult, PhiFileStatus, PhiFormat, ReadResult, TextUnit, StructuralHealth } from './types.js'
