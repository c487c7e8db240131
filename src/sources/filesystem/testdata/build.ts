/**
 * Builders for the filesystem tests: tarballs, zips, images and RPM databases in their real
 * shapes, built in memory so that no binary fixture has to be trusted.
 */
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import zlib from 'node:zlib'
import tar from 'tar-stream'

/** One tar entry to write. */
export interface TarSpec {
  name: string
  type?: 'file' | 'directory' | 'symlink' | 'link'
  content?: string | Buffer
  linkname?: string
}

/** A tar archive (ustar + pax, as tar-stream writes it). */
export async function tarBuffer(entries: readonly TarSpec[]): Promise<Buffer> {
  const pack = tar.pack()
  const done = (async () => {
    const parts: Buffer[] = []
    for await (const c of pack) parts.push(Buffer.from(c as Uint8Array))
    return Buffer.concat(parts)
  })()
  for (const e of entries) {
    const type = e.type ?? 'file'
    const body = type === 'file' ? Buffer.from(e.content ?? '') : undefined
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type, mode: type === 'directory' ? 0o755 : 0o644, mtime: new Date(1700000000000), ...(e.linkname !== undefined ? { linkname: e.linkname } : {}) }
      if (body) pack.entry(header, body, (err) => (err ? reject(err) : resolve()))
      else pack.entry(header, (err) => (err ? reject(err) : resolve()))
    })
  }
  pack.finalize()
  return done
}

