import type { DetectContext, Detector, PhiHit } from '../types.js'
import { CA_PROVINCES, COUNTRIES, NAMED_STREET_SUFFIXES, FOREIGN_STREET_ENDINGS, FOREIGN_STREET_PREFIXES, MULTIWORD_COUNTRIES, STREET_SUFFIXES, US_STATES } from './geo-data.js'
import { foldName } from './lexicon.js'
import { FUNCTION_STOPWORDS, isGeoStopword } from './stopwords.js'

/** Regexes whose leading `(?<![…])` lookbehind was moved into code: regex → the excluded class. */
const NOT_AFTER = new WeakMap<RegExp, (text: string, pos: number) => boolean>()

/**
 * The same regex without its leading lookbehind `(?<![…])`, which {@link execAll} checks in code instead.
 * A leading lookbehind stops V8 from skipping ahead to the first literal of a word alternation, so these
 * scans were 2-10x slower; re-searching from the next position when the check fails gives the same matches.
 */
function leadingLookbehind(re: RegExp): RegExp {
  const m = /^\(\?<!(\[[^\]]*\])\)/.exec(re.source)
  if (!m) return re
  const out = new RegExp(re.source.slice(m[0].length), re.flags)
  const cls = new RegExp(`^${m[1]}$`, 'u')
  const ascii = Array.from({ length: 128 }, (_, c) => cls.test(String.fromCharCode(c)))
  NOT_AFTER.set(out, (text, pos) => {
    const c = text.charCodeAt(pos - 1)
    return c < 128 ? ascii[c]! : cls.test(charBefore(text, pos))
  })
  return out
}

/** The code point just before `pos` as a string ('' at the start). */
function charBefore(text: string, pos: number): string {
  if (pos <= 0) return ''
  const low = text.charCodeAt(pos - 1)
  if (low >= 0xdc00 && low <= 0xdfff && pos >= 2) {
    const high = text.charCodeAt(pos - 2)
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(pos - 2, pos)
  }
  return text.charAt(pos - 1)
}

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

