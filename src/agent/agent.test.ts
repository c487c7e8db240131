import { createHash } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AgentBatch, AgentRecord } from '../flows/index.js'
import { PhiwallError } from '../model/index.js'
import type { InterfaceTable } from './addresses.js'
import { Agent, runAgent, type AgentConfig } from './agent.js'
import { TCP_STATE } from './procnet.js'
import { fakeProc, formatProcNet, formatSs, MemorySink, TestClock, type FakeProc, type TableRow } from './test-support.js'

const CID = 'c0ffee00'.repeat(8)
const interfaces: InterfaceTable = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [
    { address: '10.0.0.5', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '10.0.0.5/24' },
    { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
  ],
}
const { ESTABLISHED: EST, LISTEN, SYN_RECV, TIME_WAIT } = TCP_STATE
const r = (localIp: string, localPort: number, remoteIp: string, remotePort: number, state: number, inode: number, uid = 0): TableRow => ({ localIp, localPort, remoteIp, remotePort, state, uid, inode })

const tcp: TableRow[] = [
  r('0.0.0.0', 5432, '0.0.0.0', 0, LISTEN, 1001, 112),
  r('10.0.0.5', 5432, '10.0.0.9', 41000, EST, 1002, 112),
  r('10.0.0.5', 5432, '10.0.0.9', 41001, EST, 1003, 112),
  r('10.0.0.5', 5432, '10.0.0.10', 41002, SYN_RECV, 0, 112),
  r('10.0.0.5', 39000, '93.184.216.34', 443, EST, 2001, 1000),
  r('10.0.0.5', 39001, '93.184.216.34', 443, EST, 2002, 1000),
  ...Array.from({ length: 50 }, (_, i) => r('10.0.0.5', 30000 + i, '10.0.0.9', 5432, TIME_WAIT, 0)),
  r('10.0.0.5', 45000, '10.0.0.7', 22, EST, 3001, 1000),
  r('10.0.0.5', 46000, '10.0.0.8', 80, EST, 4001, 1000),
]
const tcp6: TableRow[] = [r('::', 8443, '::', 0, LISTEN, 2003, 1000), r('::ffff:10.0.0.5', 8443, '::ffff:10.0.0.11', 50000, EST, 2004, 1000)]
const udp: TableRow[] = [r('127.0.0.53', 53, '0.0.0.0', 0, 7, 5001, 101)]

function tree(): FakeProc {
  return fakeProc(
    { tcp: formatProcNet(tcp, 'tcp', 4), tcp6: formatProcNet(tcp6, 'tcp', 6), udp: formatProcNet(udp, 'udp', 4), udp6: formatProcNet([], 'udp', 6) },
    [
      { pid: 100, exe: 'usr/lib/postgresql/16/bin/postgres', uid: 112, cgroup: '0::/system.slice/postgresql.service\n', fds: { '0': '/dev/null', '3': 'socket:[1001]', '7': 'socket:[1002]', '8': 'socket:[1003]' } },
      {
        pid: 200,
        // the kernel's link of a binary replaced on disk: the fixture's file carries the suffix so it can be read
        exe: 'srv/app (deleted)',
        uid: 1000,
        cgroup: `0::/system.slice/docker-${CID}.scope\n`,
        fds: { '3': 'socket:[2001]', '4': 'socket:[2002]', '5': 'socket:[2003]', '6': 'socket:[2004]', '9': 'pipe:[77]' },
      },
      { pid: 300, exe: null, uid: 1000, cgroup: '0::/user.slice\n', fds: { '3': 'socket:[3001]' } },
      { pid: 400, exe: 'usr/lib/systemd/systemd-resolved', uid: 101, cgroup: '1:name=systemd:/system.slice/systemd-resolved.service\n0::/\n', fds: { '12': 'socket:[5001]' } },
      { pid: 500, exe: 'usr/bin/idle', uid: 0, fds: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [String(i), `/var/log/f${i}`])) },
    ],
    'root:x:0:0:root:/root:/bin/bash\nsystemd-resolve:x:101:101::/:/usr/sbin/nologin\npostgres:x:112:120::/var/lib/postgresql:/bin/bash\napp:x:1000:1000::/srv:/bin/sh\n',
  )
}

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex')
const key = (x: AgentRecord): string => `${x.source} ${x.kind} ${x.protocol} ${x.direction ?? '-'} ${x.local.ip}:${x.local.port} ${x.remote ? `${x.remote.ip}:${x.remote.port}` : '-'} pid=${x.process?.pid ?? '-'} n=${x.count}`