/** `sha256:<hex>` of bytes. */
export function digest(b: Buffer | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`
}

/** An image built by {@link dockerSave} / {@link ociLayout}: the archive files and the layer ids. */
export interface BuiltImage {
  files: TarSpec[]
  diffIds: string[]
}

function imageConfig(diffIds: string[]): string {
  return JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['node', 'index.js'] },
    created: '2024-03-01T10:00:00Z',
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created: '2024-03-01T10:00:00Z', created_by: 'COPY . /' })),
  })
}

/** The files of a legacy `docker save` tarball (Docker < 25): `<id>/layer.tar`, `<config>.json`, manifest.json, repositories. */
export function dockerSave(layers: readonly Buffer[], repoTag = 'clinic/intake:1.4.2'): BuiltImage {
  const diffIds = layers.map((l) => digest(l[0] === 0x1f && l[1] === 0x8b ? zlib.gunzipSync(l) : l))
  const config = imageConfig(diffIds)
  const configName = `${digest(config).slice(7)}.json`
  const ids = diffIds.map((d, i) => createHash('sha256').update(`${d}${i}`).digest('hex'))
  const files: TarSpec[] = []
  layers.forEach((l, i) => {
    files.push({ name: `${ids[i]}/`, type: 'directory' })
    files.push({ name: `${ids[i]}/VERSION`, content: '1.0' })
    files.push({ name: `${ids[i]}/json`, content: JSON.stringify({ id: ids[i], created: '2024-03-01T10:00:00Z' }) })
    files.push({ name: `${ids[i]}/layer.tar`, content: l })
  })
  files.push({ name: configName, content: config })
  const [repo, tag] = repoTag.split(':') as [string, string]
  files.push({ name: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: [repoTag], Layers: ids.map((id) => `${id}/layer.tar`) }]) })
  files.push({ name: 'repositories', content: JSON.stringify({ [repo]: { [tag]: ids[ids.length - 1] } }) })
  return { files, diffIds }
}

/** The files of an OCI image layout (oci-layout, index.json, blobs/sha256/…), layers as given (gzip or not). */
export function ociLayout(layers: readonly Buffer[]): BuiltImage {
  const diffIds = layers.map((l) => digest(l[0] === 0x1f && l[1] === 0x8b ? zlib.gunzipSync(l) : l))
  const config = imageConfig(diffIds)
  const blobs = new Map<string, Buffer>()
  const add = (b: Buffer): string => {
    const d = digest(b)
    blobs.set(d, b)
    return d
  }
  const layerDescs = layers.map((l) => ({ mediaType: l[0] === 0x1f ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar', digest: add(l), size: l.length }))
  const configBuf = Buffer.from(config)
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: add(configBuf), size: configBuf.length }, layers: layerDescs }))
  const manifestDigest = add(manifest)
  const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': '1.4.2' } }] }
  const files: TarSpec[] = [
    { name: 'blobs/', type: 'directory' },
    { name: 'blobs/sha256/', type: 'directory' },
    ...[...blobs].map(([d, b]) => ({ name: `blobs/sha256/${d.slice(7)}`, content: b })),
    { name: 'index.json', content: JSON.stringify(index) },
    { name: 'oci-layout', content: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
  ]
  return { files, diffIds }
}

export { zipBuffer } from '../../../../test/support/zip.js'
export type { ZipSpec } from '../../../../test/support/zip.js'

/** RPM tag types (rpmtag.h). */
export const RPM_TYPE = { INT32: 4, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const

/** One RPM header entry to write. */
export interface RpmTagSpec {
  tag: number
  type: number
  value: string | string[] | number[] | Buffer
}

/**
 * An RPM header blob as the rpmdb stores it: `il`, `dl`, index entries sorted by tag after the
 * HEADERIMMUTABLE (63) region tag, a data store with each value aligned to its type's size, and the
 * region trailer (an index entry with a negative offset) at the end of the store.
 */
export function rpmHeaderBlob(tags: readonly RpmTagSpec[]): Buffer {
  const sorted = [...tags].sort((a, b) => a.tag - b.tag)
  const data: Buffer[] = []
  let size = 0
  const index: Buffer[] = []
  const entry = (tag: number, type: number, offset: number, count: number): Buffer => {
    const b = Buffer.alloc(16)
    b.writeInt32BE(tag, 0)
    b.writeUInt32BE(type, 4)
    b.writeInt32BE(offset, 8)
    b.writeUInt32BE(count, 12)
    return b
  }
  for (const t of sorted) {
    let bytes: Buffer
    let count: number
    let align = 1
    if (t.type === RPM_TYPE.STRING) {
      bytes = Buffer.from(`${t.value as string}\0`)
      count = 1
    } else if (t.type === RPM_TYPE.STRING_ARRAY || t.type === RPM_TYPE.I18NSTRING) {
      const list = t.value as string[]
      bytes = Buffer.from(list.map((s) => `${s}\0`).join(''))
      count = list.length
    } else if (t.type === RPM_TYPE.INT32) {
      const list = t.value as number[]
      bytes = Buffer.alloc(4 * list.length)
      list.forEach((n, i) => bytes.writeUInt32BE(n, i * 4))
      count = list.length
      align = 4
    } else {
      bytes = t.value as Buffer
      count = bytes.length
    }
    const pad = (align - (size % align)) % align
    if (pad) {
      data.push(Buffer.alloc(pad))
      size += pad
    }
    index.push(entry(t.tag, t.type, size, count))
    data.push(bytes)
    size += bytes.length
  }
  const il = index.length + 1
  const trailer = entry(63, RPM_TYPE.BIN, -(il * 16), 16)
  const region = entry(63, RPM_TYPE.BIN, size, 16)
  data.push(trailer)
  size += 16
  const pre = Buffer.alloc(8)
  pre.writeUInt32BE(il, 0)
  pre.writeUInt32BE(size, 4)
  return Buffer.concat([pre, region, ...index, ...data])
}

/** The header of an installed RPM package with the tags PhiWall reads. */
export function rpmPackage(p: { name: string; version: string; release: string; epoch?: number; arch: string; sourcerpm?: string; license?: string }): Buffer {
  const tags: RpmTagSpec[] = [
    { tag: 1000, type: RPM_TYPE.STRING, value: p.name },
    { tag: 1001, type: RPM_TYPE.STRING, value: p.version },
    { tag: 1002, type: RPM_TYPE.STRING, value: p.release },
    { tag: 1004, type: RPM_TYPE.I18NSTRING, value: [`${p.name} package`] },
    { tag: 1022, type: RPM_TYPE.STRING, value: p.arch },
  ]
  if (p.epoch !== undefined) tags.push({ tag: 1003, type: RPM_TYPE.INT32, value: [p.epoch] })
  if (p.sourcerpm) tags.push({ tag: 1044, type: RPM_TYPE.STRING, value: p.sourcerpm })
  if (p.license) tags.push({ tag: 1014, type: RPM_TYPE.STRING, value: p.license })
  return rpmHeaderBlob(tags)
}

/** An SQLite rpmdb (RPM ≥ 4.16 schema: `Packages(hnum, blob)` plus an index table) holding the blobs. */
export async function rpmdbSqlite(blobs: readonly Buffer[]): Promise<Buffer> {
  const require = createRequire(import.meta.url)
  const init = require('sql.js') as typeof import('sql.js')['default']
  const SQL = await init()
  const db = new SQL.Database()
  db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)')
  db.run('CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES Packages(hnum))')
  for (const b of blobs) db.run('INSERT INTO Packages (blob) VALUES (?)', [b])
  const out = Buffer.from(db.export())
  db.close()
  return out
}

/**
 * A Berkeley DB hash database as RPM < 4.16 writes `var/lib/rpm/Packages` (db_page.h layout):
 * metadata page 0, one hash page of key/value items (4-byte instance keys as H_KEYDATA, header
 * blobs as H_OFFPAGE), and the blobs chained through overflow pages.
 */
export function berkeleyDb(blobs: readonly Buffer[], opts: { pageSize?: number; bigEndian?: boolean } = {}): Buffer {
  const ps = opts.pageSize ?? 4096
  const be = opts.bigEndian ?? false
  const w32 = (b: Buffer, v: number, at: number): void => void (be ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at))
  const w16 = (b: Buffer, v: number, at: number): void => void (be ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at))
  const pages: Buffer[] = [Buffer.alloc(ps), Buffer.alloc(ps)]
  const hash = pages[1]!
  w32(hash, 1, 8)
  hash[25] = 13 // P_HASH
  let low = ps
  const index: number[] = []
  blobs.forEach((blob, k) => {
    // overflow chain
    const first = pages.length
    const per = ps - 26
    const count = Math.max(1, Math.ceil(blob.length / per))
    for (let j = 0; j < count; j++) {
      const pg = Buffer.alloc(ps)
      const no = first + j
      const chunk = blob.subarray(j * per, (j + 1) * per)
      w32(pg, no, 8)
      w32(pg, j === 0 ? 0 : no - 1, 12)
      w32(pg, j === count - 1 ? 0 : no + 1, 16)
      w16(pg, 1, 20)
      w16(pg, chunk.length, 22)
      pg[25] = 7 // P_OVERFLOW
      chunk.copy(pg, 26)
      pages.push(pg)
    }
    low -= 5
    hash[low] = 1 // H_KEYDATA
    w32(hash, k + 1, low + 1)
    index.push(low)
    low -= 12
    hash[low] = 3 // H_OFFPAGE
    w32(hash, first, low + 4)
    w32(hash, blob.length, low + 8)
    index.push(low)
  })
  w16(hash, index.length, 20)
  w16(hash, low, 22)
  index.forEach((off, i) => w16(hash, off, 26 + 2 * i))
  const meta = pages[0]!
  w32(meta, 0x061561, 12)
  w32(meta, 9, 16) // hash version 9
  w32(meta, ps, 20)
  meta[25] = 8 // P_HASHMETA
  w32(meta, pages.length - 1, 32)
  w32(meta, blobs.length, 88) // nelem
  return Buffer.concat(pages)
}
