import { identitiesFromInventory, type Peer } from '../../flows/index.js'
import type { Inventory } from '../../model/index.js'

/**
 * The workload identity ids an app team owns: the identities of the inventory's resources whose
 * `owner` is the team. Processes, hosts and platform workloads have no resource, so no owner.
 */
export function teamWorkloads(inventory: Inventory, team: string): Set<string> {
  const owner = new Map(inventory.resources.map((r) => [r.id, r.owner]))
  const out = new Set<string>()
  if (!team) return out
  for (const i of identitiesFromInventory(inventory)) if (i.resourceId && owner.get(i.resourceId) === team) out.add(i.id)
  return out
}

/** The key of a peer, as `peerKey` of src/flows writes it. */
export function keyOfPeer(p: Peer): string {
  return p.kind === 'identity' ? p.id : p.kind === 'fqdn' ? `fqdn:${p.fqdn}` : `cidr:${p.cidr}`
}

/** An opaque list cursor holding the last row's sort values. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url')
}

/** The sort values of a cursor, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string | undefined): (string | number)[] | undefined {
  if (!cursor) return undefined
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    return Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number') ? (v as (string | number)[]) : undefined
  } catch {
    return undefined
  }
}

/** An audit target of at most 500 characters (the audit log's limit); long edge keys are shortened. */
export function auditTarget(target: string): string {
  return target.length <= 500 ? target : `${target.slice(0, 497)}...`
}
