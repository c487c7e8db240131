import { isIPv6 } from 'node:net'
import type { PhiHit } from '../types.js'
import { boundaryBefore, type Ctx, hit, versionBefore } from './context.js'
import { D_IPV4, digitHits } from './digits.js'
import { KW_URL, matchesAtCues } from './keywords.js'

/** `[A-Za-z0-9._%+'-]`: the characters of an e-mail local part. */
function isLocalChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 39 || c === 45
}
const EMAIL_DOMAIN_RE = /[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/y

/**
 * EMAIL: `local@domain.tld`, found from each `@` outwards (no scan of the whole text with a
 * character class). Not SSH remotes (`git@host:org/repo`) or image digests (`img@sha256:…`).
 */
export function detectEmails(text: string, _c?: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  let at = text.indexOf('@')
  while (at >= 0) {
    let s = at
    while (s > 0 && at - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s--
    while (s < at && text[s] === '.') s++
    if (s < at) {
      EMAIL_DOMAIN_RE.lastIndex = at + 1
      const m = EMAIL_DOMAIN_RE.exec(text)
      if (m && text[at + 1 + m[0].length] !== ':' && !/^git$/i.test(text.slice(s, at))) {
        out.push(hit('EMAIL', s, at + 1 + m[0].length, 0.97, 'email'))
      }
    }
    at = text.indexOf('@', at + 1)
  }
  return out
}

const URL_RE = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`{}|\\^\]]+/gi
const URL_AT_RE = new RegExp(URL_RE.source, 'iy')
const HAS_DIGIT = /\d/
const LOCAL_HOST = /^(?:(?:https?|ftp):\/\/)?(?:[^@/]*@)?(?:localhost|127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|\[?::1\]?|[^/:]*\.(?:local|internal|svc|cluster\.local|localdomain)(?=[:/]|$))/i

/** The URL `raw` found at `at`, trailing punctuation trimmed. */
function url(text: string, at: number, raw: string, c: Ctx, out: PhiHit[]): void {
  let v = raw
  while (/[.,;:!?)]$/.test(v) && !(v.endsWith(')') && v.includes('('))) v = v.slice(0, -1)
  if (v.length < 8) return
  const local = LOCAL_HOST.test(v)
  if (local && c.kind === 'log') return
  out.push(hit('URL', at, at + v.length, local ? 0.4 : 0.9, 'url'))
}

/**
 * URL: `http://`, `https://`, `ftp://` and `www.` addresses, trailing punctuation trimmed.
 * Loopback, private-network and in-cluster hosts are reported with low confidence (0.4): they
 * address services, rarely a person; in a log (`kind: 'log'`) they are not reported.
 */
export function detectUrls(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (HAS_DIGIT.test(text)) {
    // where the cue-word scan (which every text with a digit gets) saw `http`, `ftp` or `www`
    const spans = matchesAtCues(text, KW_URL, URL_AT_RE)
    for (let i = 0; i < spans.length; i += 2) url(text, spans[i]!, text.slice(spans[i], spans[i + 1]), c, out)
    return out
  }
  if (text.indexOf('://') < 0 && text.indexOf('www.') < 0 && text.indexOf('WWW.') < 0) return out
  URL_RE.lastIndex = 0
  for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) url(text, m.index, m[0], c, out)
  return out
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
const IPV4_RE = new RegExp(`\\b\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?![\\w-]|\\.\\d)`, 'y')
const IPV4_EXACT = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`)
const FULL_V6_RE = /\b[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}\b/gi
function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}
/** A hex digit or `:`. */
function isV6Char(c: number): boolean {
  return c === 58 || isHex(c)
}
/**
 * Whether `text` has `:h:h:h:h:` (four groups of 1–4 hex digits between colons), the least a
 * full IPv6 address without `::` holds: the test of `/:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){3}:/`,
 * done from each `:` that `indexOf` finds (twice as fast as the pattern over a whole text).
 */
export function hasFullV6Run(text: string): boolean {
  for (let k = text.indexOf(':'); k >= 0; k = text.indexOf(':', k + 1)) {
    let j = k
    let groups = 0
    while (groups < 4) {
      let n = 0
      j++
      while (n < 5 && isHex(text.charCodeAt(j))) {
        j++
        n++
      }
      if (n === 0 || n > 4 || text.charCodeAt(j) !== 58) break
      groups++
    }
    if (groups === 4) return true
  }
  return false
}
const PRIVATE_V4 = /^(?:10\.|127\.|0\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.)/
const PRIVATE_V4_AT = new RegExp(PRIVATE_V4.source.slice(1), 'y')

/**
 * IP: IPv4 with each octet 0–255 (no leading zeros), IPv6 full and compressed (validated by
 * `net.isIPv6`). Not in a `version` field or after `version`/`v`. Public addresses get 0.85.
 * Private (RFC 1918), loopback and link-local addresses address services, not people, and are
 * reported (0.5) only in a field named for an IP (`ip`, `client_ip`, `ip_address`).
 */
export function detectIps(text: string, c: Ctx): PhiHit[] {
  const out: PhiHit[] = []
  if (c.versionField) return out
  const ipField = c.ipField
  if (text.indexOf('.') >= 0) {
    const dh = digitHits(text)
    for (let i = 0; i < dh.pos.length; i++) {
      if (dh.kind[i] !== D_IPV4) continue
      // a private address outside an IP field is never reported: known from its first octets
      if (!ipField) {
        PRIVATE_V4_AT.lastIndex = dh.pos[i]!
        if (PRIVATE_V4_AT.test(text)) continue
      }
      IPV4_RE.lastIndex = dh.pos[i]!
      const m = IPV4_RE.exec(text)
      if (!m) continue
      if (!boundaryBefore(text, m.index, '.:-') || !IPV4_EXACT.test(m[0])) continue
      if (versionBefore(text, m.index, 10)) continue
      const priv = PRIVATE_V4.test(m[0])
      if (priv && !ipField) continue
      out.push(hit('IP', m.index, m.index + m[0].length, priv ? 0.5 : 0.85, 'ipv4'))
    }
  }
  if (text.indexOf(':') < 0) return out
  // IPv6: expand around each `::` and each run of four hex groups, then validate with net.isIPv6
  let candidates: number[] | undefined
  for (let k = text.indexOf('::'); k >= 0; k = text.indexOf('::', k + 2)) (candidates ??= []).push(k)
  if (hasFullV6Run(text)) {
    FULL_V6_RE.lastIndex = 0
    for (let m = FULL_V6_RE.exec(text); m; m = FULL_V6_RE.exec(text)) (candidates ??= []).push(m.index)
  }
  if (candidates === undefined) return out
  const seen = new Set<number>()
  for (const k of candidates) {
    let s = k
    while (s > 0 && k - s < 40 && isV6Char(text.charCodeAt(s - 1))) s--
    let e = k
    while (e < text.length && e - s < 45 && (isV6Char(text.charCodeAt(e)) || text[e] === '.')) e++
    while (e > s && text[e - 1] === '.') e--
    if (seen.has(s)) continue
    seen.add(s)
    if (s > 0 && /[\w.]/.test(text[s - 1]!)) continue
    if (e < text.length && /[\w]/.test(text[e]!)) continue
    const v = text.slice(s, e)
    if (!isIPv6(v)) continue
    if (!v.includes('::') && v.split(':').length < 8) continue
    const local = /^(?:::1?$|fe80:|f[cd][0-9a-f]{2}:)/i.test(v)
    if (local && !ipField) continue
    out.push(hit('IP', s, e, local ? 0.5 : 0.85, 'ipv6'))
  }
  return out
}
