/**
 * Candidate positions for the GEO patterns, found by one char-code scan per text instead of one regex
 * scan per pattern. Every GEO pattern starts with a digit or with one of a few cue words and is guarded
 * by a lookbehind that excludes a letter before it. One pass over the text records where digit runs
 * start and which word starts could begin a cue word of each pattern family (by their first two
 * characters); each pattern then runs as a sticky regex at its candidates only ({@link execAt}).
 */

/**
 * A table from the first two characters of a word (folded to lower case) to the bit set of families
 * whose cue words start with them, plus, for families of whole words, the words themselves (by
 * {@link runHash}). Built once by {@link wordTable}.
 */
export interface WordTable {
  /** Index `c0 * 128 + c1` (folded ASCII codes, see {@link foldCode}) → family bits. */
  readonly bits: Uint32Array
  /** How many families (at most 32). */
  readonly families: number
  /** Bits of the families whose matches start with a whole word ({@link WordFamily.whole}). */
  readonly wholeMask: number
  /** Per family: the {@link runHash} of each whole word (empty for the others). */
  readonly runs: ReadonlyArray<ReadonlySet<number>>
  /** Per family: a letter run longer than this is always a candidate ({@link WordFamily.anyLongerThan}). */
  readonly longer: readonly number[]
}

/** The words a family's pattern can start with. */
export interface WordFamily {
  /**
   * At least two characters each (write `I ` and `I'` for `I am`, `I'm`). For the table only the first two
   * count, so a word stands for every word that starts like it, unless `whole`.
   */
  words: readonly string[]
  /**
   * A match starts with a whole run of ASCII letters that is one of `words` (their leading letters,
   * case-folded), or with a run that a non-ASCII character continues. True when the pattern requires a
   * non-letter right after its cue word (`[ \t]+`, `\.?[ \t]*\d`, `[ \t]*:`).
   */
  whole?: boolean
  /** With `whole`: runs longer than this are candidates too (a cue glued to other letters: `homeaddress`). */
  anyLongerThan?: number
}

/** Stands for the typographic apostrophe `’` as a second character (`I’m`). */
const RIGHT_QUOTE_SLOT = 127

/**
 * A character code as the tables see it: ASCII upper case to lower case; `ſ` (U+017F) and the Kelvin
 * sign (U+212A), which case-insensitive Unicode regexes fold to `s` and `k`, to those; `’` to
 * {@link RIGHT_QUOTE_SLOT}; any other non-ASCII code to -1 (no cue word has it among its first two
 * characters).
 */
export function foldCode(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c | 32 : c
  if (c === 0x17f) return 115
  if (c === 0x212a) return 107
  if (c === 0x2019) return RIGHT_QUOTE_SLOT
  return -1
}

/** Whether `c` is an ASCII letter. */
function isAsciiLetter(c: number): boolean {
  return (c | 32) >= 97 && (c | 32) <= 122
}

/** A 32-bit hash of the case-folded ASCII letters `text[from, to)` (equal for equal folded words). */
export function runHash(text: string, from: number, to: number): number {
  let h = 0
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + (text.charCodeAt(i) | 32)) | 0
  return h
}

/** The table for `families`: family `i` is bit `1 << i`. */
export function wordTable(families: ReadonlyArray<WordFamily>): WordTable {
  if (families.length > 32) throw new Error('wordTable: at most 32 families')
  const bits = new Uint32Array(128 * 128)
  let wholeMask = 0
  const runs = families.map((family, i) => {
    const hashes = new Set<number>()
    if (family.whole) wholeMask |= 1 << i
    for (const w of family.words) {
      const c0 = foldCode(w.charCodeAt(0))
      const c1 = foldCode(w.charCodeAt(1))
      if (w.length < 2 || c0 < 0 || c1 < 0) throw new Error(`wordTable: bad cue word ${JSON.stringify(w)}`)
      bits[c0 * 128 + c1]! |= 1 << i
      let n = 0
      while (n < w.length && isAsciiLetter(w.charCodeAt(n))) n++
      hashes.add(runHash(w, 0, n))
    }
    return family.whole ? hashes : new Set<number>()
  })
  return { bits, families: families.length, wholeMask, runs, longer: families.map((f) => f.anyLongerThan ?? Infinity) }
}

/** The candidates of one text. */
export interface StartScan {
  /** Per family: the word starts (ascending) whose first two characters start a cue word of the family. */
  readonly words: number[][]
  /** Where runs of ASCII digits start (the character before is no digit), ascending. */
  readonly digits: number[]
}

