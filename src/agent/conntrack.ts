/**
 * Short-lived connections from the kernel's connection tracking: `conntrack -E -e NEW -o
 * timestamp` prints one line per new connection, so connections opened and closed between two
 * procfs polls are still seen. The kernel only reports events for connections it tracks, which
 * happens once connection tracking is active in the network namespace (a netfilter rule or NAT
 * that uses it: `ct state`, Docker's or kube-proxy's NAT, a stateful firewall).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { canonicalIp } from './addresses.js'

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

function port(text: string | undefined): number {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return -1
  const n = Number(text)
  return n <= 65535 ? n : -1
}

/**
 * Parse one line of `conntrack -E` output (with or without `-o timestamp` / `-o extended`).
 * Never throws.
 */
export function parseConntrackLine(line: string): ConntrackParse {
  const tokens = line.trim().split(/\s+/)
  if (tokens.length === 1 && tokens[0] === '') return { type: 'ignored', reason: 'empty' }
  let i = 0
  let time: number | undefined
  const ts = /^\[(\d{1,12})(?:\.(\d{1,9}))?\]$/.exec(tokens[0]!)
  if (ts) {
    time = Number(ts[1]) * 1000 + (ts[2] ? Math.floor(Number(`0.${ts[2]}`) * 1000) : 0)
    i++
  }
  const ev = tokens[i++]
  if (ev === '[UPDATE]') return { type: 'ignored', reason: 'update' }
  if (ev === '[DESTROY]') return { type: 'ignored', reason: 'destroy' }
  if (ev !== '[NEW]') return { type: 'malformed', reason: 'no event type' }
  // `-o extended`: the layer-3 name and number come first
  if ((tokens[i] === 'ipv4' || tokens[i] === 'ipv6') && /^\d+$/.test(tokens[i + 1] ?? '')) i += 2
  const proto = tokens[i++]
  const protoNum = tokens[i++]
  if (proto === undefined || !/^[a-z0-9-]+$/.test(proto) || protoNum === undefined || !/^\d{1,3}$/.test(protoNum)) return { type: 'malformed', reason: 'no protocol' }
  if (proto !== 'tcp' && proto !== 'udp') return { type: 'ignored', reason: 'protocol' }
  if ((proto === 'tcp' && protoNum !== '6') || (proto === 'udp' && protoNum !== '17')) return { type: 'malformed', reason: 'protocol number does not match its name' }
  // the timeout, then a state word for TCP (UDP has none)
  if (/^\d+$/.test(tokens[i] ?? '')) i++
  let state: string | undefined
  if (tokens[i] !== undefined && /^[A-Z][A-Z_0-9]*$/.test(tokens[i]!)) state = tokens[i++]
  // the original tuple: the first src/dst/sport/dport, before the reply tuple repeats them
  const tuple: Record<string, string> = {}
  for (; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.startsWith('[')) {
      if (tuple['src'] !== undefined) break
      continue
    }
    const eq = t.indexOf('=')
    if (eq <= 0) return { type: 'malformed', reason: 'unexpected token' }
    const k = t.slice(0, eq)
    if (k in tuple) break // the reply tuple starts
    tuple[k] = t.slice(eq + 1)
  }
  const src = canonicalIp(tuple['src'] ?? '')
  const dst = canonicalIp(tuple['dst'] ?? '')
  const sport = port(tuple['sport'])
  const dport = port(tuple['dport'])
  if (src === undefined || dst === undefined) return { type: 'malformed', reason: 'missing or invalid address' }
  if (sport < 0 || dport < 0) return { type: 'malformed', reason: 'missing or invalid port' }
  const event: ConntrackEvent = { protocol: proto, src, dst, sport, dport }
  if (time !== undefined) event.time = time
  if (state !== undefined) event.state = state
  return { type: 'event', event }
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
  /** FIFO transport: how often the pipe is read (default 100 ms; sooner while it comes back full). */
  readIntervalMs?: number
}

export const DEFAULT_CONNTRACK_ARGS = ['-E', '-e', 'NEW', '-o', 'timestamp', '-b', '4194304']

const NL = 0x0a
const MAX_LINE = 64 * 1024

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

  constructor(private readonly opts: ConntrackSourceOptions) {}

  /** Spawn conntrack. A missing binary or an early exit is logged once; the agent goes on without it. */
  start(): void {
    const command = this.opts.command ?? 'conntrack'
    const args = this.opts.args ?? DEFAULT_CONNTRACK_ARGS
    this.stats.status = 'starting'
    const opened = this.opts.transport === 'pipe' ? undefined : openFifo()
    this.transport = opened ? 'fifo' : 'pipe'
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
    // the child holds its own copy of the write end; when it exits the reader sees end-of-file
    if (opened) {
      fs.closeSync(opened.writeFd)
      this.fifo = opened.fifo
      this.scheduleRead(this.opts.readIntervalMs ?? 100)
    }
    this.child = child
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
        if (this.pending) this.line(this.pending.toString('latin1'))
        this.pending = undefined
        resolve()
      }
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (this.stats.status === 'starting' || this.stats.status === 'running') {
          this.stats.status = err.code === 'ENOENT' ? 'missing' : 'exited'
          this.opts.log(
            err.code === 'ENOENT'
              ? `conntrack not found (install the conntrack package); continuing with procfs polling alone`
              : `conntrack could not be started (${err.code ?? 'error'}); continuing with procfs polling alone`,
          )
        }
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
        if (/ENOBUFS|losing events/i.test(l)) this.stats.overruns++
        if (l.trim() && this.stderrTail.length < 20) this.stderrTail.push(l.trim())
      }
    })
  }

  private scheduleRead(ms: number): void {
    const fifo = this.fifo
    if (!fifo) return
    fifo.timer = setTimeout(() => {
      const full = this.drainFifo()
      if (!fifo.eof) this.scheduleRead(full ? 5 : (this.opts.readIntervalMs ?? 100))
    }, ms)
  }

  /** Read what the FIFO holds. Returns true when a read came back full (more is likely waiting). */
  private drainFifo(): boolean {
    const fifo = this.fifo
    if (!fifo || fifo.eof) return false
    let full = false
    for (let i = 0; i < 64; i++) {
      let n: number
      try {
        n = fs.readSync(fifo.fd, fifo.buf, 0, fifo.buf.length, null)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return full
        fifo.eof = true
        return false
      }
      if (n === 0) {
        fifo.eof = true
        return false
      }
      this.feed(fifo.buf.subarray(0, n))
      full = n === fifo.buf.length
      if (!full) return false
    }
    return full
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

  /** Split bytes into lines; a partial last line waits for the next chunk. */
  private feed(chunk: Buffer): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk
    let start = 0
    for (let nl = buf.indexOf(NL, start); nl >= 0; nl = buf.indexOf(NL, start)) {
      this.line(buf.toString('latin1', start, nl))
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

  private line(line: string): void {
    const r = parseConntrackLine(line)
    if (r.type === 'event') {
      this.stats.events++
      this.opts.onEvent(r.event)
    } else if (r.type === 'malformed') this.stats.malformed++
    else if (r.reason !== 'empty') this.stats.ignored++
  }

  /** Stop conntrack and wait for it to exit (its CPU time is then accounted to this process). */
  async stop(): Promise<void> {
    this.stopping = true
    const child = this.child
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 2000)
      await this.exited
      clearTimeout(t)
    } else await this.exited
    if (this.stats.status === 'running' || this.stats.status === 'starting') this.stats.status = 'stopped'
  }
}