/** `1600 N Pennsylvania Ave NW`, `12 West 42nd Street`. */
const US_STREET_RE = leadingLookbehind(new RegExp(
  `(?<![\\p{L}\\d.-])${HOUSE}[ \\t]+(?:${DIR}\\.?[ \\t]+)?(?:(?:${CAP_WORD}|\\d{1,3}(?:st|nd|rd|th))[ \\t]+){1,4}(?:${SUFFIX_ALT})(?![\\p{L}\\d])\\.?(?:[ \\t]+${DIR}(?![\\p{L}\\d])\\.?)?`,
  'gu',
))
/** `Rua do Arenque 1634`, `Via Franscini 71`, `31 Rue Al Imam Al Bakri`, `ul. Grochowa 80`. */
const FOREIGN_PREFIX_RE = leadingLookbehind(new RegExp(
  `(?<![\\p{L}\\d])(?:${HOUSE}[ \\t]+)?(?:${caseVariants(FOREIGN_STREET_PREFIXES)})\\.?(?:[ \\t]+(?:${CAP_WORD}|d[aeiou]s?|dei|del|della|de|la|le|du|des|al|el|e|y|\\d{1,2}))+(?:[ \\t]+\\d{1,5}[A-Za-z]?)?(?![\\p{L}\\d])`,
  'gu',
))
const ENDING_SET = new Set(FOREIGN_STREET_ENDINGS)
/** A word and a number: candidates for `Koskikatu 25`, `Søndergade 52`, `Erzsébet tér 19.` (checked in code). */
/** A city of one to four capitalised words just before a position. */
const CITY_BEFORE_RE = /(?<![\p{L}])(\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'’.-]*){0,3}),?[ \t]+$/u
/** `, IL` (checked in code: a state code, not `MD`/`PA`, which are credentials too). */
const COMMA_STATE_RE = /,[ \t]*([A-Z]{2})(?![\p{L}\d-])/gu
/** A postal-code-like number (checked in code: after a country). */
const POSTAL_NUMBER_RE = /(?<![\p{L}\d-])(\d{3,6}(?:[ -]\d{2,4})?)(?![\p{L}\d])/gu
/** A house number (checked in code: after a word with a foreign street ending). */
const HOUSE_NUMBER_RE = /(?<![\p{L}\d])\d{1,5}[A-Za-z]?(?![\p{L}\d:/])/gu
/** A US ZIP or ZIP+4, or a Canadian postal code (checked in code: after a state or province). */
const ZIP_RE = /(?<![\p{L}\d-])(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?![\p{L}\d-])/gu
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
const UNIT_RE = leadingLookbehind(/(?<![\p{L}\d])(?:Apt|APT|apt|Apartment|APARTMENT|apartment|Suite|SUITE|suite|Ste|STE|Unit|UNIT|Room|ROOM|Rm|RM|Floor|FLOOR|Fl|FL|Bldg|BLDG|Building|Lot|Space|Trailer)\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?(?![\p{L}\d])/gu)
const STANDALONE_UNIT_RE = /^(?:apt|apartment|suite|ste)/i
/** `PO Box 123`, `P.O. Box 287`, `Post Office Box 9`. */
const PO_BOX_RE = leadingLookbehind(/(?<![\p{L}\d])(?:P\.?[ \t]?O\.?[ \t]*Box|Post[ \t]+Office[ \t]+Box|POB)[ \t]*#?[ \t]*\d{1,6}(?![\p{L}\d])/giu)
/** US military mail: `PSC 0413, Box 8144`, `Unit 4719 Box 7394`, `APO AE 09012`, `USNS Saibara`. */
const MILITARY_RE = leadingLookbehind(/(?<![\p{L}\d])(?:(?:PSC|CMR|Unit)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{1,5}|(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}(?:-\d{4})?|(?:USNS|USNV|USS|USCGC)[ \t]+\p{L}[\p{L}\p{M}'’-]+)(?![\p{L}\d])/giu)
/** A postal code after a cue word: `zip: 02139`, `Postal code 3610-114`, `postcode B0J 2H0`. */
const ZIP_CUE_RE = /(?<![\p{L}])(?:zip(?:[ _-]?code)?|postal(?:[ _-]?code)?|post[ _-]?code|postcode|plz|cep)[ \t]*(?:is|=|:|#|-)?[ \t]*([A-Z0-9]{2,5}(?:[ -][A-Z0-9]{2,4})?)(?![\p{L}\d])/giu
/**
 * Phrases after which an address follows. (`address` cannot start the match with spaces, which made every
 * space a candidate start; only the match end is used, and it is the same.)
 */
const ADDRESS_CUE_RE = leadingLookbehind(/(?<![\p{L}])(?:(?:(?:home|mailing|billing|shipping|street|postal|new|current|previous|primary|secondary|permanent|residential)[ \t]*)?address(?:es)?(?:[ \t]+(?:is|was|to|with|as|of|at|line[ \t]*\d?))*[ \t]*[:=-]?|lives?[ \t]+(?:at|on)|living[ \t]+(?:at|on)|lived[ \t]+(?:at|on)|resid(?:es|ed|ing|e)[ \t]+at|located[ \t]+at|ship[ \t]+to|mail[ \t]+to|send[ \t]+(?:it[ \t]+)?to|deliver(?:ed)?[ \t]+to|meet(?:[ \t]+(?:me|you|us))?[ \t]+at|arrived[ \t]+at|(?:drops?|dropped|picks?|picked)[ \t]+(?:you|me|us|him|her)[ \t]+(?:off|up)[ \t]+at|corner[ \t]+of|(?:is|are|was|were)[ \t]+(?:at|on)|return(?:ed)?[ \t]+(?:it[ \t]+)?to|now[ \t]+live[ \t]+in|moved[ \t]+to|located[ \t]+in|here[ \t]+they[ \t]+are)[ \t]*:?[ \t]*/giu)
const CAP_RUN = `${CAP_WORD}(?:[ \\t]+(?:${CAP_WORD}|de|del|la|do|da|van|von))*`
/** `on Marina Fort Street`, `and Inna Loop St.`: a street named without a house number. */
const NAMED_STREET_RE = leadingLookbehind(new RegExp(`(?<![\\p{L}])(?:on|at|of|along|off|near|and|to|from|onto|down|up)[ \\t]+(${CAP_WORD}(?:[ \\t]+${CAP_WORD}){1,4})`, 'gu'))
const NAMED_SUFFIX_SET = new Set(NAMED_STREET_SUFFIXES)
const STREET_SUFFIX_SET: ReadonlySet<string> = new Set(STREET_SUFFIXES)
/** `6750 Koskikatu 25`, `30102 Kaevu 94`, `9816 214 Pavlou Drandaki`: numbers around street-name words. */
const NUMBERED_NAME_RE = new RegExp(`(?<![\\p{L}\\d.:/-])(?:\\d{1,6}[ \\t]+(${CAP_RUN})[ \\t]+\\d{1,5}[A-Za-z]?|\\d{2,6}[ \\t]+\\d{1,4}[ \\t]+(${CAP_RUN}))(?![\\p{L}\\d:%/.-])`, 'gu')
/** `on Pod Floriánem 1677`, `in Bjert 6091`: capitalised words and a number after a preposition. */
const PREP_NAME_NUMBER_RE = leadingLookbehind(new RegExp(`(?<![\\p{L}])(?:on|in|at|to)[ \\t]+(?:the[ \\t]+(?:north|south|east|west)[ \\t]+side[ \\t]+of[ \\t]+)?((${CAP_RUN})[ \\t]+\\d{3,5}(?:[ -]\\d{2,3})?)(?![\\p{L}\\d:%/.,-]\\d)(?![\\p{L}\\d:%/])`, 'gu'))
/** `in Tobel, Transunion …`, `I'm in Hernani, at …`: a capitalised place after `in`, closed by punctuation. */
const IN_PLACE_RE = leadingLookbehind(new RegExp(`(?<![\\p{L}])(?:I[ \\t]+am|I['’]m|we[ \\t]+are|we['’]re|year|years|based|currently|now|born|live|lives|lived|living|raised|grew[ \\t]+up|office|offices|located|headquartered|stationed|stayed|staying|vacation|vacationing|holiday|conference|meeting|trip)[ \\t]+in[ \\t]+(${CAP_RUN})(?=[ \\t]*(?:[,.;!?)]|$|\\n|[ \\t]+(?:for|at|on|and|with|since|until|to)\\b))`, 'gu'))

/** Phrases after which a city or town follows. */
const CITY_CUE_RE = leadingLookbehind(/(?<![\p{L}])(?:lives?[ \t]+in|living[ \t]+in|lived[ \t]+in|grew[ \t]+up[ \t]+in|born[ \t]+in|raised[ \t]+in|resid(?:es|ed|ing|ent)[ \t]+(?:in|of)|based[ \t]+(?:in|out[ \t]+of)|located[ \t]+in|moved[ \t]+(?:here[ \t]+)?(?:to|from)|relocated[ \t]+(?:to|from)|fl[eo]w[ \t]+(?:to|from|into)|travel(?:l?ed)?[ \t]+(?:to|from)|returned[ \t]+to|drove[ \t]+to|went[ \t]+to|headed[ \t]+to|visited|visiting|hometown(?:[ \t]+(?:of|is))?|home[ \t]+(?:city|town)|city[ \t]+of|town[ \t]+of|village[ \t]+of|originally[ \t]+from|(?:comes?|came)[ \t]+from|(?:I[ \t]+am|I['’]m|we[ \t]+are|we['’]re)[ \t]+(?:currently[ \t]+)?in|university[ \t]+of|arrived[ \t]+(?:at|in)|(?:city|town|place[ \t]+of[ \t]+birth|birthplace|where)[ \t]*:)[ \t]+/giu)

const COUNTRY_SET = new Set([...COUNTRIES, ...MULTIWORD_COUNTRIES])
/** The last word of every country: a postal number needs one of these just before it. */
const COUNTRY_LAST_WORDS = new Set([...COUNTRY_SET].map((c) => c.split(' ').pop() ?? ''))
const STATE_NAME_SET = new Set(Object.values(US_STATES).map((s) => s.toLowerCase()))
const STATE_CODE_SET = new Set([...STATE_CODES, ...CA_PROVINCES])
/** The last word of every US state name (lower case). */
const STATE_NAME_LAST_WORDS = new Set([...STATE_NAME_SET].map((s) => s.split(' ').pop() ?? ''))
const UNIT_OR_PARTICLE = /^(?:apt|apartment|suite|ste|unit|box|po|p\.o\.|floor|fl|room|rm|bldg|building|lot|de|do|da|dos|das|del|dei|della|di|la|le|du|des|van|von|der|den|al|el|and|y|e|nan)$/i

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
 * All matches of a global regex, without `matchAll` (which clones the regex on every call: costly for
 * the long alternations here). Resets `lastIndex` before and after, so the shared regex stays pure.
 */
function execAll(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = []
  const notAfter = NOT_AFTER.get(re)
  re.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    if (notAfter && m.index > 0 && notAfter(text, m.index)) {
      re.lastIndex = m.index + 1
      continue
    }
    out.push(m)
    if (m[0].length === 0) re.lastIndex++
  }
  re.lastIndex = 0
  return out
}

/** Drops a sentence-final period (`in Miami.`) but keeps an abbreviation's (`Main St.`, `3 Pentelis Str.`). */
function trimPeriod(text: string, start: number, end: number): number {
  if (text[end - 1] !== '.' || end - 1 <= start) return end
  const word = /\p{L}+$/u.exec(text.slice(start, end - 1))?.[0] ?? ''
  return word.length > 3 || word.length === 0 ? end - 1 : end
}

function collect(text: string, re: RegExp, confidence: number, detector: string, group?: number): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(re, text)) {
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
function addressAfterCue(text: string): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(ADDRESS_CUE_RE, text)) {
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
function cityAfterCue(text: string): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(CITY_CUE_RE, text)) {
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

/** `Koskikatu 25`, `Erzsébet tér 19.`: a word with a foreign street ending (or such a word) and a number. */
function foreignEndingStreets(text: string): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(HOUSE_NUMBER_RE, text)) {
    const nearest = wordsBefore(text, m.index, 1)[0]
    if (!nearest || !mayBeStreetWord(nearest.word)) continue
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

/** `Springfield, IL 62704` (city to ZIP), or the ZIP alone after a state without a city. */
function stateZips(text: string): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(ZIP_RE, text)) {
    const nearest = wordsBefore(text, m.index, 1, true)[0]
    if (!nearest || (!STATE_CODE_SET.has(nearest.word) && !STATE_NAME_LAST_WORDS.has(nearest.word.toLowerCase()))) continue
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

/** `Estonia 62488`, `Cyprus (Greek) 25572`: a postal code after a country. */
function countryZips(text: string): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(POSTAL_NUMBER_RE, text)) {
    const nearest = wordsBefore(text, m.index, 1)[0]
    if (!nearest || !COUNTRY_LAST_WORDS.has(foldName(nearest.word))) continue
    const words = wordsBefore(text, m.index, 4).map((w) => w.word)
    let country = false
    for (let k = 1; k <= words.length && !country; k++) country = COUNTRY_SET.has(foldName(words.slice(-k).join(' ')))
    if (country) out.push(geo(m.index, m.index + (m[1] ?? '').length, 0.85, 'geo-zip'))
  }
  return out
}

/** `on Marina Fort Street`, `and Inna Loop St.`: a street named without a house number. */
function namedStreets(text: string): PhiHit[] {
  const out: PhiHit[] = []
  for (const m of execAll(NAMED_STREET_RE, text)) {
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

function detectGeoIn(text: string, hasDigit: boolean, hasLower: boolean): PhiHit[] {
  const none: PhiHit[] = []
  const stateHits = hasDigit ? stateZips(text) : []
  const core = hasDigit
    ? [
        ...collect(text, US_STREET_RE, 0.9, 'geo-street'),
        ...collect(text, FOREIGN_PREFIX_RE, 0.85, 'geo-street'),
        ...foreignEndingStreets(text),
        ...collect(text, PO_BOX_RE, 0.9, 'geo-po-box'),
        ...collect(text, MILITARY_RE, 0.9, 'geo-military'),
        ...stateHits.filter((h) => h.detector === 'geo-city-state-zip'),
      ].filter((h) => /\d/.test(text.slice(h.start, h.end)))
    : collect(text, MILITARY_RE, 0.9, 'geo-military')
  const units = hasDigit ? collect(text, UNIT_RE, 0.7, 'geo-unit') : none
  const standaloneUnits = units.filter((u) => STANDALONE_UNIT_RE.test(text.slice(u.start, u.end)))
  const blocks = [...core, ...standaloneUnits].map((h) => extendRight(text, extendLeft(text, h)))
  const named = [
    ...(hasLower ? namedStreets(text) : none),
    ...(hasDigit ? collect(text, NUMBERED_NAME_RE, 0.85, 'geo-street').filter((h) => !hasStopword(text.slice(h.start, h.end))) : none),
    ...(hasDigit && hasLower ? collect(text, PREP_NAME_NUMBER_RE, 0.8, 'geo-street', 1).filter((h) => !hasStopword(text.slice(h.start, h.end))) : none),
    ...(hasLower ? collect(text, IN_PLACE_RE, 0.85, 'geo-city-cue', 1).filter((h) => !isStateOrCountry(text.slice(h.start, h.end)) && !hasStopword(text.slice(h.start, h.end))) : none),
  ].map((h) => extendRight(text, h))
  const zips = hasDigit
    ? [...countryZips(text), ...stateHits.filter((h) => h.detector === 'geo-zip'), ...collect(text, ZIP_CUE_RE, 0.85, 'geo-zip', 1)].filter((h) => /\d/.test(text.slice(h.start, h.end)))
    : none
  const cities = cityStates(text)
  return mergeBlocks(text, [...blocks, ...named, ...zips, ...cities, ...(hasDigit && hasLower ? addressAfterCue(text) : none), ...(hasLower ? cityAfterCue(text) : none)])
}
