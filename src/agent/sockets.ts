/**
 * Where each poll reads the socket tables from: `/proc/net/{tcp,tcp6,udp,udp6}` or `ss`
 * (netlink sock_diag with a kernel-side state filter). Both walk the kernel's TCP hash table;
 * procfs then prints every socket as a line (TIME_WAIT included), ss only the ones in the states
 * asked for, but costs an exec (forked by a long-lived shell, not by the agent: see
 * `CommandRunner` in ss.ts). Measured on a 2-vCPU VM with a 262,144-bucket TCP
 * hash (bench/RESULTS-agent.md): procfs ≈ 9.6 ms of CPU per poll on an idle host and 28 ms with
 * 10,000 TIME_WAIT sockets; ss ≈ 4 ms and 6–9 ms. On a host with a small hash table and few
 * sockets procfs costs well under a millisecond and ss still its fork and exec.
 *
 * The `auto` rule, per poll: ss when /proc/net/sockstat{,6} count at least `SS_MIN_SOCKETS` TCP
 * sockets (in use and TIME_WAIT), or when the last procfs read took at least `SS_PROCFS_MS`
 * (a large hash table walked for nothing); procfs otherwise, re-measured at most every
 * `REMEASURE_MS` while the cost rule alone picks ss. procfs only when the procfs root is not
 * `/proc` (a fixture tree, or another host's procfs: ss would read this process's own network
 * namespace), when ss is not iproute2 5.0 or later, or for `REMEASURE_MS` after an ss failure.
 */
import { PhiwallError } from '../model/index.js'
import { parseProcNet, type ProcNetSocket, type ProcNetStats, type SocketProtocol } from './procnet.js'
import type { Clock, ProcFileReader } from './processes.js'
import { IpText } from './iptext.js'
import { CommandRunner, findSs, parseSs, runCollect, SS_ARGS, ssVersion } from './ss.js'

export type SocketSource = 'auto' | 'ss' | 'procfs'

/** TCP sockets (in use plus TIME_WAIT) from which `auto` reads the tables through ss. */
export const SS_MIN_SOCKETS = 1000
/** A procfs read that took this long (ms) makes `auto` use ss. */
export const SS_PROCFS_MS = 4
/** How long a cost measurement or an ss failure holds (ms). */
export const REMEASURE_MS = 5 * 60_000

export interface SocketTableStats {
  /** Polls that read the tables through ss. */
  ss: number
  /** Polls that read /proc/net. */
  procfs: number
  /** ss runs that failed (those polls read /proc/net). */
  ssFailures: number
  /** Wall time of the last procfs read, ms (-1 before one). */
  lastProcfsMs: number
}

export interface SockstatCounts {
  tcpInUse: number
  tcpTimeWait: number
  /** IPv6 sockets in the hash tables; undefined when sockstat6 could not be read. */
  tcp6InUse: number | undefined
  udp6InUse: number | undefined
}

/**
 * `TCP: inuse 12 orphan 0 tw 3754 alloc 17 mem 216` (sockstat), `TCP6: inuse 2` and
 * `UDP6: inuse 0` (sockstat6). The counts are of this network namespace.
 */
export function parseSockstat(sockstat: string, sockstat6?: string): SockstatCounts | undefined {
  const tcp = /^TCP: inuse (\d+) orphan \d+ tw (\d+)/m.exec(sockstat)
  if (!tcp) return undefined
  const tcp6 = sockstat6 === undefined ? null : /^TCP6: inuse (\d+)/m.exec(sockstat6)
  const udp6 = sockstat6 === undefined ? null : /^UDP6: inuse (\d+)/m.exec(sockstat6)
  return { tcpInUse: Number(tcp[1]), tcpTimeWait: Number(tcp[2]), tcp6InUse: tcp6 ? Number(tcp6[1]) : undefined, udp6InUse: udp6 ? Number(udp6[1]) : undefined }
}

const TABLES: { file: string; protocol: SocketProtocol; family: 4 | 6 }[] = [
  { file: 'net/tcp', protocol: 'tcp', family: 4 },
  { file: 'net/tcp6', protocol: 'tcp', family: 6 },
  { file: 'net/udp', protocol: 'udp', family: 4 },
  { file: 'net/udp6', protocol: 'udp', family: 6 },
]

export interface SocketTablesOptions {
  procRoot: string
  source: SocketSource
  reader: ProcFileReader
  clock: Clock
  /** Counters both parsers add to. */
  procStats: ProcNetStats
  /** Say something once per distinct message. */
  once: (line: string) => void
  /** The ss program and its arguments (default: iproute2's ss, `SS_ARGS`). */
  ssCommand?: { command: string; args?: string[] }
  /** `auto` may use ss (default: when `procRoot` is `/proc`, the tables of this network namespace). */
  ssAllowed?: boolean
  /** Milliseconds for timing procfs reads (default `performance.now`). */
  timer?: () => number
}

/**
 * ss's arguments for this poll. The kernel walks its whole TCP hash table once per address
 * family asked for (TIME_WAIT sockets included, of every network namespace): when sockstat6
 * says this namespace has no IPv6 TCP or UDP socket, `-4` leaves the IPv6 walk out (measured:
 * 7.7 ms instead of 14.4 ms per run with 12,000 TIME_WAIT sockets).
 */
export function ssArgs(counts: SockstatCounts | undefined): string[] {
  return counts?.tcp6InUse === 0 && counts.udp6InUse === 0 ? ['-4', ...SS_ARGS] : SS_ARGS
}

