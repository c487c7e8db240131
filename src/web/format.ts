/**
 * Formatting and small validation helpers of the dashboard: pure functions, tested in node.
 */
import type { Instant, Peer, Severity } from './api'

/** Severities from worst to mildest. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

/** Sort rank of a severity (0 = critical); unknown values sort last. */
export function severityRank(s: string): number {
  const i = SEVERITIES.indexOf(s as Severity)
  return i === -1 ? SEVERITIES.length : i
}

/** Title-case label of a severity or status (`critical` → `Critical`). */
export function capitalize(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s
}

/** An Instant (ISO string or epoch ms) as a Date, or null when absent or invalid. */
export function toDate(v: Instant | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

/** `2026-12-07 09:16 UTC`: unambiguous, the same for every viewer; '—' when absent. */
export function formatTime(v: Instant | null | undefined): string {
  const d = toDate(v)
  if (!d) return '—'
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** `2026-12-07`; '—' when absent. */
export function formatDay(v: Instant | null | undefined): string {
  const d = toDate(v)
  return d ? d.toISOString().slice(0, 10) : '—'
}

/** `3 min ago`, `in 2 d`: a coarse relative time against `now`. */
export function relativeTime(v: Instant | null | undefined, now: Date): string {
  const d = toDate(v)
  if (!d) return '—'
  const diff = d.getTime() - now.getTime()
  const abs = Math.abs(diff)
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ]
  if (abs < 1000) return 'just now'
  for (const [ms, unit] of units) {
    if (abs >= ms) {
      const n = Math.floor(abs / ms)
      return diff < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`
    }
  }
  return 'just now'
}

/** `1.5 MiB`, `820 B`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}

/** `12,345` with thousands separators (en-US, the dashboard's language). */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—'
}

/** Share of `part` in `total` as a whole percentage (0 when total is 0). */
export function percent(part: number, total: number): number {
  if (!total || total <= 0) return 0
  return Math.round((part / total) * 100)
}

/** A flow peer as text: a workload's name (from `names` by id), an FQDN, or a CIDR with its scope. */
export function peerLabel(p: Peer, names: Record<string, string> = {}): string {
  switch (p.kind) {
    case 'identity':
      return names[p.id] ?? shortId(p.id)
    case 'fqdn':
      return p.fqdn
    case 'cidr':
      return p.scope === 'public' ? `${p.cidr} (internet)` : p.cidr
  }
}

/** The last meaningful segment of a resource or identity id (`k8s:apps/v1:Deployment:clinic/api` → `clinic/api`). */
export function shortId(id: string): string {
  const colon = id.lastIndexOf(':')
  const tail = colon >= 0 ? id.slice(colon + 1) : id
  if (tail.startsWith('function/')) return tail.slice('function/'.length)
  if (tail.startsWith('table/')) return tail.slice('table/'.length)
  return tail || id
}

/** `src/app.tf:12` or `src/app.tf`. */
export function formatLocation(loc: { file: string; line?: number } | null | undefined): string {
  if (!loc || !loc.file) return '—'
  return loc.line ? `${loc.file}:${loc.line}` : loc.file
}

/** The value of a date input (`YYYY-MM-DD`) `days` after `now`. */
export function dateInputValue(now: Date, days = 0): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10)
}

/** A date input's `YYYY-MM-DD` as the ISO instant of the end of that day (UTC), or null if malformed. */
export function endOfDayIso(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null
  const d = new Date(`${day}T23:59:59.000Z`)
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? null : d.toISOString()
}

/** Checks a suppression/review reason: at least `min` characters after trimming. Returns the problem or null. */
export function checkReason(reason: string, min = 10): string | null {
  const n = reason.trim().length
  if (n === 0) return 'Enter a reason.'
  if (n < min) return `The reason must be at least ${min} characters (${n} so far).`
  return null
}

/**
 * Checks a suppression expiry day: after today and at most a year ahead (the server's rule).
 * Returns the problem or null.
 */
export function checkExpiry(day: string, now: Date): string | null {
  const iso = endOfDayIso(day)
  if (!iso) return 'Enter a date as YYYY-MM-DD.'
  const t = new Date(iso).getTime()
  if (t <= now.getTime()) return 'The expiry must be in the future.'
  if (t > now.getTime() + 366 * 86_400_000) return 'The expiry can be at most one year ahead.'
  return null
}

/** Checks a new password: 12+ characters and equal to its confirmation. Returns the problem or null. */
export function checkNewPassword(password: string, confirm: string): { field: 'newPassword' | 'confirm'; message: string } | null {
  if (password.length < 12) return { field: 'newPassword', message: `Use at least 12 characters (${password.length} so far).` }
  if (password !== confirm) return { field: 'confirm', message: 'The two passwords differ.' }
  return null
}

/** A 6-digit TOTP code, spaces removed, or null when it is not one. */
export function normalizeTotp(code: string): string | null {
  const c = code.replace(/\s+/g, '')
  return /^\d{6}$/.test(c) ? c : null
}

/** Learning progress of a workload as a fraction 0–1 between `start` and `endsAt` at `now`. */
export function learningProgress(done: boolean, endsAt: Instant | null, now: Date, windowDays = 7): number {
  if (done) return 1
  const end = toDate(endsAt)
  if (!end) return 0
  const start = end.getTime() - windowDays * 86_400_000
  const f = (now.getTime() - start) / (end.getTime() - start)
  return Math.max(0, Math.min(1, f))
}

/** An SVG document as a `data:image/svg+xml;base64,…` URL (UTF-8 safe), for an <img> under the CSP. */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return 'data:image/svg+xml;base64,' + btoa(bin)
}
