import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseProcNet, TCP_STATE, type ProcNetSocket, type ProcNetStats } from './procnet.js'
import { CommandRunner, parseSs, runCollect, SsError, ssVersion } from './ss.js'
import { formatSs, oracleIp, type SsRow } from './test-support.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = (name: string): Buffer => fs.readFileSync(path.join(here, 'testdata', name))
const stats = (): ProcNetStats => ({ lines: 0, skipped: 0, malformed: 0 })
const show = (x: ProcNetSocket): string => `${x.protocol} ${x.kind} ${x.state} ${x.localIp}|${x.localPort} ${x.remoteIp}|${x.remotePort} ino=${x.inode} uid=${x.uid}`

describe('parseSs on output captured on this machine (iproute2 6.1, Linux 6.18)', () => {
  // captured in a network namespace (src/agent/testdata): a Python process held TCP listeners on
  // 127.0.0.1, 0.0.0.0, [::1] (v6only), [::] (dual stack), a link-local address bound to veth d0
  // and 2001:db8::10; connections over IPv4, IPv6 and IPv4-mapped IPv6; a SYN_SENT to a routed
  // address nobody answers; a SYN_RECV whose final ACK nftables dropped; UDP bound to 0.0.0.0,
  // to 127.0.0.53 on `lo` (SO_BINDTODEVICE), to [::] dual stack, with a fwmark, and connected
  // over IPv4 and IPv6; a listener of uid 1000
  it('every socket of the kernel-filtered states, with addresses in the procfs parser’s canonical text', () => {
    const s = stats()
    const socks = parseSs(fixture('ss-crafted.txt'), s)
    expect(s).toEqual({ lines: 25, skipped: 0, malformed: 0 })
    expect(socks.map(show)).toEqual([
      'udp listen 7 10.0.0.5|5060 0.0.0.0|0 ino=2234939 uid=0',
      'udp connection 1 10.0.0.5|46502 10.0.0.2|53 ino=2234934 uid=0',
      'udp listen 7 0.0.0.0|15353 0.0.0.0|0 ino=2234931 uid=0',
      'udp listen 7 127.0.0.53|53 0.0.0.0|0 ino=2234918 uid=0',
      'udp connection 1 ::1|53844 ::1|15354 ino=2234932 uid=0',
      'udp listen 7 ::|15355 ::|0 ino=2234933 uid=0',
      'tcp listen 10 10.0.0.5|8080 0.0.0.0|0 ino=2234940 uid=1000',
      'tcp listen 10 0.0.0.0|18081 0.0.0.0|0 ino=2234914 uid=0',
      'tcp listen 10 127.0.0.1|18082 0.0.0.0|0 ino=2234928 uid=0',
      'tcp listen 10 127.0.0.1|18080 0.0.0.0|0 ino=2234911 uid=0',
      'tcp connection 1 127.0.0.1|36732 127.0.0.1|18443 ino=2234923 uid=0',
      'tcp connection 1 127.0.0.1|34082 127.0.0.1|18080 ino=2234919 uid=0',
      'tcp connection 1 127.0.0.1|18080 127.0.0.1|34082 ino=2234920 uid=0',
      'tcp connection 1 127.0.0.1|59294 127.0.0.1|18082 ino=2234929 uid=0',
      'tcp connection 2 10.0.0.5|47102 10.9.9.9|5432 ino=2234927 uid=0',
      'tcp connection 3 127.0.0.1|18082 127.0.0.1|59294 ino=0 uid=0',
      'tcp listen 10 fe80::1|22 ::|0 ino=2234916 uid=0',
      'tcp listen 10 2001:db8::10|443 ::|0 ino=2234915 uid=0',
      'tcp listen 10 ::1|18444 ::|0 ino=2234913 uid=0',
      'tcp listen 10 ::|18443 ::|0 ino=2234912 uid=0',
      'tcp connection 1 2001:db8::99|50225 2001:db8::10|443 ino=2234925 uid=0',
      'tcp connection 1 2001:db8::10|443 2001:db8::99|50225 ino=2234926 uid=0',
      'tcp connection 1 127.0.0.1|18443 127.0.0.1|36732 ino=2234924 uid=0',
      'tcp connection 1 ::1|35106 ::1|18443 ino=2234921 uid=0',
      'tcp connection 1 ::1|18443 ::1|35106 ino=2234922 uid=0',
    ])
  })

  it('gives the same sockets as /proc/net/{tcp,tcp6,udp,udp6} read at the same moment', () => {
    const procfs = [
      ...parseProcNet(fixture('ss-crafted-proc-net-tcp.txt'), 'tcp', 4, undefined, true),
      ...parseProcNet(fixture('ss-crafted-proc-net-tcp6.txt'), 'tcp', 6, undefined, true),
      ...parseProcNet(fixture('ss-crafted-proc-net-udp.txt'), 'udp', 4, undefined, true),
      ...parseProcNet(fixture('ss-crafted-proc-net-udp6.txt'), 'udp', 6, undefined, true),
    ]
    expect(parseSs(fixture('ss-crafted.txt')).map(show).sort()).toEqual(procfs.map(show).sort())
  })

  it('without the state filter: TIME-WAIT, FIN-WAIT-2 and CLOSE-WAIT are skipped, the rest is the same', () => {
    const s = stats()
    const all = parseSs(fixture('ss-crafted-all-states.txt'), s)
    expect(s).toEqual({ lines: 28, skipped: 3, malformed: 0 })
    expect(all.map(show).sort()).toEqual(parseSs(fixture('ss-crafted.txt')).map(show).sort())
  })

  it('the host namespace under the benchmark load: services’ listeners and a connection not yet accepted (inode 0)', () => {
    const socks = parseSs(fixture('ss-host-load.txt'))
    expect(socks.filter((x) => x.kind === 'listen').map((x) => `${x.localIp}:${x.localPort}/${x.uid}`)).toEqual([
      '127.0.0.1:25672/106',
      '127.0.0.1:1883/105',
      '127.0.0.1:18999/0',
      '127.0.0.1:3306/107',
      '0.0.0.0:2024/0',
      '127.0.0.1:4222/0',
      '127.0.0.1:4369/106',
      '127.0.0.1:5432/101',
      '127.0.0.1:5672/106',
      '127.0.0.1:6379/0',
      '::1:4369/106',
      '::1:6379/0',
    ])
    expect(socks.find((x) => x.localPort === 18999 && x.kind === 'connection')).toEqual({
      protocol: 'tcp',
      kind: 'connection',
      state: TCP_STATE.ESTABLISHED,
      localIp: '127.0.0.1',
      localPort: 18999,
      remoteIp: '127.0.0.1',
      remotePort: 37204,
      inode: 0,
      uid: 0,
    })
  })
})

