/**
 * One vulnerability, several ids: a GitHub advisory (GHSA-…), its CVE, the ecosystem's own
 * advisory (PYSEC-…, RUSTSEC-…, GO-…, NSWG-ECO-…) each name the others in `aliases`. Records are
 * grouped transitively (union-find over ids and aliases), so that a scan reports one finding.
 */

/** Rank of an id's prefix for display: CVE first, then GHSA, then everything else. */
function idRank(id: string): number {
  if (/^CVE-\d{4}-\d+$/i.test(id)) return 0
  if (/^GHSA(-[0-9a-z]{4}){3}$/i.test(id)) return 1
  return 2
}

/** Display order: by {@link idRank}, CVE ids by year then number (CVE-2021-9999 before CVE-2021-10000), the rest by code point. */
function compareIds(a: string, b: string): number {
  const rank = idRank(a) - idRank(b)
  if (rank !== 0) return rank
  const ca = /^CVE-(\d{4})-(\d+)$/i.exec(a)
  const cb = /^CVE-(\d{4})-(\d+)$/i.exec(b)
  if (ca && cb) return Number(ca[1]) - Number(cb[1]) || Number(ca[2]) - Number(cb[2])
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The id to display for a vulnerability known under several ids: a CVE first (the name every
 * advisory, vendor and auditor shares; the oldest when there are several), then a GitHub advisory
 * (GHSA), then the ecosystem's own id (PYSEC, RUSTSEC, GO, OSV, DSA, …) in code-point order.
 * Undefined for an empty list.
 */
export function preferredId(ids: readonly string[]): string | undefined {
  let best: string | undefined
  for (const id of ids) {
    if (id === '') continue
    if (best === undefined || compareIds(id, best) < 0) best = id
  }
  return best
}

/** Every id of a vulnerability, preferred first, then the rest in display order, without duplicates. */
export function sortIds(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => id !== ''))].sort(compareIds)
}

/**
 * Groups records that describe the same vulnerability: two records are one when one's id or
 * aliases share an id with the other's, transitively (A aliases CVE-1, B aliases CVE-1 and
 * GHSA-x, C has id GHSA-x → one group). `related` is not followed (OSV: related is not the same).
 * Ids are compared exactly (OSV ids are case-sensitive).
 *
 * Deterministic: each group keeps its records in input order, and groups are ordered by their
 * first record's position in the input. Every record appears in exactly one group.
 */
export function mergeAliases<T extends { id: string; aliases?: string[] | null }>(records: readonly T[]): T[][] {
  const parent: number[] = records.map((_, i) => i)
  const find = (i: number): number => {
    let root = i
    while (parent[root] !== root) root = parent[root] ?? root
    let node = i
    while (parent[node] !== root) {
      const next = parent[node] ?? root
      parent[node] = root
      node = next
    }
    return root
  }
  const union = (a: number, b: number): void => {
    const ra = find(a)
    const rb = find(b)
    if (ra === rb) return
    // the lower index stays root, so a group's root is its first record
    if (ra < rb) parent[rb] = ra
    else parent[ra] = rb
  }
  const owner = new Map<string, number>()
  records.forEach((record, i) => {
    for (const id of [record.id, ...(record.aliases ?? [])]) {
      if (typeof id !== 'string' || id === '') continue
      const seen = owner.get(id)
      if (seen === undefined) owner.set(id, i)
      else union(seen, i)
    }
  })
  const groups = new Map<number, T[]>()
  records.forEach((record, i) => {
    const root = find(i)
    const group = groups.get(root)
    if (group) group.push(record)
    else groups.set(root, [record])
  })
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => group)
}
