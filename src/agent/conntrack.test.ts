import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalIp } from './addresses.js'
import { ConntrackSource, parseConntrackLine, type ConntrackEvent, type ConntrackParse } from './conntrack.js'

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * The agent’s first conntrack parser (string, regex and split per line; the milliseconds now taken from the fraction’s digits), kept as the reference
 * the byte parser is checked against.
 */
function referenceParse(line: string): ConntrackParse {
  const port = (text: string | undefined): number => {
    if (text === undefined || !/^\d{1,5}$/.test(text)) return -1
    const n = Number(text)
    return n <= 65535 ? n : -1
  }
  const tokens = line.trim().split(/\s+/)
  if (tokens.length === 1 && tokens[0] === '') return { type: 'ignored', reason: 'empty' }
  let i = 0
  let time: number | undefined
  const ts = /^\[(\d{1,12})(?:\.(\d{1,9}))?\]$/.exec(tokens[0]!)
  if (ts) {
    time = Number(ts[1]) * 1000 + (ts[2] ? Number(ts[2].padEnd(3, '0').slice(0, 3)) : 0)
    i++
  }
  const ev = tokens[i++]
  if (ev === '[UPDATE]') return { type: 'ignored', reason: 'update' }
  if (ev === '[DESTROY]') return { type: 'ignored', reason: 'destroy' }
  if (ev !== '[NEW]') return { type: 'malformed', reason: 'no event type' }
  if ((tokens[i] === 'ipv4' || tokens[i] === 'ipv6') && /^\d+$/.test(tokens[i + 1] ?? '')) i += 2
  const proto = tokens[i++]
  const protoNum = tokens[i++]
  if (proto === undefined || !/^[a-z0-9-]+$/.test(proto) || protoNum === undefined || !/^\d{1,3}$/.test(protoNum)) return { type: 'malformed', reason: 'no protocol' }
  if (proto !== 'tcp' && proto !== 'udp') return { type: 'ignored', reason: 'protocol' }
  if ((proto === 'tcp' && protoNum !== '6') || (proto === 'udp' && protoNum !== '17')) return { type: 'malformed', reason: 'protocol number does not match its name' }
  if (/^\d+$/.test(tokens[i] ?? '')) i++
  let state: string | undefined
  if (tokens[i] !== undefined && /^[A-Z][A-Z_0-9]*$/.test(tokens[i]!)) state = tokens[i++]
  const tuple = new Map<string, string>()
  for (; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.startsWith('[')) {
      if (tuple.has('src')) break
      continue
    }
    const eq = t.indexOf('=')
    if (eq <= 0) return { type: 'malformed', reason: 'unexpected token' }
    const k = t.slice(0, eq)
    if (tuple.has(k)) break
    tuple.set(k, t.slice(eq + 1))
  }
  const src = canonicalIp(tuple.get('src') ?? '')
  const dst = canonicalIp(tuple.get('dst') ?? '')
  const sport = port(tuple.get('sport'))
  const dport = port(tuple.get('dport'))
  if (src === undefined || dst === undefined) return { type: 'malformed', reason: 'missing or invalid address' }
  if (sport < 0 || dport < 0) return { type: 'malformed', reason: 'missing or invalid port' }
  const event: ConntrackEvent = { protocol: proto, src, dst, sport, dport }
  if (time !== undefined) event.time = time
  if (state !== undefined) event.state = state
  return { type: 'event', event }
}

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

  it('conntrack 1.4.7 output captured on this machine: TCP and UDP over IPv4 and IPv6', () => {
    const lines = fs.readFileSync(path.join(here, 'testdata', 'conntrack-new.txt'), 'latin1').trimEnd().split('\n')
    const events = lines.map((l) => parseConntrackLine(l)).map((r) => (r.type === 'event' ? r.event : r))
    expect(events).toHaveLength(20)
    expect(events.slice(0, 4)).toEqual([
      { time: 1796626836457, protocol: 'tcp', src: '127.0.0.1', dst: '127.0.0.1', sport: 42836, dport: 18999, state: 'SYN_SENT' },
      { time: 1796626836457, protocol: 'tcp', src: '::1', dst: '::1', sport: 60096, dport: 18998, state: 'SYN_SENT' },
      { time: 1796626836457, protocol: 'udp', src: '127.0.0.1', dst: '127.0.0.53', sport: 34803, dport: 53 },
      { time: 1796626836457, protocol: 'udp', src: '::1', dst: '::1', sport: 39975, dport: 5353 },
    ])
    for (const e of events) expect(e).toMatchObject({ protocol: expect.stringMatching(/^(tcp|udp)$/), sport: expect.any(Number) })
  })

  it('decodes the timestamp’s milliseconds from its digits', () => {
    const at = (ts: string): number | undefined => {
      const r = parseConntrackLine(`${ts}\t[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2`)
      return r.type === 'event' ? r.event.time : -1
    }
    expect(at('[1796622915.536528]')).toBe(1796622915536)
    expect(at('[1796622915.000999]')).toBe(1796622915000)
    expect(at('[1796622915.5]')).toBe(1796622915500)
    expect(at('[1796622915.57]')).toBe(1796622915570)
    expect(at('[1796622915]')).toBe(1796622915000)
    expect(at('[1796622915.]')).toBe(-1)
    expect(at('[17966.229.15]')).toBe(-1)
  })
})

