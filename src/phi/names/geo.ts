import type { DetectContext, Detector, PhiHit } from '../types.js'
import { CA_PROVINCES, COUNTRIES, NAMED_STREET_SUFFIXES, FOREIGN_STREET_ENDINGS, FOREIGN_STREET_PREFIXES, MULTIWORD_COUNTRIES, STREET_SUFFIXES, US_STATES } from './geo-data.js'
import { execAt, mergeSorted, scanStarts, wordBitsAt, wordTable } from './geo-scan.js'
import { foldName } from './lexicon.js'
import { FUNCTION_STOPWORDS, isGeoStopword } from './stopwords.js'

/** `word`, `Word` and `WORD` alternatives for a case-sensitive regex (keeps `\p{Lu}` meaningful). */
function caseVariants(words: readonly string[]): string {
  const all = new Set<string>()
  for (const w of words) {
    const esc = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    all.add(esc)
    all.add(esc.charAt(0).toUpperCase() + esc.slice(1))
    all.add(esc.toUpperCase())
  }
  return [...all].sort((a, b) => b.length - a.length).join('|')
}

const SUFFIX_ALT = caseVariants(STREET_SUFFIXES)
const DIR = '(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)'
const STATE_CODES = Object.keys(US_STATES)
const CAP_WORD = "\\p{Lu}[\\p{L}\\p{M}'’.-]*"
const HOUSE = '\\d{1,6}[A-Za-z]?(?:-\\d{1,4})?'

// The street, unit, cue and postal patterns below are sticky (`y`): each runs only at the candidate
// positions of {@link geoCandidates} (one shared scan) instead of scanning the whole text on its own.

