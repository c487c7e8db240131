import { PhiwallError } from '../model/index.js'
import type { Migration, Store } from '../store/index.js'
import { AuditChainVerifier, eventHash, GENESIS_HASH, payloadDigest } from './chain.js'
import type { AuditEvent, AuditEventInput, AuditLog, AuditQuery } from './types.js'

/** The audit trail's tables. */
export const AUDIT_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'audit-events',
    sql: `CREATE TABLE audit_events (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  payload jsonb NOT NULL,
  payload_digest text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);
CREATE INDEX audit_events_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);`,
  },
]

/** Rows read per page by {@link AuditLog.verify} and {@link exportAuditNdjson}. */
const PAGE = 500

/**
 * Payload keys refused outright (compared lower-case, without `-`/`_`): callers must mask secrets,
 * this is the second line of defence against one slipping through.
 */
const REFUSED_KEYS = new Set([
  'password', 'currentpassword', 'newpassword', 'onetimepassword', 'passwordhash',
  'secret', 'totpsecret', 'clientsecret',
  'token', 'apitoken', 'accesstoken', 'refreshtoken', 'sessiontoken', 'csrftoken', 'bearer',
  'totp', 'code', 'totpcode', 'otp',
  'recoverycode', 'recoverycodes',
])

/**
 * Throws when a payload holds a key that names a secret (password, secret, token, totp, code,
 * recoveryCode and close variants), at any depth. Only the key is named in the message.
 */
export function assertSafePayload(payload: unknown): void {
  const walk = (v: unknown, path: string, depth: number): void => {
    if (depth > 32 || v === null || typeof v !== 'object') return
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1))
      return
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const at = path ? `${path}.${k}` : k
      if (REFUSED_KEYS.has(k.toLowerCase().replace(/[-_]/g, ''))) {
        throw new PhiwallError('PW_ERR_STORE', `Audit payload key "${at}" is refused: audit payloads hold no secrets (mask the value and rename the key).`)
      }
      walk(x, at, depth + 1)
    }
  }
  walk(payload, '', 0)
}

interface AuditRow {
  seq: number | string
  at: Date | string
  actor: string
  action: string
  target: string
  payload: unknown
  payload_digest: string
  prev_hash: string
  hash: string
}

const COLUMNS = 'seq, at, actor, action, target, payload, payload_digest, prev_hash, hash'

function toEvent(r: AuditRow): AuditEvent {
  return {
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    // pg returns jsonb parsed; a driver configured to return text is handled too
    payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as unknown) : r.payload,
    payloadDigest: r.payload_digest,
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

async function appendIn(tx: Store, input: AuditEventInput, at: Date): Promise<AuditEvent> {
  // one writer at a time, so seq has no gaps and the chain never forks (PGlite has one connection anyway);
  // the key includes the schema so that separate PhiWall schemas in one database do not wait on each other
  if (tx.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('phiwall:audit:' || current_schema()))`)
  const last = await tx.query<{ seq: number | string; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')
  const payload = JSON.parse(JSON.stringify(input.payload ?? null)) as unknown
  const base = {
    seq: last[0] ? Number(last[0].seq) + 1 : 1,
    at: at.toISOString(),
    actor: input.actor,
    action: input.action,
    target: input.target,
    payloadDigest: payloadDigest(payload),
    prevHash: last[0]?.hash ?? GENESIS_HASH,
  }
  const event: AuditEvent = { ...base, payload, hash: eventHash(base) }
  await tx.query(`INSERT INTO audit_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`, [
    event.seq, event.at, event.actor, event.action, event.target, JSON.stringify(payload), event.payloadDigest, event.prevHash, event.hash,
  ])
  return event
}

function checkInput(e: AuditEventInput): void {
  for (const k of ['actor', 'action', 'target'] as const) {
    if (typeof e[k] !== 'string' || e[k].length === 0 || e[k].length > 500) throw new PhiwallError('PW_ERR_STORE', `Audit event ${k} must be a non-empty string of at most 500 characters.`)
  }
  if (e.at && Number.isNaN(e.at.getTime())) throw new PhiwallError('PW_ERR_STORE', 'Audit event time is invalid.')
  assertSafePayload(e.payload)
}

/** Reads every entry in seq order, a page at a time. */
async function* allEvents(store: Store): AsyncGenerator<AuditEvent> {
  let after = 0
  for (;;) {
    const rows = await store.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT ${PAGE}`, [after])
    for (const r of rows) yield toEvent(r)
    if (rows.length < PAGE) return
    after = Number(rows[rows.length - 1]!.seq)
  }
}

/**
 * The audit trail over `store` (its tables come from {@link AUDIT_MIGRATIONS}); times from `clock`.
 * Inside a transaction always pass its `tx` to `append`: without it the entry opens a transaction of
 * its own, which on PGlite (one connection) waits for the outer one forever.
 *
 * @example
 * const audit = createAuditLog(store, clock)
 * await store.transaction(async (tx) => {
 *   await tx.query('UPDATE …')
 *   await audit.append({ actor: 'user:alice', action: 'finding.suppress', target: 'finding:f1', payload: { reason } }, tx)
 * })
 */
export function createAuditLog(store: Store, clock: () => Date = () => new Date()): AuditLog {
  return {
    async append(event, tx) {
      checkInput(event)
      const at = event.at ?? clock()
      // `transaction` on a transaction joins it; on the store it opens one (the lock needs a transaction)
      return (tx ?? store).transaction((t) => appendIn(t, event, at))
    },

    async list(query: AuditQuery = {}) {
      const where: string[] = []
      const params: unknown[] = []
      if (query.beforeSeq !== undefined) where.push(`seq < $${params.push(query.beforeSeq)}`)
      if (query.actor) where.push(`actor = $${params.push(query.actor)}`)
      if (query.action) where.push(`starts_with(action, $${params.push(query.action)})`)
      if (query.target) where.push(`target = $${params.push(query.target)}`)
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 1000)
      const rows = await store.query<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.push(limit)}`,
        params,
      )
      return rows.map(toEvent)
    },

    async verify() {
      const v = new AuditChainVerifier()
      for await (const e of allEvents(store)) if (!v.push(e)) break
      return v.result()
    },
  }
}

/**
 * The whole audit trail as NDJSON, oldest first: one `AuditEvent` JSON per item, each ending with a
 * newline (for the evidence bundle). Read a page at a time; check a file with `verifyAuditExport`.
 */
export async function* exportAuditNdjson(store: Store): AsyncIterable<string> {
  for await (const e of allEvents(store)) yield `${JSON.stringify(e)}\n`
}
