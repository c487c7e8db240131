import path from 'node:path'
import type { Diagnostic } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { osvRecordSchema, splitEcosystem } from '../osv.js'
import { ensureVulnDb } from './ensure.js'
import { normalizePackageName, releaseKey } from './names.js'
import { countInputs, readOsvInputs, type RawRecord } from './read.js'

/** Options of {@link importOsv}. */
export interface ImportOptions {
  /** Called after each batch with the documents read so far and, when known, how many there are. */
  onProgress?: (done: number, total?: number) => void
  /** Recorded as each record's and ecosystem's source (default: the input's absolute path). */
  source?: string
  /** Records per database batch (default 2,000). */
  batchSize?: number
}

/** What {@link importOsv} did. */
export interface ImportResult {
  /** Records new to the database. */
  imported: number
  /** Records that replaced a stored one with an older `modified`. */
  updated: number
  /** Valid records already stored with the same or a newer `modified`. */
  unchanged: number
  /** Documents that could not be read, parsed or validated (each has a diagnostic). */
  invalid: number
  diagnostics: Diagnostic[]
  /** Valid records read per base ecosystem (a record naming two ecosystems counts in both). */
  byEcosystem: Record<string, number>
}

/** A record ready for the database. */
interface Prepared {
  id: string
  modifiedMs: number
  row: unknown[]
  affected: unknown[][]
  aliases: string[]
  ecosystems: Set<string>
  source: string
}

const RECORD_COLUMNS = [
  { name: 'id', type: 'text' },
  { name: 'modified', type: 'timestamptz' },
  { name: 'published', type: 'timestamptz' },
  { name: 'withdrawn', type: 'timestamptz' },
  { name: 'summary', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'record', type: 'text', json: true },
]
const AFFECTED_COLUMNS = [
  { name: 'record_id', type: 'text' },
  { name: 'osv_ecosystem', type: 'text' },
  { name: 'ecosystem', type: 'text' },
  { name: 'release', type: 'text' },
  { name: 'name', type: 'text' },
]
const ALIAS_COLUMNS = [
  { name: 'record_id', type: 'text' },
  { name: 'alias', type: 'text' },
]

const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i

/** Milliseconds of an OSV timestamp, or undefined when it is not an RFC 3339 time PostgreSQL can store. */
export function parseOsvTime(value: string): number | undefined {
  if (!RFC3339.test(value)) return undefined
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) return undefined
  const year = new Date(ms).getUTCFullYear()
  return year >= 1 && year <= 9999 ? ms : undefined
}

function where(raw: RawRecord): string {
  return raw.entry ? `${raw.entry} in ${raw.file}` : raw.file
}

/** Parses and validates one document; a problem becomes a diagnostic. */
export function prepareRecord(raw: RawRecord, source: string): Prepared | Diagnostic {
  const bad = (message: string, p?: string): Diagnostic => ({ code: 'PW_ERR_VULNDB_RECORD_INVALID', level: 'error', message, file: raw.file, ...(p ?? raw.entry ? { path: p ?? raw.entry } : {}) })
  let json: unknown
  try {
    json = JSON.parse(raw.text)
  } catch (err) {
    return bad(`OSV record ${where(raw)} is not JSON: ${(err as Error).message}`)
  }
  const parsed = osvRecordSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const at = issue.path.join('.')
    return bad(`OSV record ${where(raw)} is invalid${at ? ` at ${at}` : ''}: ${issue.message}`)
  }
  const r = parsed.data
  const times: Record<string, number | null> = {}
  for (const field of ['modified', 'published', 'withdrawn'] as const) {
    const v = r[field]
    if (v === undefined) {
      times[field] = null
      continue
    }
    const ms = parseOsvTime(v)
    if (ms === undefined) return bad(`OSV record ${where(raw)} is invalid at ${field}: ${JSON.stringify(v)} is not an RFC 3339 time.`)
    times[field] = ms
  }
  const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString())
  const affected: unknown[][] = []
  const seen = new Set<string>()
  const ecosystems = new Set<string>()
  for (const a of r.affected ?? []) {
    if (!a.package) continue
    const { ecosystem, release } = splitEcosystem(a.package.ecosystem)
    const name = normalizePackageName(ecosystem, a.package.name)
    const key = `${a.package.ecosystem}\u0000${name}`
    ecosystems.add(ecosystem)
    if (seen.has(key)) continue
    seen.add(key)
    affected.push([r.id, a.package.ecosystem, ecosystem, release === undefined ? null : releaseKey(release), name])
  }
  return {
    id: r.id,
    modifiedMs: times['modified']!,
    row: [r.id, iso(times['modified']), iso(times['published']), iso(times['withdrawn']), r.summary ?? null, source, JSON.stringify(json)],
    affected,
    aliases: [...new Set(r.aliases ?? [])].filter((a) => a !== r.id),
    ecosystems,
    source,
  }
}