/** `1600 N Pennsylvania Ave NW`, `12 West 42nd Street`. */
const US_STREET_RE = new RegExp(
  `(?<![\\p{L}\\d.-])${HOUSE}[ \\t]+(?:${DIR}\\.?[ \\t]+)?(?:(?:${CAP_WORD}|\\d{1,3}(?:st|nd|rd|th))[ \\t]+){1,4}(?:${SUFFIX_ALT})(?![\\p{L}\\d])\\.?(?:[ \\t]+${DIR}(?![\\p{L}\\d])\\.?)?`,
  'uy',
)
/** `Rua do Arenque 1634`, `Via Franscini 71`, `31 Rue Al Imam Al Bakri`, `ul. Grochowa 80`. */
const FOREIGN_PREFIX_RE = new RegExp(
  `(?<![\\p{L}\\d])(?:${HOUSE}[ \\t]+)?(?:${caseVariants(FOREIGN_STREET_PREFIXES)})\\.?(?:[ \\t]+(?:${CAP_WORD}|d[aeiou]s?|dei|del|della|de|la|le|du|des|al|el|e|y|\\d{1,2}))+(?:[ \\t]+\\d{1,5}[A-Za-z]?)?(?![\\p{L}\\d])`,
  'uy',
)
const ENDING_SET = new Set(FOREIGN_STREET_ENDINGS)
/** A word and a number: candidates for `Koskikatu 25`, `Søndergade 52`, `Erzsébet tér 19.` (checked in code). */
/** A city of one to four capitalised words just before a position. */
const CITY_BEFORE_RE = /(?<![\p{L}])(\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'’.-]*){0,3}),?[ \t]+$/u
/** `, IL` (checked in code: a state code, not `MD`/`PA`, which are credentials too). */
const COMMA_STATE_RE = /,[ \t]*([A-Z]{2})(?![\p{L}\d-])/gu
/** A postal-code-like number (checked in code: after a country). */
const POSTAL_NUMBER_RE = /(?<![\p{L}\d-])(\d{3,6}(?:[ -]\d{2,4})?)(?![\p{L}\d])/uy
/** A house number (checked in code: after a word with a foreign street ending). */
const HOUSE_NUMBER_RE = /(?<![\p{L}\d])\d{1,5}[A-Za-z]?(?![\p{L}\d:/])/uy
/** A US ZIP or ZIP+4, or a Canadian postal code (checked in code: after a state or province). */
const ZIP_RE = /(?<![\p{L}\d-])(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?![\p{L}\d-])/uy
const LETTERS_RE = /^\p{L}[\p{L}\p{M}'’-]*$/u

/**
 * The words just before `pos` (at most `max`, nearest last), separated from it and from each other by
 * spaces/tabs only (a comma allowed after the last word when `comma`). Parenthesised words are skipped
 * (`Cyprus (Greek) 25572`). Cheap: no regex scan over the window.
 */
function wordsBefore(text: string, pos: number, max: number, comma = false): Array<{ word: string; start: number }> {
  const out: Array<{ word: string; start: number }> = []
  let i = pos
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t'
  if (!isSpace(text[i - 1]) && !(comma && text[i - 1] === ',')) return out
  while (out.length < max) {
    let j = i
    while (j > 0 && isSpace(text[j - 1])) j--
    if (comma && out.length === 0 && text[j - 1] === ',') {
      j--
      while (j > 0 && isSpace(text[j - 1])) j--
    }
    if (j === i && out.length > 0) break
    let k = j
    while (k > 0 && !isSpace(text[k - 1]) && text[k - 1] !== '\n' && text[k - 1] !== '\r' && j - k < 40) k--
    let word = text.slice(k, j)
    if (word.charCodeAt(0) === 40 && /^\(.*\)$/u.test(word)) {
      i = k
      continue
    }
    if (word.endsWith('.')) word = word.slice(0, -1)
    if (!isLetterWord(word)) break
    out.unshift({ word, start: k })
    i = k
    if (k === 0 || !isSpace(text[k - 1])) break
  }
  return out
}
/** {@link LETTERS_RE} with an allocation-free fast path for ASCII words. */
function isLetterWord(word: string): boolean {
  const n = word.length
  if (n === 0) return false
  for (let i = 0; i < n; i++) {
    const c = word.charCodeAt(i)
    if (c > 127) return LETTERS_RE.test(word)
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90)
    if (!letter && (i === 0 || (c !== 39 && c !== 45))) return false
  }
  return true
}
/** `Apt 4B`, `Suite 210`, `Ste. 3`, `Unit 12`, `#12` (the last only inside an address). */
const UNIT_RE = /(?<![\p{L}\d])(?:Apt|APT|apt|Apartment|APARTMENT|apartment|Suite|SUITE|suite|Ste|STE|Unit|UNIT|Room|ROOM|Rm|RM|Floor|FLOOR|Fl|FL|Bldg|BLDG|Building|Lot|Space|Trailer)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?(?![\p{L}\d])/uy
const STANDALONE_UNIT_RE = /^(?:apt|apartment|suite|ste)/i
/** `PO Box 123`, `P.O. Box 287`, `Post Office Box 9`. */
const PO_BOX_RE = /(?<![\p{L}\d])(?:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box|POB)[ \t]*#?[ \t]*\d{1,6}(?![\p{L}\d])/iuy
/** US military mail: `PSC 0413, Box 8144`, `Unit 4719 Box 7394`, `APO AE 09012`, `USNS Saibara`. */
const MILITARY_RE = /(?<![\p{L}\d])(?:(?:PSC|CMR|Unit)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{1,5}|(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}(?:-\d{4})?|(?:USNS|USNV|USS|USCGC)[ \t]+\p{L}[\p{L}\p{M}'’-]+)(?![\p{L}\d])/iuy
/** A postal code after a cue word: `zip: 02139`, `Postal code 3610-114`, `postcode B0J 2H0`. */
const ZIP_CUE_RE = /(?<![\p{L}])(?:zip(?:[ _-]?code)?|postal(?:[ _-]?code)?|post[ _-]?code|postcode|plz|cep)[ \t]*(?:is|=|:|#|-)?[ \t]*([A-Z0-9]{2,5}(?:[ -][A-Z0-9]{2,4})?)(?![\p{L}\d])/iuy
/**
 * Phrases after which an address follows. (`address` cannot start the match with spaces, which made every
 * space a candidate start; only the match end is used, and it is the same.)
 */
const ADDRESS_CUE_RE = /(?<![\p{L}])(?:(?:(?:home|mailing|billing|shipping|street|postal|new|current|previous|primary|secondary|permanent|residential)[ \t]*)?address(?:es)?(?:[ \t]+(?:is|was|to|with|as|of|at|line[ \t]*\d?))*[ \t]*[:=-]?|lives?[ \t]+(?:at|on)|living[ \t]+(?:at|on)|lived[ \t]+(?:at|on)|resid(?:es|ed|ing|e)[ \t]+at|located[ \t]+at|ship[ \t]+to|mail[ \t]+to|send[ \t]+(?:it[ \t]+)?to|deliver(?:ed)?[ \t]+to|meet(?:[ \t]+(?:me|you|us))?[ \t]+at|arrived[ \t]+at|(?:drops?|dropped|picks?|picked)[ \t]+(?:you|me|us|him|her)[ \t]+(?:off|up)[ \t]+at|corner[ \t]+of|(?:is|are|was|were)[ \t]+(?:at|on)|return(?:ed)?[ \t]+(?:it[ \t]+)?to|now[ \t]+live[ \t]+in|moved[ \t]+to|located[ \t]+in|here[ \t]+they[ \t]+are)[ \t]*:?[ \t]*/iuy
const CAP_RUN = `${CAP_WORD}(?:[ \\t]+(?:${CAP_WORD}|de|del|la|do|da|van|von))*`
/** `on Marina Fort Street`, `and Inna Loop St.`: a street named without a house number. */
const NAMED_STREET_RE = new RegExp(`(?<![\\p{L}])(?:on|at|of|along|off|near|and|to|from|onto|down|up)[ \\t]+(${CAP_WORD}(?:[ \\t]+${CAP_WORD}){1,4})`, 'uy')
const NAMED_SUFFIX_SET = new Set(NAMED_STREET_SUFFIXES)
const STREET_SUFFIX_SET: ReadonlySet<string> = new Set(STREET_SUFFIXES)
/** `6750 Koskikatu 25`, `30102 Kaevu 94`, `9816 214 Pavlou Drandaki`: numbers around street-name words. */
const NUMBERED_NAME_RE = new RegExp(`(?<![\\p{L}\\d.:/-])(?:\\d{1,6}[ \\t]+(${CAP_RUN})[ \\t]+\\d{1,5}[A-Za-z]?|\\d{2,6}[ \\t]+\\d{1,4}[ \\t]+(${CAP_RUN}))(?![\\p{L}\\d:%/.-])`, 'uy')
/** `on Pod Floriánem 1677`, `in Bjert 6091`: capitalised words and a number after a preposition. */
const PREP_NAME_NUMBER_RE = new RegExp(`(?<![\\p{L}])(?:on|in|at|to)[ \\t]+(?:the[ \\t]+(?:north|south|east|west)[ \\t]+side[ \\t]+of[ \\t]+)?((${CAP_RUN})[ \\t]+\\d{3,5}(?:[ -]\\d{2,3})?)(?![\\p{L}\\d:%/.,-]\\d)(?![\\p{L}\\d:%/])`, 'uy')
/** `in Tobel, Transunion …`, `I'm in Hernani, at …`: a capitalised place after `in`, closed by punctuation. */
const IN_PLACE_RE = new RegExp(`(?<![\\p{L}])(?:I[ \\t]+am|I['’]m|we[ \\t]+are|we['’]re|year|years|based|currently|now|born|live|lives|lived|living|raised|grew[ \\t]+up|office|offices|located|headquartered|stationed|stayed|staying|vacation|vacationing|holiday|conference|meeting|trip)[ \\t]+in[ \\t]+(${CAP_RUN})(?=[ \\t]*(?:[,.;!?)]|$|\\n|[ \\t]+(?:for|at|on|and|with|since|until|to)\\b))`, 'uy')

/** Phrases after which a city or town follows. */
const CITY_CUE_RE = /(?<![\p{L}])(?:lives?[ \t]+in|living[ \t]+in|lived[ \t]+in|grew[ \t]+up[ \t]+in|born[ \t]+in|raised[ \t]+in|resid(?:es|ed|ing|ent)[ \t]+(?:in|of)|based[ \t]+(?:in|out[ \t]+of)|located[ \t]+in|moved[ \t]+(?:here[ \t]+)?(?:to|from)|relocated[ \t]+(?:to|from)|fl[eo]w[ \t]+(?:to|from|into)|travel(?:l?ed)?[ \t]+(?:to|from)|returned[ \t]+to|drove[ \t]+to|went[ \t]+to|headed[ \t]+to|visited|visiting|hometown(?:[ \t]+(?:of|is))?|home[ \t]+(?:city|town)|city[ \t]+of|town[ \t]+of|village[ \t]+of|originally[ \t]+from|(?:comes?|came)[ \t]+from|(?:I[ \t]+am|I['’]m|we[ \t]+are|we['’]re)[ \t]+(?:currently[ \t]+)?in|university[ \t]+of|arrived[ \t]+(?:at|in)|(?:city|town|place[ \t]+of[ \t]+birth|birthplace|where)[ \t]*:)[ \t]+/iuy

const COUNTRY_SET = new Set([...COUNTRIES, ...MULTIWORD_COUNTRIES])
/** The last word of every country: a postal number needs one of these just before it. */
const COUNTRY_LAST_WORDS = new Set([...COUNTRY_SET].map((c) => c.split(' ').pop() ?? ''))
const STATE_NAME_SET = new Set(Object.values(US_STATES).map((s) => s.toLowerCase()))
const STATE_CODE_SET = new Set([...STATE_CODES, ...CA_PROVINCES])
/** The last word of every US state name (lower case). */
const STATE_NAME_LAST_WORDS = new Set([...STATE_NAME_SET].map((s) => s.split(' ').pop() ?? ''))
const UNIT_OR_PARTICLE = /^(?:apt|apartment|suite|ste|unit|box|po|p\.o\.|floor|fl|room|rm|bldg|building|lot|de|do|da|dos|das|del|dei|della|di|la|le|du|des|van|von|der|den|al|el|and|y|e|nan)$/i

/**
 * The words each sticky pattern can start with, read off the patterns' leading alternations (see
 * {@link wordTable}; `I ` and `I'` stand for `I am`, `I'm`). A family is `whole` when its pattern needs a
 * non-letter right after the cue word (a space, `.`, `:`, `#`, a digit or an apostrophe), so the whole
 * run of letters is one of the words.
 */
const W_FOREIGN = 0
const W_UNIT = 1
const W_PO_BOX = 2
const W_MILITARY = 3
const W_ZIP_CUE = 4
const W_ADDRESS_CUE = 5
const W_CITY_CUE = 6
const W_IN_PLACE = 7
const W_NAMED_STREET = 8
const W_PREP_NAME = 9
/** `[A-Z]\d`: the start of a Canadian postal code in {@link ZIP_RE}. */
const W_CA_POSTAL = 10
const I_AM = ['I ', 'I\t', "I'", 'I’']
const GEO_WORDS = wordTable([
  { words: FOREIGN_STREET_PREFIXES, whole: true },
  { words: ['apt', 'apartment', 'suite', 'ste', 'unit', 'room', 'rm', 'floor', 'fl', 'bldg', 'building', 'lot', 'space', 'trailer'], whole: true },
  { words: ['p.', 'p ', 'p\t', 'po', 'pob', 'pobox', 'post'], whole: true },
  { words: ['psc', 'cmr', 'unit', 'apo', 'fpo', 'dpo', 'usns', 'usnv', 'uss', 'uscgc'], whole: true },
  { words: ['zip', 'postal', 'post', 'postcode', 'plz', 'cep'] },
  {
    words: [
      ...['home', 'mailing', 'billing', 'shipping', 'street', 'postal', 'new', 'current', 'previous', 'primary', 'secondary', 'permanent', 'residential'],
      ...['address', 'addresses', 'lives', 'live', 'living', 'lived', 'resides', 'resided', 'residing', 'reside', 'located', 'ship', 'mail', 'send'],
      ...['deliver', 'delivered', 'meet', 'arrived', 'drops', 'drop', 'dropped', 'picks', 'pick', 'picked', 'corner', 'is', 'are', 'was', 'were'],
      ...['return', 'returned', 'now', 'moved', 'here'],
    ],
    whole: true,
    // `homeaddress`, `addressline`: `address` glued to other letters (more than its 7).
    anyLongerThan: 7,
  },
  {
    words: [
      ...['lives', 'live', 'living', 'lived', 'grew', 'born', 'raised', 'resides', 'resided', 'residing', 'resident', 'based', 'located', 'moved'],
      ...['relocated', 'flew', 'flow', 'travel', 'traveled', 'travelled', 'returned', 'drove', 'went', 'headed', 'visited', 'visiting', 'hometown'],
      ...['home', 'city', 'town', 'village', 'originally', 'comes', 'come', 'came', ...I_AM, 'we', 'university', 'arrived', 'place', 'birthplace', 'where'],
    ],
    whole: true,
  },
  {
    words: [
      ...I_AM, 'we', 'year', 'years', 'based', 'currently', 'now', 'born', 'live', 'lives', 'lived', 'living', 'raised', 'grew', 'office', 'offices',
      ...['located', 'headquartered', 'stationed', 'stayed', 'staying', 'vacation', 'vacationing', 'holiday', 'conference', 'meeting', 'trip'],
    ],
    whole: true,
  },
  { words: ['on', 'at', 'of', 'along', 'off', 'near', 'and', 'to', 'from', 'onto', 'down', 'up'], whole: true },
  { words: ['on', 'in', 'at', 'to'], whole: true },
  { words: [...'abcdefghijklmnopqrstuvwxyz'].flatMap((l) => [...'0123456789'].map((d) => l + d)) },
])

/** Where each GEO pattern can match in one text (ascending positions; see {@link geoCandidates}). */
interface GeoCandidates {
  /** Per `W_*` family: word starts that begin like one of its cue words. */
  words: number[][]
  /** Digit runs that can start {@link US_STREET_RE} or {@link NUMBERED_NAME_RE}. */
  houseThenCap: number[]
  /** Positions where {@link FOREIGN_PREFIX_RE} can match: a prefix word, or a house number before one. */
  foreign: number[]
  /** Digit-run starts after a space or tab. */
  afterBlank: number[]
  /** Digit-run starts and `[A-Z]\d` word starts after a space, tab or comma. */
  afterBlankOrComma: number[]
}

/**
 * Where the word after a house number at `p` starts, or -1. {@link HOUSE} (`\d{1,6}[A-Za-z]?(?:-\d{1,4})?`)
 * is at most 12 characters of `[0-9A-Za-z-]`; when a space or tab follows it, it is the whole run of such
 * characters at `p`. The patterns then take `[ \t]+` and a word or number, which cannot start with a
 * space, so the greedy spaces end where that word starts.
 */
function afterHouse(text: string, p: number): number {
  const n = text.length
  let q = p
  while (q < n && q - p <= 12) {
    const c = text.charCodeAt(q)
    if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 45) q++
    else break
  }
  if (q - p > 12 || q >= n) return -1
  let c = text.charCodeAt(q)
  if (c !== 32 && c !== 9) return -1
  while (q < n && (c === 32 || c === 9)) c = text.charCodeAt(++q)
  return q
}

/**
 * The candidates of every GEO pattern in `text`, from one {@link scanStarts} pass. Each list is a superset
 * of where its pattern can match (the sticky patterns check the rest):
 * - a cue pattern starts with one of its cue words after a non-letter (its lookbehind);
 * - {@link US_STREET_RE} and {@link NUMBERED_NAME_RE} start at a digit run (their lookbehind excludes a
 *   digit before) shaped like a house number, then spaces, then a capital (`\p{Lu}`: ASCII A-Z or
 *   non-ASCII), a directional (capital too) or a digit ({@link afterHouse});
 * - {@link FOREIGN_PREFIX_RE} starts with a prefix word, or with a house number before one.
 */
function geoCandidates(text: string): GeoCandidates {
  const { words, digits } = scanStarts(text, GEO_WORDS)
  const houseThenCap: number[] = []
  const foreignHouses: number[] = []
  const afterBlank: number[] = []
  const afterBlankOrComma: number[] = []
  const ca = words[W_CA_POSTAL]!
  let k = 0
  for (const p of digits) {
    // Canadian postal codes before this digit run, in order.
    for (; k < ca.length && ca[k]! < p; k++) if (mayFollowWord(text, ca[k]!, true)) afterBlankOrComma.push(ca[k]!)
    if (mayFollowWord(text, p, true)) {
      afterBlankOrComma.push(p)
      if (mayFollowWord(text, p, false)) afterBlank.push(p)
    }
    // Every pattern that starts with a house number excludes a letter before it.
    const b = p > 0 ? text.charCodeAt(p - 1) | 32 : 0
    if (b >= 97 && b <= 122) continue
    const q = afterHouse(text, p)
    if (q < 0 || q >= text.length) continue
    const c = text.charCodeAt(q)
    if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c >= 128) houseThenCap.push(p)
    if ((wordBitsAt(text, q, GEO_WORDS) >>> W_FOREIGN) & 1) foreignHouses.push(p)
  }
  for (; k < ca.length; k++) if (mayFollowWord(text, ca[k]!, true)) afterBlankOrComma.push(ca[k]!)
  // `on Marina Fort Street`, `in Bjert 6091`: a capital (or `the`) follows the preposition.
  words[W_NAMED_STREET] = words[W_NAMED_STREET]!.filter((p) => capitalAfterWord(text, p, false))
  words[W_PREP_NAME] = words[W_PREP_NAME]!.filter((p) => capitalAfterWord(text, p, true))
  return { words, houseThenCap, foreign: mergeSorted(foreignHouses, words[W_FOREIGN]!), afterBlank, afterBlankOrComma }
}

/**
 * Whether the ASCII word at `p` is followed by spaces or tabs and then a capital (`\p{Lu}`: ASCII A-Z or
 * non-ASCII), or a `t` when `the` is allowed: necessary for {@link NAMED_STREET_RE} and
 * {@link PREP_NAME_NUMBER_RE}, whose preposition is a whole ASCII word followed by `[ \t]+`.
 */
function capitalAfterWord(text: string, p: number, the: boolean): boolean {
  const n = text.length
  let q = p
  while (q < n && ((text.charCodeAt(q) | 32) >= 97 && (text.charCodeAt(q) | 32) <= 122)) q++
  let c = text.charCodeAt(q)
  if (c !== 32 && c !== 9) return false
  while (c === 32 || c === 9) c = text.charCodeAt(++q)
  return (c >= 65 && c <= 90) || c >= 128 || (the && c === 116)
}

/**
 * A cheap necessary condition for `wordsBefore(text, pos, 1, comma)` to find a word: `pos` follows a
 * space or tab (or a comma when `comma`), and after skipping those back the character is one that can
 * end a letter word (an ASCII letter, `'`, `-`, a trailing `.`, or non-ASCII) or a parenthesised word.
 */
function mayFollowWord(text: string, pos: number, comma: boolean): boolean {
  let j = pos
  let c = j > 0 ? text.charCodeAt(j - 1) : -1
  if (c !== 32 && c !== 9 && !(comma && c === 44)) return false
  while (c === 32 || c === 9) c = --j > 0 ? text.charCodeAt(j - 1) : -1
  if (comma && c === 44) {
    j--
    c = j > 0 ? text.charCodeAt(j - 1) : -1
    while (c === 32 || c === 9) c = --j > 0 ? text.charCodeAt(j - 1) : -1
  }
  return ((c | 32) >= 97 && (c | 32) <= 122) || c === 39 || c === 45 || c === 46 || c === 41 || c >= 128
}

function geo(start: number, end: number, confidence: number, detector: string): PhiHit {
  return { type: 'GEO', start, end, confidence, detector }
}

/** True for a country, a US state (code or name) or a Canadian province: above HIPAA's GEO level. */
export function isStateOrCountry(value: string): boolean {
  const known = STATE_OR_COUNTRY_CACHE.get(value)
  if (known !== undefined) return known
  const found = stateOrCountry(value)
  if (STATE_OR_COUNTRY_CACHE.size >= 10_000) STATE_OR_COUNTRY_CACHE.clear()
  STATE_OR_COUNTRY_CACHE.set(value, found)
  return found
}

const STATE_OR_COUNTRY_CACHE = new Map<string, boolean>()

function stateOrCountry(value: string): boolean {
  const v = value.trim().replace(/[.,]$/, '')
  if (STATE_CODE_SET.has(v.toUpperCase()) && v.length === 2) return true
  const k = foldName(v).replace(/\s+/g, ' ').replace(/\s*\(.*\)$/, '')
  return COUNTRY_SET.has(k) || STATE_NAME_SET.has(k)
}

/**
 * All matches of a global regex, without `matchAll` (which clones the regex on every call). Resets
 * `lastIndex` before and after, so the shared regex stays pure.
 */
function execAll(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = []
  re.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    out.push(m)
    if (m[0].length === 0) re.lastIndex++
  }
  re.lastIndex = 0
  return out
}

/** The match of the sticky regex `re` at `pos`, or null. */
function execOne(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos
  const m = re.exec(text)
  re.lastIndex = 0
  return m
}

/** Drops a sentence-final period (`in Miami.`) but keeps an abbreviation's (`Main St.`, `3 Pentelis Str.`). */
function trimPeriod(text: string, start: number, end: number): number {
  if (text[end - 1] !== '.' || end - 1 <= start) return end
  const word = /\p{L}+$/u.exec(text.slice(start, end - 1))?.[0] ?? ''
  return word.length > 3 || word.length === 0 ? end - 1 : end
}

/** GEO hits for regex matches: the whole match (trailing separators dropped) or capture group `group`. */
function collect(text: string, matches: readonly RegExpExecArray[], confidence: number, detector: string, group?: number): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of matches) {
    if (group !== undefined) {
      const g = m[group]
      if (g === undefined) continue
      const start = m.index + m[0].lastIndexOf(g)
      out.push(geo(start, trimPeriod(text, start, start + g.length), confidence, detector))
    } else {
      let end = m.index + m[0].length
      // A sentence-final period is not part of the address (`... 25 Main St.` keeps `St.`).
      while (end > m.index && /[ \t,]/.test(text[end - 1] ?? '')) end--
      out.push(geo(m.index, trimPeriod(text, m.index, end), confidence, detector))
    }
  }
  return out
}

