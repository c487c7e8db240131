/**
 * The socket tables through netlink `sock_diag`, by iproute2's `ss`. The kernel applies the state
 * filter while it walks its socket hash tables, so TIME_WAIT sockets (thousands on a host opening
 * many short connections) are skipped in the kernel rather than each printed as a line of
 * `/proc/net/tcp` and skipped by the agent.
 *
 * `ss -H -t -u -a -n -e state established state syn-sent state syn-recv state listening state closed`
 * prints, one line per socket (iproute2 5.x and 6.x):
 *
 *     tcp   LISTEN 0 128        127.0.0.1:25672      0.0.0.0:*     uid:106 ino:6968 sk:1 cgroup:/ <->
 *     tcp   ESTAB  0 0  [::ffff:127.0.0.1]:18443 [::ffff:127.0.0.1]:55972 ino:2234808 sk:30ed cgroup:/ <->
 *     tcp   LISTEN 0 16                 *:18443            *:*     ino:2234796 sk:30e9 cgroup:/ v6only:0 <->
 *     tcp   LISTEN 0 16      [fe80::1]%d0:22            [::]:*     ino:2234800 sk:30eb cgroup:/ v6only:1 <->
 *     udp   UNCONN 0 0      127.0.0.53%lo:53         0.0.0.0:*     ino:2234802 sk:30dd cgroup:/ <->
 *
 * Netid, state, receive and send queues, local and peer `address:port`, then the `-e` details:
 * `uid:` (left out when 0), `ino:` (0 for request sockets and sockets not yet accepted), `sk:`,
 * `cgroup:`… An address is IPv4, `[IPv6]`, or `*` (the IPv6 wildcard of a dual-stack socket); a
 * port is a number or `*` (0). `%name` after the address names the device the socket is bound
 * to. `UNCONN` is TCP_CLOSE: a bound, unconnected UDP socket.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { IpText } from './iptext.js'
import { TCP_STATE, type ProcNetSocket, type ProcNetStats, type SocketProtocol } from './procnet.js'

/** The states the agent reports, filtered by the kernel. `closed` is an unconnected UDP socket. */
export const SS_ARGS = ['-H', '-t', '-u', '-a', '-n', '-e', 'state', 'established', 'state', 'syn-sent', 'state', 'syn-recv', 'state', 'listening', 'state', 'closed']

const SPACE = 0x20
const TAB = 0x09
const NL = 0x0a
const COLON = 0x3a
const LBRACKET = 0x5b
const RBRACKET = 0x5d
const STAR = 0x2a
const PERCENT = 0x25

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
/** ss state names (misc/ss.c `sstate_name`) → kernel TCP state numbers. */
const STATES: { name: Uint8Array; state: number }[] = [
  ['ESTAB', TCP_STATE.ESTABLISHED],
  ['SYN-SENT', TCP_STATE.SYN_SENT],
  ['SYN-RECV', TCP_STATE.SYN_RECV],
  ['FIN-WAIT-1', TCP_STATE.FIN_WAIT1],
  ['FIN-WAIT-2', TCP_STATE.FIN_WAIT2],
  ['TIME-WAIT', TCP_STATE.TIME_WAIT],
  ['UNCONN', TCP_STATE.CLOSE],
  ['CLOSE-WAIT', TCP_STATE.CLOSE_WAIT],
  ['LAST-ACK', TCP_STATE.LAST_ACK],
  ['LISTEN', TCP_STATE.LISTEN],
  ['CLOSING', TCP_STATE.CLOSING],
].map(([name, state]) => ({ name: ascii(name as string), state: state as number }))
const W_TCP = ascii('tcp')
const W_UDP = ascii('udp')
const W_NETID = ascii('Netid')
const W_STATE = ascii('State')
const P_UID = ascii('uid:')
const P_INO = ascii('ino:')

function isSpace(c: number | undefined): boolean {
  return c === SPACE || c === TAB || c === 0x0d
}

function same(buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false
  return true
}

function startsWith(buf: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false
  return true
}

