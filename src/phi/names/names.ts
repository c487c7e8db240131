import type { DetectContext, Detector, PhiHit } from '../types.js'
import { FOREIGN_STREET_PREFIXES, STREET_SUFFIXES } from './geo-data.js'
import { eponymUseAfter, isEponymKey } from './eponyms.js'
import { foldName, isNameWord, nameLexicon } from './lexicon.js'
import { execAt } from './geo-scan.js'
import { COMMON_SURNAME_WORDS, ID_ACRONYMS, STOPWORDS } from './stopwords.js'

/** One word of the text. */
interface Token {
  text: string
  start: number
  end: number
  /** First letter upper case. */
  cap: boolean
  /** Every letter upper case (and at least two letters). */
  allCaps: boolean
  /** A single upper-case letter (`J` or `J.`; the period is not part of the token). */
  initial: boolean
  /** The folded lexicon key ({@link foldName}). */
  key: string
  /** Whether the key is in the name lexicon: 0 not looked up yet, 1 no, 2 yes (see {@link inLexicon}). */
  lex: number
}

/** Whether the token's key is in the name lexicon (looked up once per token). */
function inLexicon(t: Token): boolean {
  if (t.lex === 0) t.lex = nameLexicon().has(t.key) ? 2 : 1
  return t.lex === 2
}

const UPPER_RE = /^\p{Lu}/u

/** Lower-case particles allowed inside a name (`Ludwig van Beethoven`, `Maria de la Cruz`). */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'da', 'di', 'dos', 'das', 'du', 'la', 'le', 'bin', 'ibn', 'al', 'el', 'ter', 'ten', 'y'])

