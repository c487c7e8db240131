/**
 * Client-side orderings of loaded rows.
 */
import type { AlertRow } from './api'
import { toDate } from './format'

/** How the alerts list is ordered. */
export type AlertSort = 'count' | 'lastSeen'

/** Alerts by count (most first) or last seen (newest first); ties by the other key, then id. Does not mutate. */
export function sortAlerts(rows: readonly AlertRow[], by: AlertSort): AlertRow[] {
  const last = (a: AlertRow): number => toDate(a.lastSeen)?.getTime() ?? 0
  return [...rows].sort((a, b) => {
    const primary = by === 'count' ? b.count - a.count : last(b) - last(a)
    if (primary !== 0) return primary
    const secondary = by === 'count' ? last(b) - last(a) : b.count - a.count
    return secondary !== 0 ? secondary : a.id.localeCompare(b.id)
  })
}
