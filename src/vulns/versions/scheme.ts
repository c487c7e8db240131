/** One version scheme: a total order on version strings and a validity test. */
export interface VersionScheme {
  /** -1, 0 or 1. Never throws: strings the scheme cannot parse get a documented fallback order. */
  compare(a: string, b: string): -1 | 0 | 1
  /** Whether the string is a well-formed version of this scheme. */
  valid(v: string): boolean
}
