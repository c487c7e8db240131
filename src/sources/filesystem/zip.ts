import zlib from 'node:zlib'
import yauzl from 'yauzl'
import type { Entry, ZipFile } from 'yauzl'
import type { FsEntry } from './types.js'
import { escapeDiag, readAll, tooLarge, type ArchiveReadContext } from './tar.js'
import { normalizeEntryPath } from './vfs.js'

/** Zip-specific limits: the largest entry inflated, and the largest inflated/compressed ratio. */
export interface ZipLimits {
  maxEntryBytes: number
  maxRatio: number
}

const S_IFMT = 0o170000
const S_IFLNK = 0o120000

let crcTable: Uint32Array | undefined

/** CRC-32 (ISO 3309) of bytes: zlib's where Node has it (≥ 20.15), else a table-driven one. yauzl does not check it. */
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32
  return native ? native(data) : crc32Table(data)
}

/** Table-driven CRC-32, for Node versions without `zlib.crc32`. */
export function crc32Table(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const b of data) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** Entry name: UTF-8 when the language-encoding flag (bit 11) is set, else CP437 (read as Latin-1). */
function entryName(e: Entry): string {
  const raw = e.fileNameRaw ?? Buffer.from(e.fileName)
  return raw.toString((e.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1')
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (e: Entry): void => {
      cleanup()
      resolve(e)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(undefined)
    }
    const onError = (err: Error): void => {
      cleanup()
      reject(err)
    }
    const cleanup = (): void => {
      zip.off('entry', onEntry)
      zip.off('end', onEnd)
      zip.off('error', onError)
    }
    zip.on('entry', onEntry)
    zip.on('end', onEnd)
    zip.on('error', onError)
    zip.readEntry()
  })
}

/**
 * Reads a zip (a Lambda deployment package, a jar) from a file or a buffer into filesystem
 * entries, keeping the contents of wanted files. Entries that escape the root, entries over the
 * size limit or with a zip-bomb compression ratio, and entries whose data is corrupt are
 * PW_ERR_ARCHIVE_INVALID diagnostics and skipped; a zip whose central directory cannot be read is
 * one diagnostic and what was read is kept.
 */
export async function readZip(source: { path: string } | { buffer: Buffer }, ctx: ArchiveReadContext, limits: ZipLimits): Promise<FsEntry[]> {
  const out: FsEntry[] = []
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }
  let zip: ZipFile | undefined
  try {
    zip = 'path' in source ? await yauzl.openPromise(source.path, options) : await yauzl.fromBufferPromise(source.buffer, options)
    for (;;) {
      const e = await nextEntry(zip)
      if (!e) break
      const name = entryName(e)
      const p = normalizeEntryPath(name)
      if (p === undefined) {
        ctx.diagnostics.push(escapeDiag(ctx.archive, name))
        continue
      }
      if (p === '') continue
      if (name.endsWith('/')) {
        out.push({ path: p, type: 'dir', size: 0 })
        continue
      }
      const isLink = ((e.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK && e.versionMadeBy >>> 8 === 3
      const wanted = isLink || ctx.want(p)
      if (!wanted) {
        out.push({ path: p, type: 'file', size: e.uncompressedSize })
        continue
      }
      if (e.uncompressedSize > Math.min(limits.maxEntryBytes, isLink ? 4096 : Infinity)) {
        ctx.diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${ctx.archive}: ${p} inflates to ${e.uncompressedSize} bytes, over the ${limits.maxEntryBytes}-byte limit; skipped.`, file: ctx.archive })
        continue
      }
      if (e.uncompressedSize > 1024 * 1024 && e.uncompressedSize > limits.maxRatio * Math.max(1, e.compressedSize)) {
        ctx.diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${ctx.archive}: ${p} inflates ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} times (a zip bomb?); skipped.`, file: ctx.archive })
        continue
      }
      if (e.uncompressedSize > ctx.maxFileBytes) {
        ctx.diagnostics.push(tooLarge(ctx.archive, p, e.uncompressedSize, ctx.maxFileBytes))
        out.push({ path: p, type: 'file', size: e.uncompressedSize })
        continue
      }
      try {
        const content = await readAll(await zip.openReadStreamPromise(e))
        if (crc32(content) !== e.crc32 >>> 0) throw new Error('CRC-32 mismatch')
        if (isLink) out.push({ path: p, type: 'symlink', size: 0, linkTarget: content.toString('utf8') })
        else out.push({ path: p, type: 'file', size: content.length, content })
      } catch (err) {
        ctx.diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${ctx.archive}: ${p} cannot be inflated (${(err as Error).message}); skipped.`, file: ctx.archive })
      }
    }
  } catch (err) {
    ctx.diagnostics.push({
      code: 'PW_ERR_ARCHIVE_INVALID',
      level: 'error',
      message: `${ctx.archive} is not a readable zip (${(err as Error).message}); ${out.length} entries read before it were kept.`,
      file: ctx.archive,
    })
  } finally {
    zip?.close()
  }
  return out
}