/** True when a capitalised word of `value` is an ordinary word (`Windows 10`, `Page 5`). */
function hasStopword(value: string): boolean {
  for (const w of value.match(/\p{L}[\p{L}\p{M}'’]*/gu) ?? []) {
    if (/^\p{Lu}/u.test(w) && isGeoStopword(w) && !STREET_SUFFIX_SET.has(w.toLowerCase())) return true
  }
  return false
}

/** One address piece at the start of `rest`: its length, or 0. */
function addressPieceLength(rest: string): number {
  // A piece starts with an upper-case letter, a digit or `#`; a lower-case start is rejected below anyway.
  const c0 = rest.charCodeAt(0)
  if (c0 < 128 && !((c0 >= 65 && c0 <= 90) || (c0 >= 48 && c0 <= 57) || c0 === 35)) return 0
  const m =
    /^(?:(?:Apt|Apartment|Suite|Ste|Unit|Room|Rm|Floor|Fl|Bldg|Building|Box|P\.?[ \t]?O\.?[ \t]*Box)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?|#[ \t]?\d{1,5}[A-Za-z]?|\d[\dA-Z-]{0,9}(?:[ ][A-Z\d]{2,3}(?![\p{L}\d]))?|[A-Z]\d[A-Z][ ]?\d[A-Z]\d|\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]+(?:\p{Lu}[\p{L}\p{M}'’.-]*|de|do|da|del|dei|la|le|du|van|von|der|and|\(\p{L}+\)))*)(?![\p{L}\d])/iu.exec(
      rest,
    )
  if (!m) return 0
  const piece = m[0]
  // Ordinary capitalised words (`The`, `Please`) end an address; proper words continue it.
  const firstWord = /^\p{L}+/u.exec(piece)?.[0]
  if (firstWord && !/^\d/.test(piece) && !UNIT_OR_PARTICLE.test(firstWord) && isGeoStopword(firstWord) && !STREET_SUFFIX_SET.has(firstWord.toLowerCase()) && !isStateOrCountry(firstWord)) return 0
  if (firstWord && /\p{Ll}/u.test(piece.charAt(0))) return 0
  return piece.length
}

/**
 * The length of `/^(?:[ \t]*,?[ \t]*(?:\r?\n[ \t>?*-]*)?[ \t]*,?[ \t]*)/` on the 20 characters at `from`
 * (every part is optional and greedy, so one left-to-right pass gives the regex's match).
 */
function separatorLength(text: string, from: number): number {
  const limit = Math.min(text.length, from + 20)
  let i = from
  const spaces = () => {
    while (i < limit && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++
  }
  const comma = () => {
    if (i < limit && text.charCodeAt(i) === 44) i++
  }
  spaces()
  comma()
  spaces()
  const lineBreak = i < limit && text.charCodeAt(i) === 13 && i + 1 < limit && text.charCodeAt(i + 1) === 10 ? 2 : i < limit && text.charCodeAt(i) === 10 ? 1 : 0
  if (lineBreak > 0) {
    i += lineBreak
    while (i < limit) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 62 || c === 63 || c === 42 || c === 45) i++
      else break
    }
  }
  spaces()
  comma()
  spaces()
  return i - from
}

/** Extends an address hit over the following pieces of the same block (unit, city, state, ZIP, country). */
function extendRight(text: string, h: PhiHit): PhiHit {
  let end = h.end
  for (let pieces = 0; pieces < 8; pieces++) {
    const sepLength = separatorLength(text, end)
    if (sepLength === 0 && end !== h.end) break
    const rest = text.slice(end + sepLength, end + sepLength + 80)
    const len = addressPieceLength(rest)
    if (len === 0) break
    end = end + sepLength + len
    if (end - h.start > 200) break
  }
  return end === h.end ? h : { ...h, end }
}

/** Extends an address hit to a house number just before it (`6750 Koskikatu 25`). */
function extendLeft(text: string, h: PhiHit): PhiHit {
  const m = /(?<![\p{L}\d-])\d{1,6}[ \t]+$/u.exec(text.slice(Math.max(0, h.start - 10), h.start))
  return m ? { ...h, start: h.start - m[0].length } : h
}

/** The address after a cue phrase (`lives at …`, `Address: …`), when it holds a number. */
function addressAfterCue(text: string, at: readonly number[]): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAt(ADDRESS_CUE_RE, text, at)) {
    const start = m.index + m[0].length
    if (m[0].trim().length === 0 || !/\d/.test(text.slice(start, start + 160))) continue
    let probe = extendRight(text, geo(start, start, 0.75, 'geo-address-cue'))
    // `Billing address: Ana Dias⏎ 31401 ul. Słowicza 10`: a first line without a digit is the addressee.
    const nl = text.slice(probe.start, probe.end).search(/\r?\n/)
    if (nl > 0 && !/\d/.test(text.slice(probe.start, probe.start + nl))) {
      const next = probe.start + nl + (/^\r?\n[ \t>?*-]*/.exec(text.slice(probe.start + nl))?.[0].length ?? 1)
      probe = extendRight(text, geo(next, next, 0.75, 'geo-address-cue'))
    }
    const value = text.slice(probe.start, probe.end)
    if (probe.end > start && /\d/.test(value) && /\p{L}{2}/u.test(value)) out.push(probe)
  }
  return out
}

