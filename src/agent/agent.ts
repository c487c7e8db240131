/**
 * The host agent: polls the socket tables (netlink through `ss`, or procfs; see sockets.ts), maps
 * sockets to processes, folds conntrack events in, aggregates sightings per flush window and
 * hands records to the sinks.
 * `runAgent` runs it until a duration, a signal or a single poll (`once`).
 */
import os from 'node:os'
import { PhiwallError } from '../model/index.js'
import type { AgentRecord } from '../flows/index.js'
import { hostAddresses, isLocalIp, localAddressSet, type InterfaceTable } from './addresses.js'
import { Aggregator, type RecordProcess, type WindowRecord } from './aggregate.js'
import { ConntrackSource, DEFAULT_CONNTRACK_ARGS, type ConntrackEvent, type ConntrackStats } from './conntrack.js'
import type { ProcNetSocket, ProcNetStats, SocketProtocol } from './procnet.js'
import {
  ProcFileReader,
  ProcessIdentities,
  SocketOwners,
  systemClock,
  type Clock,
  type ProcessIdentity,
  type ProcessIdentityStats,
  type SocketOwnerStats,
} from './processes.js'
import { HttpSink, NdjsonSink, SinkOpenError, Spool, type HttpSinkStats, type RecordSink, type SpoolStats } from './sinks.js'
import { SocketTables, type SocketSource, type SocketTableStats } from './sockets.js'

/**
 * Error codes the agent raises. The catalog has no agent-specific codes yet; these are the
 * closest existing ones (see the report for the proposed PW_ERR_AGENT_* codes).
 */
const CODES = {
  procfs: 'PW_ERR_AGENT_PROCFS',
  token: 'PW_ERR_AGENT_TOKEN',
  server: 'PW_ERR_AGENT_SERVER',
  usage: 'PW_ERR_USAGE',
  output: 'PW_ERR_OUTPUT_UNWRITABLE',
} as const

export interface AgentOptions {
  /** NDJSON output file (appended, created 0600), or `-` for standard output. */
  out?: string
  /** PhiWall server base URL; batches are posted to `<server>/api/v1/ingest/agent`. */
  server?: string
  /** Bearer token for the server; default the `PHIWALL_AGENT_TOKEN` environment variable. */
  token?: string
  /** Socket-table poll interval in ms (default 2000). */
  intervalMs?: number
  /** Flush interval in ms (default 10000). */
  flushMs?: number
  /** Read conntrack events (default true). */
  conntrack?: boolean
  /** Stop after this many seconds. */
  durationS?: number
  /** One poll, one flush, exit. */
  once?: boolean
  /** Host name on every record (default `os.hostname()`). */
  host?: string
  /** procfs root (default `/proc`). */
  procRoot?: string
  /** Keep unsent batches here across restarts. */
  spoolDir?: string
  /** Spool bound in MB (default 64). */
  spoolMaxMb?: number
  /** Stop (flush and return) when aborted: the CLI wires SIGINT / SIGTERM to it. */
  signal?: AbortSignal

  // injection points (tests, embedding)
  clock?: Clock
  /** passwd file for uid → user (default `/etc/passwd`). */
  passwdFile?: string
  networkInterfaces?: () => InterfaceTable
  /** Replace the sinks built from `out` / `server`. */
  sinks?: RecordSink[]
  /** The conntrack program and arguments (default `conntrack -E -e NEW -o timestamp -b 4194304`). */
  conntrackCommand?: { command: string; args: string[] }
  /** conntrack pace cycle in ms (default 200; 0: unpaced). See `ConntrackSourceOptions.paceMs`. */
  conntrackPaceMs?: number
  /**
   * Where the socket tables are read from: `auto` (default; see sockets.ts for the rule), `ss`
   * (iproute2's ss, netlink sock_diag, falling back to procfs when it fails) or `procfs`.
   */
  socketTables?: SocketSource
  /** The ss program and arguments (default iproute2's ss with `SS_ARGS`). */
  ssCommand?: { command: string; args?: string[] }
  /** Where the agent's own messages go (default standard error, prefixed `phiwall agent: `). */
  log?: (line: string) => void
  /** First retry delay of the server sink in ms (default 1000). */
  retryBaseMs?: number
  /** Read every process's fd table at most this often when sockets are unmapped (default 30000). */
  fullScanIntervalMs?: number
  stdout?: NodeJS.WritableStream
}

