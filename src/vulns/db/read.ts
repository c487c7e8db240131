import fs from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import zlib from 'node:zlib'
import yauzl from 'yauzl'
import type { Diagnostic } from '../../model/index.js'

/** One OSV JSON document read from an input: its text, the file and (for zips) the entry name. */
export interface RawRecord {
  text: string
  file: string
  entry?: string
}

/** Callback receiving each document; awaited, so a slow consumer slows the reading (back-pressure). */
export type RawRecordSink = (raw: RawRecord) => Promise<void>

/** Largest single JSON entry read (a real OSV record is a few KB; a zip bomb is not read). */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024

function diag(file: string, message: string, pathInFile?: string): Diagnostic {
  return { code: 'PW_ERR_VULNDB_RECORD_INVALID', level: 'error', message, file, ...(pathInFile ? { path: pathInFile } : {}) }
}

function isZip(file: string): boolean {
  if (file.toLowerCase().endsWith('.zip')) return true
  try {
    const fd = fs.openSync(file, 'r')
    try {
      const b = Buffer.alloc(4)
      fs.readSync(fd, b, 0, 4, 0)
      return b.readUInt32LE(0) === 0x04034b50
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    return false
  }
}

/** Every `*.json` below a directory, sorted so imports are repeatable. */
function jsonFiles(dir: string): string[] {
  const out: string[] = []
  const stack = [dir]
  while (stack.length) {
    const d = stack.pop()!
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? 1 : -1))
    for (const e of entries) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) stack.push(p)
      else if (e.isFile() && e.name.endsWith('.json')) out.push(p)
    }
  }
  return out.sort()
}

/**
 * A yauzl reader over a file descriptor that reads synchronously. yauzl's own file reader issues
 * two asynchronous reads per central-directory record (~0.12 ms each here: 25 s for 200,000
 * entries); positional `readSync` of a few dozen bytes costs microseconds.
 */
class SyncFdReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super()
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return fs.createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false })
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    const done = callback as (err: Error | null, bytesRead?: number) => void
    let n: number
    try {
      n = fs.readSync(this.fd, buffer, offset, length, position)
    } catch (err) {
      queueMicrotask(() => done(err as Error))
      return
    }
    queueMicrotask(() => done(null, n))
  }

  override close(callback: (err: Error | null) => void): void {
    callback(null) // the descriptor belongs to the caller
  }
}

/** An open zip: yauzl's view of the central directory and the descriptor to read entries from. */
interface OpenZip {
  zip: yauzl.ZipFile
  fd: number
}

/** Opens a zip with yauzl (lazy entries, so entries are read one at a time). */
async function openZip(file: string): Promise<OpenZip> {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.fromRandomAccessReader(new SyncFdReader(fd), size, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z)))
    })
    return { zip, fd }
  } catch (err) {
    fs.closeSync(fd)
    throw err
  }
}

/**
 * The bytes of one entry, read synchronously at its local header through our own descriptor and
 * inflated in one call, with the entry's CRC-32 and size checked. yauzl walks (and validates) the
 * central directory; its per-entry read streams cost ~0.4 ms each (two async reads and a zlib
 * stream), which alone would take 80 s for 200,000 records — this takes a few microseconds.
 */
function readEntrySync(fd: number, entry: yauzl.Entry): Buffer {
  if (entry.uncompressedSize > MAX_ENTRY_BYTES) throw new Error(`entry is ${entry.uncompressedSize} bytes, over the ${MAX_ENTRY_BYTES}-byte limit`)
  if (entry.isEncrypted()) throw new Error('entry is encrypted')
  const header = Buffer.alloc(30)
  if (fs.readSync(fd, header, 0, 30, entry.relativeOffsetOfLocalHeader) !== 30 || header.readUInt32LE(0) !== 0x04034b50) throw new Error('invalid local file header')
  const start = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
  const compressed = Buffer.alloc(entry.compressedSize)
  if (fs.readSync(fd, compressed, 0, entry.compressedSize, start) !== entry.compressedSize) throw new Error('entry data is truncated')
  let data: Buffer
  if (entry.compressionMethod === 0) data = compressed
  else if (entry.compressionMethod === 8) data = zlib.inflateRawSync(compressed, { maxOutputLength: MAX_ENTRY_BYTES })
  else throw new Error(`unsupported compression method ${entry.compressionMethod}`)
  if (data.length !== entry.uncompressedSize) throw new Error(`entry inflates to ${data.length} bytes, not the ${entry.uncompressedSize} the directory records`)
  if (zlibCrc32(data) !== entry.crc32) throw new Error('CRC-32 mismatch')
  return data
}