/** A city after a cue (`grew up in Awenne`, `moved here from FEYSVILLE`), unless a state or country. */
function cityAfterCue(text: string, at: readonly number[]): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAt(CITY_CUE_RE, text, at)) {
    const start = m.index + m[0].length
    const w = /^\p{Lu}[\p{L}\p{M}'’-]*(?:[ \t]+(?:\p{Lu}[\p{L}\p{M}'’-]*|de|del|la|le|do|da|sur|on|upon|am|an|im))*/u.exec(text.slice(start, start + 60))
    if (!w) continue
    let value = w[0].replace(/[ \t]+(?:de|del|la|le|do|da|sur|on|upon|am|an|im)$/u, '')
    const words = value.split(/[ \t]+/)
    // Leading ordinary words (`The`, `Southern`) are not part of a city name.
    while (words.length > 0 && FUNCTION_STOPWORDS.has((words[0] ?? '').toLowerCase())) words.shift()
    if (words.length === 0) continue
    value = words.join(' ')
    if (isStateOrCountry(value) || (words.length === 1 && FUNCTION_STOPWORDS.has(value.toLowerCase()))) continue
    const s = text.indexOf(value, start)
    out.push(geo(s, s + value.length, 0.85, 'geo-city-cue'))
  }
  return out
}

/** The whole value of an address, street, city or ZIP field. */
function detectField(text: string, ctx: DetectContext | undefined): PhiHit[] | undefined {
  const field = ctx?.field
  if (!field) return undefined
  const f = field.toLowerCase()
  const value = text.trim()
  const start = text.indexOf(value)
  if (value.length === 0) return []
  if (/(?:^|[^a-z])(?:zip|zipcode|zip_?code|postal_?code|postcode|post_?code|postalcode)(?:$|[^a-z])|address[._]postalcode/.test(f)) {
    return /^(?:\d{5}(?:-\d{4})?|\d{3,4}|[A-Z0-9]{2,5}[ -]?[A-Z0-9]{2,4})$/i.test(value) && /\d/.test(value) ? [geo(start, start + value.length, 0.9, 'geo-field')] : []
  }
  if (/(?:state|country|region|province)(?:_?code)?$/.test(f) && !/address/.test(f)) return undefined
  if (/(?:^|[^a-z])(?:street|address|addr|address_?line_?\d?|line[12]|city|town|county|municipality|pid[-_.]?11|address[._]line|address[._]city|address[._]text|address[._]district)(?:$|[^a-z0-9])/.test(f) && !/(?:ip|mac|email|e_mail|web|url|host|server|remote|client|bind|listen|wallet|contract|memory|bucket)_?addr/.test(f)) {
    if (!/\p{L}{2}/u.test(value) || value.length > 300 || isStateOrCountry(value)) return []
    return [geo(start, start + value.length, 0.85, 'geo-field')]
  }
  return undefined
}

