import { isIP } from 'node:net'
import { KNOWN_FIELDS, isHeaderTokens } from './fields.js'

const COUNT = /^(?:\d+|-)$/
const ACCOUNT = /^(?:\d+|unknown|-)$/
const ENI = /^(?:eni-[0-9a-f]+|-)$/
const ACTION = /^(?:ACCEPT|REJECT|-)$/
const STATUS = /^(?:OK|NODATA|SKIPDATA)$/

/** Is this a record of the default (version 2) format? Every field is checked for its shape. */
export function isDefaultRecord(t: readonly string[]): boolean {
  if (t.length !== 14 || t[0] !== '2') return false
  const [, account, eni, src, dst, sport, dport, proto, packets, bytes, start, end, action, status] = t as [string, string, string, string, string, string, string, string, string, string, string, string, string, string]
  const addr = (a: string): boolean => a === '-' || isIP(a) !== 0
  return (
    ACCOUNT.test(account) &&
    ENI.test(eni) &&
    addr(src) &&
    addr(dst) &&
    [sport, dport, proto, packets, bytes].every((x) => COUNT.test(x)) &&
    /^\d+$/.test(start) &&
    /^\d+$/.test(end) &&
    ACTION.test(action) &&
    STATUS.test(status)
  )
}

/** Lines of a header-less file judged by {@link looksLikeVpcFlowLog}. */
const SNIFF_LINES = 16

/**
 * Content sniffing: does a file that begins with `head` look like AWS VPC Flow Logs? Its first
 * non-blank line is a header of field names that include `srcaddr` and `dstaddr`, at least three
 * quarters of them names AWS documents (the S3 delivery and any custom format), or — for
 * CloudWatch Logs exports, which have no header — at least half of its first 16 lines are
 * default-format version 2 records. Gzip is the caller's business: `head` is decompressed text.
 */
export function looksLikeVpcFlowLog(head: string): boolean {
  const text = head.startsWith('\uFEFF') ? head.slice(1) : head.startsWith('\u00EF\u00BB\u00BF') ? head.slice(3) : head
  // a header is the first line; without one, the first lines are default-format records — most of
  // them, so that one truncated or garbled first line does not hide the whole file
  let seen = 0
  let records = 0
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    const tokens = line.split(/[ \t]+/)
    if (seen === 0 && isHeaderTokens(tokens)) return tokens.includes('srcaddr') && tokens.includes('dstaddr') && tokens.filter((t) => KNOWN_FIELDS.has(t)).length * 4 >= tokens.length * 3
    seen++
    if (isDefaultRecord(tokens)) records++
    if (seen >= SNIFF_LINES) break
  }
  return records > 0 && records * 2 >= seen
}
