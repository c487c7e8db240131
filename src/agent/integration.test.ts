/**
 * The agent against this machine's real /proc: sockets opened by the test process itself must
 * come back attributed to it. When root with `unshare`, `nft` and `conntrack` available, the
 * real conntrack tool is run in a fresh network namespace where tracking is switched on.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import dgram from 'node:dgram'
import fs from 'node:fs'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AgentRecord } from '../flows/index.js'
import { runAgent } from './agent.js'
import { MemorySink } from './test-support.js'

const linux = process.platform === 'linux' && fs.existsSync('/proc/net/tcp')
const ssWorks = linux && spawnSync('ss', ['-V'], { encoding: 'utf8' }).stdout?.includes('iproute2-')

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer)
  return h.digest('hex')
}

describe.skipIf(!linux)('agent on the real /proc', () => {
  let server: net.Server
  let client: net.Socket
  let accepted: net.Socket
  let udp: dgram.Socket
  let port: number
  let udpPort: number

  beforeAll(async () => {
    const acceptedP = new Promise<net.Socket>((resolve) => {
      server = net.createServer((s) => resolve(s))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as net.AddressInfo).port
    client = net.connect(port, '127.0.0.1')
    await new Promise<void>((r) => client.once('connect', () => r()))
    accepted = await acceptedP
    udp = dgram.createSocket('udp4')
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r))
    udpPort = udp.address().port
  })

  afterAll(async () => {
    client?.destroy()
    accepted?.destroy()
    udp?.close()
    await new Promise((r) => server?.close(r))
  })

  it('one poll finds this process’s listener and both ends of its connection, with its identity', async () => {
    const sink = new MemorySink()
    const summary = await runAgent({ once: true, sinks: [sink], log: () => undefined })
    const mine = sink.records.filter((x) => x.process?.pid === process.pid)
    const listen = mine.find((x) => x.kind === 'listen' && x.protocol === 'tcp' && x.local.port === port)
    const outbound = mine.find((x) => x.kind === 'connection' && x.direction === 'outbound' && x.remote?.port === port)
    const inbound = mine.find((x) => x.kind === 'connection' && x.direction === 'inbound' && x.local.port === port)
    const udpListen = mine.find((x) => x.kind === 'listen' && x.protocol === 'udp' && x.local.port === udpPort)
    expect(listen).toMatchObject({ local: { ip: '127.0.0.1', port }, source: 'procfs', count: 1 })
    expect(outbound).toMatchObject({ protocol: 'tcp', local: { ip: '127.0.0.1', port: 0 }, remote: { ip: '127.0.0.1', port } })
    expect(inbound).toMatchObject({ protocol: 'tcp', local: { ip: '127.0.0.1', port }, remote: { ip: '127.0.0.1', port: 0 } })
    expect(udpListen).toMatchObject({ local: { ip: '127.0.0.1', port: udpPort } })
    const p = listen!.process!
    expect(p.exePath).toBe(process.execPath)
    expect(p.exeSha256).toBe(await sha256File(process.execPath))
    expect(p.uid).toBe(process.getuid!())
    const user = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((l) => l.split(':'))
      .find((f) => f[2] === String(process.getuid!()))?.[0]
    if (user) expect(p.user).toBe(user)
    expect(p.cgroup).toMatch(/^\//)
    for (const r of [outbound!, inbound!, udpListen!]) expect(r.process).toEqual(p)
    // the node binary was hashed once, whatever number of node processes hold sockets
    expect(summary.identities.hashedBytes).toBeGreaterThanOrEqual(fs.statSync(process.execPath).size)
  })

  it.skipIf(!ssWorks)('ss (netlink sock_diag) and /proc/net find this process’s sockets alike', async () => {
    const mine = async (socketTables: 'ss' | 'procfs'): Promise<{ records: string[]; tables: { ss: number; procfs: number } }> => {
      const sink = new MemorySink()
      const logs: string[] = []
      const summary = await runAgent({ once: true, sinks: [sink], socketTables, log: (l) => logs.push(l) })
      expect(logs.filter((l) => /ss /.test(l))).toEqual([])
      const records = sink.records
        .filter((x) => x.process?.pid === process.pid && (x.local.port === port || x.remote?.port === port || x.local.port === udpPort))
        .map((x) => `${x.kind} ${x.protocol} ${x.direction ?? '-'} ${x.local.ip}:${x.local.port} ${x.remote ? `${x.remote.ip}:${x.remote.port}` : '-'} ${x.process?.exeSha256}`)
        .sort()
      return { records, tables: summary.tables }
    }
    const viaSs = await mine('ss')
    const viaProcfs = await mine('procfs')
    expect(viaSs.tables).toMatchObject({ ss: 1, procfs: 0 })
    expect(viaProcfs.tables).toMatchObject({ ss: 0, procfs: 1 })
    expect(viaSs.records).toHaveLength(4)
    expect(viaSs.records).toEqual(viaProcfs.records)
  })
})

function have(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 })
  return r.status === 0
}
const conntrackWorks =
  linux && process.getuid?.() === 0 && have('conntrack', ['--version']) && have('nft', ['--version']) && have('ip', ['-V']) && have('unshare', ['-n', 'true'])

describe.skipIf(!conntrackWorks)('agent with the real conntrack tool', () => {
  it('turns the NEW events of a network namespace with tracking on into conntrack records', async () => {
    const tcpPort = 40000 + Math.floor(Math.random() * 20000)
    const traffic = `const net = require('net'); const s = net.createServer((c) => c.end()).listen(${tcpPort}, '127.0.0.1', () => { const c = net.connect(${tcpPort}, '127.0.0.1', () => { c.end(); require('dgram').createSocket('udp4').send('x', 5353, '127.0.0.1', () => setTimeout(() => process.exit(0), 100)) }) })`
    const script = [
      'set -e',
      'ip link set lo up',
      'nft add table inet phiwall_agent_test',
      "nft add chain inet phiwall_agent_test out '{ type filter hook output priority 0; }'",
      'nft add rule inet phiwall_agent_test out ct state new counter',
      `(sleep 0.7; ${JSON.stringify(process.execPath)} -e ${JSON.stringify(traffic).replace(/\$/g, '\\$')}) >/dev/null 2>&1 &`,
      'exec conntrack -E -e NEW -o timestamp',
    ].join('\n')
    const sink = new MemorySink()
    const logs: string[] = []
    const summary = await runAgent({ sinks: [sink], intervalMs: 300, flushMs: 10_000, durationS: 2.5, conntrackCommand: { command: 'unshare', args: ['-n', 'sh', '-c', script] }, log: (l) => logs.push(l) })
    expect(logs.filter((l) => l.includes('conntrack'))).toEqual([])
    expect(summary.conntrack).toMatchObject({ status: 'stopped', malformed: 0 })
    expect(summary.conntrack.events).toBeGreaterThanOrEqual(2)
    const ct = sink.records.filter((x) => x.source === 'conntrack')
    const find = (pred: (x: AgentRecord) => boolean): AgentRecord | undefined => ct.find(pred)
    // 127.0.0.1 is this host on both ends: one outbound and one inbound record per connection
    expect(find((x) => x.protocol === 'tcp' && x.direction === 'outbound' && x.remote?.port === tcpPort)).toMatchObject({ local: { ip: '127.0.0.1', port: 0 }, remote: { ip: '127.0.0.1', port: tcpPort } })
    expect(find((x) => x.protocol === 'tcp' && x.direction === 'inbound' && x.local.port === tcpPort)).toMatchObject({ remote: { ip: '127.0.0.1', port: 0 } })
    expect(find((x) => x.protocol === 'udp' && x.direction === 'outbound' && x.remote?.port === 5353)).toBeDefined()
    for (const x of ct) expect(x.firstSeen).toBeGreaterThan(Date.now() - 60_000)
  })
})
