/**
 * Short-lived connections from the kernel's connection tracking: `conntrack -E -e NEW -o
 * timestamp` prints one line per new connection, so connections opened and closed between two
 * polls of the socket tables are still seen. The kernel only reports events for connections it
 * tracks, which happens once connection tracking is active in the network namespace (a netfilter
 * rule or NAT that uses it: `ct state`, Docker's or kube-proxy's NAT, a stateful firewall).
 *
 * The cost is per event, on both sides: conntrack wakes up for each one, and the agent parses
 * each line. So conntrack is paced (kept stopped between short runs while events come; see
 * `ConntrackSourceOptions.paceMs`), its output is read from a FIFO in batches, and lines are
 * parsed in place from the bytes read (no string, split or regex per line; addresses interned).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { IpText } from './iptext.js'

export interface ConntrackEvent {
  /** Epoch ms of the kernel's timestamp (`-o timestamp`), when the line has one. */
  time?: number
  protocol: 'tcp' | 'udp'
  /** The original direction: the side that opened the connection. */
  src: string
  dst: string
  sport: number
  dport: number
  /** TCP state word (`SYN_SENT`), when printed. */
  state?: string
}

export type ConntrackParse =
  | { type: 'event'; event: ConntrackEvent }
  /** A well-formed line the agent does not report: `[UPDATE]` / `[DESTROY]`, or not TCP / UDP. */
  | { type: 'ignored'; reason: 'update' | 'destroy' | 'protocol' | 'empty' }
  | { type: 'malformed'; reason: string }

const WS = new Uint8Array(256)
// the bytes `\s` matches in latin1 text: \t \n \v \f \r, space, no-break space
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]) WS[c] = 1
const LBRACKET = 0x5b
const RBRACKET = 0x5d
const EQ = 0x3d

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && WS[buf[i]!] === 1) i++
  return i
}

function tokenEnd(buf: Uint8Array, i: number, end: number): number {
  while (i < end && WS[buf[i]!] !== 1) i++
  return i
}

function isDigits(buf: Uint8Array, start: number, end: number, max = Infinity): boolean {
  if (end <= start || end - start > max) return false
  for (let i = start; i < end; i++) {
    const c = buf[i]!
    if (c < 0x30 || c > 0x39) return false
  }
  return true
}

function decimalValue(buf: Uint8Array, start: number, end: number): number {
  let v = 0
  for (let i = start; i < end; i++) v = v * 10 + buf[i]! - 0x30
  return v
}