/** Titles and honorifics before a name; they are a cue and not part of the span. */
const TITLE_WORDS = new Set(['dr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'doctor', 'nurse', 'patient', 'pt', 'rev', 'fr', 'sr', 'sir', 'dame', 'madam', 'mme', 'mlle', 'herr', 'frau', 'señor', 'señora', 'sra', 'sgt', 'capt', 'officer'])

/** Credentials after a name (`Jane Doe, MD`). */
const CREDENTIAL_AFTER_RE = /^,?[ \t]*(?:M\.?D\.?|R\.?N\.?|N\.?P\.?|PA-C|D\.?O\.?|Ph\.?D\.?|DDS|DMD|LPN|CNA|PharmD|FNP(?:-C)?|APRN|CRNA|DPM|OD|MSN|BSN|LCSW|MPH|DNP|Jr\.?|Sr\.?|III?|IV)\b/

/** Verbs that follow a person (`Meza said`, `Anna's`), enough for a single lexicon word at sentence start. */
const WEAK_AFTER_RE = /^(?:['’]s\b|[ \t]+(?:is|was|had|has|have|will|would|can|could|did|does|spent|began|begins|started|starts|said|says|shouted|told|tells|asked|asks|replied|wrote|writes|lives|lived|called|calls|agreed|smiled|laughed|died|visited|reported|reports|denies|denied|presents|presented|complains|complained|states|stated|went|goes|came|comes|became|seems|seemed|works|worked|loves|loved|likes|wants|wanted|needs|needed|thinks|thought|knows|knew|made|makes|took|takes|gave|gives|returned|returns|arrived|left|felt|feels|tried|tries|decided|received|underwent|developed|noted|notes|endorses|reports)\b)/
/** A vocative before a request: `Cora, can I please speak to your boss?`. */
const VOCATIVE_AFTER_RE = /^,[ \t]+(?:can|could|would|will|please|i|we|you|thank|thanks|are|is|do|did|have|how|what|where|when|why|let|come|look|listen|wait|stop)\b/i
/** A speaker or label line: `Nicole: Remember me`. */
const SPEAKER_RE = /^[ \t]*:/
/** An organisation after the run (`Davis, Reynolds and Williamson Orchestra`, `Aunt Bertha Inc`). */
const ORG_AFTER_RE = /^(?:,?[ \t]+(?:and|&)?[ \t]*\p{Lu}[\p{L}'’-]*){0,3}[ \t]+(?:Inc|Ltd|LLC|LLP|PLC|GmbH|AG|SA|Group|Orchestra|Associates|Technologies|Technology|Corp|Corporation|Company|Co|Partners|Foundation|Institute|University|College|Bank|Holdings|Systems|Solutions|Labs|Studios|Records|Media|Capital|Ventures|Investments|Agency|Society|Association|Insurance|Global|International|Enterprises|Industries|Consulting|Services|Pharmaceuticals|Health|Healthcare|Medical|Hospital|Clinic|Center|Centre)\b/u

const RELATIONS = 'mother|father|mom|mum|dad|son|daughter|wife|husband|brother|sister|spouse|partner|fianc[ée]e?|boyfriend|girlfriend|guardian|grandmother|grandfather|grandson|granddaughter|grandma|grandpa|aunt|uncle|cousin|niece|nephew|friend|caregiver|carer|roommate|neighbou?r|colleague|stepmother|stepfather|stepson|stepdaughter|child|baby|infant|sibling|parent|relative|next of kin|emergency contact|beneficiary|proxy|surrogate|widow|widower'
const LABELS = 'name|full name|patient name|pt name|first name|last name|given name|family name|surname|maiden name|middle name|patient|pt|client|member|subscriber|guarantor|insured|guardian|contact|nok|attending|attending physician|physician|provider|pcp|doctor|surgeon|referring|referring physician|resident|nurse|author|signed|signed by|cosigned by|referred by|seen by|treated by|examined by|dictated by|transcribed by|reviewed by|ordered by|verified by|performed by|cc|attn|to|from|dear|hi|hello|thanks|thank you|sincerely|regards'
const ROLES = 'producer|director|singer|songwriter|author|writer|artist|actor|actress|coach|detective|agent|commenter|chef|ceo|cfo|cto|founder|co-founder|president|senator|governor|judge|teacher|student|lawyer|attorney|officer|sergeant|captain|pastor|reverend|rabbi|imam|father|brother|caseworker|social worker|therapist|counselor|counsellor|pharmacist|dentist|surgeon|technician|paramedic|midwife|doula|chaplain|interpreter|translator|kid|son|child|says|said|asks|asked|thanks|dear|hi|hello|hey|greetings|congratulations|sincerely|regards|cheers|including|featuring|feat\\.|ex-\\p{L}+'
const PHRASES = 'my name is|his name is|her name is|their name is|name is|name was|named|called|known as|aka|a\\.k\\.a\\.|goes by|calls? me|call him|call her|under the name|spoke (?:with|to)|discussed with|accompanied by|consent from'

/** A strong cue right before a name (case-insensitive): relation word, label with `:`, phrase. */
const STRONG_BEFORE_RE = new RegExp(
  `(?:\\b(?:${RELATIONS})(?:['’]s)?[ \\t]*[,:]?|\\b(?:${LABELS})[ \\t]*(?:[:=#][ \\t]*["']?|-{1,2}>?)|\\b(?:${PHRASES})[ \\t]*:?|\\b(?:${ROLES}),?|\\bname[ \\t]*\\?|(?:^|[\\s(])(?:by|with|to)[ \\t]+(?:dr|mr|mrs|ms)\\.?)[ \\t]*$`,
  'iu',
)

/** A field named like a label cue (`patient`, `member`, `signed_by`): its value starts with a name when it starts with a capitalised word. */
const LABEL_FIELD_RE = new RegExp(`^(?:${LABELS})$`, 'i')

/** Whether the last segment of a field name (`log.patient`, `signed_by`) is a label cue. */
function isLabelField(field: string | undefined): boolean {
  if (!field) return false
  const last = field.split(/[.\/\[\]]/).filter((x) => x.length > 0).pop() ?? ''
  return LABEL_FIELD_RE.test(last.replace(/[_-]+/g, ' ').trim())
}

/** The last word of every cue of {@link STRONG_BEFORE_RE}: a cheap gate before running it. */
const CUE_LAST_WORDS: ReadonlySet<string> = new Set([
  ...[RELATIONS, LABELS, PHRASES, ROLES]
    .join('|')
    .split('|')
    .map((alt) => alt.replace(/\\\./g, '').split(/\s+/).pop() ?? '')
    .filter((w) => /^[a-z-]+$/.test(w)),
  'fiance', 'fiancee', 'fiancé', 'fiancée', 'neighbor', 'neighbour', 'me', 'call', 'calls', 'name', 'dr', 'mr', 'mrs', 'ms', 'feat', 'aka', 'a.k.a',
])

/**
 * Whether a strong cue ({@link STRONG_BEFORE_RE}) ends right before token `index`. A cue is at most three
 * words (`my name is`, `under the name`, `a.k.a.`), so the regex runs on the text after the fourth token
 * back (capped at 40 characters) instead of a fixed 40-character window: same answers, far less work.
 */
function strongCueBefore(text: string, tokens: readonly Token[], index: number): boolean {
  if (!mayHaveCue(text, tokens, index)) return false
  const start = tokens[index]!.start
  // A cue word that ends no multi-word cue is the whole cue: the text after the token before it suffices.
  const back = tokens[index - (MULTI_WORD_CUE_WORDS.has(tokens[index - 1]!.key) ? 4 : 2)]
  return STRONG_BEFORE_RE.test(text.slice(Math.max(0, start - 40, back ? back.end : 0), start))
}

/**
 * Every word of a multi-word cue (`next of kin`, `spoke (?:with|to)`, `by Dr.`, `a.k.a.`): only these
 * can be the last word of a cue that starts before the token holding that word.
 */
const MULTI_WORD_CUE_WORDS: ReadonlySet<string> = new Set([
  ...[RELATIONS, LABELS, PHRASES, ROLES]
    .join('|')
    .split('|')
    .filter((alt) => /\s|\\t|\\\./.test(alt))
    .flatMap((alt) => alt.toLowerCase().split(/[^a-zà-ÿ-]+/))
    .filter((w) => w.length > 0),
  'by', 'with', 'to', 'dr', 'mr', 'mrs', 'ms', 'a', 'k',
])

/** Whether the text before a token can end with a strong cue (then {@link STRONG_BEFORE_RE} decides). */
function mayHaveCue(text: string, tokens: readonly Token[], index: number): boolean {
  const prev = tokens[index - 1]
  const cur = tokens[index]
  if (!prev || !cur || cur.start - prev.end > 6) return false
  return CUE_LAST_WORDS.has(prev.key) || prev.key.startsWith('ex-')
}

/** Field names whose values are person names. */
const NAME_FIELD_RE = /(?:^|[^a-z])(?:patient_?name|pt_?name|first_?name|last_?name|given_?name|family_?name|middle_?name|maiden_?name|full_?name|sur_?name|fname|lname|name[._]given|name[._]family|name[._]text|given|family|pid[-_.]?(?:5|6|9)|nk1[-_.]?2|gt1[-_.]?3|in1[-_.]?16|guarantor|subscriber_?name|insured_?name|contact_?name|guardian|next_?of_?kin|nok_?name|attending|physician|provider_?name|doctor|nurse_?name|emergency_?contact|signed_?by|author_?name|referring)(?:$|[^a-z])/i
/** Field names that contain `name` but hold no person (`bucket_name`, `hostname`). */
const NOT_NAME_FIELD_RE = /(?:file|host|bucket|table|service|function|stack|queue|topic|cluster|image|repo|branch|key|app|application|db|database|schema|index|domain|device|display|resource|role|policy|group|project|org|company|product|drug|medication|test|procedure|event|metric|tag|env|region|zone|class|module|package|path|dns|server|instance|node|pod|container|job|task|step|bundle|field|column|param|attribute|header|cookie|code|type)_?name/i

const SUFFIX_SET = new Set(STREET_SUFFIXES)
const STREET_PREFIX_SET = new Set(FOREIGN_STREET_PREFIXES)
const QUOTES = new Set(['"', '“', '‘', "'"])

/** Surname endings common in European languages (`-ová`, `-ski`, `-sson`, `-dóttir`). */
const SURNAME_MORPH_RE = /(?:ov|ova|ová|ev|eva|ski|ska|sky|cki|cka|wicz|vić|vic|ić|enko|chuk|yan|sson|sen|dóttir|dottir|escu|opoulos|akis|idis|oglu|oğlu|berg|stein|mann|ák|ná|aitė|ienė|ytė|elli|etti|ucci|ez)$/u
/** The stricter endings that make a single capitalised word a surname. */
const STRONG_MORPH_RE = /(?:ov|ova|ová|ev|eva|ski|ska|sky|wicz|vić|ić|enko|chuk|yan|sson|dóttir|dottir|escu|opoulos|oglu|oğlu|aitė|ienė|ytė)$/u

/** Every letter upper case and at least two letters (ASCII words without allocating). */
function isAllCaps(word: string): boolean {
  if (word.length < 2) return false
  let letters = 0
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i)
    if (c >= 65 && c <= 90) letters++
    else if (c >= 97 && c <= 122) return false
    else if (c > 127) return word === word.toUpperCase() && word !== word.toLowerCase() && /\p{L}.*\p{L}/u.test(word)
  }
  return letters >= 2
}

/** Code point classes for the tokenizer: 1 letter, 2 mark, 3 neither (0 not yet computed). BMP only. */
const CP_CLASS = new Uint8Array(0x10000)
const LETTER_RE = /^\p{L}$/u
const MARK_RE = /^\p{M}$/u

function cpClassOf(cp: number): number {
  if (cp < 0x10000) {
    const known = CP_CLASS[cp]!
    if (known !== 0) return known
  }
  const ch = String.fromCodePoint(cp)
  const cls = LETTER_RE.test(ch) ? 1 : MARK_RE.test(ch) ? 2 : 3
  if (cp < 0x10000) CP_CLASS[cp] = cls
  return cls
}

/**
 * The next word at or after `from` (the regex `\p{L}[\p{L}\p{M}'’-]*`: a letter, then letters, marks, `'`, `’`, `-`),
 * found by a char-code scan (no regex, no match array): `[start, end)`, or `start = -1`.
 */
interface WordSpan {
  start: number
  end: number
  /** What the scan saw inside the word: 1 ASCII upper case, 2 ASCII lower case, 4 non-ASCII, 8 `'`/`’`/`-`. */
  flags: number
  /** ASCII upper-case letters. */
  uppers: number
}

function nextWord(text: string, from: number, span: WordSpan): void {
  const n = text.length
  let i = from
  let start = -1
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
        start = i
        i++
        break
      }
      i++
      continue
    }
    const cp = text.codePointAt(i)!
    const w = cp > 0xffff ? 2 : 1
    if (cpClassOf(cp) === 1) {
      start = i
      i += w
      break
    }
    i += w
  }
  span.start = start
  if (start < 0) return
  let flags = 0
  let uppers = 0
  i = start
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c < 128) {
      if (c >= 97 && c <= 122) flags |= 2
      else if (c >= 65 && c <= 90) {
        flags |= 1
        uppers++
      } else if (c === 39 || c === 45) flags |= 8
      else break
      i++
      continue
    }
    if (c === 0x2019) {
      flags |= 12
      i++
      continue
    }
    const cp = text.codePointAt(i)!
    if (i > start && cpClassOf(cp) === 3) break
    flags |= 4
    i += cp > 0xffff ? 2 : 1
  }
  span.end = i
  span.flags = flags
  span.uppers = uppers
}

