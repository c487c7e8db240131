import { describe, expect, it } from 'vitest'
import { ConntrackSource, parseConntrackLine, type ConntrackEvent } from './conntrack.js'

describe('parseConntrackLine', () => {
  it('a TCP NEW event with a timestamp (conntrack -E -e NEW -o timestamp)', () => {
    const line = '[1796622915.536528]\t    [NEW] tcp      6 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=48594 dport=9000 [UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=9000 dport=48594'
    expect(parseConntrackLine(line)).toEqual({
      type: 'event',
      event: { time: 1796622915536, protocol: 'tcp', src: '127.0.0.1', dst: '127.0.0.1', sport: 48594, dport: 9000, state: 'SYN_SENT' },
    })
  })

  it('UDP has no state word; the reply tuple does not override the original', () => {
    const line = '[1796622996.104762]\t    [NEW] udp      17 30 src=10.0.0.5 dst=10.0.0.2 sport=39663 dport=53 [UNREPLIED] src=10.0.0.2 dst=10.0.0.5 sport=53 dport=39663'
    expect(parseConntrackLine(line)).toEqual({ type: 'event', event: { time: 1796622996104, protocol: 'udp', src: '10.0.0.5', dst: '10.0.0.2', sport: 39663, dport: 53 } })
  })

  it('without timestamp, with -o extended, IPv6, zones and marks', () => {
    expect(parseConntrackLine('    [NEW] tcp      6 120 SYN_SENT src=192.0.2.2 dst=198.51.100.7 sport=51000 dport=443 [UNREPLIED] src=198.51.100.7 dst=192.0.2.2 sport=443 dport=51000')).toMatchObject({
      type: 'event',
      event: { protocol: 'tcp', src: '192.0.2.2', dst: '198.51.100.7', sport: 51000, dport: 443 },
    })
    const ext = parseConntrackLine('    [NEW] ipv6     10 tcp      6 120 SYN_SENT src=2001:DB8::1 dst=2001:db8:0:0::2 sport=40000 dport=5432 [UNREPLIED] src=2001:db8::2 dst=2001:db8::1 sport=5432 dport=40000 zone=3 mark=0')
    expect(ext).toEqual({ type: 'event', event: { protocol: 'tcp', src: '2001:db8::1', dst: '2001:db8::2', sport: 40000, dport: 5432, state: 'SYN_SENT' } })
    expect(parseConntrackLine('    [NEW] tcp      6 120 SYN_SENT src=::ffff:10.0.0.1 dst=10.0.0.2 sport=1 dport=2')).toMatchObject({ event: { src: '10.0.0.1' } })
  })

  it('[UPDATE], [DESTROY] and other protocols are ignored, not malformed', () => {
    expect(parseConntrackLine(' [UPDATE] tcp      6 60 SYN_RECV src=127.0.0.1 dst=127.0.0.1 sport=48594 dport=9000 src=127.0.0.1 dst=127.0.0.1 sport=9000 dport=48594')).toEqual({ type: 'ignored', reason: 'update' })
    expect(parseConntrackLine('[1796622915.6]\t[DESTROY] tcp      6 src=127.0.0.1 dst=127.0.0.1 sport=1 dport=2')).toEqual({ type: 'ignored', reason: 'destroy' })
    expect(parseConntrackLine('    [NEW] icmp     1 30 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=7 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=7')).toEqual({ type: 'ignored', reason: 'protocol' })
    expect(parseConntrackLine('')).toEqual({ type: 'ignored', reason: 'empty' })
  })

  it.each([
    ['conntrack v1.4.7 (conntrack-tools): 2 flow events have been shown.'],
    ['[NEW] tcp 6 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=48594'],
    ['[NEW] tcp 6 120 SYN_SENT src=999.0.0.1 dst=127.0.0.1 sport=1 dport=2'],
    ['[NEW] tcp 6 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=1 dport=70000'],
    ['[NEW] tcp 17 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=1 dport=2'],
    ['[NEW] tcp 6 120 SYN_SENT src=127.0.0.1 junk dst=127.0.0.1 sport=1 dport=2'],
    ['[NEW]'],
    ['[1796622915.536528]'],
  ])('malformed: %s', (line) => {
    expect(parseConntrackLine(line).type).toBe('malformed')
  })
})