describe('parseSs on crafted lines', () => {
  it('a header line is skipped; lines without the columns are counted as malformed', () => {
    const text = [
      'Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
      'tcp   LISTEN 0      128        127.0.0.1:25672      0.0.0.0:*     uid:106 ino:6968 sk:1 cgroup:/ <->',
      'tcp   LISTEN 0      128        127.0.0.1:25672      0.0.0.0:*',
      'sctp  LISTEN 0      128        127.0.0.1:25672      0.0.0.0:*     ino:1',
      'tcp   WAITING 0     128        127.0.0.1:25672      0.0.0.0:*     ino:1',
      'tcp   LISTEN x      128        127.0.0.1:25672      0.0.0.0:*     ino:1',
      'tcp   LISTEN 0      128        127.0.0.1:70000      0.0.0.0:*     ino:1',
      'tcp   LISTEN 0      128        127.0.0.256:1        0.0.0.0:*     ino:1',
      'tcp   LISTEN 0      128        [::1:1               [::]:*        ino:1',
      'tcp   LISTEN 0      128        [::1]x:1             [::]:*        ino:1',
      'tcp   LISTEN 0      128        127.0.0.1:22         0.0.0.0:*     ino:x',
      'tcp   LISTEN',
      '',
      '   ',
    ].join('\n')
    const s = stats()
    expect(parseSs(Buffer.from(text), s).map((x) => x.inode)).toEqual([6968])
    expect(s).toEqual({ lines: 11, skipped: 0, malformed: 10 })
  })

  it('iproute2 before brackets (`:::22`, `::1:6379`), a scope left inside brackets, a device on IPv6, tabs', () => {
    const text = [
      'tcp LISTEN 0 128 :::22 :::* ino:10',
      'tcp ESTAB 0 0 ::1:6379 ::1:40000 ino:11',
      'tcp LISTEN 0 128 [fe80::1%eth0]:22 [::]:* ino:12',
      'tcp\tLISTEN\t0\t128\t[fe80::2]%eth1:23\t[::]:*\tino:13',
      'udp UNCONN 0 0 0.0.0.0%lo:67 0.0.0.0:* ino:14',
    ].join('\n')
    expect(parseSs(Buffer.from(text)).map((x) => `${x.kind} ${x.localIp} ${x.localPort} ${x.remoteIp} ${x.remotePort} ${x.inode}`)).toEqual([
      'listen :: 22 :: 0 10',
      'connection ::1 6379 ::1 40000 11',
      'listen fe80::1 22 :: 0 12',
      'listen fe80::2 23 :: 0 13',
      'listen 0.0.0.0 67 0.0.0.0 0 14',
    ])
  })

  it('TCP in CLOSE (UNCONN) and UDP on port 0 are skipped; IPv4-mapped and IPv4-compatible IPv6 as the procfs parser writes them', () => {
    const s = stats()
    const text = [
      'tcp UNCONN 0 0 127.0.0.1:5000 0.0.0.0:* ino:20',
      'udp UNCONN 0 0 0.0.0.0:* 0.0.0.0:* ino:21',
      'tcp ESTAB 0 0 [::ffff:10.0.0.5]:443 [::FFFF:a00:9]:50000 uid:33 ino:22',
      'tcp ESTAB 0 0 [::10.0.0.5]:443 [2001:0db8:0000::0001]:50000 ino:23',
    ].join('\n')
    expect(parseSs(Buffer.from(text), s).map((x) => `${x.localIp} ${x.remoteIp} ${x.uid}`)).toEqual(['10.0.0.5 10.0.0.9 33', '::a00:5 2001:db8::1 0'])
    expect(s).toEqual({ lines: 4, skipped: 2, malformed: 0 })
  })
})