function tokenIs(buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false
  return true
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const W_NEW = ascii('[NEW]')
const W_UPDATE = ascii('[UPDATE]')
const W_DESTROY = ascii('[DESTROY]')
const W_IPV4 = ascii('ipv4')
const W_IPV6 = ascii('ipv6')
const W_TCP = ascii('tcp')
const W_UDP = ascii('udp')
const K_SRC = ascii('src')
const K_DST = ascii('dst')
const K_SPORT = ascii('sport')
const K_DPORT = ascii('dport')
/** conntrack's TCP state words, reused rather than sliced per line. */
const STATES = ['SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE', 'LISTEN', 'SYN_SENT2', 'NONE'].map((s) => ({ text: s, bytes: ascii(s) }))

/** What `scanConntrack` found; reused between lines. */
interface Scan {
  time: number
  protocol: 'tcp' | 'udp'
  src: string
  dst: string
  sport: number
  dport: number
  state: string | undefined
  reason: string
}

const R_EVENT = 0
const R_EMPTY = 1
const R_UPDATE = 2
const R_DESTROY = 3
const R_PROTOCOL = 4
const R_MALFORMED = 5

/**
 * One line of `conntrack -E` output in `buf[start, end)`, read in place: tokens are found by
 * their offsets, numbers decoded from the digits, addresses interned by `ips`. Returns one of
 * the R_* codes; an event's fields are left in `out` (`time` -1 when the line has none).
 */
function scanConntrack(buf: Uint8Array, start: number, end: number, out: Scan, ips: IpText): number {
  // the current token is [p, q)
  let p = skipWs(buf, start, end)
  let q = tokenEnd(buf, p, end)
  if (p >= end) return R_EMPTY
  out.time = -1
  // `[1796622915.536528]` (-o timestamp): seconds, and up to 9 fraction digits
  if (buf[p] === LBRACKET && buf[q - 1] === RBRACKET && q - p >= 3) {
    let dot = p + 1
    while (dot < q - 1 && buf[dot] !== 0x2e) dot++
    if (isDigits(buf, p + 1, dot, 12) && (dot === q - 1 || isDigits(buf, dot + 1, q - 1, 9))) {
      let ms = 0
      for (let i = 0, at = dot + 1; i < 3; i++, at++) ms = ms * 10 + (at < q - 1 ? buf[at]! - 0x30 : 0)
      out.time = decimalValue(buf, p + 1, dot) * 1000 + (dot === q - 1 ? 0 : ms)
      p = skipWs(buf, q, end)
      q = tokenEnd(buf, p, end)
    }
  }
  if (tokenIs(buf, p, q, W_UPDATE)) return R_UPDATE
  if (tokenIs(buf, p, q, W_DESTROY)) return R_DESTROY
  if (!tokenIs(buf, p, q, W_NEW)) {
    out.reason = 'no event type'
    return R_MALFORMED
  }
  p = skipWs(buf, q, end)
  q = tokenEnd(buf, p, end)
  // `-o extended`: the layer-3 name and number come first
  if (tokenIs(buf, p, q, W_IPV4) || tokenIs(buf, p, q, W_IPV6)) {
    const p2 = skipWs(buf, q, end)
    const q2 = tokenEnd(buf, p2, end)
    if (isDigits(buf, p2, q2)) {
      p = skipWs(buf, q2, end)
      q = tokenEnd(buf, p, end)
    }
  }
  const protoStart = p
  const protoEnd = q
  p = skipWs(buf, q, end)
  q = tokenEnd(buf, p, end)
  let protoOk = protoEnd > protoStart
  for (let i = protoStart; protoOk && i < protoEnd; i++) {
    const c = buf[i]!
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) protoOk = false
  }
  if (!protoOk || !isDigits(buf, p, q, 3)) {
    out.reason = 'no protocol'
    return R_MALFORMED
  }
  const tcp = tokenIs(buf, protoStart, protoEnd, W_TCP)
  if (!tcp && !tokenIs(buf, protoStart, protoEnd, W_UDP)) return R_PROTOCOL
  if (decimalValue(buf, p, q) !== (tcp ? 6 : 17)) {
    out.reason = 'protocol number does not match its name'
    return R_MALFORMED
  }
  out.protocol = tcp ? 'tcp' : 'udp'
  p = skipWs(buf, q, end)
  q = tokenEnd(buf, p, end)
  // the timeout, then a state word for TCP (UDP has none)
  if (isDigits(buf, p, q)) {
    p = skipWs(buf, q, end)
    q = tokenEnd(buf, p, end)
  }
  out.state = undefined
  if (q > p && buf[p]! >= 0x41 && buf[p]! <= 0x5a) {
    let word = true
    for (let i = p + 1; word && i < q; i++) {
      const c = buf[i]!
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) word = false
    }
    if (word) {
      let known: string | undefined
      for (const st of STATES) {
        if (tokenIs(buf, p, q, st.bytes)) {
          known = st.text
          break
        }
      }
      out.state = known ?? Buffer.from(buf.buffer, buf.byteOffset + p, q - p).toString('latin1')
      p = skipWs(buf, q, end)
      q = tokenEnd(buf, p, end)
    }
  }
  // the original tuple: the first src/dst/sport/dport, before the reply tuple repeats them
  let srcAt = -1
  let srcEnd = -1
  let dstAt = -1
  let dstEnd = -1
  let sportAt = -1
  let sportEnd = -1
  let dportAt = -1
  let dportEnd = -1
  let others: string[] | undefined
  for (; p < end; p = skipWs(buf, q, end), q = tokenEnd(buf, p, end)) {
    if (buf[p] === LBRACKET) {
      if (srcAt >= 0) break
      continue
    }
    let eq = p
    while (eq < q && buf[eq] !== EQ) eq++
    if (eq === q || eq === p) {
      out.reason = 'unexpected token'
      return R_MALFORMED
    }
    if (tokenIs(buf, p, eq, K_SRC)) {
      if (srcAt >= 0) break
      srcAt = eq + 1
      srcEnd = q
    } else if (tokenIs(buf, p, eq, K_DST)) {
      if (dstAt >= 0) break
      dstAt = eq + 1
      dstEnd = q
    } else if (tokenIs(buf, p, eq, K_SPORT)) {
      if (sportAt >= 0) break
      sportAt = eq + 1
      sportEnd = q
    } else if (tokenIs(buf, p, eq, K_DPORT)) {
      if (dportAt >= 0) break
      dportAt = eq + 1
      dportEnd = q
    } else {
      // any other key (zone=, mark=…) seen twice also means the reply tuple started
      const key = Buffer.from(buf.buffer, buf.byteOffset + p, eq - p).toString('latin1')
      if (others?.includes(key)) break
      ;(others ??= []).push(key)
    }
  }
  const src = srcAt >= 0 ? ips.text(buf, srcAt, srcEnd) : undefined
  const dst = dstAt >= 0 ? ips.text(buf, dstAt, dstEnd) : undefined
  if (src === undefined || dst === undefined) {
    out.reason = 'missing or invalid address'
    return R_MALFORMED
  }
  const sport = sportAt >= 0 && isDigits(buf, sportAt, sportEnd, 5) ? decimalValue(buf, sportAt, sportEnd) : -1
  const dport = dportAt >= 0 && isDigits(buf, dportAt, dportEnd, 5) ? decimalValue(buf, dportAt, dportEnd) : -1
  if (sport < 0 || dport < 0 || sport > 65535 || dport > 65535) {
    out.reason = 'missing or invalid port'
    return R_MALFORMED
  }
  out.src = src
  out.dst = dst
  out.sport = sport
  out.dport = dport
  return R_EVENT
}