describe.each(['fifo', 'pipe'] as const)('ConntrackSource (%s transport)', (transport) => {
  const script = (lines: string[], tail = ''): string[] => ['-e', `for (const l of ${JSON.stringify(lines)}) process.stdout.write(l + '\\n'); ${tail}`]

  it('turns a child process’s lines into events, counts the rest, and says once that it exited', async () => {
    const events: ConntrackEvent[] = []
    const logs: string[] = []
    const src = new ConntrackSource({
      transport,
      command: process.execPath,
      args: script(
        [
          '[1796622915.536528]\t    [NEW] tcp      6 120 SYN_SENT src=127.0.0.1 dst=127.0.0.1 sport=48594 dport=9000 [UNREPLIED] src=127.0.0.1 dst=127.0.0.1 sport=9000 dport=48594',
          ' [UPDATE] tcp      6 60 SYN_RECV src=127.0.0.1 dst=127.0.0.1 sport=48594 dport=9000',
          'not a conntrack line',
          '    [NEW] udp      17 30 src=127.0.0.1 dst=127.0.0.53 sport=4000 dport=53',
        ],
        "process.stderr.write('conntrack v1.4.7 (conntrack-tools): Operation not permitted\\n'); process.exitCode = 1",
      ),
      onEvent: (e) => events.push(e),
      log: (l) => logs.push(l),
    })
    src.start()
    while (src.stats.status === 'starting' || src.stats.status === 'running') await new Promise((r) => setTimeout(r, 20))
    await src.stop()
    expect(logs).toEqual(['conntrack exited (code 1: conntrack v1.4.7 (conntrack-tools): Operation not permitted); continuing with procfs polling alone'])
    expect(events.map((e) => `${e.protocol} ${e.src}:${e.sport}>${e.dst}:${e.dport}`)).toEqual(['tcp 127.0.0.1:48594>127.0.0.1:9000', 'udp 127.0.0.1:4000>127.0.0.53:53'])
    expect(src.stats).toMatchObject({ events: 2, ignored: 1, malformed: 1 })
  })

  it('stop() ends a running conntrack without reporting an exit', async () => {
    const logs: string[] = []
    const src = new ConntrackSource({
      transport, command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], onEvent: () => undefined, log: (l) => logs.push(l) })
    src.start()
    while (src.stats.status === 'starting') await new Promise((r) => setTimeout(r, 10))
    expect(src.stats.status).toBe('running')
    await src.stop()
    expect(src.stats.status).toBe('stopped')
    expect(logs).toEqual([])
  })

  it('a conntrack that exits on its own is reported once, with its error', async () => {
    const logs: string[] = []
    const src = new ConntrackSource({
      transport,
      command: process.execPath,
      args: ['-e', "process.stderr.write('conntrack v1.4.7 (conntrack-tools): Operation not permitted\\n'); process.exit(1)"],
      onEvent: () => undefined,
      log: (l) => logs.push(l),
    })
    src.start()
    await new Promise((r) => setTimeout(r, 50))
    while (src.stats.status === 'starting' || src.stats.status === 'running') await new Promise((r) => setTimeout(r, 20))
    expect(src.stats.status).toBe('exited')
    expect(logs).toEqual(['conntrack exited (code 1: conntrack v1.4.7 (conntrack-tools): Operation not permitted); continuing with procfs polling alone'])
    await src.stop()
    expect(logs).toHaveLength(1)
  })

  it('a missing conntrack binary is reported once', async () => {
    const logs: string[] = []
    const src = new ConntrackSource({
      transport, command: '/nonexistent/conntrack', args: [], onEvent: () => undefined, log: (l) => logs.push(l) })
    src.start()
    await src.stop()
    expect(src.stats.status).toBe('missing')
    expect(logs).toEqual(['conntrack not found (install the conntrack package); continuing with procfs polling alone'])
  })

  it('counts ENOBUFS overrun warnings and lines split across chunks', async () => {
    const events: ConntrackEvent[] = []
    const line = '    [NEW] tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=22'
    const src = new ConntrackSource({
      transport,
      command: process.execPath,
      args: [
        '-e',
        `const l = ${JSON.stringify(line)}; process.stdout.write(l.slice(0, 20)); setTimeout(() => { process.stdout.write(l.slice(20) + '\\n'); process.stderr.write('WARNING: We have hit ENOBUFS! We are losing events.\\n') }, 30)`,
      ],
      onEvent: (e) => events.push(e),
      log: () => undefined,
    })
    src.start()
    while (src.stats.status === 'starting' || src.stats.status === 'running') await new Promise((r) => setTimeout(r, 20))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ src: '10.0.0.1', dport: 22 })
    expect(src.stats.overruns).toBe(1)
  })

  it('many events written one by one within one read interval all arrive, in order', async () => {
    const events: ConntrackEvent[] = []
    const src = new ConntrackSource({
      transport,
      command: process.execPath,
      args: [
        '-e',
        `let i = 0; const t = setInterval(() => { for (let k = 0; k < 50; k++, i++) process.stdout.write('    [NEW] udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=' + (1000 + i) + ' dport=53\\n'); if (i >= 2000) { clearInterval(t) } }, 1)`,
      ],
      onEvent: (e) => events.push(e),
      log: () => undefined,
    })
    src.start()
    while (src.stats.status === 'starting' || src.stats.status === 'running') await new Promise((r) => setTimeout(r, 20))
    expect(src.transport).toBe(transport)
    expect(events).toHaveLength(2000)
    expect(events.map((e) => e.sport)).toEqual(Array.from({ length: 2000 }, (_, i) => 1000 + i))
  })
})
