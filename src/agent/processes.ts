/**
 * From socket inodes to processes, and from processes to identities, cheaply enough to run every
 * poll on a busy host:
 * - `SocketOwners` maps inodes to pids by reading `/proc/<pid>/fd/*` links. Only inodes not
 *   already mapped are looked for, and only in the processes likely to hold them (new pids,
 *   processes that already own sockets, processes whose fd count changed); every process is
 *   read again at most once per `fullScanIntervalMs`.
 * - `ProcessIdentities` reads a pid's executable, uid and cgroup, re-checked once per `ttlMs` or
 *   when the pid's start time changes (pid reuse); the executable's SHA-256 is computed once per
 *   binary, keyed by (device, inode, size, mtime).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { containerIdFromParsed, parseCgroup, parseExeLink, parsePasswd, parseStatStartTime, parseStatusUid, socketInode } from './procfiles.js'

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code
}

/** Read a whole procfs file into a reused buffer (procfs reports size 0, so stat cannot size it). */
export class ProcFileReader {
  private buf: Buffer

  constructor(initialBytes = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes)
  }

  /** The file's bytes (a view valid until the next read), or undefined when it does not exist. */
  read(file: string): Buffer | undefined {
    let fd: number
    try {
      fd = fs.openSync(file, 'r')
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined
      throw err
    }
    try {
      let len = 0
      for (;;) {
        if (len === this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length * 2)
          this.buf.copy(bigger, 0, 0, len)
          this.buf = bigger
        }
        const n = fs.readSync(fd, this.buf, len, this.buf.length - len, null)
        if (n === 0) break
        len += n
      }
      return this.buf.subarray(0, len)
    } finally {
      fs.closeSync(fd)
    }
  }
}

export interface SocketOwnerStats {
  /** Processes whose fd directory was read. */
  fdScans: number
  /** fd links read. */
  readlinks: number
  /** Scans that read every process. */
  fullScans: number
}

interface PidInfo {
  /** fd count at the last scan. */
  fdCount: number
  /** `stat` of its fd directory gave that same count at the last scan, so a change in it means something. */
  statCounts: boolean
  /** Socket fds at the last scan. */
  sockets: number
  /** Its fd directory was refused: do not try again before this time. */
  unreadableUntil: number
}

function listPids(procRoot: string): number[] {
  const pids: number[] = []
  for (const name of fs.readdirSync(procRoot)) {
    const c = name.charCodeAt(0)
    if (c >= 0x31 && c <= 0x39 && /^\d+$/.test(name)) pids.push(Number(name))
  }
  return pids
}

/** inode → pid, from `/proc/<pid>/fd`. */
export class SocketOwners {
  readonly stats: SocketOwnerStats = { fdScans: 0, readlinks: 0, fullScans: 0 }
  private readonly owners = new Map<number, number>()
  private readonly pids = new Map<number, PidInfo>()
  private lastFullScan = -Infinity

  constructor(
    private readonly procRoot: string,
    private readonly clock: Clock,
    private readonly fullScanIntervalMs = 30_000,
    private readonly unreadableRetryMs = 60_000,
  ) {}

  /** The pid owning a socket inode, as of the last `resolve`. */
  owner(inode: number): number | undefined {
    return this.owners.get(inode)
  }

  /** Forget a pid (it exited); its inodes are looked for again at the next `resolve`. */
  forget(pid: number): void {
    this.pids.delete(pid)
    for (const [inode, p] of this.owners) if (p === pid) this.owners.delete(inode)
  }