/** Writes one batch: new records inserted, stored ones replaced only by a newer `modified`. */
async function flush(store: Store, batch: Prepared[]): Promise<{ imported: number; updated: number; unchanged: number }> {
  // within a batch the newest version of an id wins
  const byId = new Map<string, Prepared>()
  let dupes = 0
  for (const p of batch) {
    const prev = byId.get(p.id)
    if (prev) dupes++
    if (!prev || p.modifiedMs > prev.modifiedMs) byId.set(p.id, p)
  }
  const ids = [...byId.keys()]
  return store.transaction(async (tx) => {
    const stored = await tx.query<{ id: string; ms: number }>('SELECT id, (extract(epoch FROM modified) * 1000)::float8 AS ms FROM vulndb_records WHERE id = ANY($1::text[])', [ids])
    const storedMs = new Map(stored.map((s) => [s.id, Math.round(Number(s.ms))]))
    const write: Prepared[] = []
    const replaced: string[] = []
    let unchanged = dupes
    for (const p of byId.values()) {
      const ms = storedMs.get(p.id)
      if (ms === undefined) write.push(p)
      else if (p.modifiedMs > ms) {
        write.push(p)
        replaced.push(p.id)
      } else unchanged++
    }
    if (replaced.length) {
      await tx.query('DELETE FROM vulndb_affected WHERE record_id = ANY($1::text[])', [replaced])
      await tx.query('DELETE FROM vulndb_aliases WHERE record_id = ANY($1::text[])', [replaced])
    }
    if (replaced.length) await tx.query('DELETE FROM vulndb_records WHERE id = ANY($1::text[])', [replaced])
    await tx.bulkInsert('vulndb_records', RECORD_COLUMNS, write.map((p) => p.row))
    await tx.bulkInsert('vulndb_affected', AFFECTED_COLUMNS, write.flatMap((p) => p.affected))
    await tx.bulkInsert('vulndb_aliases', ALIAS_COLUMNS, write.flatMap((p) => p.aliases.map((a) => [p.id, a])))
    return { imported: write.length - replaced.length, updated: replaced.length, unchanged }
  })
}

/**
 * Imports OSV records from zips (the per-ecosystem export), directories (`*.json`, recursively)
 * and JSON files into the store. Each record is validated with the OSV schema; a document that is
 * not valid becomes a `PW_ERR_VULNDB_RECORD_INVALID` diagnostic and the import goes on. Records are
 * upserted by id, keeping the newer `modified`; each ecosystem's row of `vulndb_meta` is refreshed.
 */
export async function importOsv(store: Store, inputs: string[], options: ImportOptions = {}): Promise<ImportResult> {
  await ensureVulnDb(store)
  const batchSize = options.batchSize ?? 2000
  const total = options.onProgress ? await countInputs(inputs) : undefined
  const result: ImportResult = { imported: 0, updated: 0, unchanged: 0, invalid: 0, diagnostics: [], byEcosystem: {} }
  const sources = new Map<string, string>()
  let batch: Prepared[] = []
  let done = 0
  const write = async (): Promise<void> => {
    if (batch.length === 0) {
      options.onProgress?.(done, total)
      return
    }
    const r = await flush(store, batch)
    result.imported += r.imported
    result.updated += r.updated
    result.unchanged += r.unchanged
    batch = []
    options.onProgress?.(done, total)
  }
  const { unreadable } = await readOsvInputs(inputs, result.diagnostics, async (raw) => {
    done++
    const p = prepareRecord(raw, options.source ?? path.resolve(raw.file))
    if ('code' in p) {
      result.invalid++
      result.diagnostics.push(p)
      return
    }
    for (const e of p.ecosystems) {
      result.byEcosystem[e] = (result.byEcosystem[e] ?? 0) + 1
      sources.set(e, p.source)
    }
    batch.push(p)
    if (batch.length >= batchSize) await write()
  })
  await write()
  result.invalid += unreadable
  await refreshMeta(store, sources)
  return result
}

/** Updates `vulndb_meta` for the ecosystems just imported: source, time, and the count of records naming each. */
export async function refreshMeta(store: Store, sources: Map<string, string>): Promise<void> {
  if (sources.size === 0) return
  const ecosystems = [...sources.keys()]
  await store.query(
    `INSERT INTO vulndb_meta (ecosystem, source, imported_at, updated_at, record_count)
     SELECT e.ecosystem, e.source, now(), now(),
            (SELECT count(DISTINCT a.record_id)::int FROM vulndb_affected a WHERE a.ecosystem = e.ecosystem)
     FROM unnest($1::text[], $2::text[]) AS e(ecosystem, source)
     ON CONFLICT (ecosystem) DO UPDATE SET source = EXCLUDED.source, imported_at = EXCLUDED.imported_at,
       updated_at = EXCLUDED.updated_at, record_count = EXCLUDED.record_count`,
    [ecosystems, ecosystems.map((e) => sources.get(e)!)],
  )
}
