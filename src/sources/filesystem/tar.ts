import { Readable } from 'node:stream'
import zlib from 'node:zlib'
import tar, { type Header } from 'tar-stream'

/** A tar entry: its header and its bytes. */
export type TarEntry = AsyncIterable<Buffer> & { header: Header }
import type { Diagnostic } from '../../model/index.js'
import type { FsEntry } from './types.js'
import { normalizeEntryPath } from './vfs.js'

/** What a layer or archive reader needs to know. */
export interface ArchiveReadContext {
  /** Archive named in diagnostics (`image.tar`, `image.tar!/blobs/sha256/…`). */
  archive: string
  /** Whether to keep a file's contents, by its path inside the archive. */
  want: (path: string) => boolean
  maxFileBytes: number
  diagnostics: Diagnostic[]
}

/** Bytes to read: a stream, an async generator or an array of buffers. */
export type Chunks = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array>

/** Compression of a stream, from its first bytes. */
export function sniffCompression(head: Uint8Array): 'gzip' | 'zstd' | 'none' {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  return 'none'
}

/** The bytes of a stream, decompressed when it starts with the gzip (or zstd, where Node has it) magic. */
export async function* decompressed(src: Chunks): AsyncGenerator<Buffer> {
  const it = (async function* () {
    yield* src
  })()
  const first = await it.next()
  if (first.done) return
  const head = Buffer.from(first.value as Uint8Array)
  async function* all(): AsyncGenerator<Buffer> {
    yield head
    for (;;) {
      const n = await it.next()
      if (n.done) return
      yield Buffer.from(n.value as Uint8Array)
    }
  }
  const kind = sniffCompression(head)
  if (kind === 'none') {
    yield* all()
    return
  }
  const zstd = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress
  if (kind === 'zstd' && !zstd) throw new Error('zstd-compressed, which this Node.js version cannot decompress')
  const inflater = kind === 'gzip' ? zlib.createGunzip() : zstd!()
  const input = Readable.from(all())
  input.on('error', (e) => (inflater as unknown as Readable).destroy(e))
  input.pipe(inflater)
  for await (const chunk of inflater as unknown as AsyncIterable<Buffer>) yield chunk
}

/** The entries of a tar stream; throws on a truncated or corrupt archive after the entries read so far. */
export async function* tarEntries(chunks: Chunks): AsyncGenerator<TarEntry> {
  const extract = tar.extract()
  const src = Readable.from(chunks)
  src.on('error', (e) => extract.destroy(e))
  src.pipe(extract)
  for await (const entry of extract) yield entry as unknown as TarEntry
}

/** Reads an entry's bytes. */
export async function readAll(entry: AsyncIterable<Buffer | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of entry) parts.push(Buffer.from(c))
  return Buffer.concat(parts)
}

/** Drains an entry without keeping it. */
export async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of entry) void _
}

/**
 * Reads one tar layer (or a plain tar filesystem), gzip-compressed or not, into filesystem
 * entries: metadata for everything, contents for wanted files up to the size limit. An entry that
 * escapes the root, or a truncated or corrupt stream, is a PW_ERR_ARCHIVE_INVALID diagnostic;
 * what was read before is kept.
 */
export async function readTarLayer(chunks: Chunks, ctx: ArchiveReadContext): Promise<FsEntry[]> {
  const out: FsEntry[] = []
  try {
    for await (const entry of tarEntries(decompressed(chunks))) {
      const h = entry.header
      const p = normalizeEntryPath(h.name)
      if (p === undefined) {
        ctx.diagnostics.push(escapeDiag(ctx.archive, h.name))
        await drain(entry)
        continue
      }
      const size = h.size ?? 0
      if (p === '' || !['file', 'contiguous-file', 'directory', 'symlink', 'link'].includes(h.type ?? 'file')) {
        await drain(entry)
        continue
      }
      if (h.type === 'directory') out.push({ path: p, type: 'dir', size: 0 })
      else if (h.type === 'symlink') out.push({ path: p, type: 'symlink', size: 0, linkTarget: h.linkname ?? '' })
      else if (h.type === 'link') {
        const target = normalizeEntryPath(h.linkname ?? '')
        if (target === undefined) ctx.diagnostics.push(escapeDiag(ctx.archive, `${h.name} → ${h.linkname ?? ''}`))
        else out.push({ path: p, type: 'hardlink', size: 0, linkTarget: target })
      } else if (ctx.want(p)) {
        if (size > ctx.maxFileBytes) {
          ctx.diagnostics.push(tooLarge(ctx.archive, p, size, ctx.maxFileBytes))
          await drain(entry)
          out.push({ path: p, type: 'file', size })
        } else {
          out.push({ path: p, type: 'file', size, content: await readAll(entry) })
          continue
        }
      } else out.push({ path: p, type: 'file', size })
      await drain(entry)
    }
  } catch (err) {
    ctx.diagnostics.push({
      code: 'PW_ERR_ARCHIVE_INVALID',
      level: 'error',
      message: `${ctx.archive} is truncated or corrupt (${(err as Error).message}); ${out.length} entries read before it were kept.`,
      file: ctx.archive,
    })
  }
  return out
}

/** Diagnostic for an entry whose name escapes the root. */
export function escapeDiag(archive: string, name: string): Diagnostic {
  return { code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${archive} has an entry that escapes the archive root (${JSON.stringify(name.slice(0, 200))}); skipped.`, file: archive }
}

/** Diagnostic for a wanted file over the size limit. */
export function tooLarge(archive: string, path: string, size: number, max: number): Diagnostic {
  return { code: 'PW_ERR_FILE_TOO_LARGE', level: 'warning', message: `${archive}: ${path} is ${size} bytes, over the ${max}-byte limit; not read.`, file: archive }
}