/** Decimal digits in [start, end) (at most 15), or -1. */
function decimal(buf: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1
  let v = 0
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

/** One `address:port` column. */
interface Endpoint {
  ip: string
  port: number
}

/**
 * `address[%device]:port` in [start, end): the port after the last colon (device names hold no
 * colon), the address in brackets or before `%`. `*` is the IPv6 wildcard (iproute2 prints the
 * IPv4 one as 0.0.0.0); a `*` port is 0. Returns false when the text is not an endpoint.
 */
function endpoint(buf: Uint8Array, start: number, end: number, ips: IpText, out: Endpoint): boolean {
  let colon = end - 1
  while (colon >= start && buf[colon] !== COLON) colon--
  if (colon <= start) return false
  let port: number
  if (colon + 2 === end && buf[colon + 1] === STAR) port = 0
  else {
    port = decimal(buf, colon + 1, end)
    if (port < 0 || port > 65535) return false
  }
  let a = start
  let b = colon
  if (buf[a] === LBRACKET) {
    let close = a + 1
    while (close < b && buf[close] !== RBRACKET) close++
    if (close >= b) return false
    // after `]` only a `%device` may come
    if (close + 1 < b && buf[close + 1] !== PERCENT) return false
    a++
    b = close
  } else {
    let pct = a
    while (pct < b && buf[pct] !== PERCENT) pct++
    b = pct
  }
  // a scope that ss left inside the brackets
  for (let i = a; i < b; i++) {
    if (buf[i] === PERCENT) {
      b = i
      break
    }
  }
  let ip: string | undefined
  if (b - a === 1 && buf[a] === STAR) ip = '::'
  else ip = ips.text(buf, a, b)
  if (ip === undefined) return false
  out.ip = ip
  out.port = port
  return true
}

/**
 * Parse `ss` output (the `SS_ARGS` command) into the sockets the agent reports, with the rules of
 * `parseProcNet`: TCP LISTEN is a listener, ESTABLISHED / SYN_SENT / SYN_RECV a connection, other
 * TCP states are skipped; a UDP socket bound to a port with no peer is a listener, with a peer a
 * connection. Never throws: lines without the expected columns are counted as malformed. A header
 * line (`Netid State …`, when `-H` is not honoured) is skipped without being counted.
 * Unlike `/proc/net/tcp`, ss gives request sockets (SYN_RECV, inode 0) uid 0, not their listener's.
 */
export function parseSs(buf: Uint8Array, stats?: ProcNetStats, ips: IpText = new IpText()): ProcNetSocket[] {
  const out: ProcNetSocket[] = []
  const local: Endpoint = { ip: '', port: 0 }
  const remote: Endpoint = { ip: '', port: 0 }
  const len = buf.length
  // token offsets of one line: netid, state, recv-q, send-q, local, peer
  const ts = new Int32Array(6)
  const te = new Int32Array(6)
  let pos = 0
  while (pos < len) {
    let end = buf.indexOf(NL, pos)
    if (end < 0) end = len
    const lineStart = pos
    pos = end + 1
    let p = lineStart
    let n = 0
    while (n < 6) {
      while (p < end && isSpace(buf[p])) p++
      if (p >= end) break
      ts[n] = p
      while (p < end && !isSpace(buf[p])) p++
      te[n] = p
      n++
    }
    if (n === 0) continue
    if (same(buf, ts[0]!, te[0]!, W_NETID) || same(buf, ts[0]!, te[0]!, W_STATE)) continue
    if (stats) stats.lines++
    if (n < 6) {
      if (stats) stats.malformed++
      continue
    }
    let protocol: SocketProtocol
    if (same(buf, ts[0]!, te[0]!, W_TCP)) protocol = 'tcp'
    else if (same(buf, ts[0]!, te[0]!, W_UDP)) protocol = 'udp'
    else {
      if (stats) stats.malformed++
      continue
    }
    let state = -1
    for (const s of STATES) {
      if (same(buf, ts[1]!, te[1]!, s.name)) {
        state = s.state
        break
      }
    }
    if (state < 0 || decimal(buf, ts[2]!, te[2]!) < 0 || decimal(buf, ts[3]!, te[3]!) < 0) {
      if (stats) stats.malformed++
      continue
    }
    let kind: 'listen' | 'connection' | undefined
    if (protocol === 'tcp') {
      if (state === TCP_STATE.LISTEN) kind = 'listen'
      else if (state === TCP_STATE.ESTABLISHED || state === TCP_STATE.SYN_SENT || state === TCP_STATE.SYN_RECV) kind = 'connection'
    } else if (state === TCP_STATE.CLOSE || state === TCP_STATE.ESTABLISHED) kind = 'connection'
    if (!endpoint(buf, ts[4]!, te[4]!, ips, local) || !endpoint(buf, ts[5]!, te[5]!, ips, remote)) {
      if (stats) stats.malformed++
      continue
    }
    // the details: the first uid: and ino: (uid is left out when 0)
    let uid = 0
    let inode = -1
    while (p < end && inode < 0) {
      while (p < end && isSpace(buf[p])) p++
      const t0 = p
      while (p < end && !isSpace(buf[p])) p++
      if (startsWith(buf, t0, p, P_UID)) uid = decimal(buf, t0 + 4, p)
      else if (startsWith(buf, t0, p, P_INO)) inode = decimal(buf, t0 + 4, p)
    }
    if (inode < 0 || uid < 0) {
      if (stats) stats.malformed++
      continue
    }
    if (kind === undefined) {
      if (stats) stats.skipped++
      continue
    }
    if (protocol === 'udp') {
      // a bound, unconnected UDP socket is a listener; port 0 is not bound at all
      if (local.port === 0) {
        if (stats) stats.skipped++
        continue
      }
      if (remote.port === 0 && (remote.ip === '0.0.0.0' || remote.ip === '::')) kind = 'listen'
    }
    out.push({ protocol, kind, state, localIp: local.ip, localPort: local.port, remoteIp: remote.ip, remotePort: remote.port, inode, uid })
  }
  return out
}

/** `ss -V`: `ss utility, iproute2-6.1.0` (or `iproute2-ss190107` and the like before 5.0). */
export function ssVersion(text: string): { major: number; minor: number } | undefined {
  const m = /iproute2-(\d+)\.(\d+)/.exec(text)
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined
}

/** Where iproute2 installs ss: the first of these that is executable, else `ss` on PATH. */
export function findSs(): string {
  for (const file of ['/usr/bin/ss', '/bin/ss', '/usr/sbin/ss', '/sbin/ss']) {
    try {
      fs.accessSync(file, fs.constants.X_OK)
      return file
    } catch {
      // not there
    }
  }
  return 'ss'
}

export class SsError extends Error {}

/** Run a command, collect its standard output; rejects on a spawn error, a non-zero exit or the timeout. */
export function runCollect(command: string, args: string[], timeoutMs = 10_000, maxBytes = 256 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let child
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (err) {
      reject(new SsError((err as NodeJS.ErrnoException).code ?? 'spawn failed'))
      return
    }
    const chunks: Buffer[] = []
    let bytes = 0
    let err = ''
    let failed: string | undefined
    const timer = setTimeout(() => {
      failed = `no answer in ${timeoutMs} ms`
      child.kill('SIGKILL')
    }, timeoutMs)
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length
      if (bytes > maxBytes) {
        failed = 'too much output'
        child.kill('SIGKILL')
      } else chunks.push(c)
    })
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 500) err += c.toString('utf8')
    })
    child.once('error', (e: NodeJS.ErrnoException) => {
      failed ??= e.code ?? e.message
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      if (failed === undefined && code !== 0) failed = `${signal ?? `exit code ${code}`}${err.trim() ? `: ${err.trim().split('\n')[0]!.slice(0, 200)}` : ''}`
      if (failed !== undefined) reject(new SsError(failed))
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    })
  })
}

