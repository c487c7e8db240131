import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { STOPWORDS } from './stopwords.js'

/**
 * The name lexicon: the `humannames` package (MIT, ~197K given names and surnames, English and
 * non-English, one per line, each capitalised, sorted). The package does not say which entries are given
 * names and which are surnames, so PhiWall keeps one lexicon of name words. Loaded lazily on first use
 * (a read and a split, ≈40 ms; no Set of 197K strings is built) and searched by bisection. Filtered at
 * lookup: keys of fewer than 2 letters and {@link STOPWORDS} (English words, months, medical terms,
 * product and cloud names) are not names; entries with a broken encoding (`�`) never match a query.
 */
export interface NameLexicon {
  /** True when the folded key ({@link foldName}) is a name word. */
  has(key: string): boolean
  readonly size: number
}

let lexicon: NameLexicon | undefined

/** Lower case, accents removed, typographic apostrophe normalised: the lexicon key of a word. */
export function foldName(word: string): string {
  // Fast path: plain ASCII needs no normalisation (a char loop, no regex, no extra string).
  let ascii = true
  let upper = false
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i)
    if (c > 0x7f) {
      ascii = false
      break
    }
    if (c >= 65 && c <= 90) upper = true
  }
  if (ascii) return upper ? word.toLowerCase() : word
  const lower = word.toLowerCase().replace(/’/g, "'")
  if (/^[\x00-\x7f]*$/.test(lower)) return lower
  return lower.normalize('NFD').replace(/\p{M}+/gu, '').replace(/ø/g, 'o').replace(/ł/g, 'l').replace(/đ/g, 'd').replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/þ/g, 'th').replace(/ð/g, 'd')
}

function loadNameList(): string[] {
  const require = createRequire(import.meta.url)
  const raw = readFileSync(require.resolve('humannames/list.txt'), 'utf8')
  return raw.split(raw.includes('\r\n') ? '\r\n' : '\n')
}

/** True when `sorted` (ascending, code-unit order) holds `word`. */
function bisect(sorted: readonly string[], word: string): boolean {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = sorted[mid] as string
    if (v === word) return true
    if (v < word) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

/**
 * A lexicon over a sorted list of capitalised names (`Aaron`, `Zywiec`), minus `stopwords` (lower case).
 * Exported for tests.
 */
export function lexiconFrom(sorted: readonly string[], stopwords: ReadonlySet<string> = STOPWORDS): NameLexicon {
  // Answers are cached per key (text repeats words); the cache is bounded and simply cleared when full.
  const cache = new Map<string, boolean>()
  return {
    size: sorted.length,
    has(key: string): boolean {
      const known = cache.get(key)
      if (known !== undefined) return known
      const found = key.length >= 2 && !stopwords.has(key) && bisect(sorted, key.charAt(0).toUpperCase() + key.slice(1))
      if (cache.size >= 100_000) cache.clear()
      cache.set(key, found)
      return found
    },
  }
}

/** The filtered name lexicon, loaded on first call. */
export function nameLexicon(): NameLexicon {
  lexicon ??= lexiconFrom(loadNameList())
  return lexicon
}

/** True when `word` (any case, any accents) is in the filtered name lexicon. */
export function isNameWord(word: string): boolean {
  return nameLexicon().has(foldName(word))
}
