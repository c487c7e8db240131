import { createRequire } from 'node:module'
import type { Component, Diagnostic } from '../../model/index.js'
import { locationOf } from './location.js'
import { makePurl, osFields } from './purl.js'
import type { ParseContext } from './types.js'

/** RPM header tags PhiWall reads (rpmtag.h). */
export const RPMTAG = { NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, LICENSE: 1014, ARCH: 1022, SOURCERPM: 1044 } as const

/** RPM header data types (rpmtag.h `rpmTagType`). */
const TYPE = { CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const

/** A value of an RPM header entry. */
export type RpmValue = string | string[] | number[] | Buffer

/** The entries of an RPM header: tag → value. */
export type RpmHeader = Map<number, RpmValue>

const HEADER_MAGIC = [0x8e, 0xad, 0xe8]

/**
 * Parses an RPM header blob (the RPM file format's header structure, as stored in the rpmdb:
 * big-endian `il` index count and `dl` data length, `il` 16-byte index entries `tag, type, offset,
 * count`, then the data store). A leading header magic (`8e ad e8 01` + 4 reserved bytes, as in
 * .rpm files) is skipped. Returns an error message instead of throwing for a malformed blob.
 */
export function parseRpmHeader(blob: Uint8Array): { header: RpmHeader } | { error: string } {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  let pos = 0
  if (buf.length >= 8 && HEADER_MAGIC.every((b, i) => buf[i] === b)) pos = 8
  if (buf.length < pos + 8) return { error: 'header shorter than its 8-byte preamble' }
  const il = buf.readUInt32BE(pos)
  const dl = buf.readUInt32BE(pos + 4)
  if (il === 0 || il > 0xffff) return { error: `index count ${il} out of range` }
  if (dl > 256 * 1024 * 1024) return { error: `data length ${dl} out of range` }
  const indexStart = pos + 8
  const dataStart = indexStart + il * 16
  const dataEnd = dataStart + dl
  if (dataEnd > buf.length) return { error: `header of ${buf.length} bytes shorter than its ${il} entries and ${dl} data bytes` }
  const header: RpmHeader = new Map()
  for (let i = 0; i < il; i++) {
    const at = indexStart + i * 16
    const tag = buf.readInt32BE(at)
    const type = buf.readUInt32BE(at + 4)
    const offset = buf.readInt32BE(at + 8)
    const count = buf.readUInt32BE(at + 12)
    if (offset < 0 || offset > dl) return { error: `entry ${i} (tag ${tag}) points outside the data store` }
    const start = dataStart + offset
    const value = readValue(buf, start, dataEnd, type, count)
    if (typeof value === 'object' && value !== null && 'error' in value) return { error: `entry ${i} (tag ${tag}): ${value.error}` }
    if (value !== undefined) header.set(tag, value)
  }
  return { header }
}

function readString(buf: Buffer, start: number, end: number): { s: string; next: number } | undefined {
  const nul = buf.indexOf(0, start)
  if (nul < 0 || nul >= end) return undefined
  return { s: buf.toString('utf8', start, nul), next: nul + 1 }
}

function readValue(buf: Buffer, start: number, end: number, type: number, count: number): RpmValue | { error: string } | undefined {
  const width: Record<number, number> = { [TYPE.CHAR]: 1, [TYPE.INT8]: 1, [TYPE.INT16]: 2, [TYPE.INT32]: 4, [TYPE.INT64]: 8 }
  switch (type) {
    case TYPE.STRING: {
      const r = readString(buf, start, end)
      return r ? r.s : { error: 'unterminated string' }
    }
    case TYPE.STRING_ARRAY:
    case TYPE.I18NSTRING: {
      if (count > end - start) return { error: 'string count larger than the data store' }
      const out: string[] = []
      let p = start
      for (let k = 0; k < count; k++) {
        const r = readString(buf, p, end)
        if (!r) return { error: 'unterminated string' }
        out.push(r.s)
        p = r.next
      }
      return out
    }
    case TYPE.BIN:
      if (start + count > end) return { error: 'binary value past the data store' }
      return buf.subarray(start, start + count)
    case TYPE.CHAR:
    case TYPE.INT8:
    case TYPE.INT16:
    case TYPE.INT32:
    case TYPE.INT64: {
      const w = width[type]!
      if (start + count * w > end) return { error: 'integer array past the data store' }
      const out: number[] = []
      for (let k = 0; k < count; k++) {
        const at = start + k * w
        out.push(w === 1 ? buf.readUInt8(at) : w === 2 ? buf.readUInt16BE(at) : w === 4 ? buf.readUInt32BE(at) : Number(buf.readBigUInt64BE(at)))
      }
      return out
    }
    default:
      return undefined // NULL and unknown types carry nothing PhiWall reads
  }
}

function str(h: RpmHeader, tag: number): string | undefined {
  const v = h.get(tag)
  if (typeof v === 'string') return v
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0]
  return undefined
}

