import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProcNetStats } from './procnet.js'
import { ProcFileReader } from './processes.js'
import { SS_ARGS } from './ss.js'
import { autoPicksSs, parseSockstat, REMEASURE_MS, SocketTables, ssArgs, type SocketSource, type SocketTablesOptions } from './sockets.js'
import { fakeProc, formatProcNet, formatSs, TestClock, type FakeProc } from './test-support.js'

const here = path.dirname(fileURLToPath(import.meta.url))

describe('parseSockstat', () => {
  it('TCP in use and TIME_WAIT from sockstat, TCP6 in use from sockstat6 (captured under the benchmark load)', () => {
    const v4 = fs.readFileSync(path.join(here, 'testdata', 'sockstat-load.txt'), 'latin1')
    const v6 = fs.readFileSync(path.join(here, 'testdata', 'sockstat6.txt'), 'latin1')
    expect(parseSockstat(v4, v6)).toEqual({ tcpInUse: 12, tcpTimeWait: 3754, tcp6InUse: 2, udp6InUse: 0 })
    expect(parseSockstat(v4)).toEqual({ tcpInUse: 12, tcpTimeWait: 3754, tcp6InUse: undefined, udp6InUse: undefined })
    expect(parseSockstat('sockets: used 3\n')).toBeUndefined()
  })
})

describe('autoPicksSs', () => {
  const counts = (tw: number) => ({ tcpInUse: 10, tcpTimeWait: tw, tcp6InUse: 2, udp6InUse: 0 })
  it('ss from 1,000 TCP sockets, or after a procfs read of 4 ms or more within 5 minutes', () => {
    expect(autoPicksSs(counts(987), 1, 0)).toBe(false)
    expect(autoPicksSs(counts(988), 1, 0)).toBe(true)
    expect(autoPicksSs(undefined, 1, 0)).toBe(false)
    expect(autoPicksSs(counts(0), 4, 1000)).toBe(true)
    expect(autoPicksSs(counts(0), 4, REMEASURE_MS)).toBe(false)
    expect(autoPicksSs(counts(0), -1, 0)).toBe(false)
  })
})

describe('ssArgs', () => {
  it('IPv4 only when this namespace has no IPv6 TCP or UDP socket (one walk of the TCP hash table instead of two)', () => {
    const c = (tcp6InUse: number | undefined, udp6InUse: number | undefined) => ({ tcpInUse: 5, tcpTimeWait: 9000, tcp6InUse, udp6InUse })
    expect(ssArgs(c(0, 0))).toEqual(['-4', ...SS_ARGS])
    expect(ssArgs(c(1, 0))).toEqual(SS_ARGS)
    expect(ssArgs(c(0, 1))).toEqual(SS_ARGS)
    expect(ssArgs(c(undefined, undefined))).toEqual(SS_ARGS)
    expect(ssArgs(undefined)).toEqual(SS_ARGS)
  })
})

const row = (localIp: string, localPort: number, remoteIp: string, remotePort: number, state: number, inode: number) => ({ localIp, localPort, remoteIp, remotePort, state, uid: 0, inode })
const TCP = [row('0.0.0.0', 22, '0.0.0.0', 0, 10, 101), row('10.0.0.5', 22, '10.0.0.9', 50000, 1, 102), row('10.0.0.5', 40000, '10.0.0.9', 22, 6, 0)]

