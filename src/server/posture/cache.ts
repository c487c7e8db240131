import type { Store } from '../../store/index.js'

/**
 * Read-side cache of the posture lists. Every write to posture state (ingest, suppress,
 * unsuppress) bumps a version in the same transaction; answers are cached per version and
 * dropped when any suppression expires. On PGlite the version lives in memory — the data
 * directory is locked to this process, so no other writer exists; on PostgreSQL it is also one row
 * (`posture_state`), read at most every {@link SHARED_VERSION_TTL_MS}, so a server sees its own
 * writes at once and those of other servers sharing the database within that time.
 */
interface CacheState {
  version: string
  /** ms epoch when the earliest active suppression expires (answers change then). */
  validUntil: number
  entries: Map<string, { value: unknown; bytes: number }>
  bytes: number
}

/** Bounds of the cache per store: entries, and bytes of cached answers (pages of 500 findings are ~500 kB). */
const MAX_ENTRIES = 5000
const MAX_BYTES = 64 * 1024 * 1024
const memoryVersions = new WeakMap<Store, number>()
const states = new WeakMap<Store, CacheState>()

/** Bumps the posture version inside a write transaction `tx` of `store` (and, on PGlite, in memory). */
export async function bumpVersion(store: Store, tx: Store): Promise<void> {
  if (store.kind === 'postgres') await tx.query('UPDATE posture_state SET version = version + 1 WHERE id = 1')
  memoryVersions.set(store, (memoryVersions.get(store) ?? 0) + 1)
}

/** Marks the posture state changed once more after a write committed (PGlite: readers between commit and bump see the new data). */
export function touchVersion(store: Store): void {
  memoryVersions.set(store, (memoryVersions.get(store) ?? 0) + 1)
}

/** How long a PostgreSQL server trusts the shared version it read: other servers' writes show within this. */
export const SHARED_VERSION_TTL_MS = 200

const sharedVersions = new WeakMap<Store, { value: string; readAt: number; pending: Promise<string> | null }>()

async function sharedVersion(store: Store): Promise<string> {
  const s = sharedVersions.get(store) ?? sharedVersions.set(store, { value: '', readAt: Number.NEGATIVE_INFINITY, pending: null }).get(store)!
  if (performance.now() - s.readAt < SHARED_VERSION_TTL_MS) return s.value
  // concurrent requests share one read
  s.pending ??= store
    .query<{ version: string | number }>('SELECT version FROM posture_state WHERE id = 1')
    .then((rows) => {
      s.value = String(rows[0]?.version ?? 0)
      s.readAt = performance.now()
      return s.value
    })
    .finally(() => {
      s.pending = null
    })
  return s.pending
}

async function currentVersion(store: Store): Promise<string> {
  // this server's own writes show at once (memory); other servers' through the shared row
  const mine = `mem:${memoryVersions.get(store) ?? 0}`
  return store.kind === 'postgres' ? `${mine}/pg:${await sharedVersion(store)}` : mine
}

/**
 * The cached answer for `key` at the current posture version, or `compute()`'s (then cached).
 * `now` decides whether a suppression has expired since the answers were computed.
 */
export async function cached<T>(store: Store, now: Date, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await currentVersion(store)
  let state = states.get(store)
  if (!state || state.version !== version || now.getTime() >= state.validUntil) {
    const rows = await store.query<{ next: unknown }>('SELECT min(expires_at) AS next FROM posture_suppressions WHERE expires_at > $1', [now.toISOString()])
    const next = rows[0]?.next
    state = { version, validUntil: next === null || next === undefined ? Number.POSITIVE_INFINITY : new Date(next as string | Date).getTime(), entries: new Map(), bytes: 0 }
    states.set(store, state)
  }
  const hit = state.entries.get(key)
  if (hit) return hit.value as T
  const value = await compute()
  // the version may have moved while computing: the value is at least as new as `version`, so keeping it is safe
  const bytes = value instanceof Uint8Array ? value.length + 100 : 200
  if (state.entries.has(key)) return value
  state.entries.set(key, { value, bytes })
  state.bytes += bytes
  for (const [k, e] of state.entries) {
    if (state.entries.size <= MAX_ENTRIES && state.bytes <= MAX_BYTES) break
    state.entries.delete(k)
    state.bytes -= e.bytes
  }
  return value
}

/** {@link cached} for a JSON answer: the encoded body is what is kept, so a hit costs no serialisation. */
export async function cachedJson(store: Store, now: Date, key: string, compute: () => Promise<unknown>): Promise<Response> {
  const body = await cached(store, now, key, async () => Buffer.from(JSON.stringify(await compute()), 'utf8'))
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } })
}
