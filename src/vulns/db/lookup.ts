import type { Store } from '../../store/index.js'
import type { OsvRecord } from '../osv.js'
import { ensureVulnDb } from './ensure.js'
import { normalizePackageName, packageKey, releaseApplies } from './names.js'

/** A package to look up: base OSV ecosystem (`npm`, `PyPI`, `Debian`), OS release when relevant, name. */
export interface PackageQuery {
  ecosystem: string
  /** OS release (`12`, `22.04`, `v3.19`); advisories for that release and release-less ones apply. Omitted: all releases. */
  release?: string
  name: string
}

/**
 * The advisories naming each package, in one round trip: a map keyed by
 * `${ecosystem}\u0000${normalisedName}` (see {@link packageKey}) holding every requested package
 * (an empty list when nothing names it), records sorted by id. For OS ecosystems a record applies
 * when its ecosystem is the bare one (`Debian`) or the package's release (`Debian:12`;
 * `Ubuntu:22.04:LTS` matches release `22.04`). Withdrawn records are left out.
 */
export async function lookupAdvisories(store: Store, packages: PackageQuery[]): Promise<Map<string, OsvRecord[]>> {
  await ensureVulnDb(store)
  const out = new Map<string, OsvRecord[]>()
  // one key can be asked with several releases
  const wanted = new Map<string, (string | undefined)[]>()
  const ecos: string[] = []
  const names: string[] = []
  for (const p of packages) {
    const key = packageKey(p.ecosystem, p.name)
    if (!out.has(key)) {
      out.set(key, [])
      wanted.set(key, [])
      ecos.push(p.ecosystem)
      names.push(normalizePackageName(p.ecosystem, p.name))
    }
    wanted.get(key)!.push(p.release)
  }
  if (ecos.length === 0) return out
  const rows = await store.query<{ ecosystem: string; name: string; release: string | null; id: string; record: string }>(
    `SELECT a.ecosystem, a.name, a.release, r.id, r.record
       FROM vulndb_affected a JOIN vulndb_records r ON r.id = a.record_id
      WHERE (a.ecosystem, a.name) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        AND r.withdrawn IS NULL`,
    [ecos, names],
  )
  const parsed = new Map<string, OsvRecord>()
  const added = new Map<string, Set<string>>()
  for (const row of rows) {
    const key = `${row.ecosystem}\u0000${row.name}`
    const releases = wanted.get(key)
    if (!releases || !releases.some((w) => releaseApplies(row.release, w))) continue
    let ids = added.get(key)
    if (!ids) added.set(key, (ids = new Set()))
    if (ids.has(row.id)) continue
    ids.add(row.id)
    let rec = parsed.get(row.id)
    if (!rec) parsed.set(row.id, (rec = JSON.parse(row.record) as OsvRecord))
    out.get(key)!.push(rec)
  }
  for (const list of out.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return out
}

/**
 * Every id that names the same vulnerability as the given ones (CVE ↔ GHSA ↔ PYSEC …): the ids
 * themselves, their aliases, and the records that list them as aliases — one hop, sorted.
 */
export async function relatedIds(store: Store, ids: string[]): Promise<string[]> {
  await ensureVulnDb(store)
  if (ids.length === 0) return []
  const rows = await store.query<{ id: string }>(
    `SELECT alias AS id FROM vulndb_aliases WHERE record_id = ANY($1::text[])
     UNION SELECT record_id FROM vulndb_aliases WHERE alias = ANY($1::text[])`,
    [ids],
  )
  return [...new Set([...ids, ...rows.map((r) => r.id)])].sort()
}
