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
const DIGIT_RE = new RegExp(
  [
    `\\b(\\d{4}[ -]\\d{4}[ -]\\d{4}[ -]\\d{1,7}|\\d{4}[ -]\\d{6}[ -]\\d{4,5}|\\d{12,19})(?![\\w-]|\\.\\d)`,
    `\\b(\\d{3}[- ]\\d{2}[- ]\\d{4})(?![\\w-])`,
    `\\b(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(?![\\w-]|\\.\\d)`,
    `\\b(\\d(?:\\d\\d\\d[-/.]\\d\\d?[-/.]\\d\\d?|\\d?[-/.]\\d\\d?[-/.](?:\\d{4}|\\d\\d)|\\d?\\/(?:19|20)\\d\\d))`,
    `((?:(?:\\+|\\b)1[\\s.-]?)?(?:\\(\\d{3}\\)[\\s.-]?|\\b\\d{3}[\\s.-])\\d{3}[\\s.-]\\d{4}${EXT})(?![\\w/]|[.-]\\d)`,
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