describe('parseSs round-trips generated socket rows', () => {
  const port = fc.integer({ min: 0, max: 65535 })
  const v6 = fc.oneof(fc.ipV6(), fc.ipV4().map((a) => `::ffff:${a}`), fc.constant('::'))
  const row: fc.Arbitrary<SsRow> = fc
    .record({
      protocol: fc.constantFrom('tcp' as const, 'udp' as const),
      family: fc.constantFrom(4 as const, 6 as const),
      dualStack: fc.boolean(),
      device: fc.option(fc.constantFrom('lo', 'eth0', 'veth12ab', 'br-1'), { nil: undefined }),
      localPort: port,
      remotePort: port,
      state: fc.integer({ min: 1, max: 11 }),
      uid: fc.integer({ min: 0, max: 2 ** 31 }),
      inode: fc.integer({ min: 0, max: 2 ** 32 }),
      v4: fc.tuple(fc.oneof(fc.ipV4(), fc.constant('0.0.0.0')), fc.oneof(fc.ipV4(), fc.constant('0.0.0.0'))),
      v6: fc.tuple(v6, v6),
    })
    .map(({ v4, v6: six, device, ...r }) => ({ ...r, ...(device ? { device } : {}), localIp: r.family === 4 ? v4[0] : six[0], remoteIp: r.family === 4 ? v4[1] : six[1] }))

  it('every row comes back with the procfs parser’s rules (states, UDP listeners, canonical addresses)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const s = stats()
        const got = parseSs(Buffer.from(formatSs(rows)), s)
        const expected = rows
          .filter((r) =>
            r.protocol === 'tcp'
              ? [TCP_STATE.LISTEN, TCP_STATE.ESTABLISHED, TCP_STATE.SYN_SENT, TCP_STATE.SYN_RECV].includes(r.state as 1)
              : (r.state === TCP_STATE.CLOSE || r.state === TCP_STATE.ESTABLISHED) && r.localPort !== 0,
          )
          .map((r) => {
            const remoteIp = oracleIp(r.remoteIp)
            const listen = r.protocol === 'tcp' ? r.state === TCP_STATE.LISTEN : r.remotePort === 0 && (remoteIp === '0.0.0.0' || remoteIp === '::')
            return { protocol: r.protocol, kind: listen ? 'listen' : 'connection', state: r.state, localIp: oracleIp(r.localIp), localPort: r.localPort, remoteIp, remotePort: r.remotePort, inode: r.inode, uid: r.uid }
          })
        expect(got).toEqual(expected)
        expect(s.malformed).toBe(0)
        expect(s.lines).toBe(rows.length)
      }),
      { numRuns: 500 },
    )
  })

  it('never throws on arbitrary bytes, and reports no more sockets than lines', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.string({ maxLength: 600 }).map((x) => Buffer.from(x))), (buf) => {
        const s = stats()
        const out = parseSs(buf, s)
        expect(out.length + s.skipped + s.malformed).toBeLessThanOrEqual(s.lines)
      }),
      { numRuns: 2000 },
    )
  })

  it('real output with bytes overwritten: never throws, ports and inodes stay in range', () => {
    const real = fixture('ss-crafted.txt')
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), (edits) => {
        const b = Buffer.from(real)
        for (const [at, v] of edits) b[at] = v
        const s = stats()
        for (const x of parseSs(b, s)) {
          expect(x.localPort).toBeLessThanOrEqual(65535)
          expect(x.remotePort).toBeLessThanOrEqual(65535)
          expect(x.inode).toBeGreaterThanOrEqual(0)
        }
        expect(s.lines).toBeLessThanOrEqual(25 + 12)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('ss helpers', () => {
  it('ssVersion', () => {
    expect(ssVersion('ss utility, iproute2-6.1.0\n')).toEqual({ major: 6, minor: 1 })
    expect(ssVersion('ss utility, iproute2-5.10.0')).toEqual({ major: 5, minor: 10 })
    expect(ssVersion('ss utility, iproute2-ss180129')).toBeUndefined()
  })

  it('runCollect: the output of a command; its failures and its silence as errors', async () => {
    expect((await runCollect(process.execPath, ['-e', 'process.stdout.write("a".repeat(200000))'])).length).toBe(200000)
    await expect(runCollect(process.execPath, ['-e', 'process.stderr.write("Cannot open netlink socket\\n"); process.exit(1)'])).rejects.toThrow(/exit code 1: Cannot open netlink socket/)
    await expect(runCollect('/nonexistent/ss', [])).rejects.toBeInstanceOf(SsError)
    await expect(runCollect(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], 200)).rejects.toThrow(/no answer in 200 ms/)
  })
})

describe('CommandRunner: one long-lived shell forks the program for every run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-runner-'))
  // a stand-in for ss: its first argument picks what it does
  const prog = path.join(dir, 'prog')
  fs.writeFileSync(
    prog,
    [
      '#!/bin/sh',
      'case "$1" in',
      "  big) head -c 300000 /dev/zero | tr '\\0' a ;;",
      '  fail) echo "Cannot open netlink socket" >&2; exit 3 ;;',
      '  hang) echo $$ > "$2"; exec sleep 30 ;;',
      '  nonl) printf abc ;;',
      '  stdin) cat ;;',
      '  *) echo "$@" ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  )
  /** The process exists and is not a zombie (killed, it waits for whoever reaps it). */
  const alive = (pid: number): boolean => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
    } catch {
      return false
    }
  }

  it('gives each run its exact output, from one shell, and close() reaps the shell', async () => {
    const r = new CommandRunner(prog)
    expect((await r.run(['-H', 'state', 'established'])).toString()).toBe('-H state established\n')
    const shell = r.pid!
    expect(shell).toBeGreaterThan(0)
    const big = await r.run(['big'])
    expect(big.length).toBe(300000)
    expect(big.every((b) => b === 0x61)).toBe(true)
    // no final newline: the output ends where the program's did
    expect((await r.run(['nonl'])).toString()).toBe('abc')
    // the program's stdin is not the shell's request pipe
    expect((await r.run(['stdin'])).toString()).toBe('')
    expect((await r.run(['-4', 'x'])).toString()).toBe('-4 x\n')
    expect(r.pid).toBe(shell)
    await r.close()
    expect(r.pid).toBeUndefined()
    expect(alive(shell)).toBe(false)
  })

  it('a failing run rejects with its exit code and what it said; the next run works', async () => {
    const r = new CommandRunner(prog)
    await expect(r.run(['fail'])).rejects.toThrow(/exit code 3: Cannot open netlink socket/)
    expect((await r.run(['ok'])).toString()).toBe('ok\n')
    await r.close()
  })

  it('a run that does not answer is killed with its shell; the next run starts another shell', async () => {
    const r = new CommandRunner(prog, { timeoutMs: 300 })
    await r.run(['warm'])
    const shell = r.pid!
    const pidFile = path.join(dir, 'hang.pid')
    await expect(r.run(['hang', pidFile])).rejects.toThrow(/no answer in 300 ms/)
    const hung = Number(fs.readFileSync(pidFile, 'utf8'))
    await new Promise((res) => setTimeout(res, 100))
    expect(alive(hung)).toBe(false)
    expect(alive(shell)).toBe(false)
    expect((await r.run(['again'])).toString()).toBe('again\n')
    expect(r.pid).not.toBe(shell)
    await r.close()
  })

  it('runs are one at a time, in order', async () => {
    const r = new CommandRunner(prog)
    const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => r.run([`run${i}`])))
    expect(outs.map((b) => b.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `run${i}\n`))
    await r.close()
  })

  it('without a shell, or with arguments a shell would split, each run is a plain spawn', async () => {
    const r = new CommandRunner(prog, { shell: '/nonexistent/sh' })
    expect((await r.run(['a'])).toString()).toBe('a\n')
    expect((await r.run(['b'])).toString()).toBe('b\n')
    await expect(r.run(['fail'])).rejects.toThrow(/exit code 3/)
    const s = new CommandRunner(prog)
    expect((await s.run(['two words', 'x'])).toString()).toBe('two words x\n')
    expect(s.pid).toBeUndefined()
    await s.close()
  })

  it('the shell ends with the process that started it', async () => {
    // the built module (npm test builds first): a plain Node process cannot import TypeScript
    const built = path.resolve(here, '../../dist/agent/ss.js')
    expect(fs.existsSync(built), `${built} is missing: npm run build`).toBe(true)
    const script = `const { CommandRunner } = await import(${JSON.stringify(pathToFileURL(built).href)}); const r = new CommandRunner(${JSON.stringify(prog)}); await r.run(['x']); console.log(r.pid); process.exit(0)`
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    if (out.status !== 0) throw new Error(out.stderr)
    const shell = Number(out.stdout.trim())
    expect(shell).toBeGreaterThan(0)
    // its input closed, the shell's read fails and it exits (it is re-parented, then reaped by init)
    let gone = false
    for (let i = 0; i < 50 && !gone; i++) {
      gone = !alive(shell)
      if (!gone) await new Promise((res) => setTimeout(res, 50))
    }
    expect(gone).toBe(true)
  })
})