function newScan(): Scan {
  return { time: -1, protocol: 'tcp', src: '', dst: '', sport: 0, dport: 0, state: undefined, reason: '' }
}

function eventOf(s: Scan): ConntrackEvent {
  const event: ConntrackEvent = { protocol: s.protocol, src: s.src, dst: s.dst, sport: s.sport, dport: s.dport }
  if (s.time >= 0) event.time = s.time
  if (s.state !== undefined) event.state = s.state
  return event
}

const lineScan = newScan()
const lineIps = new IpText()

/**
 * Parse one line of `conntrack -E` output (with or without `-o timestamp` / `-o extended`).
 * Never throws. (`ConntrackSource` runs the same parser on the bytes it reads, without making
 * a string of each line.)
 */
export function parseConntrackLine(line: string): ConntrackParse {
  const buf = Buffer.from(line, 'latin1')
  const r = scanConntrack(buf, 0, buf.length, lineScan, lineIps)
  switch (r) {
    case R_EVENT:
      return { type: 'event', event: eventOf(lineScan) }
    case R_EMPTY:
      return { type: 'ignored', reason: 'empty' }
    case R_UPDATE:
      return { type: 'ignored', reason: 'update' }
    case R_DESTROY:
      return { type: 'ignored', reason: 'destroy' }
    case R_PROTOCOL:
      return { type: 'ignored', reason: 'protocol' }
    default:
      return { type: 'malformed', reason: lineScan.reason }
  }
}

export interface ConntrackStats {
  /** NEW tcp / udp events. */
  events: number
  /** Well-formed lines not reported (updates, destroys, other protocols). */
  ignored: number
  malformed: number
  /** Times conntrack said it lost events (netlink buffer overrun, ENOBUFS). */
  overruns: number
  status: 'off' | 'starting' | 'running' | 'missing' | 'exited' | 'stopped'
  /** conntrack runs paced (see `ConntrackSourceOptions.paceMs`). */
  paced?: boolean
}

