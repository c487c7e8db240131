/**
 * Small `/proc/<pid>/…` and `/etc/passwd` parsers. Each takes the file's text and never throws.
 */

/** One line of `/proc/<pid>/cgroup`: `hierarchy-ID:controller-list:cgroup-path`. */
export interface CgroupLine {
  hierarchy: number
  controllers: string[]
  path: string
}

export interface ParsedCgroup {
  lines: CgroupLine[]
  /** The cgroup v2 (unified) path: the `0::/path` line. */
  unified?: string
  /** The cgroup v1 `name=systemd` path. */
  systemd?: string
  /**
   * The path the agent reports: the v2 path, unless it is the root `/` while the v1
   * `name=systemd` path names something (hybrid hosts), then that one.
   */
  path?: string
}

/** Parse `/proc/<pid>/cgroup`. */
export function parseCgroup(text: string): ParsedCgroup {
  const lines: CgroupLine[] = []
  let unified: string | undefined
  let systemd: string | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd()
    const c1 = line.indexOf(':')
    if (c1 <= 0) continue
    const c2 = line.indexOf(':', c1 + 1)
    if (c2 < 0) continue
    const idText = line.slice(0, c1)
    if (!/^\d+$/.test(idText)) continue
    const path = line.slice(c2 + 1)
    if (!path.startsWith('/')) continue
    const controllers = c2 > c1 + 1 ? line.slice(c1 + 1, c2).split(',') : []
    const hierarchy = Number(idText)
    lines.push({ hierarchy, controllers, path })
    if (hierarchy === 0 && controllers.length === 0) unified ??= path
    else if (controllers.includes('name=systemd')) systemd ??= path
  }
  const out: ParsedCgroup = { lines }
  if (unified !== undefined) out.unified = unified
  if (systemd !== undefined) out.systemd = systemd
  const path = unified !== undefined && !(unified === '/' && systemd !== undefined && systemd !== '/') ? unified : systemd ?? unified
  if (path !== undefined) out.path = path
  return out
}

const PREFIXED_ID = /^(?:docker|cri-containerd|crio|libpod)-([0-9a-f]{12,64})(?:\.scope)?$/
const BARE_ID = /^[0-9a-f]{64}$/

/**
 * The container id a cgroup path names, or undefined: Docker (`docker-<id>.scope`,
 * `/docker/<id>`), containerd (`cri-containerd-<id>.scope`, `/k8s.io/<id>`), CRI-O
 * (`crio-<id>.scope`), Podman (`libpod-<id>.scope`, also with its `/container` child) and
 * Kubernetes cgroupfs paths (`/kubepods/…/pod<uid>/<id>`). The innermost id wins (nested
 * containers). The runtimes' monitor scopes (`crio-conmon-<id>`, `libpod-conmon-<id>`) are not
 * the container and name none.
 */
export function containerIdFromCgroup(path: string): string | undefined {
  const parts = path.split('/')
  for (let i = parts.length - 1; i >= 0; i--) {
    const seg = parts[i]!
    const m = PREFIXED_ID.exec(seg)
    if (m) return m[1]
    if (BARE_ID.test(seg)) return seg
  }
  return undefined
}

/** The container id of any line of a parsed cgroup file, the reported path first. */
export function containerIdFromParsed(cg: ParsedCgroup): string | undefined {
  if (cg.path !== undefined) {
    const id = containerIdFromCgroup(cg.path)
    if (id) return id
  }
  for (const l of cg.lines) {
    const id = containerIdFromCgroup(l.path)
    if (id) return id
  }
  return undefined
}

/** The real uid from `/proc/<pid>/status` (`Uid:\treal\teffective\tsaved\tfs`), or undefined. */
export function parseStatusUid(text: string): number | undefined {
  const m = /(?:^|\n)Uid:[ \t]+(\d{1,10})\b/.exec(text)
  if (!m) return undefined
  return Number(m[1])
}

/**
 * The start time (field 22, clock ticks since boot) from `/proc/<pid>/stat`, as text. The
 * command name (field 2) is in parentheses and may itself hold spaces and parentheses, so fields
 * are counted from the last `)`.
 */
export function parseStatStartTime(text: string): string | undefined {
  const close = text.lastIndexOf(')')
  if (close < 0) return undefined
  const fields = text.slice(close + 1).trim().split(/\s+/)
  // fields[0] is field 3 (state); field 22 is fields[19]
  const v = fields[19]
  return v !== undefined && /^\d+$/.test(v) ? v : undefined
}

/** CPU times (fields 14–17: utime, stime, cutime, cstime, in clock ticks) from `/proc/<pid>/stat`. */
export function parseStatCpu(text: string): { utime: number; stime: number; cutime: number; cstime: number } | undefined {
  const close = text.lastIndexOf(')')
  if (close < 0) return undefined
  const f = text.slice(close + 1).trim().split(/\s+/)
  const nums = [f[11], f[12], f[13], f[14]].map((x) => (x !== undefined && /^-?\d+$/.test(x) ? Number(x) : NaN))
  if (nums.some((n) => Number.isNaN(n))) return undefined
  return { utime: nums[0]!, stime: nums[1]!, cutime: nums[2]!, cstime: nums[3]! }
}

/** uid → user name from `/etc/passwd` (`name:x:uid:gid:gecos:home:shell`); the first name of a uid wins. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue
    const f = line.split(':')
    if (f.length < 4 || !f[0] || !/^\d+$/.test(f[2]!)) continue
    const uid = Number(f[2])
    if (Number.isSafeInteger(uid) && !users.has(uid)) users.set(uid, f[0])
  }
  return users
}

/** The inode of an fd link target `socket:[12345]`, or -1 for anything else. */
export function socketInode(link: string): number {
  if (!link.startsWith('socket:[') || !link.endsWith(']')) return -1
  const s = link.slice(8, -1)
  if (!/^\d{1,15}$/.test(s)) return -1
  return Number(s)
}

/** The executable path from a `/proc/<pid>/exe` link: ` (deleted)` stripped and noted. */
export function parseExeLink(link: string): { path: string; deleted: boolean } {
  const suffix = ' (deleted)'
  return link.endsWith(suffix) ? { path: link.slice(0, -suffix.length), deleted: true } : { path: link, deleted: false }
}