/**
 * Scans `text` once. A word start is a position whose character is a letter of a cue word's first
 * character (after {@link foldCode}) and whose previous character is not an ASCII letter: a superset of
 * the positions where a pattern guarded by `(?<![\p{L}])` can start with a cue word (the sticky regex
 * still checks its own lookbehind, so a non-ASCII letter before a candidate costs one failed try).
 */
export function scanStarts(text: string, table: WordTable): StartScan {
  const words: number[][] = Array.from({ length: table.families }, () => [])
  const digits: number[] = []
  const bits = table.bits
  const n = text.length
  // The class of the previous character: 0 other (also after `ſ` and the Kelvin sign), 1 ASCII letter, 2 digit.
  let prev = 0
  for (let i = 0; i < n; i++) {
    const k = SCAN_CLASS[text.charCodeAt(i)]!
    // Most characters continue a run of their class: nothing starts there.
    if (k === prev) continue
    prev = k === 3 ? 0 : k
    if (k === 2) digits.push(i)
    if (k !== 1 && k !== 3) continue
    const c1 = i + 1 < n ? foldCode(text.charCodeAt(i + 1)) : -1
    let b = c1 < 0 ? 0 : bits[foldCode(text.charCodeAt(i)) * 128 + c1]!
    if ((b & table.wholeMask) !== 0 && k === 1) b = wholeRunBits(text, i, b, table)
    for (let rest = b; rest !== 0; rest &= rest - 1) words[31 - Math.clz32(rest & -rest)]!.push(i)
  }
  return { words, digits }
}

/** {@link scanStarts}' character classes: 1 ASCII letter, 2 ASCII digit, 3 `ſ` or the Kelvin sign, 0 other. */
const SCAN_CLASS = new Uint8Array(0x10000)
for (let c = 65; c <= 90; c++) SCAN_CLASS[c] = SCAN_CLASS[c + 32] = 1
for (let c = 48; c <= 57; c++) SCAN_CLASS[c] = 2
SCAN_CLASS[0x17f] = SCAN_CLASS[0x212a] = 3

/**
 * `bits` without the whole-word families whose words the ASCII letter run at `i` is not. A run that a
 * non-ASCII character continues keeps them all (it may be a longer word, or hold `ſ`, which folds to `s`).
 */
function wholeRunBits(text: string, i: number, bits: number, table: WordTable): number {
  const n = text.length
  let q = i
  while (q < n && isAsciiLetter(text.charCodeAt(q))) q++
  if (q < n && text.charCodeAt(q) >= 128) return bits
  const h = runHash(text, i, q)
  let out = bits
  for (let rest = bits & table.wholeMask; rest !== 0; rest &= rest - 1) {
    const f = 31 - Math.clz32(rest & -rest)
    if (!table.runs[f]!.has(h) && q - i <= table.longer[f]!) out &= ~(1 << f)
  }
  return out
}

/**
 * The matches of the sticky regex `re` tried at the ascending positions `at`, as a global scan of the
 * same pattern finds them: a position inside the previous match is skipped (a global scan resumes
 * after a match). Exact when `at` holds every position where `re` can match (a superset is fine).
 */
export function execAt(re: RegExp, text: string, at: readonly number[]): RegExpExecArray[] {
  if (!re.sticky) throw new Error('execAt: the regex must be sticky')
  const out: RegExpExecArray[] = []
  let next = 0
  for (const p of at) {
    if (p < next) continue
    re.lastIndex = p
    const m = re.exec(text)
    if (m === null) continue
    out.push(m)
    next = p + Math.max(1, m[0].length)
  }
  re.lastIndex = 0
  return out
}

/** The ascending union of two ascending position lists. */
export function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0) return b as number[]
  if (b.length === 0) return a as number[]
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity
    const y = j < b.length ? b[j]! : Infinity
    if (x <= y) {
      out.push(x)
      i++
      if (x === y) j++
    } else {
      out.push(y)
      j++
    }
  }
  return out
}

/** The family bits of a word starting at `i` (by its first two characters), 0 when none. */
export function wordBitsAt(text: string, i: number, table: WordTable): number {
  if (i + 1 >= text.length) return 0
  const c0 = foldCode(text.charCodeAt(i))
  const c1 = foldCode(text.charCodeAt(i + 1))
  return c0 < 0 || c1 < 0 ? 0 : table.bits[c0 * 128 + c1]!
}