/** Sorts and merges GEO hits that overlap or touch across separators only (one address block). */
function mergeBlocks(text: string, hits: PhiHit[]): PhiHit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end)
  const out: PhiHit[] = []
  for (const h of sorted) {
    const last = out[out.length - 1]
    if (last && (h.start <= last.end || /^[ \t]*,?[ \t]*(?:\r?\n[ \t>?*-]*)?$/.test(text.slice(last.end, h.start)))) {
      if (h.end > last.end) last.end = h.end
      last.confidence = Math.max(last.confidence, h.confidence)
      continue
    }
    out.push({ ...h })
  }
  return out
}

/** A cheap necessary condition for {@link foreignEndingStreets}: the word ends with a street ending. */
function mayBeStreetWord(word: string): boolean {
  const lw = word.toLowerCase()
  const endings = ENDINGS_BY_LAST_CHAR.get(lw.charAt(lw.length - 1))
  if (endings) for (const e of endings) if (lw.endsWith(e)) return true
  return false
}

/** {@link FOREIGN_STREET_ENDINGS} by their last character. */
const ENDINGS_BY_LAST_CHAR = new Map<string, string[]>()
for (const e of FOREIGN_STREET_ENDINGS) {
  const k = e.charAt(e.length - 1)
  ENDINGS_BY_LAST_CHAR.set(k, [...(ENDINGS_BY_LAST_CHAR.get(k) ?? []), e])
}

