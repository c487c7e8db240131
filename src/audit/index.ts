/**
 * @module audit
 * The tamper-evident audit trail: a SHA-256 hash chain of every state-changing action, in the store.
 */
export type { AuditEvent, AuditEventInput, AuditLog, AuditQuery, AuditVerification } from './types.js'
import type { Migration, Store } from '../store/index.js'
import type { AuditLog } from './types.js'

/** PLACEHOLDER — replaced by the audit implementation. */
export const AUDIT_MIGRATIONS: Migration[] = []
/** PLACEHOLDER — replaced by the audit implementation. */
export function createAuditLog(_store: Store, _clock: () => Date = () => new Date()): AuditLog {
  throw new Error('not implemented')
}