/** Arguments a {@link CommandRunner} can pass through its shell: no whitespace, none empty. */
function passable(args: string[]): boolean {
  return args.every((a) => a.length > 0 && !/\s/.test(a))
}

interface PendingRun {
  args: string[]
  resolve: (out: Buffer) => void
  reject: (err: Error) => void
  chunks: Buffer[]
  bytes: number
  /** Where the search for the end marker resumes (bytes before it cannot hold the marker's start). */
  searchFrom: number
  timer: NodeJS.Timeout
}

/**
 * Runs one program again and again through a long-lived `sh` that forks it, instead of forking the
 * agent each time. A fork copies the page tables of the process that forks: about 3.5 ms of CPU in
 * a ~100 MB Node process, and the child pays again to tear them down at exec, against well under
 * a millisecond for a small shell (measured on the benchmark VM: 11.6 ms per `ss` run forked from
 * Node, 6.1 ms through the shell, the shell's own share included). The shell reads one line of
 * arguments per run from its standard input, runs the program with them (word-split, no
 * globbing: arguments hold no whitespace) and prints a marker with the exit status after the
 * output: `\n<nonce> <status>\n`, with a random nonce no output holds. It exits when the agent
 * closes its input or dies; its CPU, and that of the runs it reaped, reaches the agent's children
 * time when the agent reaps it (`close()`). Without `sh`, or for arguments the shell would split
 * differently, each run is a plain spawn (`runCollect`).
 */
export class CommandRunner {
  private child: ChildProcess | undefined
  private exited: Promise<void> | undefined
  private pending: PendingRun | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private noShell = false
  private stderr = ''
  private readonly marker = Buffer.from(`\nphiwall-run-${randomBytes(12).toString('hex')} `, 'latin1')

  constructor(
    private readonly command: string,
    private readonly opts: { timeoutMs?: number; maxBytes?: number; shell?: string } = {},
  ) {}

  /** The process id of the shell, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid
  }

  /** Run the program with `args`; resolves to its standard output, rejects as `runCollect` does. */
  run(args: string[]): Promise<Buffer> {
    const next = this.queue.then(() => this.runNow(args))
    this.queue = next.catch(() => undefined)
    return next
  }