export interface ConntrackSourceOptions {
  /** Program and arguments; default `conntrack -E -e NEW -o timestamp -b 4194304`. */
  command?: string
  args?: string[]
  onEvent: (event: ConntrackEvent) => void
  /** One line to stderr (already prefixed by the caller's convention). */
  log: (line: string) => void
  /**
   * How conntrack's output is read. conntrack flushes every event, so a pipe read as data
   * arrives wakes the agent once per connection (about 50 µs each); `fifo` (the default when
   * `mkfifo` works) points conntrack's output at a private named pipe that is read every
   * `readIntervalMs`, a batch of events per wakeup. `pipe` reads the child's stdout stream.
   */
  transport?: 'fifo' | 'pipe'
  /** FIFO transport, unpaced: how often the pipe is read (default 100 ms; sooner while it comes back full). */
  readIntervalMs?: number
  /**
   * FIFO transport: pace conntrack. conntrack wakes up once per event (a netlink read, a line, a
   * write): about 15–20 µs of CPU per connection on a VM. Paced, while events come, it is kept
   * stopped (SIGSTOP) and let run (SIGCONT) for `paceRunMs` once per cycle: the events meanwhile
   * wait in its netlink socket and are handled in one go, and the FIFO is read once per cycle.
   * A run ends only once conntrack is asleep again (done with what waited), checked in
   * `/proc/<pid>/stat`: on a busy host it may get the CPU late.
   * The pause is at most `paceMs` (default 200; 0 turns pacing off) and shrinks with the event
   * rate so that about 110 events wait at most: conntrack 1.4.7's `-b` does not reach its event
   * socket, which keeps `net.core.rmem_default` (212,992 bytes). A NEW event took 640 bytes of it
   * in one measurement (330 fill it) and 1,280 in a later one on the same VM (166 fill it), so the
   * budget leaves between two thirds and one third of the socket free at the end of a pause; no
   * run at 1,000 events/s has overrun. A cycle without events leaves conntrack running (it sleeps until
   * one comes, and a burst is then read at its pace) and reads the FIFO every `paceMs`; so does a
   * rate too high to pause for (above about 5,000 events/s) or a FIFO (64 KB) found nearly full,
   * read again after `readIntervalMs` or at once. An overrun warning halves the budget.
   * Pacing needs `setpriv` (util-linux) to give conntrack a parent-death signal, so that a
   * stopped conntrack cannot outlive an agent killed with SIGKILL; without it conntrack runs
   * unpaced. conntrack's `-o timestamp` is the time it prints an event: paced, up to a pause late.
   */
  paceMs?: number
  /** How long conntrack runs per pace cycle (default 5 ms). */
  paceRunMs?: number

  /** The `setpriv` program; default the first of /usr/bin, /bin, /usr/sbin, /sbin that has it; null: none (unpaced). */
  setpriv?: string | null
}

export const DEFAULT_CONNTRACK_ARGS = ['-E', '-e', 'NEW', '-o', 'timestamp', '-b', '4194304']

const NL = 0x0a
const MAX_LINE = 64 * 1024
/** A paced cycle that read this much found conntrack likely blocked on a full FIFO (64 KB on Linux): run it again at once. */
const CATCH_UP_BYTES = 60 * 1024
/**
 * Netlink memory one NEW event takes in conntrack's socket, as the budget counts it (measured:
 * 212,480 bytes held 332 events; a later measurement on the same VM found 1,280 bytes, 166
 * events, so the budget's "a third" is up to two thirds of the socket).
 */
const EVENT_TRUESIZE = 640
/** The scheduler state of a process (`R` running or runnable, `S` asleep, `T` stopped…), or undefined. */
function processState(pid: number | undefined): string | undefined {
  if (pid === undefined) return undefined
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
    return text.charAt(text.lastIndexOf(')') + 2)
  } catch {
    return undefined
  }
}

/** Run slices a still-busy conntrack is given before it is let run freely. */
const MAX_EXTENSIONS = 20

/** A pause shorter than this is not worth two wakeups: run unpaced. */
const MIN_PAUSE_MS = 20

/** Events that may wait in conntrack's event socket during a pause: a third (at 640 bytes an event) of what `net.core.rmem_default` holds. */
function paceBudget(): number {
  let rmem = 212_992
  try {
    const v = Number(fs.readFileSync('/proc/sys/net/core/rmem_default', 'latin1').trim())
    if (Number.isFinite(v) && v > 0) rmem = v
  } catch {
    // not Linux, or no /proc/sys: the kernel default
  }
  return Math.max(16, Math.floor(rmem / EVENT_TRUESIZE / 3))
}

interface Fifo {
  dir: string
  fd: number
  buf: Buffer
  timer?: NodeJS.Timeout
  eof: boolean
}