let proc: FakeProc | undefined
afterEach(() => {
  proc?.cleanup()
  proc = undefined
})

function config(p: FakeProc, clock: TestClock, logs: string[]): AgentConfig {
  return { host: 'db-1', procRoot: p.root, intervalMs: 2000, flushMs: 10_000, clock, passwdFile: p.passwd, networkInterfaces: () => interfaces, log: (l) => logs.push(l), fullScanIntervalMs: 30_000 }
}

describe('Agent on a fixture /proc', () => {
  it('one poll: listeners, inbound and outbound connections, each with its process identity', async () => {
    proc = tree()
    const sink = new MemorySink()
    const logs: string[] = []
    const summary = await runAgent({ once: true, sinks: [sink], procRoot: proc.root, passwdFile: proc.passwd, host: 'db-1', networkInterfaces: () => interfaces, clock: new TestClock(5000), log: (l) => logs.push(l) })
    const records = sink.records
    expect(records.map(key).sort()).toEqual(
      [
        'procfs listen tcp - 0.0.0.0:5432 - pid=100 n=1',
        'procfs listen tcp - :::8443 - pid=200 n=1',
        'procfs listen udp - 127.0.0.53:53 - pid=400 n=1',
        // two connections from one client address fold into one record; the SYN_RECV request socket belongs to the listener
        'procfs connection tcp inbound 10.0.0.5:5432 10.0.0.9:0 pid=100 n=2',
        'procfs connection tcp inbound 10.0.0.5:5432 10.0.0.10:0 pid=100 n=1',
        'procfs connection tcp outbound 10.0.0.5:0 93.184.216.34:443 pid=200 n=2',
        // IPv4 on the dual-stack listener: reported as IPv4, inbound
        'procfs connection tcp inbound 10.0.0.5:8443 10.0.0.11:0 pid=200 n=1',
        // pid 300's executable cannot be read; inode 4001 is held by no process
        'procfs connection tcp outbound 10.0.0.5:0 10.0.0.7:22 pid=- n=1',
        'procfs connection tcp outbound 10.0.0.5:0 10.0.0.8:80 pid=- n=1',
      ].sort(),
    )
    for (const x of records) {
      expect(x).toMatchObject({ schema: 'phiwall.agent/v1', host: 'db-1', hostAddresses: ['10.0.0.5'], firstSeen: 5000, lastSeen: 5000 })
    }
    const pg = records.find((x) => x.kind === 'listen' && x.local.port === 5432)!.process
    expect(pg).toEqual({
      pid: 100,
      exePath: path.join(proc.dir, 'usr/lib/postgresql/16/bin/postgres'),
      exeSha256: sha(path.join(proc.dir, 'usr/lib/postgresql/16/bin/postgres')),
      uid: 112,
      user: 'postgres',
      cgroup: '/system.slice/postgresql.service',
    })
    const app = records.find((x) => x.kind === 'listen' && x.local.port === 8443)!.process
    expect(app).toEqual({
      pid: 200,
      exePath: path.join(proc.dir, 'srv/app'),
      exeSha256: sha(path.join(proc.dir, 'srv/app (deleted)')),
      uid: 1000,
      user: 'app',
      cgroup: `/system.slice/docker-${CID}.scope`,
      containerId: CID,
    })
    expect(records.find((x) => x.protocol === 'udp')!.process).toMatchObject({ user: 'systemd-resolve', cgroup: '/system.slice/systemd-resolved.service' })
    expect(logs).toEqual([`pid 200 runs a binary deleted or replaced on disk since it started: ${path.join(proc.dir, 'srv/app')} (hashed from the running image)`])
    expect(summary).toMatchObject({ polls: 1, flushes: 1, records: 9, conntrack: { status: 'off' } })
    expect(summary.procfs.skipped).toBe(50)
    expect(summary.identities.hashed).toBe(3)
  })

  it('the same records when the socket tables come from ss (netlink) instead of /proc/net', async () => {
    proc = tree()
    const viaProcfs = new MemorySink()
    const viaSs = new MemorySink()
    const base = { once: true, procRoot: proc.root, passwdFile: proc.passwd, host: 'db-1', networkInterfaces: () => interfaces, clock: new TestClock(5000), log: () => undefined }
    const ssText = formatSs([
      ...tcp.map((x) => ({ ...x, protocol: 'tcp' as const, family: 4 as const })),
      ...tcp6.map((x) => ({ ...x, protocol: 'tcp' as const, family: 6 as const, dualStack: true })),
      ...udp.map((x) => ({ ...x, protocol: 'udp' as const, family: 4 as const })),
    ])
    const procfsSummary = await runAgent({ ...base, sinks: [viaProcfs] })
    const ssSummary = await runAgent({ ...base, sinks: [viaSs], socketTables: 'ss', ssCommand: { command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(ssText)})`] } })
    expect(procfsSummary.tables).toMatchObject({ procfs: 1, ss: 0 })
    expect(ssSummary.tables).toMatchObject({ procfs: 0, ss: 1 })
    expect(viaSs.records.map(key).sort()).toEqual(viaProcfs.records.map(key).sort())
    expect(viaSs.records).toHaveLength(9)
    expect(viaSs.records.map((x) => x.process?.exeSha256 ?? '-').sort()).toEqual(viaProcfs.records.map((x) => x.process?.exeSha256 ?? '-').sort())
  })

  it('steady state reads no fd table; a new socket is looked for only in likely owners; full rescans are rate-limited', async () => {
    proc = tree()
    const clock = new TestClock()
    const agent = new Agent(config(proc, clock, []), [])
    await agent.poll()
    const first = { ...agent.owners.stats }
    expect(first.fdScans).toBe(5)
    expect(first.fullScans).toBe(1)
    // inode 4001 stays unmapped, but only processes that own sockets are read again, and no full scan within 30 s
    clock.advance(2000)
    await agent.poll()
    const second = { ...agent.owners.stats }
    expect(second.fullScans).toBe(1)
    expect(second.readlinks - first.readlinks).toBeLessThan(20)
    // pid 200 opens a new connection: found without reading pid 500's 60 fds
    proc.setFd(200, '10', 'socket:[2005]')
    proc.setTable('tcp', formatProcNet([...tcp.filter((x) => x.inode !== 4001), r('10.0.0.5', 39002, '10.0.0.30', 6379, EST, 2005, 1000)], 'tcp', 4))
    clock.advance(2000)
    await agent.poll()
    const third = { ...agent.owners.stats }
    expect(agent.owners.owner(2005)).toBe(200)
    expect(third.readlinks - second.readlinks).toBeLessThan(20)
    // nothing missing any more: the next polls read no fd table at all
    clock.advance(2000)
    await agent.poll()
    expect(agent.owners.stats).toEqual(third)
    // an unmapped inode again, 30 s after the last full scan: every process is read once more
    proc.setTable('tcp', formatProcNet(tcp, 'tcp', 4))
    clock.advance(30_000)
    await agent.poll()
    expect(agent.owners.stats.fullScans).toBe(2)
    expect(agent.owners.stats.readlinks - third.readlinks).toBeGreaterThanOrEqual(60)
    const records = await agent.flush()
    expect(records.find((x) => x.remote?.port === 6379)).toMatchObject({ direction: 'outbound', process: { pid: 200 }, count: 2, firstSeen: clock.t - 32_000, lastSeen: clock.t - 30_000 })
  })

  it('a pid reused by another process is identified again', async () => {
    proc = tree()
    const clock = new TestClock()
    const agent = new Agent(config(proc, clock, []), [])
    await agent.poll()
    const stat = path.join(proc.root, '100', 'stat')
    fs.writeFileSync(stat, fs.readFileSync(stat, 'utf8').replace(/^(\S+ \(\S+\)(?: \S+){19}) 1100/, '$1 999999'))
    fs.writeFileSync(path.join(proc.root, '100', 'status'), 'Name:\tx\nUid:\t0\t0\t0\t0\n')
    clock.advance(2000)
    await agent.poll()
    const records = await agent.flush()
    const listens = records.filter((x) => x.kind === 'listen' && x.local.port === 5432)
    expect(listens.map((x) => [x.process?.uid, x.process?.user, x.count])).toEqual([
      [112, 'postgres', 1],
      [0, 'root', 1],
    ])
  })

  it('conntrack events: attributed through the socket table, or to the listener for inbound ones; routed traffic is not reported', async () => {
    proc = tree()
    const clock = new TestClock(1_000_000)
    const agent = new Agent(config(proc, clock, []), [])
    await agent.poll()
    const ev = (protocol: 'tcp' | 'udp', src: string, sport: number, dst: string, dport: number, time?: number) => ({ protocol, src, sport, dst, dport, ...(time ? { time } : {}) })
    agent.onConntrack(ev('tcp', '10.0.0.5', 39000, '93.184.216.34', 443, 999_000))
    agent.onConntrack(ev('tcp', '10.0.0.5', 47000, '10.0.0.20', 443))
    agent.onConntrack(ev('tcp', '10.0.0.12', 51000, '10.0.0.5', 5432))
    agent.onConntrack(ev('udp', '172.17.0.2', 40000, '8.8.8.8', 53))
    agent.onConntrack(ev('udp', '127.0.0.1', 40000, '127.0.0.53', 53))
    clock.advance(2000)
    await agent.poll()
    const records = (await agent.flush()).filter((x) => x.source === 'conntrack')
    expect(records.map(key).sort()).toEqual(
      [
        'conntrack connection tcp outbound 10.0.0.5:0 93.184.216.34:443 pid=200 n=1',
        'conntrack connection tcp outbound 10.0.0.5:0 10.0.0.20:443 pid=- n=1',
        'conntrack connection tcp inbound 10.0.0.5:5432 10.0.0.12:0 pid=100 n=1',
        'conntrack connection udp outbound 127.0.0.1:0 127.0.0.53:53 pid=- n=1',
        'conntrack connection udp inbound 127.0.0.53:53 127.0.0.1:0 pid=400 n=1',
      ].sort(),
    )
    expect(records.find((x) => x.remote?.port === 443 && x.process)).toMatchObject({ firstSeen: 999_000, lastSeen: 999_000 })
    expect(records.find((x) => x.remote?.ip === '10.0.0.20')).toMatchObject({ firstSeen: 1_000_000 })
    expect(agent.conntrackForwarded).toBe(1)
  })
})

describe('conntrack events in bulk', () => {
  it('runs of one flow, interleaved with others, count exactly as one event at a time would', async () => {
    proc = tree()
    const clock = new TestClock(1_000_000)
    const agent = new Agent(config(proc, clock, []), [])
    await agent.poll()
    await agent.flush()
    // flows: outbound to 93.184.216.34:443 (pid 200 from the port of its open connection), inbound to 5432 from two
    // clients (the listener's pid 100), UDP from this host to itself (both sides)
    const flows = [
      (i: number) => ({ protocol: 'tcp' as const, src: '10.0.0.5', sport: i % 2 ? 39000 : 50000 + i, dst: '93.184.216.34', dport: 443 }),
      (i: number) => ({ protocol: 'tcp' as const, src: '10.0.0.12', sport: 40000 + i, dst: '10.0.0.5', dport: 5432 }),
      (i: number) => ({ protocol: 'tcp' as const, src: '10.0.0.13', sport: 40000 + i, dst: '10.0.0.5', dport: 5432 }),
      (i: number) => ({ protocol: 'udp' as const, src: '127.0.0.1', sport: 30000 + i, dst: '127.0.0.53', dport: 53 }),
    ]
    // a deterministic mix: long runs and single switches
    const order = [0, 0, 0, 1, 1, 0, 2, 2, 2, 2, 1, 3, 3, 0, 1, 1, 1, 3, 0, 2]
    const events = order.map((f, i) => ({ ...flows[f]!(i), time: 2_000_000 + ((i * 7919) % 1000) }))
    for (const e of events) agent.onConntrack({ ...e })
    agent.processConntrack()
    const bulk = (await agent.flush()).filter((x) => x.source === 'conntrack')
    // the same events one per batch: no run to fold
    const one = new Agent(config(proc, clock, []), [])
    await one.poll()
    await one.flush()
    for (const e of events) {
      one.onConntrack({ ...e })
      one.processConntrack()
    }
    const single = (await one.flush()).filter((x) => x.source === 'conntrack')
    const full = (x: AgentRecord): string => `${key(x)} first=${x.firstSeen} last=${x.lastSeen}`
    expect(bulk.map(full).sort()).toEqual(single.map(full).sort())
    expect(bulk.map(key).sort()).toEqual(
      [
        'conntrack connection tcp outbound 10.0.0.5:0 93.184.216.34:443 pid=200 n=3',
        'conntrack connection tcp outbound 10.0.0.5:0 93.184.216.34:443 pid=- n=3',
        'conntrack connection tcp inbound 10.0.0.5:5432 10.0.0.12:0 pid=100 n=6',
        'conntrack connection tcp inbound 10.0.0.5:5432 10.0.0.13:0 pid=100 n=5',
        'conntrack connection udp outbound 127.0.0.1:0 127.0.0.53:53 pid=- n=3',
        'conntrack connection udp inbound 127.0.0.53:53 127.0.0.1:0 pid=400 n=3',
      ].sort(),
    )
  })
})

describe('runAgent', () => {
  it('runs conntrack, attributes its events at the next poll, and stops after --duration', async () => {
    proc = tree()
    const sink = new MemorySink()
    const logs: string[] = []
    const line = '[1796622915.536528]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=93.184.216.34 sport=39001 dport=443 [UNREPLIED] src=93.184.216.34 dst=10.0.0.5 sport=443 dport=39001'
    const summary = await runAgent({
      sinks: [sink],
      procRoot: proc.root,
      passwdFile: proc.passwd,
      networkInterfaces: () => interfaces,
      intervalMs: 100,
      flushMs: 250,
      durationS: 0.8,
      conntrackCommand: { command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(line + '\n')} + 'junk\\n'); setInterval(() => {}, 1000)`] },
      log: (l) => logs.push(l),
    })
    expect(summary.polls).toBeGreaterThanOrEqual(5)
    expect(summary.flushes).toBeGreaterThanOrEqual(3)
    expect(summary.conntrack).toMatchObject({ status: 'stopped', events: 1, malformed: 1, sightings: 1 })
    const ct = sink.records.filter((x) => x.source === 'conntrack')
    expect(ct).toEqual([expect.objectContaining({ direction: 'outbound', remote: { ip: '93.184.216.34', port: 443 }, process: expect.objectContaining({ pid: 200 }), firstSeen: 1796622915536 })])
    // every flush window with sightings reports the listeners again
    expect(sink.batches.length).toBeGreaterThanOrEqual(3)
    for (const b of sink.batches) expect(b.some((x) => x.kind === 'listen' && x.local.port === 5432)).toBe(true)
    expect(logs).toEqual([expect.stringMatching(/deleted or replaced/)])
  })

  it('goes on with procfs alone when conntrack is missing, and says so once', async () => {
    proc = tree()
    const logs: string[] = []
    const summary = await runAgent({ sinks: [new MemorySink()], procRoot: proc.root, passwdFile: proc.passwd, intervalMs: 50, durationS: 0.3, conntrackCommand: { command: path.join(proc.dir, 'no-conntrack'), args: [] }, log: (l) => logs.push(l) })
    expect(summary.polls).toBeGreaterThanOrEqual(3)
    expect(summary.conntrack.status).toBe('missing')
    expect(logs.filter((l) => l.includes('conntrack'))).toEqual(['conntrack not found (install the conntrack package); continuing with procfs polling alone'])
  })

  it('stops, flushes and returns when its signal is aborted', async () => {
    proc = tree()
    const sink = new MemorySink()
    const stop = new AbortController()
    setTimeout(() => stop.abort(), 200)
    const t0 = Date.now()
    const summary = await runAgent({ sinks: [sink], procRoot: proc.root, passwdFile: proc.passwd, conntrack: false, signal: stop.signal, log: () => undefined })
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(summary.polls).toBe(1)
    expect(sink.records.length).toBe(9)
    expect(sink.closed).toBe(true)
  })

  it('--server: posts the flushed batch with the token from PHIWALL_AGENT_TOKEN', async () => {
    proc = tree()
    const bodies: { auth?: string; body: AgentBatch }[] = []
    const srv = http.createServer((req, res) => {
      let text = ''
      req.on('data', (d: Buffer) => (text += d.toString()))
      req.on('end', () => {
        bodies.push({ auth: req.headers.authorization, body: JSON.parse(text) as AgentBatch })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const prev = process.env['PHIWALL_AGENT_TOKEN']
    process.env['PHIWALL_AGENT_TOKEN'] = 'env-token'
    try {
      const summary = await runAgent({ once: true, server: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, procRoot: proc.root, passwdFile: proc.passwd, host: 'db-1', log: () => undefined })
      expect(summary.http).toMatchObject({ sent: 1, sentRecords: 9, spool: { pending: 0 } })
      expect(bodies).toHaveLength(1)
      expect(bodies[0]!.auth).toBe('Bearer env-token')
      expect(bodies[0]!.body).toMatchObject({ schema: 'phiwall.agent-batch/v1', host: 'db-1' })
      expect(bodies[0]!.body.records).toHaveLength(9)
    } finally {
      if (prev === undefined) delete process.env['PHIWALL_AGENT_TOKEN']
      else process.env['PHIWALL_AGENT_TOKEN'] = prev
      await new Promise((r) => srv.close(r))
    }
  })

  it('refuses unusable options with a PhiwallError', async () => {
    proc = tree()
    const base = { procRoot: proc.root, once: true, log: () => undefined }
    const fails = async (o: Parameters<typeof runAgent>[0], message: RegExp): Promise<void> => {
      const err = await runAgent(o).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(PhiwallError)
      expect((err as PhiwallError).message).toMatch(message)
    }
    await fails(base, /Give --out FILE/)
    await fails({ ...base, server: 'http://phiwall.example.org', token: 't' }, /plain HTTP/)
    await fails({ ...base, server: 'ftp://x' }, /https:\/\/ URL/)
    await fails({ ...base, server: 'https://phiwall.example.org', token: '' }, /PHIWALL_AGENT_TOKEN/)
    await fails({ ...base, out: '/nonexistent-dir/x.ndjson' }, /Cannot write/)
    await fails({ ...base, out: '-', intervalMs: 0 }, /--interval must be a positive number/)
    await fails({ ...base, out: '-', procRoot: path.join(proc.dir, 'nowhere') }, /No socket table could be read/)
  })
})
