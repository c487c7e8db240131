/**
 * @module audit
 * The tamper-evident audit trail: a SHA-256 hash chain of every state-changing action, in the store.
 */
export type { AuditEvent, AuditEventInput, AuditLog, AuditQuery, AuditVerification } from './types.js'
export { AUDIT_MIGRATIONS, createAuditLog, exportAuditNdjson, assertSafePayload } from './log.js'
export { verifyAuditExport, canonicalJson, payloadDigest, eventHash, AuditChainVerifier, GENESIS_HASH } from './chain.js'