/**
 * `Koskikatu 25`, `Erzsébet tér 19.`: a word with a foreign street ending (or such a word) and a number.
 * `at`: digit-run starts after a space or tab, where the nearest word before can be. No match of
 * {@link HOUSE_NUMBER_RE} can start inside another (inside one, a digit or letter precedes), so the
 * global scan's matches are the pattern's matches at each position on its own, and the cheap word
 * check may run before the pattern.
 */
function foreignEndingStreets(text: string, at: readonly number[]): PhiHit[] {
  const out: PhiHit[] = []
  for (const p of at) {
    const nearest = wordsBefore(text, p, 1)[0]
    if (!nearest || !mayBeStreetWord(nearest.word)) continue
    const m = execOne(HOUSE_NUMBER_RE, text, p)
    if (!m) continue
    const before = wordsBefore(text, m.index, 3)
    const last = before[before.length - 1]
    if (!last) continue
    const lw = last.word.toLowerCase()
    const glued = /^\p{Lu}/u.test(last.word) && FOREIGN_STREET_ENDINGS.some((e) => lw.length > e.length + 1 && lw.endsWith(e))
    if (!glued && !ENDING_SET.has(lw)) continue
    // Capitalised words before the street word belong to it (`Erzsébet tér`, `Brucker Bundesstrasse`).
    let start = last.start
    for (let k = before.length - 2; k >= 0; k--) {
      const w = before[k]
      if (!w || !/^\p{Lu}/u.test(w.word) || isGeoStopword(w.word)) break
      start = w.start
    }
    out.push(geo(start, trimPeriod(text, start, m.index + m[0].length), 0.85, 'geo-street'))
  }
  return out
}

