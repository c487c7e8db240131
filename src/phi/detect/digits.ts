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
/** Two or three digits right before a `y` (`92yo`, `94y/o`): where an age suffix may follow a number. */
export const D_AGE = 6
/** A digit 1–9 before an upper-case letter (`1EG4TE5MK73`): where an MBI or a VIN may start. */
export const D_CODE = 7

const EXT = '(?:\\s*(?:x|ext\\.?|extension)\\s*\\d{1,5})?'
/** A NANP number after its area code: `555-0123`, an extension, and what may not follow. */
const NANP_REST = `\\d{3}[\\s.-]\\d{4}${EXT}(?![\\w/]|[.-]\\d)`
const NANP_AREA = '(?:\\(\\d{3}\\)[\\s.-]?|\\b\\d{3}[\\s.-])'
/** Kind of each capture group of DIGIT_RE (`()` markers, numbered in the order they are written). */
const MARK_KINDS: number[] = []
function mark(kind: number): string {
  MARK_KINDS.push(kind)
  return '()'
}
const CARD_END = '(?![\\w-]|\\.\\d)'
const IPV4_REST = `\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?![\\w-]|\\.\\d)`
/**
 * The candidates, alternatives in this order at each position: a card, an SSN, an IPv4 address, a
 * numeric date, a NANP phone number — the plain alternation `\b(card)|\b(ssn)|\b(ipv4)|\b(date)|
 * ((?:(?:\+|\b)1[\s.-]?)?(?:\(\d{3}\)[\s.-]?|\b\d{3}[\s.-])…)` (digits.test.ts keeps it as the
 * reference). Written as a tree, which finds the same matches in two thirds of the time:
 *
 * - by first character: `(` (a NANP area code), `+1`, and a digit after a word boundary;
 * - a digit-led candidate by the length of its leading run of digits, which every alternative fixes:
 *   4 (spaced cards, `YYYY-MM-DD`), 12–19 (bare cards), 3 (SSN, IPv4, NANP), 1–2 (IPv4, dates) and a
 *   lone `1` (a NANP country code). Alternatives that can match at the same position keep their
 *   order inside their branch; the others cannot both match, so their order does not matter.
 * - last in the 3- and 1–2-digit branches, a run right before `y` (`D_AGE`, for `92yo`), and last of
 *   all a digit 1–9 before an upper-case letter (`D_CODE`, for MBIs and VINs; `9Y…` is a `D_AGE`):
 *   no other alternative can match there, so the other kinds are found as before.
 *
 * Each alternative ends in an empty capture group that names its kind (`MARK_KINDS`).
 */
const DIGIT_RE = new RegExp(
  [
    `\\(\\d{3}\\)[\\s.-]?${NANP_REST}`,
    `\\+1[\\s.-]?${NANP_AREA}${NANP_REST}`,
    '\\b(?:' +
      [
        `\\d\\d\\d\\d(?:\\d{8,15}${CARD_END}${mark(D_CARD)}|(?:[ -]\\d{4}[ -]\\d{4}[ -]\\d{1,7}|[ -]\\d{6}[ -]\\d{4,5})${CARD_END}${mark(D_CARD)}|[-/.]\\d\\d?[-/.]\\d\\d?${mark(D_DATE)})`,
        `\\d\\d\\d(?:[- ]\\d{2}[- ]\\d{4}(?![\\w-])${mark(D_SSN)}|${IPV4_REST}${mark(D_IPV4)}|[\\s.-]${NANP_REST}${mark(D_NANP)}|(?=[yY])${mark(D_AGE)})`,
        `\\d\\d?(?:${IPV4_REST}${mark(D_IPV4)}|(?:[-/.]\\d\\d?[-/.](?:\\d{4}|\\d\\d)|\\/(?:19|20)\\d\\d)${mark(D_DATE)}|(?=[yY])${mark(D_AGE)})`,
        `1[\\s.-]?${NANP_AREA}${NANP_REST}`,
        `[1-9](?=[A-Z])${mark(D_CODE)}`,
      ].join('|') +
      ')',
  ].join('|'),
  'g',
)

/** Start and end positions of digit-led candidates and their kinds. */
export interface DigitHits {
  pos: number[]
  end: number[]
  kind: number[]
}

let lastText: string | undefined
let lastHits: DigitHits = { pos: [], end: [], kind: [] }

/** The digit-led candidates of `text` (computed once per text; the last result is reused). */
export function digitHits(text: string): DigitHits {
  if (text === lastText) return lastHits
  const pos: number[] = []
  const end: number[] = []
  const kind: number[] = []
  DIGIT_RE.lastIndex = 0
  const n = MARK_KINDS.length
  for (let m = DIGIT_RE.exec(text); m; m = DIGIT_RE.exec(text)) {
    pos.push(m.index)
    end.push(DIGIT_RE.lastIndex)
    let k = D_NANP
    for (let g = 1; g <= n; g++) {
      if (m[g] !== undefined) {
        k = MARK_KINDS[g - 1]!
        break
      }
    }
    kind.push(k)
  }
  lastText = text
  lastHits = { pos, end, kind }
  return lastHits
}
