import type { Store } from '../store/index.js'

/** What a caller records: who did what to which object. `payload` must hold no secret and no PHI (masked forms only). */
export interface AuditEventInput {
  /** `user:<username>`, `token:<name>`, `system` or `agent:<host>`. */
  actor: string
  /** Dotted verb, e.g. `finding.suppress`, `policy.approve`, `user.login.failed`. */
  action: string
  /** The object acted on, e.g. `finding:<id>`, `user:<username>`, `workload:<id>`. */
  target: string
  /** Details (reason, before/after); stored with its SHA-256 digest. */
  payload?: unknown
  /** Defaults to the log's clock. */
  at?: Date
}

/** One entry of the tamper-evident audit trail (design.md AuditEvent). */
export interface AuditEvent {
  /** 1, 2, 3 … without gaps. */
  seq: number
  /** ISO-8601 UTC. */
  at: string
  actor: string
  action: string
  target: string
  payload: unknown
  /** SHA-256 (hex) of the payload's canonical JSON. */
  payloadDigest: string
  /** `hash` of the entry before (64 zeros for the first). */
  prevHash: string
  /** SHA-256 (hex) over seq, at, actor, action, target, payloadDigest and prevHash. */
  hash: string
}

/** Result of re-computing the chain. */
export interface AuditVerification {
  ok: boolean
  /** Entries checked. */
  count: number
  /** The last entry's hash (the value to anchor elsewhere). */
  head: string | null
  /** First entry whose hash, link or sequence does not match; absent when ok. */
  brokenAt?: { seq: number; reason: string }
}

/** Filter of {@link AuditLog.list}: newest first. */
export interface AuditQuery {
  limit?: number
  /** Entries with seq below this. */
  beforeSeq?: number
  actor?: string
  /** Prefix match, e.g. `policy.` */
  action?: string
  target?: string
}

/** The audit trail over the store. */
export interface AuditLog {
  /** Appends in the caller's transaction when `tx` is given (so an action and its entry commit together). */
  append(event: AuditEventInput, tx?: Store): Promise<AuditEvent>
  list(query?: AuditQuery): Promise<AuditEvent[]>
  verify(): Promise<AuditVerification>
}