/** Name, version and release of a source RPM file name (`openssl-3.0.7-24.el9.src.rpm`). */
export function parseSourceRpm(file: string): { name: string; version: string; release: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file)
  return m ? { name: m[1]!, version: m[2]!, release: m[3]! } : undefined
}

const PURL_NAMESPACE: Record<string, string> = { rhel: 'redhat' }

/**
 * The component of one RPM header: version `epoch:version-release` (epoch only when the header
 * has one), source package from SOURCERPM, license, purl `pkg:rpm/<distro>/name@version-release`
 * with `arch`, `epoch` and `distro` qualifiers. Undefined for `gpg-pubkey` entries (imported
 * keys, not packages) and headers without name or version.
 */
export function rpmComponent(h: RpmHeader, c: ParseContext, line?: number): Component | undefined {
  const name = str(h, RPMTAG.NAME)
  const ver = str(h, RPMTAG.VERSION)
  const rel = str(h, RPMTAG.RELEASE)
  if (!name || !ver || name === 'gpg-pubkey') return undefined
  const epochV = h.get(RPMTAG.EPOCH)
  const epoch = Array.isArray(epochV) && typeof epochV[0] === 'number' ? epochV[0] : undefined
  const vr = rel ? `${ver}-${rel}` : ver
  const version = epoch !== undefined ? `${epoch}:${vr}` : vr
  const os = osFields(c.os, 'Red Hat', 'redhat')
  const arch = str(h, RPMTAG.ARCH)
  const purl = makePurl('rpm', PURL_NAMESPACE[os.namespace] ?? os.namespace, name, vr, { arch, epoch: epoch === undefined ? undefined : String(epoch), distro: os.distro })
  if (purl === undefined) return undefined
  const comp: Component = { ecosystem: os.ecosystem, name, version, purl, type: 'os-package', locations: [locationOf(c, line)], foundBy: 'rpm' }
  if (os.release) comp.release = os.release
  const src = parseSourceRpm(str(h, RPMTAG.SOURCERPM) ?? '')
  if (src) {
    if (src.name !== name) comp.sourceName = src.name
    const srcVr = `${src.version}-${src.release}`
    if (srcVr !== vr) comp.sourceVersion = epoch !== undefined ? `${epoch}:${srcVr}` : srcVr
  }
  const license = str(h, RPMTAG.LICENSE)
  if (license) comp.license = license
  return comp
}

/** Components of a list of header blobs (rpmdb rows), with a warning per malformed blob. */
export function parseRpmHeaders(ctx: ParseContext | string, blobs: readonly { id: number; blob: Uint8Array }[]): { components: Component[]; diagnostics: Diagnostic[] } {
  const c: ParseContext = typeof ctx === 'string' ? { file: ctx } : ctx
  const components: Component[] = []
  const diagnostics: Diagnostic[] = []
  for (const { id, blob } of blobs) {
    const r = parseRpmHeader(blob)
    if ('error' in r) {
      diagnostics.push({ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: `RPM header ${id} in ${c.file} cannot be read (${r.error}); skipped.`, file: c.file })
      continue
    }
    const comp = rpmComponent(r.header, c)
    if (comp) components.push(comp)
  }
  return { components, diagnostics }
}

type SqlJs = Awaited<ReturnType<typeof import('sql.js')['default']>>
let sqlJs: Promise<SqlJs> | undefined

function loadSqlJs(): Promise<SqlJs> {
  if (!sqlJs) {
    const require = createRequire(import.meta.url)
    const init = require('sql.js') as typeof import('sql.js')['default']
    sqlJs = init()
  }
  return sqlJs
}

/**
 * Installed RPM packages from an SQLite rpmdb (`var/lib/rpm/rpmdb.sqlite`, RPM ≥ 4.16: table
 * `Packages(hnum, blob)` of header blobs), read with sql.js. A file that is not such a database is
 * an error diagnostic.
 */
export async function parseRpmSqlite(ctx: ParseContext | string, data: Uint8Array): Promise<{ components: Component[]; diagnostics: Diagnostic[] }> {
  const c: ParseContext = typeof ctx === 'string' ? { file: ctx } : ctx
  const SQL = await loadSqlJs()
  let db: InstanceType<SqlJs['Database']> | undefined
  try {
    db = new SQL.Database(data)
    const rows: { id: number; blob: Uint8Array }[] = []
    const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum')
    while (stmt.step()) {
      const [id, blob] = stmt.get()
      if (typeof id === 'number' && blob instanceof Uint8Array) rows.push({ id, blob: Buffer.from(blob) })
    }
    stmt.free()
    return parseRpmHeaders(c, rows)
  } catch (err) {
    return { components: [], diagnostics: [{ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'error', message: `RPM database ${c.file} cannot be read as SQLite (${(err as Error).message}).`, file: c.file }] }
  } finally {
    db?.close()
  }
}

