/**
 * One shared scan for the digit-led shapes of several detectors: payment cards, SSNs, IPv4
 * addresses, numeric dates and NANP phone numbers. One alternation finds every candidate once
 * per text (the last text's result is kept); each detector re-reads its own candidates with its
 * strict, sticky pattern and validators.
 */

/** Candidate kinds. */
export const D_CARD = 1
export const D_SSN = 2
export const D_IPV4 = 3
export const D_DATE = 4
export const D_NANP = 5

const EXT = '(?:\\s*(?:x|ext\\.?|extension)\\s*\\d{1,5})?'
const CARD = '(\\d{4}[ -]\\d{4}[ -]\\d{4}[ -]\\d{1,7}|\\d{4}[ -]\\d{6}[ -]\\d{4,5}|\\d{12,19})(?![\\w-]|\\.\\d)'
const SSN = '(\\d{3}[- ]\\d{2}[- ]\\d{4})(?![\\w-])'
const IPV4 = '(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(?![\\w-]|\\.\\d)'
const DATE = '(\\d(?:\\d\\d\\d[-/.]\\d\\d?[-/.]\\d\\d?|\\d?[-/.]\\d\\d?[-/.](?:\\d{4}|\\d\\d)|\\d?\\/(?:19|20)\\d\\d))'
/** A NANP number after its area code: `555-0123`, an extension, and what may not follow. */
const NANP_REST = `\\d{3}[\\s.-]\\d{4}${EXT}(?![\\w/]|[.-]\\d)`
const NANP_AREA = '(?:\\(\\d{3}\\)[\\s.-]?|\\b\\d{3}[\\s.-])'
/**
 * The candidates, alternatives in this order at each position: a card, an SSN, an IPv4 address, a
 * numeric date, a NANP phone number. Written with the alternatives grouped by their first
 * character — `(` (a NANP area code), `+1`, and a digit after a word boundary — which finds the same
 * matches as the plain alternation `\b(card)|\b(ssn)|\b(ipv4)|\b(date)|((?:(?:\+|\b)1[\s.-]?)?
 * (?:\(\d{3}\)[\s.-]?|\b\d{3}[\s.-])…)` (a position starts at most one group, each group
 * keeps the order) in three quarters of the time.
 */
const DIGIT_RE = new RegExp(
  [
    `\\(\\d{3}\\)[\\s.-]?${NANP_REST}`,
    `\\+1[\\s.-]?${NANP_AREA}${NANP_REST}`,
    `\\b(?:${CARD}|${SSN}|${IPV4}|${DATE}|1[\\s.-]?${NANP_AREA}${NANP_REST}|\\d{3}[\\s.-]${NANP_REST})`,
  ].join('|'),
  'g',
)

/** Start positions of digit-led candidates and their kinds. */
export interface DigitHits {
  pos: number[]
  kind: number[]
}

let lastText: string | undefined
let lastHits: DigitHits = { pos: [], kind: [] }

/** The digit-led candidates of `text` (computed once per text; the last result is reused). */
export function digitHits(text: string): DigitHits {
  if (text === lastText) return lastHits
  const pos: number[] = []
  const kind: number[] = []
  DIGIT_RE.lastIndex = 0
  for (let m = DIGIT_RE.exec(text); m; m = DIGIT_RE.exec(text)) {
    pos.push(m.index)
    kind.push(m[1] !== undefined ? D_CARD : m[2] !== undefined ? D_SSN : m[3] !== undefined ? D_IPV4 : m[4] !== undefined ? D_DATE : D_NANP)
  }
  lastText = text
  lastHits = { pos, kind }
  return lastHits
}