/** A private named pipe: read end open non-blocking, write end (blocking) for the child. */
function openFifo(): { fifo: Fifo; writeFd: number } | undefined {
  let dir: string | undefined
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-conntrack-'))
    const file = path.join(dir, 'events')
    const r = spawnSync('mkfifo', ['-m', '600', file], { stdio: 'ignore' })
    if (r.status !== 0) throw new Error('mkfifo failed')
    // the read end first, so that opening the write end does not wait for a reader
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
    const writeFd = fs.openSync(file, fs.constants.O_WRONLY)
    return { fifo: { dir, fd, buf: Buffer.allocUnsafe(64 * 1024), eof: false }, writeFd }
  } catch {
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
    return undefined
  }
}

let setprivFound: string | null | undefined

/** The setpriv program, looked for once. */
function findSetpriv(): string | null {
  if (setprivFound === undefined) {
    setprivFound = null
    for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
      try {
        fs.accessSync(`${dir}/setpriv`, fs.constants.X_OK)
        setprivFound = `${dir}/setpriv`
        break
      } catch {
        // not there
      }
    }
  }
  return setprivFound
}

/** `command` as execvp would find it on PATH: its path, or the error spawning it would give. */
function resolveCommand(command: string): { file: string } | { code: string } {
  const candidates = command.includes('/') ? [command] : (process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((d) => path.join(d || '.', command))
  let code = 'ENOENT'
  for (const file of candidates) {
    try {
      if (!fs.statSync(file).isFile()) continue
      fs.accessSync(file, fs.constants.X_OK)
      return { file }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EACCES') code = 'EACCES'
    }
  }
  return { code }
}

const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A running `conntrack -E` child: lines in, events out, counted; its end is said once. */
export class ConntrackSource {
  readonly stats: ConntrackStats = { events: 0, ignored: 0, malformed: 0, overruns: 0, status: 'off' }
  /** The transport in use once started. */
  transport: 'fifo' | 'pipe' | undefined
  private child: ChildProcess | undefined
  private stopping = false
  private exited: Promise<void> = Promise.resolve()
  private readonly stderrTail: string[] = []
  private pending: Buffer | undefined
  private fifo: Fifo | undefined
  private readonly scan = newScan()
  private readonly ips = new IpText()
  /** Paced: conntrack runs freely (no events to batch), is stopped, or runs its slice of a cycle. */
  private phase: 'free' | 'stopped' | 'run' = 'free'
  /** Paced: events that may wait in conntrack's socket during a pause. */
  private budget = 0
  /** Paced: run slices added to this cycle's because conntrack was still busy. */
  private extensions = 0
  /** Paced: lines read since `cycleStart`. */
  private cycleLines = 0
  private cycleStart = 0

  constructor(private readonly opts: ConntrackSourceOptions) {}

  /** The child's pid while it runs. */
  get pid(): number | undefined {
    return this.child?.pid
  }

  private missing(code: string): void {
    this.stats.status = code === 'ENOENT' ? 'missing' : 'exited'
    this.opts.log(
      code === 'ENOENT'
        ? `conntrack not found (install the conntrack package); continuing with procfs polling alone`
        : `conntrack could not be started (${code}); continuing with procfs polling alone`,
    )
  }

  /** Spawn conntrack. A missing binary or an early exit is logged once; the agent goes on without it. */
  start(): void {
    let command = this.opts.command ?? 'conntrack'
    let args = this.opts.args ?? DEFAULT_CONNTRACK_ARGS
    this.stats.status = 'starting'
    const opened = this.opts.transport === 'pipe' ? undefined : openFifo()
    this.transport = opened ? 'fifo' : 'pipe'
    const paceMs = this.opts.paceMs ?? 200
    const setpriv = this.opts.setpriv === undefined ? findSetpriv() : this.opts.setpriv
    const paced = opened !== undefined && paceMs > 0 && setpriv !== null
    if (paced) {
      // setpriv sets the parent-death signal and execs conntrack (same pid): find conntrack first,
      // so that a missing one is told as such rather than as setpriv's exit code
      const found = resolveCommand(command)
      if (!('file' in found)) {
        fs.closeSync(opened.writeFd)
        this.closeFifo(opened.fifo)
        this.missing(found.code)
        return
      }
      args = ['--pdeathsig', 'KILL', '--', found.file, ...args]
      command = setpriv
    }
    this.stats.paced = paced
    let child: ChildProcess
    try {
      // its own process group: a Ctrl-C at the terminal reaches the agent, which then stops conntrack itself
      child = spawn(command, args, { stdio: ['ignore', opened ? opened.writeFd : 'pipe', 'pipe'], detached: true })
    } catch (err) {
      if (opened) {
        fs.closeSync(opened.writeFd)
        this.closeFifo(opened.fifo)
      }
      this.stats.status = 'missing'
      this.opts.log(`conntrack could not be started (${(err as NodeJS.ErrnoException).code ?? 'error'}); continuing with procfs polling alone`)
      return
    }
    this.child = child
    // the child holds its own copy of the write end; when it exits the reader sees end-of-file
    if (opened) {
      fs.closeSync(opened.writeFd)
      this.fifo = opened.fifo
      if (paced) {
        this.budget = paceBudget()
        this.cycleStart = performance.now()
        // it runs freely at first: the first look, after `paceMs`, stops it if events come
        this.schedulePace(paceMs)
      } else this.scheduleRead(this.opts.readIntervalMs ?? 100)
    }
    // if the agent exits without stop() (an uncaught error), neither conntrack nor the FIFO outlives it
    const killOnExit = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      if (this.fifo) this.closeFifo(this.fifo)
    }
    process.once('exit', killOnExit)
    this.exited = new Promise<void>((resolve) => {
      let done = false
      const finish = (): void => {
        if (done) return
        done = true
        process.removeListener('exit', killOnExit)
        if (this.fifo) {
          this.drainFifo()
          this.closeFifo(this.fifo)
          this.fifo = undefined
        }
        if (this.pending) this.lineAt(this.pending, 0, this.pending.length)
        this.pending = undefined
        resolve()
      }
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (this.stats.status === 'starting' || this.stats.status === 'running') this.missing(err.code ?? 'error')
        finish()
      })
      child.once('close', (code, signal) => {
        if (!this.stopping && (this.stats.status === 'starting' || this.stats.status === 'running')) {
          this.stats.status = 'exited'
          const why = this.stderrTail.find((l) => !/^NOTICE|flow events have been shown/.test(l))
          this.opts.log(`conntrack exited (${signal ?? `code ${code}`}${why ? `: ${why.slice(0, 200)}` : ''}); continuing with procfs polling alone`)
        } else if (this.stopping) this.stats.status = 'stopped'
        finish()
      })
    })
    child.once('spawn', () => {
      if (this.stats.status === 'starting') this.stats.status = 'running'
    })
    if (!opened) child.stdout!.on('data', (chunk: Buffer) => this.feed(chunk))
    let errPending = ''
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => {
      const lines = (errPending + chunk).split('\n')
      errPending = lines.pop() ?? ''
      if (errPending.length > 4096) errPending = ''
      for (const l of lines) {
        if (/ENOBUFS|losing events/i.test(l)) {
          this.stats.overruns++
          if (this.budget > 16) this.budget = Math.max(16, this.budget >> 1)
        }
        if (l.trim() && this.stderrTail.length < 20) this.stderrTail.push(l.trim())
      }
    })
  }

  private scheduleRead(ms: number): void {
    const fifo = this.fifo
    if (!fifo) return
    fifo.timer = setTimeout(() => {
      const full = this.drainFifo() >= fifo.buf.length
      if (!fifo.eof) this.scheduleRead(full ? 5 : (this.opts.readIntervalMs ?? 100))
    }, ms)
  }

  /**
   * One pace step. At the end of a pause: let conntrack run for `paceRunMs`. At the end of a run,
   * or of `paceMs` running freely: read the FIFO, and pause conntrack for as long as the event
   * rate allows; with no events, too many for a pause, or a nearly full FIFO, let it run freely
   * and look again after `paceMs`, `readIntervalMs` or `paceRunMs`.
   */
  private schedulePace(ms: number): void {
    const fifo = this.fifo
    const child = this.child
    if (!fifo || !child) return
    fifo.timer = setTimeout(() => {
      if (this.stopping || fifo.eof) return
      const paceMs = this.opts.paceMs ?? 200
      const runMs = Math.min(this.opts.paceRunMs ?? 5, paceMs)
      if (this.phase === 'stopped') {
        child.kill('SIGCONT')
        this.phase = 'run'
        this.schedulePace(runMs)
        return
      }
      // still busy after MAX_EXTENSIONS runs: let it run freely this cycle
      let busy = false
      if (this.phase === 'run') {
        // still working through what waited (it did not get the CPU soon enough on a busy host):
        // stopping it now would leave a backlog that the next pause adds to
        if (processState(child.pid) === 'R') {
          if (this.extensions < MAX_EXTENSIONS) {
            this.extensions++
            this.schedulePace(runMs)
            return
          }
          busy = true
          this.phase = 'free'
        } else {
          child.kill('SIGSTOP')
          this.phase = 'stopped'
        }
        this.extensions = 0
      }
      const bytes = this.drainFifo()
      if (fifo.eof) return
      const now = performance.now()
      const rate = this.cycleLines / Math.max(1, now - this.cycleStart)
      this.cycleLines = 0
      this.cycleStart = now
      const pause = rate > 0 ? Math.min(paceMs - runMs, this.budget / rate) : 0
      if (busy || bytes >= CATCH_UP_BYTES || pause < MIN_PAUSE_MS) {
        if (this.phase === 'stopped') child.kill('SIGCONT')
        this.phase = 'free'
        this.schedulePace(bytes >= CATCH_UP_BYTES ? runMs : rate > 0 ? (this.opts.readIntervalMs ?? 100) : paceMs)
      } else {
        if (this.phase === 'free') child.kill('SIGSTOP')
        this.phase = 'stopped'
        this.schedulePace(pause)
      }
    }, ms)
  }

  /** Read what the FIFO holds; returns the number of bytes read. */
  private drainFifo(): number {
    const fifo = this.fifo
    if (!fifo || fifo.eof) return 0
    let total = 0
    for (let i = 0; i < 64; i++) {
      let n: number
      try {
        n = fs.readSync(fifo.fd, fifo.buf, 0, fifo.buf.length, null)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') fifo.eof = true
        return total
      }
      if (n === 0) {
        fifo.eof = true
        return total
      }
      total += n
      this.feed(fifo.buf.subarray(0, n))
      if (n < fifo.buf.length) return total
    }
    return total
  }

  private closeFifo(fifo: Fifo): void {
    if (fifo.timer) clearTimeout(fifo.timer)
    try {
      fs.closeSync(fifo.fd)
    } catch {
      // already closed
    }
    fs.rmSync(fifo.dir, { recursive: true, force: true })
  }

  /** Parse whole lines in place; a partial last line waits for the next chunk. */
  private feed(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk
    let start = 0
    for (let nl = buf.indexOf(NL, start); nl >= 0; nl = buf.indexOf(NL, start)) {
      this.lineAt(buf, start, nl)
      start = nl + 1
    }
    // copied: the FIFO read buffer is reused
    this.pending = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined
    if (this.pending && this.pending.length > MAX_LINE) {
      // no line is this long: count it once and resynchronise at the next newline
      this.stats.malformed++
      this.pending = undefined
    }
  }

  private lineAt(buf: Buffer, start: number, end: number): void {
    this.cycleLines++
    const r = scanConntrack(buf, start, end, this.scan, this.ips)
    if (r === R_EVENT) {
      this.stats.events++
      this.opts.onEvent(eventOf(this.scan))
    } else if (r === R_MALFORMED) this.stats.malformed++
    else if (r !== R_EMPTY) this.stats.ignored++
  }

  /** Stop conntrack and wait for it to exit (its CPU time is then accounted to this process). */
  async stop(): Promise<void> {
    this.stopping = true
    const child = this.child
    if (this.fifo?.timer) clearTimeout(this.fifo.timer)
    if (child && child.exitCode === null && child.signalCode === null) {
      if (this.phase === 'stopped') {
        // paced and stopped: let it print what waits in its socket before it is told to exit
        child.kill('SIGCONT')
        this.phase = 'run'
        await sleepMs(Math.max(20, 2 * (this.opts.paceRunMs ?? 5)))
      }
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 2000)
      await this.exited
      clearTimeout(t)
    } else await this.exited
    if (this.stats.status === 'running' || this.stats.status === 'starting') this.stats.status = 'stopped'
  }
}