export interface AgentSummary {
  polls: number
  flushes: number
  /** Records handed to the sinks. */
  records: number
  /** Sockets reported by the last poll. */
  sockets: number
  /** Socket-table lines read (/proc/net or ss), skipped and malformed. */
  procfs: ProcNetStats
  /** Polls per method. */
  tables: SocketTableStats
  owners: SocketOwnerStats
  identities: ProcessIdentityStats
  conntrack: ConntrackStats & {
    /** conntrack events reported (outbound and inbound sides counted apart). */
    sightings: number
    /** Events between two hosts neither of which is this one (routed or NATed traffic): not reported. */
    forwarded: number
    /** Events dropped because too many were waiting between two polls. */
    dropped: number
  }
  /** Sightings dropped because a flush window held too many distinct records. */
  aggregateDropped: number
  http?: HttpSinkStats & { spool: SpoolStats & { pending: number } }
}

export interface AgentConfig {
  host: string
  procRoot: string
  intervalMs: number
  flushMs: number
  clock: Clock
  passwdFile: string
  networkInterfaces: () => InterfaceTable
  log: (line: string) => void
  fullScanIntervalMs: number
  /** Default `procfs` (the tables under `procRoot`). */
  socketTables?: SocketSource
  ssCommand?: { command: string; args?: string[] }
}

interface Listener {
  ip: string
  process?: RecordProcess
}

const MAX_PENDING_CONNTRACK = 200_000

function toRecordProcess(p: ProcessIdentity): RecordProcess {
  const out: RecordProcess = { pid: p.pid, exePath: p.exePath, exeSha256: p.exeSha256, uid: p.uid }
  if (p.user !== undefined) out.user = p.user
  if (p.cgroup !== undefined) out.cgroup = p.cgroup
  if (p.containerId !== undefined) out.containerId = p.containerId
  return out
}

function isWildcard(ip: string): boolean {
  return ip === '::' || ip === '0.0.0.0'
}

/** A listener on `listenIp` accepts connections to `ip`: same address, `::` (dual stack) or `0.0.0.0` for IPv4. */
function listenerAccepts(listenIp: string, ip: string): boolean {
  return listenIp === ip || listenIp === '::' || (listenIp === '0.0.0.0' && ip.includes('.'))
}

/** A connection of the last poll, found by its ports (`portKey`); the addresses tell apart the rare sockets sharing them. */
interface Connection {
  localIp: string
  remoteIp: string
  process: RecordProcess | undefined
  /** Another connection with the same ports and protocol. */
  next?: Connection
}

/** The last conntrack sighting's record and what its key is made of. */
interface Memo {
  protocol: SocketProtocol
  local: string
  remote: string
  /** The service port: remote for outbound, local for inbound. */
  port: number
  process: RecordProcess | undefined
  record: WindowRecord | undefined
}

/** Protocol and ports as one number (no string built per lookup). */
function portKey(protocol: SocketProtocol, localPort: number, remotePort: number): number {
  return (localPort * 65536 + remotePort) * 2 + (protocol === 'udp' ? 1 : 0)
}

/** Protocol and port of a listener as one number. */
function listenKey(protocol: SocketProtocol, port: number): number {
  return protocol === 'udp' ? port + 65536 : port
}

