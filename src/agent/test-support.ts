/**
 * Test helpers: write socket tables the way the kernel prints them, build a fake `/proc` tree,
 * and collect records in memory.
 */
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { AgentRecord } from '../flows/index.js'
import type { RecordSink } from './sinks.js'

export interface TableRow {
  localIp: string
  localPort: number
  remoteIp: string
  remotePort: number
  state: number
  uid: number
  inode: number
}

/** Network-order bytes of an IPv4 or IPv6 address (IPv4 as IPv4-mapped when `family` is 6). */
export function addressBytes(ip: string, family: 4 | 6): Uint8Array {
  if (family === 4) return Uint8Array.from(ip.split('.').map(Number))
  if (net.isIPv4(ip)) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...ip.split('.').map(Number)])
  // an embedded IPv4 tail (`::ffff:10.0.0.5`) is two groups
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip)
  if (v4) {
    const o = v4[2]!.split('.').map(Number)
    ip = `${v4[1]}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`
  }
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
  const out = new Uint8Array(16)
  groups.forEach((g, i) => {
    const v = parseInt(g, 16)
    out[i * 2] = v >> 8
    out[i * 2 + 1] = v & 0xff
  })
  return out
}

/** `%08X` words of an address as a little-endian (or big-endian) kernel prints them. */
export function kernelHex(bytes: Uint8Array, littleEndian = true): string {
  let s = ''
  for (let w = 0; w < bytes.length; w += 4) {
    const word = littleEndian ? [bytes[w + 3]!, bytes[w + 2]!, bytes[w + 1]!, bytes[w]!] : [bytes[w]!, bytes[w + 1]!, bytes[w + 2]!, bytes[w + 3]!]
    s += word.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('')
  }
  return s
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0')

/** A socket table as `/proc/net/{tcp,udp}[6]` prints it (net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c, net/ipv4/udp.c). */
export function formatProcNet(rows: TableRow[], protocol: 'tcp' | 'udp', family: 4 | 6, littleEndian = true): string {
  const header =
    family === 4
      ? `${protocol === 'udp' ? '   sl' : '  sl'}  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode${protocol === 'udp' ? ' ref pointer drops' : ''}`
      : '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'
  const lines = [header]
  rows.forEach((r, i) => {
    const sl = String(i).padStart(protocol === 'udp' ? 5 : 4)
    const local = kernelHex(addressBytes(r.localIp, family), littleEndian)
    const remote = kernelHex(addressBytes(r.remoteIp, family), littleEndian)
    const st = r.state.toString(16).toUpperCase().padStart(2, '0')
    let line = `${sl}: ${local}:${hex4(r.localPort)} ${remote}:${hex4(r.remotePort)} ${st} 00000000:00000000 00:00000000 00000000 ${String(r.uid).padStart(5)} ${'0'.padStart(8)} ${r.inode} 1 0000000000000000 100 0 0 10 0`
    if (family === 4 && protocol === 'tcp') line = line.padEnd(149)
    lines.push(line)
  })
  return `${lines.join('\n')}\n`
}

export interface FakeProcess {
  pid: number
  /** The executable the `exe` link points at (created with `exeContent`), or null for an unreadable link. */
  exe: string | null
  exeContent?: string
  uid: number
  cgroup?: string
  /** fd number → link target (`socket:[123]`, `/dev/null`, `pipe:[9]`). */
  fds: Record<string, string>
  startTime?: string
  comm?: string
}

export interface FakeProc {
  root: string
  passwd: string
  dir: string
  /** Add or replace an fd of a process. */
  setFd(pid: number, fd: string, target: string): void
  /** Rewrite a socket table. */
  setTable(file: 'tcp' | 'tcp6' | 'udp' | 'udp6', text: string): void
  cleanup(): void
}

/** A `/proc` tree in a temporary directory: `net/*` tables and `<pid>/{stat,status,cgroup,exe,fd/*}`. */
export function fakeProc(tables: Partial<Record<'tcp' | 'tcp6' | 'udp' | 'udp6', string>>, processes: FakeProcess[], passwd: string): FakeProc {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-agent-proc-'))
  const root = path.join(dir, 'proc')
  fs.mkdirSync(path.join(root, 'net'), { recursive: true })
  const setTable = (file: string, text: string): void => fs.writeFileSync(path.join(root, 'net', file), text)
  for (const [file, text] of Object.entries(tables)) setTable(file, text)
  for (const p of processes) {
    const base = path.join(root, String(p.pid))
    fs.mkdirSync(path.join(base, 'fd'), { recursive: true })
    const fields = Array<string>(50).fill('0')
    fields[19] = p.startTime ?? String(1000 + p.pid)
    fs.writeFileSync(path.join(base, 'stat'), `${p.pid} (${p.comm ?? 'proc'}) S ${fields.slice(1).join(' ')}\n`)
    fs.writeFileSync(path.join(base, 'status'), `Name:\t${p.comm ?? 'proc'}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t${p.pid}\nPid:\t${p.pid}\nUid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}\nGid:\t0\t0\t0\t0\n`)
    if (p.cgroup !== undefined) fs.writeFileSync(path.join(base, 'cgroup'), p.cgroup)
    if (p.exe === null) fs.symlinkSync(path.join(dir, 'does-not-exist'), path.join(base, 'exe'))
    else {
      const target = path.join(dir, p.exe)
      fs.mkdirSync(path.dirname(target), { recursive: true })
      if (!fs.existsSync(target)) fs.writeFileSync(target, p.exeContent ?? `#!binary ${p.exe}\n`)
      fs.symlinkSync(target, path.join(base, 'exe'))
    }
    for (const [fd, target] of Object.entries(p.fds)) fs.symlinkSync(target, path.join(base, 'fd', fd))
  }
  const passwdFile = path.join(dir, 'passwd')
  fs.writeFileSync(passwdFile, passwd)
  return {
    root,
    passwd: passwdFile,
    dir,
    setFd(pid, fd, target) {
      const link = path.join(root, String(pid), 'fd', fd)
      fs.rmSync(link, { force: true })
      fs.symlinkSync(target, link)
    },
    setTable,
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A sink that keeps what it is given. */
export class MemorySink implements RecordSink {
  readonly batches: AgentRecord[][] = []
  closed = false

  get records(): AgentRecord[] {
    return this.batches.flat()
  }

  async write(records: AgentRecord[]): Promise<void> {
    this.batches.push(records)
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

/** A clock the test moves. */
export class TestClock {
  constructor(public t = 1_800_000_000_000) {}
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
}

/** The canonical text of an address, computed by the WHATWG URL parser (an oracle independent of the agent's formatter). */
export function oracleIp(ip: string): string {
  if (!ip.includes(':')) return ip
  const host = new URL(`http://[${ip}]/`).hostname.slice(1, -1)
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host)
  if (!m) return host
  const hi = parseInt(m[1]!, 16)
  const lo = parseInt(m[2]!, 16)
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

/** iproute2's state names (misc/ss.c `sstate_name`) by kernel state number. */
export const SS_STATE_NAMES: Record<number, string> = {
  1: 'ESTAB',
  2: 'SYN-SENT',
  3: 'SYN-RECV',
  4: 'FIN-WAIT-1',
  5: 'FIN-WAIT-2',
  6: 'TIME-WAIT',
  7: 'UNCONN',
  8: 'CLOSE-WAIT',
  9: 'LAST-ACK',
  10: 'LISTEN',
  11: 'CLOSING',
}

export interface SsRow extends TableRow {
  protocol: 'tcp' | 'udp'
  family: 4 | 6
  /** IPv6 socket open to IPv4 too (its wildcard address is printed `*`). */
  dualStack?: boolean
  /** Bound to a device (`%name` after the address). */
  device?: string
}

/** An address as `ss -n` prints it: IPv4 as is, IPv6 in brackets (an IPv4-mapped one in dotted form), `*` for the wildcard of a dual-stack socket. */
function ssAddress(ip: string, family: 4 | 6, dualStack: boolean): string {
  if (family === 4) return ip
  const bytes = addressBytes(ip, 6)
  if (dualStack && bytes.every((b) => b === 0)) return '*'
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  const text = mapped ? `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}` : new URL(`http://[${ip}]/`).hostname.slice(1, -1)
  return `[${text}]`
}

/** Socket rows as `ss -H -t -u -a -n -e` prints them (iproute2 6.1), column padding included. */
export function formatSs(rows: SsRow[]): string {
  return rows
    .map((r, i) => {
      const local = `${ssAddress(r.localIp, r.family, r.dualStack ?? false)}${r.device ? `%${r.device}` : ''}:${r.localPort === 0 ? '*' : r.localPort}`
      const remote = `${ssAddress(r.remoteIp, r.family, r.dualStack ?? false)}:${r.remotePort === 0 ? '*' : r.remotePort}`
      const state = SS_STATE_NAMES[r.state] ?? 'UNKNOWN'
      const details = `${r.uid ? `uid:${r.uid} ` : ''}ino:${r.inode} sk:${(i + 1).toString(16)}${r.inode ? ' cgroup:/' : ''}${r.family === 6 && r.state === 10 ? ` v6only:${r.dualStack ? 0 : 1}` : ''} <->`
      return `${r.protocol} ${state.padEnd(8)} 0      0      ${local.padStart(22)} ${remote.padStart(22)} ${details}`
    })
    .map((l) => `${l}\n`)
    .join('')
}
