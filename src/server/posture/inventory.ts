import type { Edge, Inventory, Resource, ScanResult } from '../../model/index.js'
import type { ServerContext } from '../types.js'
import { unpackResult } from './ingest.js'

interface InventoryCache {
  key: string
  value: Promise<Inventory>
}

const caches = new WeakMap<ServerContext, InventoryCache>()

/**
 * The inventory of the latest scan of every source, merged (resources by id, first source wins;
 * edges deduplicated), for identity resolution and topology by other server domains. Cached per
 * set of latest scans, so repeated calls cost one small query.
 *
 * @example
 * const { resources, edges } = await latestInventory(ctx)
 */
export async function latestInventory(ctx: ServerContext): Promise<Inventory> {
  const latest = await ctx.store.query<{ id: string }>('SELECT id FROM posture_scans WHERE is_latest ORDER BY seq')
  const key = latest.map((l) => l.id).join(',')
  const cached = caches.get(ctx)
  if (cached && cached.key === key) return cached.value
  const value = loadInventory(ctx, latest.map((l) => l.id))
  caches.set(ctx, { key, value })
  value.catch(() => {
    if (caches.get(ctx)?.value === value) caches.delete(ctx)
  })
  return value
}

async function loadInventory(ctx: ServerContext, scanIds: string[]): Promise<Inventory> {
  if (!scanIds.length) return { resources: [], edges: [] }
  const rows = await ctx.store.query<{ result_gz: Uint8Array | null }>(`SELECT result_gz FROM posture_scans WHERE id IN (${scanIds.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY seq`, scanIds)
  const resources = new Map<string, Resource>()
  const edges = new Map<string, Edge>()
  for (const row of rows) {
    const r = { inv: row.result_gz ? unpackResult(row.result_gz).inventory : null }
    for (const res of r.inv?.resources ?? []) if (!resources.has(res.id)) resources.set(res.id, res)
    for (const e of r.inv?.edges ?? []) {
      const k = `${e.from}\u0000${e.to}\u0000${e.kind}\u0000${e.port ?? ''}\u0000${e.protocol ?? ''}`
      if (!edges.has(k)) edges.set(k, e)
    }
  }
  return { resources: [...resources.values()], edges: [...edges.values()] }
}

/** Only the resources `team` owns and the edges among them. */
export function inventoryOfTeam(inv: Inventory, team: string | null): Inventory {
  if (team === null) return inv
  const resources = inv.resources.filter((r) => r.owner === team)
  const ids = new Set(resources.map((r) => r.id))
  return { resources, edges: inv.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) }
}

/** A stored scan with its full result, for reports. */
export interface StoredScan {
  id: string
  sourceName: string
  receivedAt: Date
  result: ScanResult
}

/**
 * The scan a report is rendered from: the latest scan of `source` when given, else the newest
 * latest scan of any source; null when none is stored (or its result was pruned).
 */
export async function reportScan(ctx: ServerContext, source?: string): Promise<StoredScan | null> {
  type Row = { id: string; source_name: string; received_at: unknown; result_gz: Uint8Array | null }
  const rows = source
    ? await ctx.store.query<Row>('SELECT id, source_name, received_at, result_gz FROM posture_scans WHERE is_latest AND source_name = $1', [source])
    : await ctx.store.query<Row>('SELECT id, source_name, received_at, result_gz FROM posture_scans WHERE is_latest ORDER BY seq DESC LIMIT 1')
  const r = rows[0]
  if (!r || !r.result_gz) return null
  return { id: r.id, sourceName: r.source_name, receivedAt: r.received_at instanceof Date ? r.received_at : new Date(String(r.received_at)), result: unpackResult(r.result_gz) }
}
