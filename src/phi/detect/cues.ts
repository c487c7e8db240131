import type { PhiHit, PhiType } from '../types.js'
import { type Ctx, hit, isDigitCode, looksInfraValue } from './context.js'
import { KW_CUE, keywordHits } from './keywords.js'
import { isValidDea, isValidImei, isValidMbi, isValidNpi, isValidVin } from './validators.js'

const NO = '(?:number|no\\.?|num|nbr|#|id|identifier)'
/** Words after a biometric modality that make it a stored reference (`palm vein template`, `DNA profile id`). */
const BIO_QUAL = '(?:template|scan|record|sample|hash|ref(?:erence)?|image|id|identifier|#|no\\.?|number)'
/**
 * Cue phrases, one named group per type; the alternation order settles shared words
 * (`license plate` is VEHICLE before `license` is LICENSE).
 */
const CUES: ReadonlyArray<readonly [PhiType, string]> = [
  ['VEHICLE', `\\b(?:vin|vehicle\\s+identification\\s+number|(?:license|licence|registration)\\s+plate(?:\\s*${NO})?|plate(?:\\s*${NO})?|vehicle\\s+(?:tag|plate)(?:\\s*${NO})?)`],
  ['MRN', `\\b(?:mrn|mr\\s?#|mr\\s?no\\.?|medical\\s+record(?:\\s+${NO})?|med\\.?\\s*rec(?:ord)?\\.?(?:\\s*${NO})?|chart\\s*${NO}|patient\\s*(?:id|#|no\\.?|number|identifier)|pid)`],
  ['HEALTH_PLAN', `\\b(?:mbi|hicn|hic\\s*${NO}|medicare(?:\\s+(?:beneficiary\\s+)?(?:${NO}|card))?|medicaid(?:\\s+${NO})?|member\\s*${NO}|subscriber(?:\\s*${NO})?|policy\\s*(?:#|no\\.?|number|id)|group\\s*(?:#|no\\.?|number)|insurance\\s*${NO}|(?:health\\s+)?plan\\s*(?:beneficiary\\s*)?${NO}|beneficiary\\s*${NO})`],
  ['LICENSE', `\\b(?:npi|dea(?:\\s*(?:#|no\\.?|number|registration))?|(?:driver'?s?\\s+|medical\\s+|state\\s+|nursing\\s+|professional\\s+)?licen[cs]e(?:\\s*${NO})?|lic\\.?\\s*(?:#|no\\.?)|dl\\s*(?:#|no\\.?|number)?|certificate\\s*${NO}|cert\\.?\\s*(?:#|no\\.?))`],
  ['DEVICE', `\\b(?:udi|imei|serial(?:\\s*${NO})?|s\\/n|sn|device\\s*(?:id|serial|#|identifier)|(?:implant|pacemaker|pump|device)\\s+(?:id|serial|#)(?:\\s*${NO})?)`],
  [
    'BIOMETRIC',
    `\\b(?:(?:fingerprint|finger\\s+print|retina(?:l)?|iris|voice\\s*print|face\\s*print|facial\\s+(?:geometry|template|recognition|scan)|palm\\s*print|biometric)(?:\\s+${BIO_QUAL})*` +
      // modalities whose word alone is common clinical language (`gait`, `DNA`, a hand exam): only with a qualifier
      `|(?:(?:palm|finger|hand)\\s+vein(?:\\s+pattern)?|hand\\s+geometry|gait|dna|voice)(?:\\s+(?:profile|signature|pattern|recognition))?(?:\\s+${BIO_QUAL})+)`,
  ],
  ['ACCOUNT', `\\b(?:(?:billing|bank|checking|savings|patient|guarantor|hospital)\\s+)?(?:account|acct\\.?|a\\/c)(?:\\s*${NO})?`],
  ['OTHER_ID', `\\b(?:case\\s*(?:#|no\\.?|number|id)|claim(?:\\s*${NO})?|encounter\\s*${NO}|visit\\s*(?:#|no\\.?|number|id)|accession(?:\\s*${NO})?|specimen\\s*${NO}|requisition\\s*${NO}|lab\\s*(?:#|no\\.?|number|id)|episode\\s*(?:id|#))`],
]
const CUE_RE = new RegExp(`(?:${CUES.map(([, p]) => `(${p})`).join('|')})(?![a-z])`, 'iy')
const CUE_TYPES = CUES.map(([t]) => t)