/** The agent's state between polls. Drive it with `poll`, `processConntrack` and `flush`, or use `runAgent`. */
export class Agent {
  readonly aggregator = new Aggregator()
  readonly procStats: ProcNetStats = { lines: 0, skipped: 0, malformed: 0 }
  readonly owners: SocketOwners
  readonly identities: ProcessIdentities
  /** Where the socket tables come from (ss or /proc/net), with its counters. */
  readonly tables: SocketTables
  polls = 0
  flushes = 0
  records = 0
  lastSockets = 0
  conntrackSightings = 0
  conntrackForwarded = 0
  conntrackDropped = 0
  aggregateDropped = 0
  private listeners = new Map<number, Listener[]>()
  private connections = new Map<number, Connection>()
  private pending: ConntrackEvent[] = []
  private locals: Set<string>
  private readonly logged = new Set<string>()

  constructor(
    private readonly o: AgentConfig,
    private readonly sinks: RecordSink[],
  ) {
    this.owners = new SocketOwners(o.procRoot, o.clock, o.fullScanIntervalMs)
    this.identities = new ProcessIdentities(o.procRoot, o.passwdFile, o.clock, Math.max(o.flushMs, 1000), o.log)
    this.locals = localAddressSet(o.networkInterfaces())
    this.tables = new SocketTables({
      procRoot: o.procRoot,
      source: o.socketTables ?? 'procfs',
      reader: new ProcFileReader(),
      clock: o.clock,
      procStats: this.procStats,
      once: (line) => this.once(line),
      ...(o.ssCommand ? { ssCommand: o.ssCommand } : {}),
    })
  }

  /** Say something once per distinct message. */
  private once(line: string): void {
    if (this.logged.has(line)) return
    this.logged.add(line)
    this.o.log(line)
  }

  /** Read the procfs socket tables. Throws when none of them can be read. */
  readSockets(): ProcNetSocket[] {
    return this.tables.readProcfs()
  }

  /** One poll: sockets (ss or procfs) → processes → sightings; then the conntrack events that arrived since the last poll. */
  async poll(): Promise<void> {
    const now = this.o.clock.now()
    const sockets = await this.tables.read()
    this.polls++
    this.lastSockets = sockets.length
    const needed = new Set<number>()
    for (const s of sockets) if (s.inode !== 0) needed.add(s.inode)
    this.owners.resolve(needed)
    const pids = new Set<number>()
    for (const s of sockets) {
      const pid = s.inode !== 0 ? this.owners.owner(s.inode) : undefined
      if (pid !== undefined) pids.add(pid)
    }
    const procs = new Map<number, RecordProcess>()
    await Promise.all(
      [...pids].map(async (pid) => {
        const id = await this.identities.get(pid)
        if (id === undefined) this.owners.forget(pid)
        else if (id !== null) procs.set(pid, toRecordProcess(id))
      }),
    )
    const processOf = (s: ProcNetSocket): RecordProcess | undefined => {
      const pid = s.inode !== 0 ? this.owners.owner(s.inode) : undefined
      return pid === undefined ? undefined : procs.get(pid)
    }
    const listeners = new Map<number, Listener[]>()
    for (const s of sockets) {
      if (s.kind !== 'listen') continue
      const key = listenKey(s.protocol, s.localPort)
      let list = listeners.get(key)
      if (!list) listeners.set(key, (list = []))
      const process = processOf(s)
      list.push(process ? { ip: s.localIp, process } : { ip: s.localIp })
      this.aggregator.add({ kind: 'listen', protocol: s.protocol, local: { ip: s.localIp, port: s.localPort }, ...(process ? { process } : {}), source: 'procfs', at: now })
    }
    this.listeners = listeners
    const connections = new Map<number, Connection>()
    for (const s of sockets) {
      if (s.kind !== 'connection') continue
      const inbound = this.isListening(s.protocol, s.localIp, s.localPort)
      // a SYN_RECV request socket has no inode: it belongs to the listener that will accept it
      const process = processOf(s) ?? (inbound ? this.listenerProcess(s.protocol, s.localIp, s.localPort) : undefined)
      const key = portKey(s.protocol, s.localPort, s.remotePort)
      const c: Connection = { localIp: s.localIp, remoteIp: s.remoteIp, process }
      const first = connections.get(key)
      if (first) c.next = first
      connections.set(key, c)
      this.aggregator.connection('procfs', s.protocol, inbound ? 'inbound' : 'outbound', s.localIp, s.localPort, s.remoteIp, s.remotePort, process, now)
    }
    this.connections = connections
    this.processConntrack()
  }

