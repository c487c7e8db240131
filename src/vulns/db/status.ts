import type { Store } from '../../store/index.js'
import { ensureVulnDb } from './ensure.js'

/** Days after which the database counts as stale. */
export const STALE_AFTER_DAYS = 7

/** One ecosystem of {@link dbStatus}. */
export interface EcosystemStatus {
  ecosystem: string
  records: number
  /** ISO time of the last import. */
  importedAt: string | null
  source: string | null
}

/** What {@link dbStatus} tells. */
export interface DbStatus {
  ecosystems: EcosystemStatus[]
  /** Records stored (withdrawn ones included). */
  total: number
  /** ISO time of the last import or update check, when there was one. */
  lastUpdated?: string
  /** Whole days since `lastUpdated`. */
  ageDays?: number
  /** Empty, or last updated more than 7 days before `now`. */
  stale: boolean
}

const DAY_MS = 86_400_000

function isoOf(v: unknown): string | null {
  if (v === null || v === undefined) return null
  const d = v instanceof Date ? v : new Date(String(v))
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}

/** Age and counts of the vulnerability database, judged at `now` (default: the current time). */
export async function dbStatus(store: Store, now: Date = new Date()): Promise<DbStatus> {
  await ensureVulnDb(store)
  const rows = await store.query<{ ecosystem: string; record_count: number; imported_at: unknown; updated_at: unknown; source: string | null }>(
    'SELECT ecosystem, record_count, imported_at, updated_at, source FROM vulndb_meta ORDER BY ecosystem',
  )
  const [{ n }] = (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM vulndb_records')) as [{ n: number }]
  const ecosystems = rows.map((r) => ({ ecosystem: r.ecosystem, records: Number(r.record_count), importedAt: isoOf(r.imported_at), source: r.source }))
  const updated = rows.map((r) => isoOf(r.updated_at)).filter((v): v is string => v !== null).sort()
  const lastUpdated = updated.at(-1)
  if (!lastUpdated) return { ecosystems, total: n, stale: true }
  const ageMs = now.getTime() - Date.parse(lastUpdated)
  return { ecosystems, total: n, lastUpdated, ageDays: Math.max(0, Math.floor(ageMs / DAY_MS)), stale: ageMs > STALE_AFTER_DAYS * DAY_MS }
}
