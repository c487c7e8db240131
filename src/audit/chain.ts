import { createHash } from 'node:crypto'
import type { AuditEvent, AuditVerification } from './types.js'

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)

/** SHA-256 of a UTF-8 string, hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/**
 * Canonical JSON of a value: keys sorted at every level, no whitespace, `undefined` members dropped
 * (as JSON does). Two payloads with the same content give the same text, whatever their key order
 * or however the database stored them (jsonb reorders keys).
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return encode(JSON.parse(JSON.stringify(value ?? null)) as unknown)
}

function encode(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(encode).join(',')}]`
  const obj = v as Record<string, unknown>
  const keys = Object.keys(obj).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(obj[k])}`).join(',')}}`
}

/** SHA-256 (hex) of the payload's canonical JSON. */
export function payloadDigest(payload: unknown): string {
  return sha256Hex(canonicalJson(payload))
}

/**
 * The hash of one entry: SHA-256 (hex) of the JSON array `[seq, at, actor, action, target, payloadDigest, prevHash]`
 * (a fixed order, so the encoding is unambiguous and easy to recompute with any JSON library).
 */
export function eventHash(e: Pick<AuditEvent, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'payloadDigest' | 'prevHash'>): string {
  return sha256Hex(JSON.stringify([e.seq, e.at, e.actor, e.action, e.target, e.payloadDigest, e.prevHash]))
}

/**
 * Re-computes a chain one entry at a time (entries in seq order), so a verifier never holds more than
 * one page. Stops at the first broken entry.
 */
export class AuditChainVerifier {
  private count = 0
  private head: string | null = null
  private expectedSeq = 1
  private prevHash = GENESIS_HASH
  private broken: { seq: number; reason: string } | undefined

  /** Checks the next entry; false once the chain is broken (later entries are ignored). */
  push(e: AuditEvent): boolean {
    if (this.broken) return false
    if (e.seq !== this.expectedSeq) {
      this.broken = e.seq > this.expectedSeq
        ? { seq: this.expectedSeq, reason: `sequence gap: entry ${this.expectedSeq} is missing (the next entry is ${e.seq})` }
        : { seq: e.seq, reason: `sequence gap: entry ${e.seq} is out of order (expected ${this.expectedSeq})` }
      return false
    }
    if (payloadDigest(e.payload) !== e.payloadDigest) {
      this.broken = { seq: e.seq, reason: 'payload digest mismatch: the payload was changed after it was recorded' }
      return false
    }
    if (eventHash(e) !== e.hash) {
      this.broken = { seq: e.seq, reason: 'hash mismatch: the entry was changed after it was recorded' }
      return false
    }
    if (e.prevHash !== this.prevHash) {
      this.broken = { seq: e.seq, reason: 'broken link: prevHash does not match the hash of the entry before' }
      return false
    }
    this.count++
    this.head = e.hash
    this.prevHash = e.hash
    this.expectedSeq++
    return true
  }

  /** Marks the chain broken at the next expected entry (e.g. an unreadable export line). */
  fail(reason: string): void {
    if (!this.broken) this.broken = { seq: this.expectedSeq, reason }
  }

  /** The verdict so far. */
  result(): AuditVerification {
    const out: AuditVerification = { ok: !this.broken, count: this.count, head: this.head }
    if (this.broken) out.brokenAt = this.broken
    return out
  }
}

function isAuditEvent(v: unknown): v is AuditEvent {
  if (!v || typeof v !== 'object') return false
  const o = v as Record<string, unknown>
  return Number.isSafeInteger(o['seq']) && ['at', 'actor', 'action', 'target', 'payloadDigest', 'prevHash', 'hash'].every((k) => typeof o[k] === 'string') && 'payload' in o
}

/**
 * Verifies an exported audit trail offline (the NDJSON of `exportAuditNdjson`): items of one or more
 * whole lines, in order. Blank lines are skipped; an unreadable line breaks the chain there.
 *
 * @example
 * const result = await verifyAuditExport(fs.readFileSync('audit.ndjson', 'utf8').split('\n'))
 */
export async function verifyAuditExport(lines: Iterable<string> | AsyncIterable<string>): Promise<AuditVerification> {
  const v = new AuditChainVerifier()
  let lineNo = 0
  const take = (line: string): boolean => {
    lineNo++
    if (line.trim() === '') return true
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      v.fail(`line ${lineNo} is not JSON`)
      return false
    }
    if (!isAuditEvent(parsed)) {
      v.fail(`line ${lineNo} is not an audit event`)
      return false
    }
    return v.push(parsed)
  }
  for await (const item of lines as AsyncIterable<string>) {
    // an item is one line or several whole lines (a file's text)
    const parts = item.endsWith('\n') ? item.slice(0, -1).split('\n') : item.split('\n')
    for (const p of parts) if (!take(p)) return v.result()
  }
  return v.result()
}
