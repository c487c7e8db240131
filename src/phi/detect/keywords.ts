/**
 * One shared scan for the cue words of every detector. Instead of each detector running its own
 * keyword pattern over the whole text, one plain alternation of all cue words finds their
 * positions once per text (the last text's result is kept); each detector then tries its full,
 * sticky cue pattern only at the positions of its family. The same scan lists the places where
 * three patterns that had whole-text scans of their own may start: IBANs (`KW_IBAN`), age suffixes
 * after a space or `-` (`KW_YEARS`) and URLs (`KW_URL`); each detector keeps the left-to-right,
 * non-overlapping matches of its own scan (property-tested against it).
 */

import { isWordCode } from './context.js'

/** Month names (dates). */
export const KW_MONTH = 1
/** Birth / admission cues before a compact `YYYYMMDD` date. */
export const KW_DOB = 2
/** `age`, `aged`, `turned`. */
export const KW_AGE = 4
/** `SSN`, `social security`. */
export const KW_SSN = 8
/** Phone and fax cues before a number. */
export const KW_PHONE = 16
/** Phone labels after a number (`-Fax`, ` office`). */
export const KW_SUFFIX = 32
/** Cues of MRN, health plan, account, licence, vehicle, device, biometric and other ids. */
export const KW_CUE = 64
/**
 * Not a word: where an IBAN may start (`\b[A-Z]{2}\d{2}`). Every such position is listed — where the
 * scan's IBAN head matched, where a cue word begins one (`MR12 …`), and after the `/`, `.` or `:`
 * inside a cue word (`S/NA12…`) — so that `detectCards` need not scan for IBANs.
 */
export const KW_IBAN = 128
/** Age suffixes after a number: `year(s)`, `yr(s)`, `y/o`, `y.o.`, `yo`. */
export const KW_YEARS = 256
/** Where a URL may start: `http`, `ftp`, `www`. */
export const KW_URL = 512

const FAMILIES: ReadonlyArray<readonly [number, readonly string[]]> = [
  [KW_MONTH, ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']],
  [KW_DOB, ['dob', 'd.o.b', 'birth', 'date', 'born', 'deceased', 'died', 'admitted', 'discharged', 'dos']],
  [KW_AGE, ['age', 'aged', 'turn']],
  [KW_SSN, ['ssn', 'ss', 'social', 'soc']],
  [KW_PHONE, ['phone', 'ph', 'tel', 'telephone', 'mobile', 'cell', 'cellphone', 'pager', 'fax', 'facsimile', 'call', 'text', 'reach', 'answering', 'message', 'messages', 'contact', 'f:']],
  [KW_SUFFIX, ['fax', 'office', 'home', 'mobile', 'cell', 'work', 'facsimile']],
  [KW_YEARS, ['year', 'yr', 'y/o', 'y.o', 'yo']],
  [KW_URL, ['http', 'ftp', 'www']],
  [
    KW_CUE,
    [
      'mrn', 'mr', 'medical', 'med', 'chart', 'patient', 'pid', 'mbi', 'hic', 'hicn', 'medicare', 'medicaid', 'member', 'subscriber',
      'policy', 'group', 'insurance', 'health', 'plan', 'beneficiary', 'npi', 'dea', 'driver', 'state', 'nursing', 'professional',
      'license', 'licence', 'lic', 'dl', 'certificate', 'cert', 'vin', 'vehicle', 'registration', 'plate', 'udi', 'imei', 'serial',
      's/n', 'sn', 'device', 'implant', 'pacemaker', 'pump', 'fingerprint', 'finger', 'retina', 'retinal', 'iris', 'voice',
      'voiceprint', 'face', 'faceprint', 'facial', 'palm', 'palmprint', 'biometric', 'hand', 'gait', 'dna', 'billing', 'bank', 'checking', 'savings',
      'guarantor', 'hospital', 'account', 'acct', 'a/c', 'case', 'claim', 'encounter', 'visit', 'accession', 'specimen',
      'requisition', 'lab', 'episode',
    ],
  ],
]

/** Not a family: the word holds a `.`, `/` or `:` (after which an IBAN head may hide). */
const KW_PUNCT = 1 << 30
const MASKS = new Map<string, number>()
for (const [mask, words] of FAMILIES) for (const w of words) MASKS.set(w, (MASKS.get(w) ?? 0) | mask | (/[^a-z]/.test(w) ? KW_PUNCT : 0))
/**
 * 32-bit hash of a cue word read case-insensitively from `text[from, to)`: every character of a
 * cue word is a letter or one of `.`, `/`, `:`, which `| 32` leaves alone, so the hash of a match
 * equals the hash of its lower-case word. Looked up by number, a match costs no substring.
 */
function wordHash(text: string, from: number, to: number): number {
  let h = 0
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + (text.charCodeAt(i) | 32)) | 0
  return h
}
const BY_HASH = new Map<number, number>()
for (const [w, k] of MASKS) {
  const h = wordHash(w, 0, w.length)
  if (BY_HASH.has(h)) throw new Error(`keywords: hash collision on ${w}`)
  BY_HASH.set(h, k)
}
const WORDS = [...MASKS.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b))
/** The cue words, longest first, then an IBAN head (two letters, two digits; case is checked in code). */
const KEYWORDS_RE = new RegExp(`\\b(?:${WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')}|[a-z][a-z]\\d\\d)`, 'gi')