/**
 * `Springfield, IL 62704` (city to ZIP), or the ZIP alone after a state without a city. `at`: digit-run
 * and `[A-Z]\d` starts after a space, tab or comma, where the nearest word before can be. No match of
 * {@link ZIP_RE} can start inside another (inside one, a letter, digit or `-` precedes, or, after the
 * Canadian code's space, `\d[A-Z]` follows, which starts neither form), so the state check may run first.
 */
function stateZips(text: string, at: readonly number[]): PhiHit[] {
  const out: PhiHit[] = []
  for (const p of at) {
    const nearest = wordsBefore(text, p, 1, true)[0]
    if (!nearest || (!STATE_CODE_SET.has(nearest.word) && !STATE_NAME_LAST_WORDS.has(nearest.word.toLowerCase()))) continue
    const m = execOne(ZIP_RE, text, p)
    if (!m) continue
    const before = wordsBefore(text, m.index, 3, true)
    // The state is the last word (a code) or the last one to three words (a name).
    let stateAt = -1
    const last = before[before.length - 1]
    if (last && last.word.length === 2 && STATE_CODE_SET.has(last.word)) stateAt = before.length - 1
    for (let k = Math.min(3, before.length); k >= 1 && stateAt < 0; k--) {
      if (STATE_NAME_SET.has(before.slice(-k).map((w) => w.word.toLowerCase()).join(' '))) stateAt = before.length - k
    }
    const state = before[stateAt]
    if (!state) continue
    const end = m.index + m[0].length
    const city = CITY_BEFORE_RE.exec(text.slice(Math.max(0, state.start - 60), state.start))
    if (city) out.push(geo(state.start - city[0].length, end, 0.9, 'geo-city-state-zip'))
    else out.push(geo(m.index, end, 0.85, 'geo-zip'))
  }
  return out
}

/** `Boston, MA`: the city before a state code (never the state itself). */
function cityStates(text: string): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(COMMA_STATE_RE, text)) {
    const code = m[1] ?? ''
    if (!STATE_CODE_SET.has(code) || CA_PROVINCES.includes(code) || code === 'MD' || code === 'PA') continue
    const before = text.slice(Math.max(0, m.index - 50), m.index)
    const city = /(?<![\p{L}])\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'’.-]*){0,2}$/u.exec(before)
    if (!city) continue
    // `Call Boston, MA`: leading ordinary words are not part of the city.
    const words = city[0].split(/[ \t]+/)
    while (words.length > 1 && isGeoStopword(words[0] ?? '')) words.shift()
    const value = words.join(' ')
    if (value.length < 2 || isGeoStopword(value) || isStateOrCountry(value)) continue
    out.push(geo(m.index - value.length, m.index, 0.6, 'geo-city-state'))
  }
  return out
}

/**
 * `Estonia 62488`, `Cyprus (Greek) 25572`: a postal code after a country. `at`: digit-run starts after a
 * space or tab, where the nearest word before can be. A match of {@link POSTAL_NUMBER_RE} can start
 * inside a global-scan match only after its inner space (`123 4567`), and there the word before is a
 * number, never a country; so checking the word first and the pattern at each position on its own
 * gives the same hits.
 */
function countryZips(text: string, at: readonly number[]): PhiHit[] {
  const out: PhiHit[] = []
  for (const p of at) {
    const nearest = wordsBefore(text, p, 1)[0]
    if (!nearest || !COUNTRY_LAST_WORDS.has(foldName(nearest.word))) continue
    const m = execOne(POSTAL_NUMBER_RE, text, p)
    if (!m) continue
    const words = wordsBefore(text, m.index, 4).map((w) => w.word)
    let country = false
    for (let k = 1; k <= words.length && !country; k++) country = COUNTRY_SET.has(foldName(words.slice(-k).join(' ')))
    if (country) out.push(geo(m.index, m.index + (m[1] ?? '').length, 0.85, 'geo-zip'))
  }
  return out
}

