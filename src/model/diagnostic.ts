/** Severity of a diagnostic about an input file. */
export type DiagnosticLevel = 'error' | 'warning'

/**
 * A problem with an input: bad input is data, not an exception. The scan goes on and the
 * report lists the file with its diagnostics.
 */
export interface Diagnostic {
  /** Stable code from the error catalog, e.g. `PW_ERR_YAML_SYNTAX`. */
  code: string
  level: DiagnosticLevel
  message: string
  file: string
  line?: number
  /** Path inside the document, e.g. `Resources.Bucket.Properties`. */
  path?: string
}