  private isListening(protocol: SocketProtocol, ip: string, port: number): boolean {
    const list = this.listeners.get(listenKey(protocol, port))
    if (!list) return false
    for (const l of list) if (listenerAccepts(l.ip, ip)) return true
    return false
  }

  /** The process listening on (ip, port): an exact address first, then a wildcard. */
  private listenerProcess(protocol: SocketProtocol, ip: string, port: number): RecordProcess | undefined {
    const list = this.listeners.get(listenKey(protocol, port))
    if (!list) return undefined
    for (const l of list) if (l.ip === ip && l.process) return l.process
    for (const l of list) if (isWildcard(l.ip) && listenerAccepts(l.ip, ip) && l.process) return l.process
    return undefined
  }

  /** The process of the last poll's connection (protocol, local end, remote end), if the table had it. */
  private connectionProcess(protocol: SocketProtocol, localIp: string, localPort: number, remoteIp: string, remotePort: number): RecordProcess | undefined {
    for (let c = this.connections.get(portKey(protocol, localPort, remotePort)); c; c = c.next) {
      if (c.localIp === localIp && c.remoteIp === remoteIp) return c.process
    }
    return undefined
  }

  /** Queue a conntrack event; it is attributed at the next poll, with the socket table read then. */
  onConntrack(event: ConntrackEvent): void {
    if (this.pending.length >= MAX_PENDING_CONNTRACK) {
      if (this.conntrackDropped++ === 0) this.o.log(`more than ${MAX_PENDING_CONNTRACK} conntrack events between two polls; dropping the excess (counted)`)
      return
    }
    if (event.time === undefined) event.time = this.o.clock.now()
    this.pending.push(event)
  }

  /**
   * Attribute and aggregate the queued conntrack events with the last poll's sockets and
   * listeners. Events of the same flow come in runs (a client's connections to one service):
   * one that has the same protocol, addresses, service port and process as the one before is
   * counted in that one's record without building its key.
   */
  processConntrack(): void {
    const queue = this.pending
    this.pending = []
    const agg = this.aggregator
    const locals = this.locals
    let out: Memo | undefined
    let inb: Memo | undefined
    for (const e of queue) {
      const at = e.time!
      const srcLocal = isLocalIp(e.src, locals)
      const dstLocal = isLocalIp(e.dst, locals)
      if (!srcLocal && !dstLocal) {
        this.conntrackForwarded++
        continue
      }
      if (srcLocal) {
        const process = this.connectionProcess(e.protocol, e.src, e.sport, e.dst, e.dport)
        // outbound: the local port is ephemeral, the remote one names the service
        if (out && out.record && out.protocol === e.protocol && out.local === e.src && out.remote === e.dst && out.port === e.dport && out.process === process) agg.again(out.record, at)
        else out = { protocol: e.protocol, local: e.src, remote: e.dst, port: e.dport, process, record: agg.connection('conntrack', e.protocol, 'outbound', e.src, e.sport, e.dst, e.dport, process, at) }
        this.conntrackSightings++
      }
      if (dstLocal) {
        const process = this.connectionProcess(e.protocol, e.dst, e.dport, e.src, e.sport) ?? this.listenerProcess(e.protocol, e.dst, e.dport)
        // inbound: the local port names the service, the remote one is ephemeral
        if (inb && inb.record && inb.protocol === e.protocol && inb.local === e.dst && inb.remote === e.src && inb.port === e.dport && inb.process === process) agg.again(inb.record, at)
        else inb = { protocol: e.protocol, local: e.dst, remote: e.src, port: e.dport, process, record: agg.connection('conntrack', e.protocol, 'inbound', e.dst, e.dport, e.src, e.sport, process, at) }
        this.conntrackSightings++
      }
    }
  }