describe('SocketTables', () => {
  let proc: FakeProc | undefined
  afterEach(() => {
    proc?.cleanup()
    proc = undefined
  })

  /** A fixture /proc whose tables hold TCP, and an "ss" that prints the same sockets and counts its runs. */
  function setup(source: SocketSource, ssScript?: string, extra: Partial<SocketTablesOptions> = {}) {
    proc = fakeProc({ tcp: formatProcNet(TCP, 'tcp', 4), tcp6: formatProcNet([], 'tcp', 6), udp: formatProcNet([], 'udp', 4), udp6: formatProcNet([], 'udp', 6) }, [], '')
    const runs = path.join(proc.dir, 'ss-runs')
    const ssText = formatSs(TCP.filter((r) => r.state !== 6).map((r) => ({ ...r, protocol: 'tcp' as const, family: 4 as const })))
    const script = ssScript ?? `process.stdout.write(${JSON.stringify(ssText)})`
    const logs: string[] = []
    const clock = new TestClock()
    let ms = 0
    const readCost = { ms: 1 }
    const procStats: ProcNetStats = { lines: 0, skipped: 0, malformed: 0 }
    const tables = new SocketTables({
      procRoot: proc.root,
      source,
      reader: new ProcFileReader(),
      clock,
      procStats,
      once: (l) => logs.push(l),
      ssCommand: { command: process.execPath, args: ['-e', `require('fs').appendFileSync(${JSON.stringify(runs)}, 'x'); ${script}`] },
      ssAllowed: true,
      // each procfs read "takes" `readCost.ms`
      timer: () => (ms += readCost.ms),
      ...extra,
    })
    const ssRuns = (): number => (fs.existsSync(runs) ? fs.readFileSync(runs, 'latin1').length : 0)
    const root = proc.root
    const sockstat = (tw: number): void => fs.writeFileSync(path.join(root, 'net', 'sockstat'), `sockets: used 9\nTCP: inuse 3 orphan 0 tw ${tw} alloc 3 mem 0\nUDP: inuse 0 mem 0\n`)
    return { tables, logs, clock, ssRuns, sockstat, readCost, procStats }
  }

  const show = (s: { kind: string; localIp: string; localPort: number; remoteIp: string; inode: number }[]): string[] => s.map((x) => `${x.kind} ${x.localIp}:${x.localPort} ${x.remoteIp} ${x.inode}`)

  it('ss and procfs give the same sockets', async () => {
    const a = setup('ss')
    const viaSs = await a.tables.read()
    expect(a.tables.last).toBe('ss')
    expect(a.procStats).toEqual({ lines: 2, skipped: 0, malformed: 0 })
    expect(show(viaSs)).toEqual(show(a.tables.readProcfs()))
    expect(show(viaSs)).toEqual(['listen 0.0.0.0:22 0.0.0.0 101', 'connection 10.0.0.5:22 10.0.0.9 102'])
    expect(a.tables.stats).toMatchObject({ ss: 1, procfs: 1, ssFailures: 0 })
  })

  it('auto: ss once sockstat counts 1,000 TCP sockets or a procfs read took 4 ms; procfs again after 5 minutes', async () => {
    const t = setup('auto')
    t.sockstat(10)
    await t.tables.read()
    expect([t.tables.last, t.ssRuns()]).toEqual(['procfs', 0])
    t.sockstat(5000)
    await t.tables.read()
    expect([t.tables.last, t.ssRuns()]).toEqual(['ss', 1])
    // few sockets, but the tables are slow to read (a large hash table walked for nothing)
    t.sockstat(10)
    t.readCost.ms = 9
    await t.tables.read()
    expect(t.tables.last).toBe('procfs')
    expect(t.tables.stats.lastProcfsMs).toBe(9)
    t.clock.advance(2000)
    await t.tables.read()
    expect([t.tables.last, t.ssRuns()]).toEqual(['ss', 2])
    // the measurement is redone after 5 minutes, and holds if procfs got cheap
    t.readCost.ms = 1
    t.clock.advance(REMEASURE_MS)
    await t.tables.read()
    expect(t.tables.last).toBe('procfs')
    t.clock.advance(2000)
    await t.tables.read()
    expect([t.tables.last, t.ssRuns()]).toEqual(['procfs', 2])
  })

  it('auto never runs ss for a procfs root other than /proc (a fixture, another host’s procfs)', async () => {
    const t = setup('auto', undefined, { ssAllowed: undefined })
    t.sockstat(50_000)
    await t.tables.read()
    await t.tables.read()
    expect([t.tables.last, t.ssRuns(), t.tables.stats.procfs]).toEqual(['procfs', 0, 2])
  })

  it.each([
    ['exits with an error', `process.stderr.write('Cannot open netlink socket: Protocol not supported\\n'); process.exit(1)`, /ss failed \(exit code 1: Cannot open netlink socket/],
    ['prints what is not ss output', `process.stdout.write('Usage: ss [ OPTIONS ]\\nss: unknown option\\n')`, /ss failed \(output not understood: Usage: ss/],
  ])('an ss that %s: the poll reads procfs, says so once, and leaves ss alone for 5 minutes', async (_what, script, message) => {
    const t = setup('ss', script)
    const first = await t.tables.read()
    expect(show(first)).toEqual(['listen 0.0.0.0:22 0.0.0.0 101', 'connection 10.0.0.5:22 10.0.0.9 102'])
    expect(t.tables.last).toBe('procfs')
    t.clock.advance(2000)
    await t.tables.read()
    expect(t.ssRuns()).toBe(1)
    expect(t.tables.stats).toMatchObject({ ss: 0, procfs: 2, ssFailures: 1 })
    expect(t.logs).toEqual([expect.stringMatching(message)])
    t.clock.advance(REMEASURE_MS)
    await t.tables.read()
    expect(t.ssRuns()).toBe(2)
  })
})