/** After a cue: filler (`is`, `:`, `#`, quotes), then the identifier value. */
const VALUE_RE = /[^\S\n]*(?:(?:is|was|of|on\s+file)[^\S\n]+)?(?:[:#=]|&gt;)?[^\S\n]*["'#]?[^\S\n]*([A-Za-z0-9](?:[A-Za-z0-9]|[-/.](?=[A-Za-z0-9])){2,40})(?![\w])/y
/** Plates may hold a space: `7ABC 123`. */
const PLATE_RE = /[^\S\n]*(?:is[^\S\n]+)?[:#=]?[^\S\n]*["']?([A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,5})(?![\w])/y
/** A biometric reference id without digits: an upper-case prefix, a hyphen, six or more id characters. */
const BIO_REF = /^[A-Z]{2,6}-[A-Z0-9]{6,}$/
/** Words before `fingerprint` that make it a key's or certificate's (same line, up to 32 characters back). */
const CRYPTO_BEFORE = /\b(?:key|keys|ssh|tls|ssl|x\.?509|cert(?:ificate)?|ja3s?|gpg|pgp|host|server|client|rsa|ecdsa|ed25519|dsa|public)\b[^\n]{0,20}$/i
/** A hash algorithm or a hex digest after `fingerprint`. */
const HASH_VALUE = /^(?:sha-?(?:1|224|256|384|512)|md5|[0-9a-f]{12,})$/i
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))$/
const CLOUD_NEAR = /aws|arn:|iam|cloud|organi[sz]ation|region|role|principal|tenant|subscription|gcp|azure|\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?(?:east|west|north|south|central|northeast|southeast|northwest|southwest)-\d\b/i

function digits(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n++
  return n
}

/** The confidence and detector name for a cued value, or undefined to drop it. */
function judge(type: PhiType, cue: string, value: string, text: string, at: number, c: Ctx): [number, string] | undefined {
  const v = value.toUpperCase()
  switch (type) {
    case 'MRN':
      if (cue === 'pid' || cue === 'Pid') return undefined // lower-case pid is a process id
      if (cue === 'PID' && c.kind === 'log') return undefined
      return [0.95, 'mrn-cue']
    case 'HEALTH_PLAN':
      if (isValidMbi(v)) return [0.99, 'mbi']
      return [0.92, 'health-plan-cue']
    case 'LICENSE': {
      const lc = cue.toLowerCase()
      if (lc === 'npi') return /^\d{10}$/.test(v) ? (isValidNpi(v) ? [0.99, 'npi'] : [0.7, 'npi-cue']) : undefined
      if (lc.startsWith('dea')) return isValidDea(v) ? [0.99, 'dea'] : [0.7, 'dea-cue']
      if (/^(apache|gpl|lgpl|agpl|mpl|bsd|cc|epl|mit|isc|unlicense|cddl|eupl|osl|zlib)/i.test(v)) return undefined
      if (digits(v) < 4) return undefined
      if (lc.startsWith('cert') && c.kind === 'log') return undefined
      return [0.92, 'license-cue']
    }
    case 'VEHICLE':
      if (isValidVin(v)) return [0.99, 'vin']
      return [0.88, 'plate-cue']
    case 'DEVICE':
      if (cue === 'sn' || cue === 'Sn') return undefined
      if (/^imei/i.test(cue)) return isValidImei(v) ? [0.99, 'imei'] : [0.75, 'imei-cue']
      return [0.9, 'device-cue']
    case 'BIOMETRIC':
      return [0.9, 'biometric-cue']
    case 'ACCOUNT': {
      const lc = cue.toLowerCase()
      const plain = /^(account|acct\.?)(\s*(id|#))?$/.test(lc)
      if (plain && /^\d{12}$/.test(v)) {
        if (c.kind === 'log' || CLOUD_NEAR.test(text.slice(Math.max(0, at - 60), at + 40))) return undefined
      }
      return [0.93, 'account-cue']
    }
    case 'OTHER_ID':
      return [0.9, 'other-id-cue']
    default:
      return undefined
  }
}

/**
 * Identifiers known by the words in front of them: MRN (`MRN`, `medical record #`, `chart no`,
 * `patient id`, upper-case `PID` outside logs), HEALTH_PLAN (`MBI`, `HICN`, `Medicare`, `Medicaid`,
 * `member id`, `subscriber`, `policy #`, `group #`), ACCOUNT (`account`, `acct`, `billing account`;
 * a 12-digit value after a plain `account` in a log or near cloud words is an AWS account, not
 * PHI), LICENSE (`NPI` with Luhn, `DEA` with checksum, `license`, `DL`, `certificate #`; SPDX
 * licence names never), VEHICLE (`VIN`, `plate`), DEVICE (`serial`, `S/N`, `SN`, `UDI`, `IMEI`
 * with Luhn, `device id`), BIOMETRIC (`fingerprint template`, `retina scan`, `voiceprint`) and
 * OTHER_ID (`case #`, `claim`, `encounter id`, `accession number`, `specimen id`). The value must
 * hold a digit (two for most types) and not look like a UUID, hash, ARN or date. The span is the
 * value only.
 */
export function detectCued(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.infra) return out
  const kw = keywordHits(text)
  let skip = 0
  for (let i = 0; i < kw.pos.length; i++) {
    if ((kw.mask[i]! & KW_CUE) === 0 || kw.pos[i]! < skip) continue
    CUE_RE.lastIndex = kw.pos[i]!
    const m = CUE_RE.exec(text)
    if (!m) continue
    let k = 1
    while (k <= CUE_TYPES.length && m[k] === undefined) k++
    const type = CUE_TYPES[k - 1]
    if (!type) continue
    const end = m.index + m[0].length
    const re = type === 'VEHICLE' && !/vin|identification/i.test(m[0]) ? PLATE_RE : VALUE_RE
    re.lastIndex = end
    const vm = re.exec(text)
    if (!vm) continue
    const value = vm[1]!
    const start = end + vm[0].length - value.length
    const d = digits(value)
    // a biometric reference may be letters only after its prefix (`BIO-FDECBDFA`, a hex id)
    if (d < (type === 'VEHICLE' || type === 'BIOMETRIC' ? 1 : 2) || value.length < 3) {
      if (type !== 'BIOMETRIC' || !BIO_REF.test(value)) continue
    }
    if (value.length >= 5 && value.length <= 10 && isDigitCode(value.charCodeAt(0)) && DATE_LIKE.test(value)) continue
    if (type !== 'BIOMETRIC' && looksInfraValue(value)) continue
    // `ECDSA key fingerprint is SHA256:…`, `tls fingerprint: 7f3a…`: a hash of a key or certificate, not a person's
    if (type === 'BIOMETRIC' && /^(?:fingerprint|finger\s+print)$/i.test(m[0]) && (CRYPTO_BEFORE.test(text.slice(Math.max(0, m.index - 32), m.index)) || HASH_VALUE.test(value))) continue
    const j = judge(type, m[0], value, text, m.index, c)
    if (!j) continue
    out.push(hit(type, start, start + value.length, j[0], j[1]))
    skip = start + value.length
  }
  return out
}