  /** Hand the window's records to every sink. */
  async flush(): Promise<AgentRecord[]> {
    const interfaces = this.o.networkInterfaces()
    this.locals = localAddressSet(interfaces)
    const records = this.aggregator.drain(this.o.host, hostAddresses(interfaces))
    this.flushes++
    this.identities.prune()
    if (this.aggregator.dropped) {
      this.o.log(`${this.aggregator.dropped} sighting(s) dropped: too many distinct records in one flush window`)
      this.aggregateDropped += this.aggregator.dropped
      this.aggregator.dropped = 0
    }
    if (records.length === 0) return records
    this.records += records.length
    for (const sink of this.sinks) {
      try {
        await sink.write(records)
      } catch (err) {
        this.once(`cannot write records (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
      }
    }
    return records
  }
}

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt
  if (!Number.isFinite(v) || v <= 0) throw new PhiwallError(CODES.usage, `${name} must be a positive number, got ${v}.`)
  return v
}

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}

function buildSinks(o: AgentOptions, host: string, clock: Clock, log: (line: string) => void): { sinks: RecordSink[]; http?: HttpSink; spool?: Spool } {
  if (o.sinks) return { sinks: o.sinks }
  if (!o.out && !o.server) throw new PhiwallError(CODES.usage, 'Give --out FILE, --out - (standard output) or --server URL.')
  const sinks: RecordSink[] = []
  let http: HttpSink | undefined
  let spool: Spool | undefined
  if (o.server) {
    let url: URL
    try {
      url = new URL(o.server)
    } catch {
      throw new PhiwallError(CODES.server, `--server ${o.server} is not a URL.`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PhiwallError(CODES.server, `--server must be an https:// URL, got ${url.protocol}.`)
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new PhiwallError(CODES.server, `--server ${url.origin} is plain HTTP: the agent sends its token and host data only over https:// (plain http:// is accepted for loopback addresses).`)
    }
    if (url.username || url.password) throw new PhiwallError(CODES.server, '--server must not carry credentials; set PHIWALL_AGENT_TOKEN.')
    const token = o.token ?? process.env['PHIWALL_AGENT_TOKEN']
    if (!token) throw new PhiwallError(CODES.token, 'Set PHIWALL_AGENT_TOKEN to the agent token issued by the server before using --server.')
    const maxMb = positiveInt('--spool-max-mb', o.spoolMaxMb, 64)
    try {
      spool = new Spool(maxMb * 1024 * 1024, log, o.spoolDir)
    } catch (err) {
      throw new PhiwallError(CODES.output, `Cannot use the spool directory ${o.spoolDir} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
    }
    http = new HttpSink({ server: o.server, token, host, spool, log, clock, ...(o.retryBaseMs !== undefined ? { retryBaseMs: o.retryBaseMs } : {}) })
    sinks.push(http)
  }
  if (o.out) {
    try {
      sinks.push(new NdjsonSink(o.out, o.stdout))
    } catch (err) {
      if (err instanceof SinkOpenError) throw new PhiwallError(CODES.output, `Cannot write ${err.target} (${err.errno ?? 'error'}).`)
      throw err
    }
  }
  return { sinks, ...(http ? { http } : {}), ...(spool ? { spool } : {}) }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })

/**
 * Run the agent: poll every `intervalMs`, flush every `flushMs`, until `durationS`, `once` or
 * `signal`. Resolves with counters once the last records are flushed and the sinks closed.
 */
export async function runAgent(options: AgentOptions = {}): Promise<AgentSummary> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`phiwall agent: ${line}\n`))
  const clock = options.clock ?? systemClock
  const host = options.host ?? os.hostname()
  const intervalMs = positiveInt('--interval', options.intervalMs, 2000)
  const flushMs = positiveInt('--flush', options.flushMs, 10_000)
  if (options.durationS !== undefined) positiveInt('--duration', options.durationS, 0)
  const resolved: AgentConfig = {
    host,
    procRoot: (options.procRoot ?? '/proc').replace(/\/+$/, '') || '/',
    intervalMs,
    flushMs,
    clock,
    passwdFile: options.passwdFile ?? '/etc/passwd',
    networkInterfaces: options.networkInterfaces ?? os.networkInterfaces,
    log,
    fullScanIntervalMs: options.fullScanIntervalMs ?? 30_000,
    socketTables: options.socketTables ?? 'auto',
    ...(options.ssCommand ? { ssCommand: options.ssCommand } : {}),
  }
  const built = buildSinks(options, host, clock, log)
  const agent = new Agent(resolved, built.sinks)
  const useConntrack = options.conntrack !== false && !options.once
  const conntrack = useConntrack
    ? new ConntrackSource({
        command: options.conntrackCommand?.command ?? 'conntrack',
        args: options.conntrackCommand?.args ?? DEFAULT_CONNTRACK_ARGS,
        onEvent: (e) => agent.onConntrack(e),
        log,
        ...(options.conntrackPaceMs !== undefined ? { paceMs: options.conntrackPaceMs } : {}),
      })
    : undefined
  const stop = new AbortController()
  const onAbort = (): void => stop.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) stop.abort()
  const durationTimer = options.durationS !== undefined ? setTimeout(() => stop.abort(), options.durationS * 1000) : undefined
  try {
    try {
      await agent.poll()
    } catch (err) {
      await Promise.all(built.sinks.map((s) => s.close().catch(() => undefined)))
      throw err
    }
    if (!options.once) {
      conntrack?.start()
      let nextFlush = Date.now() + flushMs
      let nextPoll = Date.now() + intervalMs
      while (!stop.signal.aborted) {
        await sleep(Math.max(0, Math.min(nextPoll, nextFlush) - Date.now()), stop.signal)
        if (stop.signal.aborted) break
        const t = Date.now()
        if (t >= nextPoll) {
          try {
            await agent.poll()
          } catch (err) {
            log(`poll failed: ${(err as Error).message}`)
          }
          // fixed rate, but never to catch up on missed polls
          nextPoll = Math.max(nextPoll + intervalMs, Date.now() + intervalMs / 2)
        }
        if (Date.now() >= nextFlush) {
          await agent.flush()
          nextFlush += flushMs
          if (nextFlush < Date.now()) nextFlush = Date.now() + flushMs
        }
      }
      // conntrack's last events, attributed with the last poll's tables
      await conntrack?.stop()
      agent.processConntrack()
    }
    await agent.flush()
  } finally {
    if (durationTimer) clearTimeout(durationTimer)
    options.signal?.removeEventListener('abort', onAbort)
    await conntrack?.stop()
    // the shell that runs ss: reaped here, so its CPU and its runs' count in this process's children time
    await agent.tables.close()
  }
  for (const s of built.sinks) await s.close()
  const summary: AgentSummary = {
    polls: agent.polls,
    flushes: agent.flushes,
    records: agent.records,
    sockets: agent.lastSockets,
    procfs: { ...agent.procStats },
    tables: { ...agent.tables.stats },
    owners: { ...agent.owners.stats },
    identities: { ...agent.identities.stats },
    conntrack: {
      ...(conntrack?.stats ?? { events: 0, ignored: 0, malformed: 0, overruns: 0, status: 'off' as const }),
      sightings: agent.conntrackSightings,
      forwarded: agent.conntrackForwarded,
      dropped: agent.conntrackDropped,
    },
    aggregateDropped: agent.aggregateDropped,
  }
  if (built.http && built.spool) summary.http = { ...built.http.stats, spool: { ...built.spool.stats, pending: built.spool.length } }
  return summary
}
