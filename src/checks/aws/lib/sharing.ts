import type { Resource } from '../../../model/index.js'
import { list, str } from './values.js'

/** Who a snapshot or document is shared with, as the collector records it (`PhiWallSharedWith`). */
export interface Sharing {
  /** Shared with `all`: anyone with an AWS account can restore or run it. */
  public: boolean
  /** Other accounts it is shared with (ids). */
  accounts: string[]
}

/**
 * The sharing of a resource, or undefined when the scan does not say: templates cannot share
 * snapshots, and a snapshot whose attribute call failed records no `PhiWallSharedWith`
 * (docs/snapshot-format.md). Terraform's `All` and the APIs' `all` both mean public.
 */
export function sharingOf(r: Resource): Sharing | undefined {
  const raw = r.props['PhiWallSharedWith']
  if (!Array.isArray(raw)) return undefined
  const ids = list(raw).map((v) => str(v)).filter((v): v is string => v !== undefined)
  return { public: ids.some((v) => v.toLowerCase() === 'all'), accounts: ids.filter((v) => v.toLowerCase() !== 'all') }
}

/** "shared with 2 other accounts" / "not shared": the message part for a private sharing. */
export function describeSharing(s: Sharing): string {
  if (!s.accounts.length) return 'is not shared with any other account'
  return `is shared with ${s.accounts.length} named account${s.accounts.length === 1 ? '' : 's'} only (${s.accounts.join(', ')})`
}