describe('parseConntrackLine against the reference parser', () => {
  const same = (line: string): void => {
    const got = parseConntrackLine(line)
    const want = referenceParse(line)
    if (want.type === 'malformed') expect(got.type).toBe('malformed')
    else expect(got).toEqual(want)
  }

  it('lines built from conntrack tokens', () => {
    const token = fc.oneof(
      fc.constantFrom('[NEW]', '[UPDATE]', '[DESTROY]', '[UNREPLIED]', '[ASSURED]', 'tcp', 'udp', 'icmp', 'dccp', '6', '17', '120', '30', 'SYN_SENT', 'ESTABLISHED', 'ipv4', 'ipv6', '2', '10', '[1796622915.536528]', '[1796622915]'),
      fc
        .tuple(fc.constantFrom('src', 'dst', 'sport', 'dport', 'zone', 'mark', 'use', 'id'), fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4().map((a) => `::ffff:${a}`), fc.nat(70000).map(String), fc.string({ maxLength: 5 })))
        .map(([k, v]) => `${k}=${v}`),
      fc.string({ maxLength: 6 }),
    )
    const sep = fc.constantFrom(' ', '  ', '\t', ' \t    ')
    fc.assert(
      fc.property(fc.array(fc.tuple(token, sep), { maxLength: 18 }), (parts) => same(parts.map(([t, s]) => t + s).join(''))),
      { numRuns: 5000 },
    )
  })

  it('well-formed events: a tuple in the usual order, then the reply tuple', () => {
    const addr = fc.oneof(fc.ipV4(), fc.ipV6())
    const line = fc
      .record({
        ts: fc.option(fc.tuple(fc.integer({ min: 0, max: 2 ** 40 }), fc.stringMatching(/^\d{0,9}$/)), { nil: undefined }),
        ext: fc.boolean(),
        proto: fc.constantFrom(['tcp', 6], ['udp', 17], ['icmp', 1]),
        state: fc.constantFrom('SYN_SENT', 'ESTABLISHED', 'TIME_WAIT', ''),
        src: addr,
        dst: addr,
        sport: fc.integer({ min: 0, max: 65535 }),
        dport: fc.integer({ min: 0, max: 65535 }),
        extra: fc.constantFrom('', ' zone=3', ' mark=0 use=1', ' [ASSURED]'),
        // an assured connection's reply tuple follows without [UNREPLIED]
        unreplied: fc.boolean(),
      })
      .map((r) => {
        const ts = r.ts ? `[${r.ts[0]}${r.ts[1] ? `.${r.ts[1]}` : ''}]\t` : ''
        const l3 = r.ext ? `${r.src.includes(':') ? 'ipv6 10' : 'ipv4 2'} ` : ''
        return `${ts}    [NEW] ${l3}${r.proto[0]}      ${r.proto[1]} 120 ${r.state}${r.state ? ' ' : ''}src=${r.src} dst=${r.dst} sport=${r.sport} dport=${r.dport}${r.extra}${r.unreplied ? ' [UNREPLIED]' : ''} src=${r.dst} dst=${r.src} sport=${r.dport} dport=${r.sport}`
      })
    fc.assert(fc.property(line, same), { numRuns: 3000 })
  })

  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), same), { numRuns: 3000 })
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