  /** Map every inode of `needed` (0 excluded) that is not mapped yet. */
  resolve(needed: Set<number>): void {
    for (const inode of this.owners.keys()) if (!needed.has(inode)) this.owners.delete(inode)
    const missing = new Set<number>()
    for (const inode of needed) if (inode !== 0 && !this.owners.has(inode)) missing.add(inode)
    if (missing.size === 0) return
    let pids: number[]
    try {
      pids = listPids(this.procRoot)
    } catch {
      return
    }
    const alive = new Set(pids)
    for (const pid of this.pids.keys()) if (!alive.has(pid)) this.pids.delete(pid)
    for (const [inode, pid] of this.owners) {
      if (!alive.has(pid)) {
        this.owners.delete(inode)
        missing.add(inode)
      }
    }
    const now = this.clock.now()
    const scanned = new Set<number>()
    // likely holders first: new processes, then processes that already own sockets, then processes whose fd count changed
    const fresh: number[] = []
    const owning: number[] = []
    const changed: number[] = []
    for (const pid of pids) {
      const info = this.pids.get(pid)
      if (!info) fresh.push(pid)
      else if (info.unreadableUntil > now) continue
      else if (info.sockets > 0) owning.push(pid)
      else if (info.statCounts && this.fdCountFromStat(pid) !== info.fdCount) changed.push(pid)
    }
    for (const list of [fresh, owning, changed]) {
      for (const pid of list) {
        if (missing.size === 0) return
        this.scan(pid, needed, missing, now)
        scanned.add(pid)
      }
    }
    if (missing.size === 0 || now - this.lastFullScan < this.fullScanIntervalMs) return
    this.lastFullScan = now
    this.stats.fullScans++
    for (const pid of pids) {
      if (missing.size === 0) return
      if (scanned.has(pid) || (this.pids.get(pid)?.unreadableUntil ?? 0) > now) continue
      this.scan(pid, needed, missing, now)
    }
  }

  /**
   * `stat` of `/proc/<pid>/fd` gives the number of open fds on Linux 6.2 and later (0 before);
   * it is trusted for a pid only when it matched the fd count read at its last scan.
   */
  private fdCountFromStat(pid: number): number {
    try {
      return fs.statSync(`${this.procRoot}/${pid}/fd`).size
    } catch {
      return -1
    }
  }

  private scan(pid: number, needed: Set<number>, missing: Set<number>, now: number): void {
    const dir = `${this.procRoot}/${pid}/fd`
    const statCount = this.fdCountFromStat(pid)
    let names: string[]
    try {
      names = fs.readdirSync(dir)
    } catch (err) {
      if (errCode(err) === 'ENOENT') this.pids.delete(pid)
      else this.pids.set(pid, { fdCount: -1, statCounts: false, sockets: 0, unreadableUntil: now + this.unreadableRetryMs })
      return
    }
    this.stats.fdScans++
    let sockets = 0
    for (const name of names) {
      let link: string
      try {
        link = fs.readlinkSync(`${dir}/${name}`)
      } catch {
        continue
      }
      this.stats.readlinks++
      const inode = socketInode(link)
      if (inode < 0) continue
      sockets++
      if (needed.has(inode) && !this.owners.has(inode)) {
        this.owners.set(inode, pid)
        missing.delete(inode)
      }
    }
    this.pids.set(pid, { fdCount: names.length, statCounts: statCount > 0 && statCount === names.length, sockets, unreadableUntil: 0 })
  }
}

/** What the agent reports about a process (the record's `process`), plus what the record cannot say. */
export interface ProcessIdentity {
  pid: number
  exePath: string
  exeSha256: string
  uid: number
  user?: string
  cgroup?: string
  containerId?: string
  /** The binary was replaced or removed on disk since the process started (`/proc/<pid>/exe` says ` (deleted)`). */
  exeDeleted: boolean
}

interface IdentityEntry {
  start: string
  identity: ProcessIdentity | null
  checkedAt: number
}

/** uid → user name from a passwd file, re-read when the file changes. */
class Users {
  private users = new Map<number, string>()
  private stamp = ''

  constructor(private readonly file: string) {}