/** `on Marina Fort Street`, `and Inna Loop St.`: a street named without a house number. */
function namedStreets(text: string, at: readonly number[]): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAt(NAMED_STREET_RE, text, at)) {
    const group = m[1] ?? ''
    const groupStart = m.index + m[0].length - group.length
    let end = -1
    let k = 0
    for (const w of group.matchAll(/[^ \t]+/g)) {
      if (k > 0 && NAMED_SUFFIX_SET.has(w[0].toLowerCase().replace(/\.$/, ''))) end = groupStart + w.index + w[0].length
      k++
    }
    if (end > 0) out.push(geo(groupStart, trimPeriod(text, groupStart, end), 0.85, 'geo-street'))
  }
  return out
}

/**
 * GEO detector: geographic units smaller than a state. Street addresses (house number, street name and a
 * USPS suffix, an optional directional and unit; common foreign forms `Rua …`, `…katu 25`), PO boxes and
 * military mail, `City, ST 12345` and `City, State 12345-6789`, units (`Apt 4B`, `Suite 210`), ZIP and
 * ZIP+4 codes only with a cue (`zip`, `postal`, after a state, a ZIP field), addresses after a cue
 * (`lives at`, `Address:`), and cities only after a place cue (`grew up in`) or before a state code.
 * A country or state alone is never GEO. Adjacent pieces of one address block merge into one hit.
 */
export const detectGeo: Detector = (text, ctx) => {
  if (text.length === 0) return []
  const field = detectField(text, ctx)
  if (field) return field
  // Cheap gates: most patterns need a digit; the cue patterns need a lower-case word.
  const hasDigit = /\d/.test(text)
  const hasLower = /\p{Ll}{2}/u.test(text)
  if (text.length <= GEO_CHUNK_CHARS) return detectGeoIn(text, hasDigit, hasLower)
  // Long input: chunks cut at blank lines. No pattern, extension or merge crosses a blank line (they
  // join on spaces, tabs and at most one line break), and the gates come from the whole text, so the
  // hits are those of the whole text.
  const out: PhiHit[] = []
  const blank = /\n[ \t]*\r?\n/g
  let from = 0
  while (from < text.length) {
    let to = text.length
    if (from + GEO_CHUNK_CHARS < text.length) {
      blank.lastIndex = from + GEO_CHUNK_CHARS
      const m = blank.exec(text)
      if (m) to = m.index + m[0].length
    }
    const chunk = from === 0 && to === text.length ? text : text.slice(from, to)
    for (const h of detectGeoIn(chunk, hasDigit, hasLower)) out.push({ ...h, start: h.start + from, end: h.end + from })
    from = to
  }
  return out
}

/** Chunk size for long inputs (cut at the first blank line past it). */
const GEO_CHUNK_CHARS = 16_384

/** GEO hits of one chunk; `hasDigit` and `hasLower` are gates computed on the whole text. */
function detectGeoIn(text: string, hasDigit: boolean, hasLower: boolean): PhiHit[] {
  const none: PhiHit[] = []
  const c = geoCandidates(text)
  const w = c.words
  const stateHits = hasDigit ? stateZips(text, c.afterBlankOrComma) : []
  const military = collect(text, execAt(MILITARY_RE, text, w[W_MILITARY]!), 0.9, 'geo-military')
  const core = hasDigit
    ? [
        ...collect(text, execAt(US_STREET_RE, text, c.houseThenCap), 0.9, 'geo-street'),
        ...collect(text, execAt(FOREIGN_PREFIX_RE, text, c.foreign), 0.85, 'geo-street'),
        ...foreignEndingStreets(text, c.afterBlank),
        ...collect(text, execAt(PO_BOX_RE, text, w[W_PO_BOX]!), 0.9, 'geo-po-box'),
        ...military,
        ...stateHits.filter((h) => h.detector === 'geo-city-state-zip'),
      ].filter((h) => /\d/.test(text.slice(h.start, h.end)))
    : military
  const units = hasDigit ? collect(text, execAt(UNIT_RE, text, w[W_UNIT]!), 0.7, 'geo-unit') : none
  const standaloneUnits = units.filter((u) => STANDALONE_UNIT_RE.test(text.slice(u.start, u.end)))
  const blocks = [...core, ...standaloneUnits].map((h) => extendRight(text, extendLeft(text, h)))
  const named = [
    ...(hasLower ? namedStreets(text, w[W_NAMED_STREET]!) : none),
    ...(hasDigit ? collect(text, execAt(NUMBERED_NAME_RE, text, c.houseThenCap), 0.85, 'geo-street').filter((h) => !hasStopword(text.slice(h.start, h.end))) : none),
    ...(hasDigit && hasLower ? collect(text, execAt(PREP_NAME_NUMBER_RE, text, w[W_PREP_NAME]!), 0.8, 'geo-street', 1).filter((h) => !hasStopword(text.slice(h.start, h.end))) : none),
    ...(hasLower ? collect(text, execAt(IN_PLACE_RE, text, w[W_IN_PLACE]!), 0.85, 'geo-city-cue', 1).filter((h) => !isStateOrCountry(text.slice(h.start, h.end)) && !hasStopword(text.slice(h.start, h.end))) : none),
  ].map((h) => extendRight(text, h))
  const zips = hasDigit
    ? [...countryZips(text, c.afterBlank), ...stateHits.filter((h) => h.detector === 'geo-zip'), ...collect(text, execAt(ZIP_CUE_RE, text, w[W_ZIP_CUE]!), 0.85, 'geo-zip', 1)].filter((h) => /\d/.test(text.slice(h.start, h.end)))
    : none
  const cities = cityStates(text)
  return mergeBlocks(text, [...blocks, ...named, ...zips, ...cities, ...(hasDigit && hasLower ? addressAfterCue(text, w[W_ADDRESS_CUE]!) : none), ...(hasLower ? cityAfterCue(text, w[W_CITY_CUE]!) : none)])
}