/** The `auto` rule: many TCP sockets, or a recent procfs read that was slow. */
export function autoPicksSs(counts: SockstatCounts | undefined, lastProcfsMs: number, procfsAgeMs: number): boolean {
  const many = counts !== undefined && counts.tcpInUse + counts.tcpTimeWait + (counts.tcp6InUse ?? 0) >= SS_MIN_SOCKETS
  const costly = lastProcfsMs >= SS_PROCFS_MS && procfsAgeMs < REMEASURE_MS
  return many || costly
}

export class SocketTables {
  readonly stats: SocketTableStats = { ss: 0, procfs: 0, ssFailures: 0, lastProcfsMs: -1 }
  /** The method of the last read. */
  last: 'ss' | 'procfs' | undefined
  private ssUsable: Promise<boolean> | undefined
  private ssBlockedUntil = -Infinity
  private procfsMeasuredAt = -Infinity
  private readonly ips = new IpText()
  /** sockstat of this poll. */
  private counts: SockstatCounts | undefined
  /** Runs ss through a long-lived shell (see `CommandRunner`). */
  private runner: CommandRunner | undefined

  constructor(private readonly o: SocketTablesOptions) {}

  /** Read the tables (ss or procfs, by `source`). Throws when procfs is needed and none of its tables can be read. */
  async read(): Promise<ProcNetSocket[]> {
    if (await this.wantSs()) {
      const sockets = await this.readSs()
      if (sockets) return sockets
    }
    return this.readProcfs()
  }

  /** Read `/proc/net/{tcp,tcp6,udp,udp6}`. Throws when none of them can be read. */
  readProcfs(): ProcNetSocket[] {
    const timer = this.o.timer ?? performance.now.bind(performance)
    const t0 = timer()
    const sockets: ProcNetSocket[] = []
    let found = 0
    for (const t of TABLES) {
      const file = `${this.o.procRoot}/${t.file}`
      let buf: Buffer | undefined
      try {
        buf = this.o.reader.read(file)
      } catch (err) {
        this.o.once(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
        continue
      }
      if (!buf) continue
      found++
      for (const s of parseProcNet(buf, t.protocol, t.family, this.o.procStats)) sockets.push(s)
    }
    if (found === 0) throw new PhiwallError('PW_ERR_AGENT_PROCFS', `No socket table could be read under ${this.o.procRoot}/net (the agent runs on Linux, with procfs mounted).`)
    this.stats.procfs++
    this.stats.lastProcfsMs = timer() - t0
    this.procfsMeasuredAt = this.o.clock.now()
    this.last = 'procfs'
    return sockets
  }

  /** The socket counts of /proc/net/sockstat and sockstat6, or undefined. */
  sockstat(): SockstatCounts | undefined {
    try {
      const v4 = this.o.reader.read(`${this.o.procRoot}/net/sockstat`)?.toString('latin1')
      if (v4 === undefined) return undefined
      const v6 = this.o.reader.read(`${this.o.procRoot}/net/sockstat6`)?.toString('latin1')
      return parseSockstat(v4, v6)
    } catch {
      return undefined
    }
  }

  private async wantSs(): Promise<boolean> {
    const { source } = this.o
    if (source === 'procfs') return false
    if (source === 'auto' && !(this.o.ssAllowed ?? this.o.procRoot === '/proc')) return false
    const now = this.o.clock.now()
    if (now < this.ssBlockedUntil) return false
    this.counts = this.sockstat()
    if (source === 'auto' && !autoPicksSs(this.counts, this.stats.lastProcfsMs, now - this.procfsMeasuredAt)) return false
    return this.usable()
  }

  /** Whether ss is iproute2 5.0 or later (asked once). */
  private usable(): Promise<boolean> {
    if (this.o.ssCommand) return Promise.resolve(true)
    this.ssUsable ??= runCollect(findSs(), ['-V'], 5000).then(
      (out) => {
        const v = ssVersion(out.toString('latin1'))
        if (v && v.major >= 5) return true
        this.o.once(`ss is not iproute2 5.0 or later (${out.toString('latin1').trim().slice(0, 80)}); reading /proc/net`)
        return false
      },
      (err: Error) => {
        this.o.once(`ss cannot be run (${err.message}); reading /proc/net`)
        return false
      },
    )
    return this.ssUsable
  }

  private async readSs(): Promise<ProcNetSocket[] | undefined> {
    const command = this.o.ssCommand?.command ?? findSs()
    const args = this.o.ssCommand?.args ?? ssArgs(this.counts)
    let out: Buffer
    try {
      this.runner ??= new CommandRunner(command)
      out = await this.runner.run(args)
    } catch (err) {
      return this.ssFailed((err as Error).message)
    }
    const stats: ProcNetStats = { lines: 0, skipped: 0, malformed: 0 }
    const sockets = parseSs(out, stats, this.ips)
    if (stats.lines > 0 && stats.malformed === stats.lines) return this.ssFailed(`output not understood: ${out.toString('latin1', 0, Math.min(out.length, 120)).split('\n')[0]}`)
    this.o.procStats.lines += stats.lines
    this.o.procStats.skipped += stats.skipped
    this.o.procStats.malformed += stats.malformed
    this.stats.ss++
    this.last = 'ss'
    return sockets
  }

  /** Stop the shell that runs ss, and wait until it is reaped. */
  async close(): Promise<void> {
    await this.runner?.close()
  }

  private ssFailed(why: string): undefined {
    this.stats.ssFailures++
    this.ssBlockedUntil = this.o.clock.now() + REMEASURE_MS
    this.o.once(`ss failed (${why}); reading /proc/net for the next ${REMEASURE_MS / 60_000} minutes`)
    return undefined
  }
}
