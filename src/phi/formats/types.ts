import type { PhiType, DetectContext } from '../types.js'

/**
 * One piece of a file handed to a detector: a value, where it sits in the file's text, the field
 * it is the value of, and the record (row, message, resource, log line) it belongs to.
 */
export interface TextUnit {
  /** The text given to the detector (decoded: JSON escapes, CSV `""`, HL7 `\F\` resolved). */
  value: string
  /** Offset (UTF-16 code units; bytes for DICOM) of `value[0]` in the file's text. */
  offset: number
  /**
   * When `value` is not a verbatim slice of the file's text: `map[i]` is the offset in the file's
   * text of `value[i]`, and `map[value.length]` the offset just after the raw span.
   */
  map?: number[]
  field?: string
  kind?: DetectContext['kind']
  /** Record index within the file; `containsPhi` looks for identifiers and health information in one record. */
  record: number
  /**
   * A name rather than a value: a CSV header cell or a JSON key that looks like a value. Scanned like
   * a value; when it holds an identifier, it is withheld from every finding's `field`.
   */
  name?: boolean
  /** The type a structural position guarantees (HL7 PID-19 → SSN, a FHIR us-ssn identifier, DICOM (0010,0010) → NAME), used when the detector misses it. */
  implied?: PhiType
}

/** Health information a reader knows from structure alone (an HL7 OBX segment, a FHIR Observation, a DICOM image). */
export interface StructuralHealth {
  record: number
  /** What it is: `hl7:OBX`, `fhir:Observation`, `dicom:image`, … (no values). */
  cue: string
}

/** The formats the readers know. */
export type PhiFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'fhir' | 'hl7' | 'dicom' | 'sql' | 'log' | 'text' | 'image' | 'zip' | 'tar' | 'gzip'

/** What a reader makes of a file. */
export interface ReadResult {
  format: PhiFormat
  units: TextUnit[]
  health: StructuralHealth[]
  /** `'byte'`: positions are byte offsets (DICOM): reported as line 1, column = byte offset + 1. */
  positions?: 'text' | 'byte'
  /** Set when the reader stopped early (truncated DICOM, …); the file is still reported. */
  note?: string
}

/** Status of one file of a scan. */
export type PhiFileStatus = 'scanned' | 'skipped' | 'error'

/** One file of a scan result (JSON contract of issue #7). */
export interface PhiFileResult {
  /** Display path; `archive.zip!/inner/path` for archive entries. */
  file: string
  status: PhiFileStatus
  /** Identifiers together with health information in one record (see docs in `rule.ts`). */
  containsPhi: boolean
  format?: PhiFormat
  /** Why a file was skipped or failed, or a note on a partial read. Never contains a value. */
  reason?: string
}

/** One identifier found (JSON contract of issue #7): never the value, only its masked form. */
export interface PhiFinding {
  type: PhiType
  file: string
  /** 1-based line over the file's text (1 for DICOM and images). */
  line: number
  /** 1-based column in UTF-16 code units over the line (DICOM: byte offset + 1). */
  column: number
  /** Length of the raw span in the file (UTF-16 code units; bytes for DICOM). */
  length: number
  confidence: number
  /** `maskValue(value)`: length and a keyed fingerprint. */
  masked: string
  /** The field, column or key path, when the value came from structured data. */
  field?: string
}

/** The result of {@link scanPhiFiles}: the JSON contract of issue #7. */
export interface PhiScanResult {
  files: PhiFileResult[]
  findings: PhiFinding[]
}