/** The scheduler state of a process (`R`, `S`, `T` stopped…), or undefined once it is gone. */
function stateOf(pid: number): string | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1')
    return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3)
  } catch {
    return undefined
  }
}

/** Fraction of `n` samples, `everyMs` apart, that found the process stopped. */
async function stoppedShare(pid: number, n: number, everyMs: number): Promise<number> {
  let stopped = 0
  for (let i = 0; i < n; i++) {
    if (stateOf(pid) === 'T') stopped++
    await new Promise((r) => setTimeout(r, everyMs))
  }
  return stopped / n
}

const linux = process.platform === 'linux' && fs.existsSync('/proc/self/stat')
const setprivWorks = linux && spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true']).status === 0
const python = linux && spawnSync('python3', ['-c', 'import ctypes']).status === 0

describe.skipIf(!setprivWorks)('ConntrackSource paced (SIGSTOP / SIGCONT)', () => {
  // a conntrack stand-in printing one NEW event every `ms`, with sport counting up from 1000
  const stream = (ms: number): string[] => [
    '-e',
    `let i = 0; setInterval(() => process.stdout.write('[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=' + (1000 + (i++ % 60000)) + ' dport=53\\n'), ${ms}); process.on('SIGTERM', () => { process.stdout.write('[NEW] tcp 6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=9 dport=9\\n'); process.exit(0) })`,
  ]

  it('keeps conntrack stopped between short runs; every event arrives, in order; stop() lets it finish', async () => {
    const events: ConntrackEvent[] = []
    const logs: string[] = []
    const src = new ConntrackSource({ command: process.execPath, args: stream(2), paceMs: 100, paceRunMs: 5, onEvent: (e) => events.push(e), log: (l) => logs.push(l) })
    src.start()
    expect(src.stats.paced).toBe(true)
    await new Promise((r) => setTimeout(r, 400))
    const share = await stoppedShare(src.pid!, 60, 7)
    const t0 = Date.now()
    await src.stop()
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(logs).toEqual([])
    expect(src.stats.status).toBe('stopped')
    // stopped most of the time: 5 ms runs in 100 ms cycles
    expect(share).toBeGreaterThan(0.6)
    const udp = events.filter((e) => e.protocol === 'udp').map((e) => e.sport)
    expect(udp.length).toBeGreaterThan(10)
    expect(udp).toEqual(Array.from({ length: udp.length }, (_, i) => 1000 + i))
    // the line written on SIGTERM: stop() let the stopped child run before telling it to exit
    expect(events.at(-1)).toMatchObject({ protocol: 'tcp', sport: 9 })
  })

  it('runs unpaced while events come faster than a pause can hold, without losing or reordering any', async () => {
    const events: ConntrackEvent[] = []
    // 40 events per ms of wall-clock time, as the kernel queues them: a stand-in that is stopped, or
    // starved of CPU on a loaded host, prints what came meanwhile once it runs again (a plain
    // setInterval would print less after each pause and so look slower than it is)
    const line = "'[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=' + (1000 + (i % 60000)) + ' dport=53\\n'"
    const args = ['-e', `const t0 = Date.now(); let i = 0; setInterval(() => { const due = (Date.now() - t0) * 40; let s = ''; for (; i < due; i++) s += ${line}; process.stdout.write(s) }, 1)`]
    const src = new ConntrackSource({ command: process.execPath, args, paceMs: 250, onEvent: (e) => events.push(e), log: () => undefined })
    src.start()
    await new Promise((r) => setTimeout(r, 600))
    const share = await stoppedShare(src.pid!, 50, 7)
    await src.stop()
    // 40 events per ms: a pause would overfill conntrack's socket, so it is let run
    expect(share).toBeLessThan(0.3)
    expect(events.length).toBeGreaterThan(5000)
    const udp = events.filter((e) => e.protocol === 'udp').map((e) => e.sport)
    expect(udp.slice(0, 5000)).toEqual(Array.from({ length: 5000 }, (_, i) => 1000 + i))
  })

  it('without setpriv, conntrack runs unpaced', async () => {
    const events: ConntrackEvent[] = []
    const src = new ConntrackSource({ command: process.execPath, args: stream(5), setpriv: null, onEvent: (e) => events.push(e), log: () => undefined })
    src.start()
    expect(src.stats.paced).toBe(false)
    await new Promise((r) => setTimeout(r, 300))
    const share = await stoppedShare(src.pid!, 30, 7)
    await src.stop()
    expect(share).toBe(0)
    expect(events.length).toBeGreaterThan(10)
  })

  it('a run ends only once conntrack is asleep again: one that gets the CPU late is not stopped mid-work', async () => {
    // the stand-in streams an event every 2 ms and, each time it is continued, works 30 ms before it
    // reports (dport 99) how long that took: stopped in between, the report would show the pause too
    const args = [
      '-e',
      "let i = 0; setInterval(() => process.stdout.write('[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=' + (1000 + i++) + ' dport=53\\n'), 2); process.on('SIGCONT', () => { const t = Date.now(); while (Date.now() - t < 30); process.stdout.write('[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=' + (Date.now() - t) + ' dport=99\\n') })",
    ]
    const events: ConntrackEvent[] = []
    const src = new ConntrackSource({ command: process.execPath, args, paceMs: 150, paceRunMs: 5, onEvent: (e) => events.push(e), log: () => undefined })
    src.start()
    await new Promise((r) => setTimeout(r, 1500))
    await src.stop()
    const work = events.filter((e) => e.dport === 99).map((e) => e.sport)
    expect(work.length).toBeGreaterThan(3)
    for (const ms of work) expect(ms).toBeLessThan(90)
  })

  it('without events conntrack runs freely; a burst after the quiet is read whole, then the stream is paced', async () => {
    const line = "'[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=' + (1000 + (i++ % 60000)) + ' dport=53\\n'"
    const args = ['-e', `let i = 0; setTimeout(() => { let s = ''; for (let k = 0; k < 3000; k++) s += ${line}; process.stdout.write(s); setInterval(() => process.stdout.write(${line}), 2) }, 700)`]
    const events: ConntrackEvent[] = []
    const src = new ConntrackSource({ command: process.execPath, args, paceMs: 100, paceRunMs: 5, onEvent: (e) => events.push(e), log: () => undefined })
    src.start()
    await new Promise((r) => setTimeout(r, 200))
    const quiet = await stoppedShare(src.pid!, 40, 10)
    await new Promise((r) => setTimeout(r, 600))
    const streaming = await stoppedShare(src.pid!, 60, 7)
    await src.stop()
    expect(quiet).toBe(0)
    expect(streaming).toBeGreaterThan(0.6)
    const ports = events.map((e) => e.sport)
    expect(ports.length).toBeGreaterThan(3000)
    expect(ports).toEqual(Array.from({ length: ports.length }, (_, i) => 1000 + i))
  })

  it.skipIf(!python)('a paced conntrack gets SIGKILL as its parent-death signal; an unpaced one none', async () => {
    // the stand-in reports its own PR_GET_PDEATHSIG (prctl option 2) as the source port of an event
    const args = ['-c', "import ctypes, sys, time\nsig = ctypes.c_int(0)\nctypes.CDLL(None).prctl(2, ctypes.byref(sig), 0, 0, 0)\nsys.stdout.write('[NEW] udp 17 30 src=10.0.0.1 dst=10.0.0.2 sport=%d dport=53\\n' % sig.value)\nsys.stdout.flush()\ntime.sleep(30)\n"]
    const run = async (paceMs: number): Promise<number | undefined> => {
      const events: ConntrackEvent[] = []
      const src = new ConntrackSource({ command: 'python3', args, paceMs, onEvent: (e) => events.push(e), log: () => undefined })
      src.start()
      for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
      await src.stop()
      return events[0]?.sport
    }
    expect(await run(50)).toBe(9)
    expect(await run(0)).toBe(0)
  })
})