/**
 * The NDB rpmdb format (`Packages.db`, SUSE) is not read: a warning says so, so that a report
 * never reads as "no packages".
 */
export function unsupportedRpmDb(file: string, format: 'NDB'): Diagnostic {
  return {
    code: 'PW_ERR_PACKAGE_DB_INVALID',
    level: 'warning',
    message: `RPM database ${file} is in the ${format} format, which PhiWall does not read; its packages are not listed. Rebuild it as SQLite (\`rpmdb --rebuilddb\` with RPM ≥ 4.16) or scan a lockfile/SBOM instead.`,
    file,
  }
}

/** Berkeley DB page types (db_page.h). */
const P_HASH_UNSORTED = 2
const P_OVERFLOW = 7
const P_HASHMETA = 8
const P_HASH = 13
/** Hash item types (db_page.h). */
const H_OFFPAGE = 3
const BDB_HASH_MAGIC = 0x061561
const PAGE_HEADER = 26

/**
 * The header blobs of a Berkeley DB hash database (`var/lib/rpm/Packages`, RPM < 4.16: CentOS 7,
 * Amazon Linux 2, RHEL ≤ 8), following db_page.h: a metadata page (magic `0x061561` at offset 12 in
 * the creator's byte order, page size at 20, last page at 32); hash pages (type 13, or 2 before
 * BDB 4.6) whose index of 2-byte offsets after the 26-byte page header points at key/value items;
 * values are off-page items (`H_OFFPAGE`: page number and total length) whose bytes are chained
 * through overflow pages (type 7; next page at 16, bytes used at 22).
 */
export function readBerkeleyDbValues(data: Uint8Array): { values: { id: number; blob: Buffer }[] } | { error: string } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (buf.length < 512) return { error: 'shorter than a metadata page' }
  const le = buf.readUInt32LE(12) === BDB_HASH_MAGIC
  if (!le && buf.readUInt32BE(12) !== BDB_HASH_MAGIC) return { error: 'not a Berkeley DB hash database' }
  const u32 = (b: Buffer, at: number): number => (le ? b.readUInt32LE(at) : b.readUInt32BE(at))
  const u16 = (b: Buffer, at: number): number => (le ? b.readUInt16LE(at) : b.readUInt16BE(at))
  const pageSize = u32(buf, 20)
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return { error: `page size ${pageSize} is not a power of two between 512 and 65536` }
  if (buf[25] !== P_HASHMETA) return { error: 'first page is not a hash metadata page' }
  const pages = Math.floor(buf.length / pageSize)
  const lastPage = Math.min(u32(buf, 32), pages - 1)
  const page = (n: number): Buffer | undefined => (n > 0 && n < pages ? buf.subarray(n * pageSize, (n + 1) * pageSize) : undefined)
  const values: { id: number; blob: Buffer }[] = []
  for (let n = 1; n <= lastPage; n++) {
    const p = page(n)!
    if (p[25] !== P_HASH && p[25] !== P_HASH_UNSORTED) continue
    const entries = u16(p, 20)
    for (let i = 1; i < entries; i += 2) {
      const indexAt = PAGE_HEADER + 2 * i
      if (indexAt + 2 > pageSize) break
      const off = u16(p, indexAt)
      if (off + 12 > pageSize || p[off] !== H_OFFPAGE) continue
      const total = u32(p, off + 8)
      const parts: Buffer[] = []
      let got = 0
      const seen = new Set<number>()
      for (let cur = u32(p, off + 4); cur !== 0 && got < total; ) {
        const ov = page(cur)
        if (!ov || ov[25] !== P_OVERFLOW || seen.has(cur)) return { error: `overflow chain of page ${n} item ${i} is broken at page ${cur}` }
        seen.add(cur)
        const len = Math.min(u16(ov, 22), pageSize - PAGE_HEADER)
        parts.push(ov.subarray(PAGE_HEADER, PAGE_HEADER + len))
        got += len
        cur = u32(ov, 16)
      }
      values.push({ id: values.length + 1, blob: Buffer.concat(parts).subarray(0, total) })
    }
  }
  return { values }
}

/** Installed RPM packages from a Berkeley DB rpmdb (`var/lib/rpm/Packages`). */
export function parseRpmBerkeleyDb(ctx: ParseContext | string, data: Uint8Array): { components: Component[]; diagnostics: Diagnostic[] } {
  const c: ParseContext = typeof ctx === 'string' ? { file: ctx } : ctx
  const r = readBerkeleyDbValues(data)
  if ('error' in r) return { components: [], diagnostics: [{ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'error', message: `RPM database ${c.file} cannot be read as Berkeley DB (${r.error}).`, file: c.file }] }
  return parseRpmHeaders(c, r.values)
}