  private runNow(args: string[]): Promise<Buffer> {
    const timeoutMs = this.opts.timeoutMs ?? 10_000
    if (this.noShell || !passable(args)) return runCollect(this.command, args, timeoutMs, this.opts.maxBytes)
    const child = this.child ?? this.startShell()
    if (!child) return runCollect(this.command, args, timeoutMs, this.opts.maxBytes)
    return new Promise<Buffer>((resolve, reject) => {
      this.stderr = ''
      const timer = setTimeout(() => this.fail(new SsError(`no answer in ${timeoutMs} ms`), true), timeoutMs)
      this.pending = { args, resolve, reject, chunks: [], bytes: 0, searchFrom: 0, timer }
      child.stdin!.write(`${args.join(' ')}\n`)
    })
  }

  private startShell(): ChildProcess | undefined {
    const script = `set -f; while IFS= read -r a; do "$0" $a </dev/null; printf '\\n%s %s\\n' "$1" "$?"; done`
    let child: ChildProcess
    try {
      child = spawn(this.opts.shell ?? '/bin/sh', ['-c', script, this.command, this.marker.toString('latin1', 1, this.marker.length - 1)], {
        stdio: ['pipe', 'pipe', 'pipe'],
        // its own process group: a run that does not answer is killed with the shell
        detached: true,
      })
    } catch {
      this.noShell = true
      return undefined
    }
    this.child = child
    this.exited = new Promise((resolve) => child.once('close', () => resolve()))
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (this.child === child) this.child = undefined
      if (err.code !== 'ENOENT' && err.code !== 'EACCES') {
        this.fail(new SsError(err.code ?? err.message), false)
        return
      }
      // no shell: this run and the next ones are plain spawns
      this.noShell = true
      const p = this.pending
      this.pending = undefined
      if (p) {
        clearTimeout(p.timer)
        runCollect(this.command, p.args, this.opts.timeoutMs ?? 10_000, this.opts.maxBytes).then(p.resolve, p.reject)
      }
    })
    child.once('exit', () => {
      // a shell killed for a run that did not answer has had its run failed already
      if (this.child !== child) return
      this.child = undefined
      this.fail(new SsError('the shell running it exited'), false)
    })
    child.stdout!.on('data', (c: Buffer) => this.onData(c))
    child.stderr!.on('data', (c: Buffer) => {
      if (this.stderr.length < 500) this.stderr += c.toString('utf8')
    })
    child.stdin!.on('error', () => undefined)
    // the shell never keeps the agent alive by itself: a pending run has its timer
    child.unref()
    for (const s of [child.stdin, child.stdout, child.stderr] as unknown as { unref?: () => void }[]) s.unref?.()
    return child
  }

  private onData(c: Buffer): void {
    const p = this.pending
    if (!p) return
    p.chunks.push(c)
    p.bytes += c.length
    if (p.bytes > (this.opts.maxBytes ?? 256 * 1024 * 1024)) {
      this.fail(new SsError('too much output'), true)
      return
    }
    // the marker may straddle chunks: search from where it could still start
    const data = p.chunks.length === 1 ? p.chunks[0]! : Buffer.concat(p.chunks, p.bytes)
    if (p.chunks.length > 1) p.chunks = [data]
    const at = data.indexOf(this.marker, p.searchFrom)
    if (at < 0) {
      p.searchFrom = Math.max(0, data.length - this.marker.length + 1)
      return
    }
    const nl = data.indexOf(0x0a, at + this.marker.length)
    if (nl < 0) {
      p.searchFrom = at
      return
    }
    const status = Number(data.toString('latin1', at + this.marker.length, nl))
    const out = data.subarray(0, at)
    clearTimeout(p.timer)
    this.pending = undefined
    if (status === 0) {
      p.resolve(out)
      return
    }
    // what the program said on stderr may come just after the marker on the other pipe
    setTimeout(() => {
      const err = this.stderr.trim()
      p.reject(new SsError(`exit code ${Number.isFinite(status) ? status : '?'}${err ? `: ${err.split('\n')[0]!.slice(0, 200)}` : ''}`))
    }, 20).unref()
  }

  /** Reject the pending run; `kill`: stop the shell and what it runs (the next run starts another). */
  private fail(err: Error, kill: boolean): void {
    const p = this.pending
    this.pending = undefined
    if (p) {
      clearTimeout(p.timer)
      p.reject(err)
    }
    if (kill && this.child) {
      const pid = this.child.pid
      this.child = undefined
      try {
        if (pid !== undefined) process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }

  /** Stop the shell and wait for it to be reaped (its CPU then counts in the agent's children time). */
  async close(): Promise<void> {
    const child = this.child
    const exited = this.exited
    this.child = undefined
    if (!child || !exited) return
    child.stdin!.end()
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }, 2000)
    await exited
    clearTimeout(timer)
  }
}