/** `text[at, at + 4)` is two upper-case ASCII letters and two digits. */
function ibanHead(text: string, at: number): boolean {
  const a = text.charCodeAt(at)
  const b = text.charCodeAt(at + 1)
  const c = text.charCodeAt(at + 2)
  const d = text.charCodeAt(at + 3)
  return a >= 65 && a <= 90 && b >= 65 && b <= 90 && c >= 48 && c <= 57 && d >= 48 && d <= 57
}

/** Positions of cue words in one text and the families each belongs to. */
export interface KeywordHits {
  pos: number[]
  mask: number[]
}

let lastText: string | undefined
let lastHits: KeywordHits = { pos: [], mask: [] }

/** The cue words of `text` (computed once per text; the last result is reused). */
export function keywordHits(text: string): KeywordHits {
  if (text === lastText) return lastHits
  const pos: number[] = []
  const mask: number[] = []
  KEYWORDS_RE.lastIndex = 0
  for (let m = KEYWORDS_RE.exec(text); m; m = KEYWORDS_RE.exec(text)) {
    const at = m.index
    const end = KEYWORDS_RE.lastIndex
    const last = text.charCodeAt(end - 1)
    if (last >= 48 && last <= 57) {
      // the IBAN head alternative (no cue word ends in a digit)
      if (ibanHead(text, at)) {
        pos.push(at)
        mask.push(KW_IBAN)
      }
      continue
    }
    const k = BY_HASH.get(wordHash(text, at, end))
    if (k === undefined) continue
    pos.push(at)
    mask.push(k & ~KW_PUNCT)
    // an IBAN head the cue word hid: at the word's start (`MR12 …`), or after its `/`, `.` or `:`
    if (ibanHead(text, at)) {
      pos.push(at)
      mask.push(KW_IBAN)
    }
    if ((k & KW_YEARS) !== 0 && (k & KW_PUNCT) !== 0) {
      // `y/o`, `y.o`: scan on from after the `/` or `.`, as the scan did before these words were
      // cue words, so that a word starting at the `o` is still found
      KEYWORDS_RE.lastIndex = at + 2
    } else if ((k & KW_PUNCT) !== 0) {
      for (let j = at + 1; j < end; j++) {
        if (!isWordCode(text.charCodeAt(j - 1)) && ibanHead(text, j)) {
          pos.push(j)
          mask.push(KW_IBAN)
        }
      }
    }
  }
  lastText = text
  lastHits = { pos, mask }
  return lastHits
}

/**
 * The matches of the sticky pattern `re` at the cue words of `family`, left to right and not
 * overlapping, as `[start, end)` pairs: what a global scan with the pattern finds, when every place
 * it can start is such a cue word (`KW_IBAN`, `KW_URL`).
 */
export function matchesAtCues(text: string, family: number, re: RegExp): number[] {
  const out: number[] = []
  const kw = keywordHits(text)
  let resume = 0
  for (let i = 0; i < kw.pos.length; i++) {
    const at = kw.pos[i]!
    if ((kw.mask[i]! & family) === 0 || at < resume) continue
    re.lastIndex = at
    if (!re.test(text)) continue
    resume = re.lastIndex
    out.push(at, resume)
  }
  return out
}