function tokenize(text: string): Token[] {
  const out: Token[] = []
  const span: WordSpan = { start: 0, end: 0, flags: 0, uppers: 0 }
  for (nextWord(text, 0, span); span.start >= 0; nextWord(text, span.end, span)) {
    const m = { index: span.start }
    let word = text.slice(span.start, span.end)
    if ((span.flags & 12) === 0) {
      // Plain ASCII letters (the common case): every property from the scan, no further pass.
      const first = word.charCodeAt(0)
      const cap = first <= 90
      out.push({
        text: word,
        start: span.start,
        end: span.end,
        cap,
        allCaps: word.length >= 2 && (span.flags & 2) === 0 && span.uppers >= 2,
        initial: word.length === 1 && cap,
        key: (span.flags & 1) === 0 ? word : word.toLowerCase(),
        lex: 0,
      })
      continue
    }
    const lastChar = word.charAt(word.length - 1)
    // Trailing hyphens/apostrophes are punctuation, not part of the word.
    if (lastChar === '-' || lastChar === "'" || lastChar === '’') while (word.length > 1 && /['’-]$/.test(word)) word = word.slice(0, -1)
    // Clitics are not part of the name: `Amanda's`, `I'm`, `Meza’s`.
    if (word.includes("'") || word.includes('’')) {
      const clitic = /['’](?:s|m|ll|ve|d|re|t)$/i.exec(word)
      if (clitic && clitic.index > 0) word = word.slice(0, clitic.index)
    }
    const start = m.index
    const first = word.charCodeAt(0)
    const cap = first < 128 ? first >= 65 && first <= 90 : UPPER_RE.test(word)
    out.push({
      text: word,
      start,
      end: start + word.length,
      cap,
      allCaps: word.length >= 2 && first >= 97 && first <= 122 ? false : isAllCaps(word),
      initial: word.length === 1 && cap,
      key: foldName(word),
      lex: 0,
    })
  }
  return out
}

function hardStop(word: string): boolean {
  return hardStopKey(foldName(word))
}

function hardStopKey(k: string): boolean {
  return STOPWORDS.has(k) && !COMMON_SURNAME_WORDS.has(k)
}

function isLex(word: string): boolean {
  return isNameWord(word) || COMMON_SURNAME_WORDS.has(foldName(word))
}

/** Whether two neighbouring tokens may belong to one name: spaces only, or `J. ` after an initial. */
function joinable(text: string, a: Token, b: Token): boolean {
  const n = b.start - a.end
  if (n < 1 || n > 4) return false
  let i = a.end
  const dot = text.charCodeAt(i) === 46
  if (dot) {
    if (n === 1) return false
    i++
  } else if (n === 4) return false
  for (; i < b.start; i++) {
    const c = text.charCodeAt(i)
    if (c !== 32 && c !== 9) return false
  }
  return !dot || a.initial || isTitleToken(a)
}

/**
 * `/(?:^|[^\p{L}\d<excluded>])\d{1,6}[ \t]+$/u.test(s)` without the regex (an end-anchored regex tries
 * every start position): a run of at most six digits, then spaces or tabs to the end, and before the
 * digits the start of `s` or a character that is no letter, no digit and not in `excluded`.
 */
function numberRunBefore(s: string, excluded: string): boolean {
  let i = s.length
  while (i > 0 && (s.charCodeAt(i - 1) === 32 || s.charCodeAt(i - 1) === 9)) i--
  if (i === s.length) return false
  let j = i
  while (j > 0 && s.charCodeAt(j - 1) >= 48 && s.charCodeAt(j - 1) <= 57) j--
  if (i - j < 1 || i - j > 6) return false
  if (j === 0) return true
  const c = s.charCodeAt(j - 1)
  if (c < 128) return !((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) && !excluded.includes(s.charAt(j - 1))
  let ch = s.charAt(j - 1)
  if (c >= 0xdc00 && c <= 0xdfff && j >= 2) {
    const high = s.charCodeAt(j - 2)
    if (high >= 0xd800 && high <= 0xdbff) ch = s.slice(j - 2, j)
  }
  return !/^\p{L}$/u.test(ch)
}

/** True when the span starts a sentence or a line (no cue can come from before it). */
function atSentenceStart(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 6), start).replace(/[ \t"'“‘(\[>*_#`?-]+$/u, '')
  return before.length === 0 || /[.!?\n\r:;|]$/.test(before)
}

function hit(start: number, end: number, confidence: number, detector: string): PhiHit {
  return { type: 'NAME', start, end, confidence, detector }
}

function isNameShaped(t: Token): boolean {
  return t.cap || t.initial
}

/** A lower-case letter followed by an upper-case one: `BackOff`, `McGlynn`, `DeShawn`. */
const CAMEL_RE = /\p{Ll}\p{Lu}/u
/** {@link CAMEL_RE}`.test(word)`, with a char loop for ASCII words (only they reach the loop's end). */
function hasCamel(word: string): boolean {
  let lower = false
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i)
    if (c > 127) return CAMEL_RE.test(word)
    if (lower && c >= 65 && c <= 90) return true
    lower = c >= 97 && c <= 122
  }
  return false
}
/** CamelCase that names carry: a short prefix (`Mc`, `Mac`, `De`, `La`, `Van`), then one capitalised part. */
const CAMEL_NAME_RE = /^(?:\p{Lu}\p{Ll}{0,2}|Fitz|Mac|Van|Von|Ten|Ter)\p{Lu}\p{Ll}+$/u

/**
 * CamelCase that is no name: identifiers and log vocabulary (`BackOff`, `CrashLoopBackOff`,
 * `FailedScheduling`, `GitHub`'s kin). `McGlynn`, `MacDonald`, `DeShawn`, `LaToya` stay names.
 */
function isCodeCamel(t: Token): boolean {
  if (!hasCamel(t.text)) return false
  // Each part of a double-barrelled name on its own: `Fahey-McCullough`, `DuBuque-Bradtke`.
  return t.text.split(/['’-]/).some((part) => CAMEL_RE.test(part) && !CAMEL_NAME_RE.test(part))
}

/**
 * Where the run's tail is (a chain of) medical eponyms used as a disease, sign, scale or test name:
 * `Hodgkin lymphoma`, `Crohn's disease`, `Known Graves' disease`, `Glasgow Coma Scale`, `Guillain-Barré
 * syndrome`. Every word from the returned index up to the head must be an eponym, and the head (with any
 * capitalised modifiers) must cover the rest of the run. -1 when there is no such tail.
 */
function eponymStart(text: string, run: readonly Token[]): number {
  const lastEnd = run[run.length - 1]!.end
  for (let j = 0; j < run.length; j++) {
    for (let k = j; k < run.length; k++) {
      const t = run[k]!
      if (t.initial || !isEponymKey(t.key)) break
      const n = eponymUseAfter(text.slice(t.end, t.end + 80))
      if (n > 0 && t.end + n >= lastEnd) return j
    }
  }
  return -1
}

/** The run is a value or key of `key=value` or `"key":"value"` structure (`trace_id=Root=1-…`, `"reason":"BackOff"`). */
function inKeyValue(before: string, after: string): boolean {
  return keyValueBefore(before) || /^(?:[ \t]*=|["'][ \t]*:)/u.test(after)
}

/** `[A-Za-z0-9_]`, the `\w` of a regex without the `i` flag. */
function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95
}

/**
 * `/[\w\])"'.-][ \t]*=[ \t]*["']?$|\w:$|["'][ \t]*:[ \t]*["']?$/u.test(s)` by one backward walk (an
 * end-anchored regex tries every start). Each step is forced: a final quote can only be the optional
 * one, and blanks can only be the `[ \t]*` (neither `=`, `:` nor the class before them holds a blank).
 */
function keyValueBefore(s: string): boolean {
  let i = s.length
  if (i >= 2 && s.charCodeAt(i - 1) === 58 && isWordCode(s.charCodeAt(i - 2))) return true
  const q = s.charCodeAt(i - 1)
  if (q === 34 || q === 39) i--
  while (i > 0 && (s.charCodeAt(i - 1) === 32 || s.charCodeAt(i - 1) === 9)) i--
  if (i === 0) return false
  const sep = s.charCodeAt(i - 1)
  if (sep !== 61 && sep !== 58) return false
  i--
  while (i > 0 && (s.charCodeAt(i - 1) === 32 || s.charCodeAt(i - 1) === 9)) i--
  if (i === 0) return false
  const k = s.charCodeAt(i - 1)
  if (sep === 58) return k === 34 || k === 39
  return isWordCode(k) || k === 93 || k === 41 || k === 34 || k === 39 || k === 46 || k === 45
}

/**
 * Whether the token's lower-cased text is a street suffix. The key ({@link foldName}) equals the
 * lower-cased text whenever that is ASCII, as every suffix is, so a key outside the set settles it
 * without a new string.
 */
function isSuffixToken(t: Token): boolean {
  return SUFFIX_SET.has(t.key) && SUFFIX_SET.has(t.text.toLowerCase())
}

/** The folded keys of {@link TITLE_WORDS}: the lower-cased text of a title has one of these keys. */
const TITLE_KEYS: ReadonlySet<string> = new Set([...TITLE_WORDS].map((w) => foldName(w)))

/** Whether the token's lower-cased text is a title (`Dr`, `Mrs`, `señora`); the key check is a cheap necessary condition. */
function isTitleToken(t: Token): boolean {
  return TITLE_KEYS.has(t.key) && TITLE_WORDS.has(t.text.toLowerCase())
}

/**
 * A lower-case `ms` or `pt` right after a number is a unit (`3 ms`, `12 pt`), not the title Ms or Pt:
 * a Lambda `REPORT … Billed Duration: 3 ms\tMemory Size: 128 MB` line has no person in it.
 */
function isUnitAfterNumber(text: string, t: Token): boolean {
  return !t.cap && (t.key === 'ms' || t.key === 'pt') && digitThenBlanksBefore(text, t.start)
}

/**
 * `/\d[ \t]+$/.test(text.slice(Math.max(0, start - 40), start))` without the slice and the regex (an
 * end-anchored regex tries every start): one or more spaces or tabs end the window, a digit precedes them.
 */
function digitThenBlanksBefore(text: string, start: number): boolean {
  const lo = Math.max(0, start - 40)
  let i = start
  while (i > lo && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--
  if (i === start || i === lo) return false
  const c = text.charCodeAt(i - 1)
  return c >= 48 && c <= 57
}

/** Decides whether a run of name-shaped tokens is a name; returns the hit or undefined. */
function judgeRun(text: string, run: Token[], tokens: Token[], firstIndex: number, log: boolean, labelField: boolean): PhiHit | undefined {
  const first = run[0]
  const last = run[run.length - 1]
  if (!first || !last) return undefined
  const start = first.start
  let end = last.end
  if (last.initial && text[end] === '.') end++
  const words = run.filter((t) => !t.initial && !PARTICLES.has(t.text))
  if (words.length === 0) return undefined
  // One all-caps word outside the lexicon (`HTTP`, `GET`) is never a name: every path below rejects it
  // (a cue needs a lexicon word for it, and an eponym split leaves it alone or nothing). Decided early.
  if (words.length === 1 && words[0]!.allCaps && !inLexicon(words[0]!) && !COMMON_SURNAME_WORDS.has(words[0]!.key)) return undefined
  const before = text.slice(Math.max(0, start - 40), start)
  const after = text.slice(end, end + 64)
  const prevToken = tokens[firstIndex - 1]
  const nextToken = tokens[firstIndex + run.length]
  // The character codes around the span (NaN past either end of the text) for cheap checks.
  const charBefore = text.charCodeAt(start - 1)
  const charAfter = text.charCodeAt(end)
  // `12 Kimberly Way`: a street, not a person.
  if (run.length > 1 && isSuffixToken(last) && digitThenBlanksBefore(text, start)) return undefined
  if (nextToken && isSuffixToken(nextToken) && /^[ \t]+$/.test(text.slice(end, nextToken.start))) {
    if (digitThenBlanksBefore(text, start) || nextToken.cap) return undefined
  }
  // (The pattern starts with `,`, a space or a tab.)
  if ((charAfter === 44 || charAfter === 32 || charAfter === 9) && ORG_AFTER_RE.test(after)) return undefined
  // Parts of an e-mail address, a URL or a path: `/^[@/]|^\.\p{L}/u` after, `/[@/.\\_]$/` before.
  if (charAfter === 64 || charAfter === 47 || (charAfter === 46 && /^\.\p{L}/u.test(after))) return undefined
  if (charBefore === 64 || charBefore === 47 || charBefore === 46 || charBefore === 92 || charBefore === 95) return undefined
  // Letters glued to digits are part of an identifier: `DEA MI3772351`, `BIO-5E055B3D`.
  if ((charAfter >= 48 && charAfter <= 57) || (charBefore >= 48 && charBefore <= 57)) return undefined
  // `Rue Gafsa`, `Rua Mina 50`: a foreign street name (a token's key is the folded word).
  if (STREET_PREFIX_SET.has(first.key)) return undefined
  // A quoted title in title case: `"Tube Snake Boogie"`, `"Carry Me Back To Canada"`.
  if (start > 0 && QUOTES.has(text.charAt(start - 1)) && (words.length >= 3 || /^[ \t]+\p{Lu}/u.test(after))) return undefined
  // `03751 Gerrit Achterberghove 137`, `St Georges, QC 54256`: a street or city, not a person.
  if (/^[ \t]+\d/.test(after) && numberRunBefore(before, '')) return undefined
  if (/^,?[ \t]*(?:[A-Z]{2}[ \t]+[A-Z\d]{3,5}\b|\d{4,5}\b)/.test(after)) return undefined
  // `Nieuwe Baan 473 St.`, `Rio Nalon 58` on its own line, `594 Hegedûs Gyula utca`: street names.
  const streetAfter = /^[ \t]+\d{1,5}[A-Za-z]?(?:[ \t]*(?:[,\n\r]|$|(?:St|Street|street|Str|Apt|Suite|Ave|Rd)\b))/.test(after)
  const numberBefore = numberRunBefore(before, ':/.-')
  // The value of a label field (`patient=Doe, Jane` split into field and value): the field is the cue.
  const fieldCue = labelField && firstIndex === 0 && /^[ \t"'“]*$/.test(text.slice(0, start))
  const strongBefore = fieldCue || strongCueBefore(text, tokens, firstIndex) || (prevToken !== undefined && isTitleToken(prevToken) && !isUnitAfterNumber(text, prevToken) && /^\.?[ \t]+$/.test(text.slice(prevToken.end, start)))
  const credentialAfter = CREDENTIAL_AFTER_RE.test(after) && words.length >= 1
  const allCaps = words.every((t) => t.allCaps)
  // Lexicon words (strictLex) and those plus common surname words (lexCount), one lookup each.
  let lexCount = 0
  let strictLex = 0
  for (const t of words) {
    if (inLexicon(t)) strictLex++
    else if (!COMMON_SURNAME_WORDS.has(t.key)) continue
    lexCount++
  }
  const morph = words.some((t) => !t.allCaps && t.text.length >= 5 && SURNAME_MORPH_RE.test(t.text.toLowerCase()))
  const hasInitial = run.some((t) => t.initial) && words.length >= 2
  if (!strongBefore && !credentialAfter && (streetAfter || numberBefore)) return undefined
  // `Hodgkin lymphoma`, `Crohn's disease`, `Glasgow Coma Scale`: a medical term, not a person.
  if (!credentialAfter) {
    const e = eponymStart(text, run)
    if (e === 0) return undefined
    // `Known Graves' disease`: judge the words before the eponym on their own.
    if (e > 0) return judgeRun(text, run.slice(0, e), tokens, firstIndex, log, labelField)
  }
  // In a log line or key=value / JSON structure a capitalised word is a reason, step or header value
  // (`BackOff`, `Step 3/9`, `trace_id=Root=1-…`): only a real cue (`patient=`, `Dr.`, `, MD`) makes a name.
  if (!strongBefore && !credentialAfter && inKeyValue(before, after)) return undefined
  // In a log's free text: two or more lexicon words, or two or three words that are all lexicon
  // words or common surname words with at least one lexicon word (`John Smith`).
  if (log && !strongBefore && !credentialAfter && (words.length < 2 || (strictLex < 2 && (words.length > 3 || strictLex < 1 || lexCount < words.length)))) return undefined
  if (strongBefore || credentialAfter) {
    if (allCaps && lexCount === 0 && words.length === 1) return undefined
    return hit(start, end, 0.9, 'name-cue')
  }
  if (words.length >= 2) {
    if (words.length > 4) return undefined
    // `NIST Cybersecurity Framework`, `Fuse TV`: an acronym among capitalised words is a product or org.
    if (!allCaps && words.some((t) => t.allCaps)) return undefined
    if (allCaps) return lexCount >= 2 ? hit(start, end, 0.6, 'name-lexicon') : undefined
    if (strictLex >= 1 || (lexCount >= 1 && (morph || hasInitial))) return hit(start, end, 0.75, 'name-lexicon')
    if (hasInitial || morph) return hit(start, end, 0.6, 'name-shape')
    if (words.length <= 3 && WEAK_AFTER_RE.test(after)) return hit(start, end, 0.6, 'name-shape')
    return undefined
  }
  // A single word.
  const only = words[0]
  if (!only || allCaps || only.text.length < 2) return undefined
  const sentenceStart = atSentenceStart(text, start)
  const weakAfter = WEAK_AFTER_RE.test(after) || VOCATIVE_AFTER_RE.test(after) || (SPEAKER_RE.test(after) && /(?:^|\n)[ \t>"'“]*$/.test(before))
  if (inLexicon(only) && (!sentenceStart || weakAfter)) return hit(start, end, sentenceStart ? 0.55 : 0.6, 'name-lexicon')
  if (!sentenceStart && only.text.length >= 6 && STRONG_MORPH_RE.test(only.text.toLowerCase())) return hit(start, end, 0.5, 'name-shape')
  return undefined
}

/**
 * Splits a run at hard stopwords and at leading titles; returns sub-runs with their index. Particles
 * cannot start or end a name, so they are trimmed from each part; empty parts are dropped. A run with
 * nothing to split or trim is returned as it is (no copy).
 */
function splitRun(run: Token[], firstIndex: number): Array<{ run: Token[]; index: number }> {
  const out: Array<{ run: Token[]; index: number }> = []
  let from = 0
  for (let i = 0; i <= run.length; i++) {
    const t = run[i]
    if (t !== undefined && (t.initial || PARTICLES.has(t.text) || !(hardStopKey(t.key) || TITLE_WORDS.has(t.key) || isCodeCamel(t) || (t.allCaps && ID_ACRONYMS.has(t.key))))) continue
    // `run[from, i)` is one part.
    let s = from
    let e = i
    while (s < e && PARTICLES.has(run[s]!.text)) s++
    while (e > s && PARTICLES.has(run[e - 1]!.text)) e--
    if (e > s) out.push({ run: s === 0 && e === run.length ? run : run.slice(s, e), index: firstIndex + s })
    from = i + 1
  }
  return out
}

/** Names in free text: runs of capitalised words judged by lexicon, cues and shape. */
function detectInText(text: string, tokens: Token[], log: boolean, labelField: boolean): PhiHit[] {
  const hits: PhiHit[] = []
  let i = 0
  while (i < tokens.length) {
    const t = tokens[i]!
    if (!isNameShaped(t)) {
      i++
      continue
    }
    const run: Token[] = [t]
    let j = i + 1
    while (j < tokens.length) {
      const next = tokens[j]!
      const prev = run[run.length - 1]!
      if (!joinable(text, prev, next)) break
      if (isNameShaped(next) || (PARTICLES.has(next.text) && tokens[j + 1] !== undefined && isNameShaped(tokens[j + 1]!))) {
        run.push(next)
        j++
      } else break
    }
    for (const sub of splitRun(run, i)) {
      const h = judgeRun(text, sub.run, tokens, sub.index, log, labelField)
      if (h) hits.push(h)
    }
    i = j
  }
  return hits
}

/** Lower-case names right after a strong cue (`my name is jane doe`): lexicon words only. */
function detectLowercaseAfterCue(text: string, tokens: Token[]): PhiHit[] {
  const hits: PhiHit[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.cap || !mayHaveCue(text, tokens, i) || hardStopKey(t.key) || !inLexicon(t)) continue
    const prev = tokens[i - 1]
    if (prev && !prev.cap && inLexicon(prev) && !hardStopKey(prev.key)) continue // inside a run already handled
    if (!strongCueBefore(text, tokens, i)) continue
    let end = t.end
    const next = tokens[i + 1]
    if (next && !next.cap && /^[ \t]+$/.test(text.slice(t.end, next.start)) && !hardStop(next.text) && (isNameWord(next.text) || next.text.length >= 4)) end = next.end
    hits.push(hit(t.start, end, 0.6, 'name-cue'))
  }
  return hits
}

const HL7_NAME_RE = /(?<![\p{L}\d])(\p{Lu}[\p{L}'’-]*)\^(\p{Lu}[\p{L}'’-]*)(?:\^(\p{Lu}[\p{L}'’.-]*))?/uy
/** HL7 v2 fields holding person names (XPN/XCN), by segment: 1-based field numbers. */
const HL7_NAME_FIELDS: Readonly<Record<string, readonly number[]>> = {
  PID: [5, 6, 9],
  NK1: [2],
  GT1: [3],
  IN1: [16],
  IN2: [7],
  PV1: [7, 8, 9, 17, 52],
  ORC: [10, 11, 12],
  OBR: [10, 16, 28, 32, 33, 34],
  OBX: [16],
  MRG: [7],
  TXA: [9, 10, 11, 22, 23],
  ROL: [4],
  PRD: [2],
  STF: [3],
}

/**
 * Where {@link HL7_NAME_RE} can match (ascending): its family name is a capital (ASCII A-Z or non-ASCII)
 * after no letter or digit, then `[\p{L}'’-]*` up to a `^`. So each `^` is walked back over letters,
 * `'`, `-` and non-ASCII characters (a superset of that class), and the capitals in that stretch whose
 * previous character is no ASCII letter or digit are the candidates (never the second half of a
 * surrogate pair, where a Unicode scan never starts).
 */
function hl7Starts(text: string): number[] {
  const out: number[] = []
  for (let k = text.indexOf('^'); k >= 0; k = text.indexOf('^', k + 1)) {
    let r = k
    for (; r > 0; r--) {
      const c = text.charCodeAt(r - 1)
      if (!((c | 32) >= 97 && (c | 32) <= 122) && c !== 39 && c !== 45 && c < 128) break
    }
    for (let p = r; p < k; p++) {
      const c = text.charCodeAt(p)
      if (!((c >= 65 && c <= 90) || c >= 128)) continue
      if (c >= 0xdc00 && c <= 0xdfff && p > 0 && text.charCodeAt(p - 1) >= 0xd800 && text.charCodeAt(p - 1) <= 0xdbff) continue
      const b = p > 0 ? text.charCodeAt(p - 1) : -1
      if ((b >= 48 && b <= 57) || ((b | 32) >= 97 && (b | 32) <= 122)) continue
      out.push(p)
    }
  }
  return out
}

/** `DOE^JOHN^A` person names in HL7 v2 fields (XPN/XCN components). */
function detectHl7(text: string): PhiHit[] {
  if (!text.includes('^')) return []
  const hits: PhiHit[] = []
  for (const m of execAt(HL7_NAME_RE, text, hl7Starts(text))) {
    const family = m[1] ?? ''
    const given = m[2] ?? ''
    const lineStart = Math.max(text.lastIndexOf('\n', m.index), text.lastIndexOf('\r', m.index)) + 1
    const prefix = text.slice(lineStart, m.index)
    const fields = HL7_NAME_FIELDS[prefix.slice(0, 3)]
    const fieldNo = prefix.split('|').length - 1 - (prefix.startsWith('MSH') ? -1 : 0)
    const segment = prefix.charAt(3) === '|' && fields !== undefined && fields.includes(fieldNo)
    if (prefix.charAt(3) === '|' && fields !== undefined && !segment) continue
    const lex = isLex(family) || isLex(given)
    if (!segment && !lex) continue
    if (hardStop(family) && hardStop(given)) continue
    hits.push(hit(m.index, m.index + m[0].length, segment ? 0.9 : 0.75, 'name-hl7'))
  }
  return hits
}

/**
 * Whether a field holds a person's name (`patient_name`, `PID-5`, `name.given`) or starts with one
 * (`patient`, `member`, `signed_by`): readers use it to keep an unquoted name whole in a log's
 * `patient=John Smith`.
 */
export function isPersonField(field: string): boolean {
  return (NAME_FIELD_RE.test(field) && !NOT_NAME_FIELD_RE.test(field)) || isLabelField(field)
}

/** A value of a name field (`patient_name`, `PID-5`, `name.given`): the whole trimmed value. */
function detectField(text: string, ctx: DetectContext | undefined): PhiHit[] {
  const field = ctx?.field
  if (!field || !NAME_FIELD_RE.test(field) || NOT_NAME_FIELD_RE.test(field)) return []
  const m = /^\s*(.*?)\s*$/s.exec(text)
  const value = m?.[1] ?? ''
  if (value.length < 2 || value.length > 120) return []
  if (!/^[\p{L}\p{M}'’.,^ \t-]+$/u.test(value) || !/\p{L}{2}/u.test(value)) return []
  if (/^(?:null|none|n\/a|na|unknown|redacted|test|true|false)$/i.test(value)) return []
  const start = text.indexOf(value)
  return [hit(start, start + value.length, 0.95, 'name-field')]
}

/** Sorts by start and drops hits fully inside another NAME hit (keeps the longer, more confident). */
function dedupe(hits: PhiHit[]): PhiHit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end || b.confidence - a.confidence)
  const out: PhiHit[] = []
  for (const h of sorted) {
    const last = out[out.length - 1]
    if (last && h.start < last.end) {
      if (h.end <= last.end) {
        last.confidence = Math.max(last.confidence, h.confidence)
        continue
      }
      last.end = h.end
      last.confidence = Math.max(last.confidence, h.confidence)
      continue
    }
    out.push({ ...h })
  }
  return out
}

/** `Doe, Jane` after a strong cue: joins the two name hits around the comma. */
function joinLastFirst(text: string, hits: PhiHit[]): PhiHit[] {
  const out: PhiHit[] = []
  for (const h of hits) {
    const prev = out[out.length - 1]
    if (prev && prev.detector === 'name-cue' && /^,[ \t]*$/.test(text.slice(prev.end, h.start)) && !/\s/.test(text.slice(prev.start, prev.end))) {
      prev.end = h.end
      prev.confidence = Math.max(prev.confidence, h.confidence)
      continue
    }
    out.push(h)
  }
  return out
}

/** Extends a cue hit `Doe` to `Doe, Jane` when a capitalised word follows the comma. */
function extendLastFirst(text: string, hits: PhiHit[]): PhiHit[] {
  return hits.map((h) => {
    if (h.detector !== 'name-cue' || /\s/.test(text.slice(h.start, h.end))) return h
    const m = /^,[ \t]*(\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}\.?(?![\p{L}]))?)/u.exec(text.slice(h.end, h.end + 40))
    if (!m || hardStop(m[1]?.split(/\s/)[0] ?? '')) return h
    return { ...h, end: h.end + m[0].length }
  })
}

/**
 * NAME detector: patient, relative and provider names in free text and fields.
 *
 * Cues, strongest first: a name field (`patient_name`, `PID-5`, `name.given`) takes the whole value;
 * HL7 `DOE^JOHN^A`; titles (`Dr.`, `Mrs`), relations (`his mother`), labels (`Patient Name:`,
 * `Signed by`), phrases (`my name is`) and credentials after (`, MD`, `RN`, `PA-C`) take the following
 * capitalised words; without a cue, two or more capitalised words with a lexicon word (or `First M. Last`)
 * fire, and a single lexicon word fires only away from a sentence start. Stopwords (English, calendar,
 * medical, product and cloud names) never fire alone. Spans are UTF-16 `[start, end)`, titles excluded.
 */
export const detectNames: Detector = (text, ctx) => {
  if (text.length === 0) return []
  const fieldHits = detectField(text, ctx)
  if (fieldHits.length > 0) return fieldHits
  const log = ctx?.kind === 'log'
  const labelField = isLabelField(ctx?.field)
  if (text.length <= CHUNK_CHARS) return detectInChunk(text, log, labelField)
  // Long input: line-aligned chunks. No cue, run, window check or merge reaches across a line break
  // (they all join on spaces and tabs only), so the hits are those of the whole text; the tokens of a
  // chunk die young instead of being copied by every garbage collection.
  const out: PhiHit[] = []
  let from = 0
  while (from < text.length) {
    let to = from + CHUNK_CHARS >= text.length ? text.length : text.indexOf('\n', from + CHUNK_CHARS)
    to = to < 0 ? text.length : to === text.length ? to : to + 1
    const chunk = from === 0 && to === text.length ? text : text.slice(from, to)
    for (const h of detectInChunk(chunk, log, labelField && from === 0)) out.push({ ...h, start: h.start + from, end: h.end + from })
    from = to
  }
  return out
}

/** Chunk size for long inputs (cut after the first line break past it). */
const CHUNK_CHARS = 16_384

function detectInChunk(text: string, log: boolean, labelField: boolean): PhiHit[] {
  const tokens = tokenize(text)
  const hits = [...detectInText(text, tokens, log, labelField), ...detectLowercaseAfterCue(text, tokens), ...detectHl7(text)]
  return joinLastFirst(text, dedupe(extendLastFirst(text, dedupe(hits))))
}