/** `zlib.crc32` (Node ≥ 20.15), typed locally. */
const zlibCrc32 = (zlib as unknown as { crc32(data: Uint8Array): number }).crc32

/**
 * Streams the `*.json` entries of an OSV export zip to `sink`, one at a time. A zip that cannot be
 * opened, or an entry that cannot be inflated, becomes a diagnostic naming the zip and entry.
 */
async function readZip(file: string, diagnostics: Diagnostic[], sink: RawRecordSink, counts: { unreadable: number }): Promise<void> {
  let zip: yauzl.ZipFile
  let fd: number
  try {
    ;({ zip, fd } = await openZip(file))
  } catch (err) {
    diagnostics.push(diag(file, `Cannot read the zip ${file}: ${(err as Error).message}`))
    return
  }
  let sinkError: { error: unknown } | undefined
  let zipClosed = false
  const closeZip = (): void => {
    if (!zipClosed) {
      zipClosed = true
      zip.close()
    }
  }
  await new Promise<void>((resolve) => {
    let finished = false
    const finish = (): void => {
      if (!finished) {
        finished = true
        resolve()
      }
    }
    zip.on('error', (err: Error) => {
      if (!finished) diagnostics.push(diag(file, `Cannot read the zip ${file}: ${err.message}`))
      closeZip()
      finish()
    })
    zip.on('end', finish)
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) {
        zip.readEntry()
        return
      }
      let text: string | undefined
      try {
        text = readEntrySync(fd, entry).toString('utf8')
      } catch (err) {
        diagnostics.push(diag(file, `Cannot read entry ${entry.fileName} of ${file}: ${(err as Error).message}`, entry.fileName))
        counts.unreadable++
      }
      ;(text === undefined ? Promise.resolve() : sink({ text, file, entry: entry.fileName }))
        .then(
          () => {
            if (!finished) zip.readEntry()
          },
          (error: unknown) => {
            // the sink failed (a database error): stop reading and hand it to the caller
            sinkError = { error }
            finish()
            closeZip()
          },
        )
    })
    zip.readEntry()
  }).finally(() => {
    closeZip()
    fs.closeSync(fd)
  })
  if (sinkError) throw sinkError.error
}

/** How many documents the inputs hold (zip entries ending in `.json`, JSON files), for progress. */
export async function countInputs(inputs: string[]): Promise<number | undefined> {
  let total = 0
  for (const input of inputs) {
    let st: fs.Stats
    try {
      st = fs.statSync(input)
    } catch {
      continue
    }
    if (st.isDirectory()) total += jsonFiles(input).length
    else if (isZip(input)) {
      try {
        const { zip, fd } = await openZip(input)
        total += zip.entryCount
        zip.close()
        fs.closeSync(fd)
      } catch {
        // reported when read
      }
    } else total += 1
  }
  return total
}

/**
 * Reads OSV documents from zips (the per-ecosystem export: a flat zip of `<ID>.json`), directories
 * (every `*.json` below, recursively) and single JSON files, handing each to `sink` in order.
 * Returns how many documents could not be read at all (each has a diagnostic).
 */
export async function readOsvInputs(inputs: string[], diagnostics: Diagnostic[], sink: RawRecordSink): Promise<{ unreadable: number }> {
  const counts = { unreadable: 0 }
  for (const input of inputs) {
    const abs = path.resolve(input)
    let st: fs.Stats
    try {
      st = fs.statSync(abs)
    } catch {
      diagnostics.push({ code: 'PW_ERR_PATH_NOT_FOUND', level: 'error', message: `Path ${input} does not exist.`, file: input })
      continue
    }
    const files = st.isDirectory() ? jsonFiles(abs) : [abs]
    for (const file of files) {
      if (isZip(file)) {
        await readZip(file, diagnostics, sink, counts)
        continue
      }
      let text: string
      try {
        text = fs.readFileSync(file, 'utf8')
      } catch (err) {
        diagnostics.push(diag(file, `Cannot read ${file}: ${(err as Error).message}`))
        counts.unreadable++
        continue
      }
      await sink({ text, file })
    }
  }
  return counts
}