  refresh(): void {
    try {
      const st = fs.statSync(this.file)
      const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`
      if (stamp === this.stamp) return
      this.users = parsePasswd(fs.readFileSync(this.file, 'utf8'))
      this.stamp = stamp
    } catch {
      this.users = new Map()
      this.stamp = ''
    }
  }

  name(uid: number): string | undefined {
    return this.users.get(uid)
  }
}

export interface ProcessIdentityStats {
  /** Binaries hashed (each once per device, inode, size and mtime). */
  hashed: number
  hashedBytes: number
  /** Processes that could not be read (permission, gone, kernel threads). */
  unreadable: number
}

/** pid → identity, cached. */
export class ProcessIdentities {
  readonly stats: ProcessIdentityStats = { hashed: 0, hashedBytes: 0, unreadable: 0 }
  private readonly cache = new Map<number, IdentityEntry>()
  private readonly hashes = new Map<string, Promise<string>>()
  private readonly users: Users
  private readonly deletedNoted = new Set<string>()
  private usersCheckedAt = -Infinity

  constructor(
    private readonly procRoot: string,
    passwdFile: string,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly log: (line: string) => void,
    private readonly maxHashes = 4096,
  ) {
    this.users = new Users(passwdFile)
  }

  /** The identity of `pid`; null when it cannot be read (permission, kernel thread), undefined when it is gone. */
  async get(pid: number): Promise<ProcessIdentity | null | undefined> {
    const now = this.clock.now()
    let start: string | undefined
    try {
      start = parseStatStartTime(fs.readFileSync(`${this.procRoot}/${pid}/stat`, 'latin1'))
    } catch (err) {
      this.cache.delete(pid)
      return errCode(err) === 'ENOENT' || errCode(err) === 'ESRCH' ? undefined : null
    }
    if (start === undefined) return null
    const cached = this.cache.get(pid)
    if (cached && cached.start === start && now - cached.checkedAt < this.ttlMs) return cached.identity
    if (now - this.usersCheckedAt >= this.ttlMs) {
      this.users.refresh()
      this.usersCheckedAt = now
    }
    const identity = await this.identify(pid)
    if (!identity) this.stats.unreadable++
    this.cache.set(pid, { start, identity, checkedAt: now })
    return identity
  }

  /** Drop pids not asked for during two TTLs (exited, or no longer holding sockets). */
  prune(): void {
    const now = this.clock.now()
    for (const [pid, e] of this.cache) if (now - e.checkedAt > 2 * this.ttlMs) this.cache.delete(pid)
  }

  private async identify(pid: number): Promise<ProcessIdentity | null> {
    const base = `${this.procRoot}/${pid}`
    let exe: { path: string; deleted: boolean }
    let key: string
    let uid: number | undefined
    try {
      exe = parseExeLink(fs.readlinkSync(`${base}/exe`))
      // stat follows the link to the binary, whatever mount namespace it lives in
      const st = fs.statSync(`${base}/exe`, { bigint: true })
      key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`
      uid = parseStatusUid(fs.readFileSync(`${base}/status`, 'latin1'))
    } catch {
      return null
    }
    if (uid === undefined) return null
    let exeSha256: string
    try {
      exeSha256 = await this.hash(key, `${base}/exe`)
    } catch {
      return null
    }
    const identity: ProcessIdentity = { pid, exePath: exe.path, exeSha256, uid, exeDeleted: exe.deleted }
    const user = this.users.name(uid)
    if (user !== undefined) identity.user = user
    try {
      const cg = parseCgroup(fs.readFileSync(`${base}/cgroup`, 'latin1'))
      if (cg.path !== undefined) identity.cgroup = cg.path
      const id = containerIdFromParsed(cg)
      if (id !== undefined) identity.containerId = id
    } catch {
      // no cgroup file (not Linux, or a fixture without one): the identity goes without
    }
    if (exe.deleted && !this.deletedNoted.has(exe.path)) {
      this.deletedNoted.add(exe.path)
      this.log(`pid ${pid} runs a binary deleted or replaced on disk since it started: ${exe.path} (hashed from the running image)`)
    }
    return identity
  }

  /**
   * SHA-256 of the binary behind `file`, once per `key`. Read with `FileHandle.read` into one
   * buffer per binary: a third less CPU than a read stream, whose chunks are each a new buffer.
   */
  private hash(key: string, file: string): Promise<string> {
    const known = this.hashes.get(key)
    if (known) return known
    const p = (async (): Promise<string> => {
      const h = createHash('sha256')
      const buf = Buffer.allocUnsafe(1024 * 1024)
      let bytes = 0
      const fh = await fs.promises.open(file, 'r')
      try {
        for (;;) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, null)
          if (bytesRead === 0) break
          bytes += bytesRead
          h.update(buf.subarray(0, bytesRead))
        }
      } finally {
        await fh.close()
      }
      this.stats.hashed++
      this.stats.hashedBytes += bytes
      return h.digest('hex')
    })()
    p.catch(() => this.hashes.delete(key))
    if (this.hashes.size >= this.maxHashes) {
      const oldest = this.hashes.keys().next().value
      if (oldest !== undefined) this.hashes.delete(oldest)
    }
    this.hashes.set(key, p)
    return p
  }
}
