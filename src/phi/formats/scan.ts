import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { Readable } from 'node:stream'
import yauzl from 'yauzl'
import tar from 'tar-stream'
import { maskValue, pushAll, type Diagnostic } from '../../model/index.js'
import { walkInputs, displayPath, decodeText, DEFAULT_IGNORED_DIRS } from '../../sources/index.js'

import type { Detector, PhiHit, PhiType } from '../types.js'
import { detectHealthInfo } from './health.js'
import { readDicom, looksLikeDicom } from './dicom.js'
import { sniffImage, photoContext } from './image.js'
import { LineIndex, rawSpan } from './positions.js'
import { readTextFile, UnreadableText } from './read.js'
import { countsAsIdentifier, containsPhiRule } from './rule.js'
import type { PhiFileResult, PhiFinding, PhiFormat, PhiScanResult, ReadResult, TextUnit } from './types.js'

/** Options of {@link scanPhiFiles}. */
export interface ScanPhiOptions {
  /** The detector (the lead's `detectAll`); default: none, so only structurally implied identifiers are found. */
  detect?: Detector
  /** Files (and archive entries, decompressed) larger than this are skipped (default 32 MiB). */
  maxFileBytes?: number
  onProgress?: (done: number, total: number, file: string) => void
}

/** Options of {@link scanPhiText}. */
export interface ScanPhiTextOptions {
  detect?: Detector
  /** Force a reader instead of sniffing it from the name and content. */
  format?: PhiFormat
  /** The name to sniff the format from, when not `file` (a `.csv.gz` is sniffed as `.csv`). */
  name?: string
}

/** The result for one file: its entry and its findings. */
export interface PhiTextResult {
  file: PhiFileResult
  findings: PhiFinding[]
}

/** Unit values longer than this are given to the detector in overlapping windows. */
export const WINDOW = 1 << 16
const OVERLAP = 256
const HUGE = 1 << 20
const noDetect: Detector = () => []

/** A hit of a unit mapped back to the file: raw span, the detected value (decoded) and the unit. */
export interface UnitHit {
  hit: PhiHit
  unit: TextUnit
  start: number
  end: number
  value: string
}

/**
 * Where the structure fixes a type, a detector hit of a sibling type is retyped to it: a number in a
 * FHIR telecom with `system: fax` is a FAX even when the detector, seeing only the number, says PHONE.
 */
const SIBLING: Readonly<Partial<Record<PhiType, ReadonlySet<PhiType>>>> = {
  FAX: new Set<PhiType>(['PHONE']),
  PHONE: new Set<PhiType>(['FAX']),
}

/**
 * Runs the detector on a unit (in windows when its value is over 1 MiB), adding the type the
 * position implies when the detector finds nothing there. A PHOTO unit (an inline image or its url)
 * is one PHOTO hit without running the detector over the image bytes.
 */
export function detectUnit(unit: TextUnit, detect: Detector): PhiHit[] {
  const ctx = unit.field !== undefined ? { field: unit.field, kind: unit.kind } : { kind: unit.kind }
  let hits: PhiHit[]
  const v = unit.value
  if (unit.implied === 'PHOTO') {
    const a = v.length - v.trimStart().length
    const b = v.trimEnd().length
    return b > a ? [{ type: 'PHOTO', start: a, end: b, confidence: 0.9, detector: 'structure' }] : []
  }
  if (v.length <= HUGE) hits = detect(v, ctx)
  else {
    hits = []
    const seen = new Set<string>()
    for (let s = 0; s < v.length; s += WINDOW) {
      const from = Math.max(0, s - OVERLAP)
      for (const h of detect(v.slice(from, Math.min(v.length, s + WINDOW)), ctx)) {
        const k = `${h.type}:${h.start + from}:${h.end + from}`
        if (seen.has(k)) continue
        seen.add(k)
        hits.push({ ...h, start: h.start + from, end: h.end + from })
      }
    }
  }
  hits = hits.filter((h) => h.start >= 0 && h.end <= v.length && h.end > h.start)
  const sib = unit.implied ? SIBLING[unit.implied] : undefined
  if (sib) hits = hits.map((h) => (sib.has(h.type) ? { ...h, type: unit.implied! } : h))
  if (unit.implied) {
    const a = v.length - v.trimStart().length
    const b = v.trimEnd().length
    if (b > a && !hits.some((h) => h.start < b && h.end > a)) hits.push({ type: unit.implied, start: a, end: b, confidence: 0.9, detector: 'structure' })
  }
  return hits
}

/**
 * Whether a unit's value holds health information anywhere: a value longer than {@link HUGE} (a
 * multi-megabyte log line) is read in overlapping windows of that size, so a diagnosis code at its
 * end counts as much as one at its start.
 */
function hasHealthInfo(value: string, ctx: { field?: string; kind: TextUnit['kind'] }): boolean {
  if (value.length <= HUGE) return detectHealthInfo(value, ctx).length > 0
  for (let from = 0; from < value.length; from += HUGE - OVERLAP) {
    if (detectHealthInfo(value.slice(from, from + HUGE), ctx).length > 0) return true
    if (from + HUGE >= value.length) break
  }
  return false
}

/**
 * A hit on a name unit (a header cell, a key) counts when it is shaped: a structured identifier, or a
 * name or place that is the whole cell with some confidence. Header words (`Date of Birth`,
 * `Mother Maiden Name`) give weak partial name hits that are not identifiers.
 */
function nameHitCounts(hit: PhiHit, value: string): boolean {
  if (hit.type !== 'NAME' && hit.type !== 'GEO') return true
  const a = value.length - value.trimStart().length
  const b = value.trimEnd().length
  return hit.start <= a && hit.end >= b && hit.confidence >= 0.75
}

/**
 * Hits of every unit of a read file, mapped to raw spans; identical spans of one type are reported
 * once. `withheld`: names (header cells, keys) that hold an identifier, kept out of findings' `field`.
 */
export function detectRead(read: ReadResult, detect: Detector): { hits: UnitHit[]; identified: Set<number>; health: Set<number>; withheld: Set<string> } {
  const hits: UnitHit[] = []
  const withheld = new Set<string>()
  const identified = new Set<number>()
  const health = new Set(read.health.map((h) => h.record))
  const seen = new Set<string>()
  for (const unit of read.units) {
    for (const hit of detectUnit(unit, detect)) {
      if (unit.name) {
        if (!nameHitCounts(hit, unit.value)) continue
        withheld.add(unit.value)
      }
      const { start, end } = rawSpan(unit, hit.start, hit.end)
      const k = `${hit.type}:${start}:${end}`
      if (seen.has(k)) continue
      seen.add(k)
      hits.push({ hit, unit, start, end, value: unit.value.slice(hit.start, hit.end) })
      if (countsAsIdentifier(hit, unit.kind, unit.field)) identified.add(unit.record)
    }
    if (!health.has(unit.record)) {
      const ctx = unit.field !== undefined ? { field: unit.field, kind: unit.kind } : { kind: unit.kind }
      if (hasHealthInfo(unit.value, ctx)) health.add(unit.record)
    }
  }
  return { hits, identified, health, withheld }
}

/** A field path with every withheld name in it replaced: a key or header that is an identifier never reaches a report. */
function withholdNames(field: string, withheld: Set<string>): string {
  let out = field
  for (const w of withheld) if (out.includes(w)) out = out.split(w).join('[withheld]')
  return out
}

function findingsOf(file: string, read: ReadResult, hits: UnitHit[], text: string | undefined, withheld: Set<string> = new Set()): PhiFinding[] {
  const lines = read.positions === 'byte' || text === undefined ? undefined : new LineIndex(text)
  const out: PhiFinding[] = hits.map(({ hit, unit, start, end, value }) => {
    const pos = lines ? lines.position(start) : { line: 1, column: start + 1 }
    const f: PhiFinding = { type: hit.type, file, line: pos.line, column: pos.column, length: end - start, confidence: Math.round(hit.confidence * 1000) / 1000, masked: maskValue(value) }
    if (unit.field !== undefined) f.field = withheld.size ? withholdNames(unit.field, withheld) : unit.field
    return f
  })
  return out.sort((a, b) => a.line - b.line || a.column - b.column || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
}

function fileResult(file: string, read: ReadResult, containsPhi: boolean): PhiFileResult {
  const r: PhiFileResult = { file, status: 'scanned', containsPhi, format: read.format }
  if (read.note) r.reason = read.note
  return r
}

/**
 * Scans one text in memory: picks the reader (from the name and content, or `options.format`),
 * runs the detector on every unit, applies the file-level rule (`rule.ts`) and returns the
 * file's entry and its findings (1-based line/column over `text`, masked values only).
 */
export function scanPhiText(file: string, text: string, options: ScanPhiTextOptions = {}): PhiTextResult {
  let read: ReadResult
  try {
    read = readTextFile(options.name ?? file, text, options.format)
  } catch (e) {
    if (e instanceof UnreadableText) return { file: { file, status: 'skipped', containsPhi: false, reason: e.message }, findings: [] }
    throw e
  }
  const { hits, identified, health, withheld } = detectRead(read, options.detect ?? noDetect)
  return { file: fileResult(file, read, containsPhiRule(identified, health)), findings: findingsOf(file, read, hits, text, withheld) }
}

/** Scans a DICOM file's header (positions: line 1, column = byte offset + 1). */
export function scanDicom(file: string, buf: Uint8Array, detect: Detector = noDetect): PhiTextResult {
  const read = readDicom(buf)
  const { hits, identified, health, withheld } = detectRead(read, detect)
  return { file: fileResult(file, read, containsPhiRule(identified, health)), findings: findingsOf(file, read, hits, undefined, withheld) }
}

const COMPRESSED: [string, (b: Uint8Array) => boolean][] = [
  ['bzip2', (b) => b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68],
  ['xz', (b) => b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58 && b[4] === 0x5a],
  ['zstd', (b) => b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd],
  ['7z', (b) => b[0] === 0x37 && b[1] === 0x7a && b[2] === 0xbc && b[3] === 0xaf],
  ['rar', (b) => b[0] === 0x52 && b[1] === 0x61 && b[2] === 0x72 && b[3] === 0x21],
]

const isZip = (b: Uint8Array): boolean => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6)
const isGzip = (b: Uint8Array): boolean => b[0] === 0x1f && b[1] === 0x8b
const isTar = (b: Uint8Array): boolean => b.length >= 262 && Buffer.from(b.subarray(257, 262)).toString('latin1') === 'ustar'

/**
 * A file's text: strict UTF-8, or — for a text file with a few invalid bytes, such as a log line
 * written in Latin-1 — UTF-8 with those sequences read as U+FFFD (at most one per thousand
 * characters, or 16), so that one stray byte does not hide a whole log from the scan. More than
 * that, or NUL bytes, is binary data.
 */
/**
 * UTF-16 text (what Windows tools export: SQL Server, Excel "Unicode text", PowerShell `>`): with a
 * byte-order mark, or without one when the first KB reads as UTF-16 of mostly ASCII text (every
 * second byte NUL, none of the others). Undefined for anything else.
 */
function utf16Text(buf: Buffer): string | undefined {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2, buf.length - (buf.length % 2)).toString('utf16le')
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const le = Buffer.from(buf.subarray(2, buf.length - (buf.length % 2)))
    le.swap16()
    return le.toString('utf16le')
  }
  const n = Math.min(buf.length - (buf.length % 2), 1024)
  if (n < 16) return undefined
  let zeroHigh = 0
  let zeroLow = 0
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) zeroLow++
    if (buf[i + 1] === 0) zeroHigh++
  }
  const pairs = n / 2
  return zeroHigh >= pairs * 0.9 && zeroLow === 0 ? buf.subarray(0, buf.length - (buf.length % 2)).toString('utf16le') : undefined
}

function textOf(buf: Buffer): { text: string; replaced: number; note?: string } | { binary: string } {
  const wide = utf16Text(buf)
  if (wide !== undefined) {
    // a lone surrogate is an invalid sequence: counted like invalid UTF-8
    let replaced = 0
    const text = wide.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, () => {
      replaced++
      return '\ufffd'
    })
    if (text.includes('\u0000')) return { binary: 'contains NUL characters' }
    return replaced > Math.max(16, text.length / 1000) ? { binary: 'is not valid UTF-16' } : { text, replaced, note: 'read as UTF-16' }
  }
  const dec = decodeText(buf)
  if ('text' in dec) return { text: dec.text, replaced: 0 }
  if (dec.binary !== 'is not valid UTF-8') return dec
  let text = buf.toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  let replaced = 0
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) replaced++
  return replaced > Math.max(16, text.length / 1000) ? { binary: 'is not valid UTF-8' } : { text, replaced }
}

const replacedNote = (n: number): string => `${n} invalid UTF-8 sequence${n === 1 ? '' : 's'} read as U+FFFD`

/**
 * The text of a file `phiwall phi redact` can rewrite, or why it cannot: archives and compressed
 * files (their entries would have to be rewritten and repacked), DICOM files and images (binary
 * formats whose identifiers are not text lines) and other binary data; a text with a few invalid
 * UTF-8 bytes is read as {@link textOf} reads it, with a note. A redacted
 * copy of such a file would be corrupt and still hold the identifiers, so it is not written.
 */
export function redactableText(buf: Buffer): { text: string; note?: string } | { reason: string } {
  if (isZip(buf)) return { reason: 'a zip archive: redact its files before packing them (unzip, redact, zip)' }
  if (isTar(buf)) return { reason: 'a tar archive: redact its files before packing them' }
  if (isGzip(buf)) return { reason: 'gzip-compressed: decompress it first (gunzip -c FILE > FILE.txt)' }
  for (const [name, test] of COMPRESSED) if (test(buf)) return { reason: `${name}-compressed: decompress it first` }
  if (looksLikeDicom(buf)) return { reason: 'a DICOM file: its patient tags are binary fields, not text' }
  const image = sniffImage(buf)
  if (image) return { reason: `a ${image} image: a picture cannot be redacted as text` }
  const dec = textOf(buf)
  if ('binary' in dec) return { reason: `binary data (${dec.binary})` }
  const notes = [dec.note ? `${dec.note}, written as UTF-8` : undefined, dec.replaced ? `${replacedNote(dec.replaced)} in the output` : undefined].filter(Boolean)
  return notes.length ? { text: dec.text, note: notes.join('; ') } : { text: dec.text }
}

const MAX_ARCHIVE_DEPTH = 3

interface Ctx {
  detect: Detector
  maxFileBytes: number
  files: PhiFileResult[]
  findings: PhiFinding[]
}

function skip(ctx: Ctx, file: string, reason: string, status: 'skipped' | 'error' = 'skipped', format?: PhiFormat): boolean {
  const r: PhiFileResult = { file, status, containsPhi: false, reason }
  if (format) r.format = format
  ctx.files.push(r)
  return false
}

/** One entry of an archive: its bytes, or why they were not read. */
type ArchiveEntry = { name: string; data?: Buffer; reason?: string }

/** Reads a zip's entries one at a time (the next is inflated only after `onEntry` is done); an entry over `maxBytes` is not kept. */
async function zipEntries(buf: Buffer, maxBytes: number, onEntry: (e: ArchiveEntry) => Promise<void>): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: true }, (err, z) => (err || !z ? reject(err ?? new Error('zip')) : resolve(z))))
  await new Promise<void>((resolve, reject) => {
    const next = (e: ArchiveEntry): void => {
      onEntry(e).then(() => zip.readEntry(), reject)
    }
    zip.on('error', reject)
    zip.on('end', () => resolve())
    zip.on('entry', (e: yauzl.Entry) => {
      if (e.fileName.endsWith('/')) return zip.readEntry()
      if (e.uncompressedSize > maxBytes) return next({ name: e.fileName, reason: `larger than ${maxBytes} bytes` })
      zip.openReadStream(e, (err, stream) => {
        if (err || !stream) return next({ name: e.fileName, reason: 'entry cannot be read' })
        const chunks: Buffer[] = []
        let size = 0
        let finished = false
        const finish = (entry: ArchiveEntry): void => {
          if (finished) return
          finished = true
          next(entry)
        }
        stream.on('data', (c: Buffer) => {
          size += c.length
          if (size <= maxBytes) chunks.push(c)
          else {
            stream.destroy()
            finish({ name: e.fileName, reason: `larger than ${maxBytes} bytes` })
          }
        })
        stream.on('error', () => finish({ name: e.fileName, reason: 'entry data is corrupt' }))
        stream.on('end', () => finish({ name: e.fileName, data: Buffer.concat(chunks) }))
      })
    })
    zip.readEntry()
  })
}

/** Reads a tar's regular files one at a time. */
async function tarEntries(buf: Buffer, maxBytes: number, onEntry: (e: ArchiveEntry) => Promise<void>): Promise<void> {
  const ex = tar.extract()
  Readable.from([buf]).pipe(ex)
  for await (const entry of ex) {
    const h = entry.header
    if (h.type !== 'file' && h.type !== 'contiguous-file') {
      entry.resume()
      continue
    }
    if ((h.size ?? 0) > maxBytes) {
      entry.resume()
      await onEntry({ name: h.name, reason: `larger than ${maxBytes} bytes` })
      continue
    }
    const chunks: Buffer[] = []
    for await (const c of entry as AsyncIterable<Buffer>) chunks.push(c)
    await onEntry({ name: h.name, data: Buffer.concat(chunks) })
  }
}

/** Scans one file's bytes (recursing into archives); pushes entries and findings; returns whether it holds PHI. */
async function scanBytes(ctx: Ctx, file: string, buf: Buffer, depth: number, name = file): Promise<boolean> {
  if (buf.length > ctx.maxFileBytes) return skip(ctx, file, `larger than ${ctx.maxFileBytes} bytes`)
  const archive = isZip(buf) ? 'zip' : isTar(buf) ? 'tar' : isGzip(buf) ? 'gzip' : undefined
  if (archive) {
    if (depth >= MAX_ARCHIVE_DEPTH) return skip(ctx, file, `archive nested more than ${MAX_ARCHIVE_DEPTH} levels deep`, 'skipped', archive)
    if (archive === 'gzip') {
      let inner: Buffer
      try {
        inner = zlib.gunzipSync(buf, { maxOutputLength: ctx.maxFileBytes })
      } catch (e) {
        const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|too large/i.test((e as Error).message)
        return skip(ctx, file, tooBig ? `decompresses to more than ${ctx.maxFileBytes} bytes` : 'gzip data is corrupt', tooBig ? 'skipped' : 'error', 'gzip')
      }
      // a .tar.gz lists its entries; a single compressed file is scanned under its own name
      return scanBytes(ctx, file, inner, depth + 1, file.replace(/\.gz$/i, ''))
    }
    const idx = ctx.files.length
    ctx.files.push({ file, status: 'scanned', containsPhi: false, format: archive })
    let any = false
    let budget = ctx.maxFileBytes * 16
    const onEntry = async (e: ArchiveEntry): Promise<void> => {
      const name = `${file}!/${e.name.replace(/^\.?\//, '')}`
      if (!e.data) {
        skip(ctx, name, e.reason ?? 'entry cannot be read')
        return
      }
      budget -= e.data.length
      if (budget < 0) {
        skip(ctx, name, `archive holds more than ${ctx.maxFileBytes * 16} bytes; the rest is not read`)
        return
      }
      try {
        if (await scanBytes(ctx, name, e.data, depth + 1)) any = true
      } catch {
        skip(ctx, name, 'could not be scanned (internal error)', 'error')
      }
    }
    try {
      if (archive === 'zip') await zipEntries(buf, ctx.maxFileBytes, onEntry)
      else await tarEntries(buf, ctx.maxFileBytes, onEntry)
    } catch {
      ctx.files[idx] = { file, status: 'error', containsPhi: any, format: archive, reason: `${archive} archive is corrupt or truncated; entries before the damage were read` }
      return any
    }
    ctx.files[idx]!.containsPhi = any
    return any
  }
  for (const [name, test] of COMPRESSED) if (test(buf)) return skip(ctx, file, `${name}-compressed; not read`)
  if (looksLikeDicom(buf)) {
    const r = scanDicom(file, buf, ctx.detect)
    ctx.files.push(r.file)
    pushAll(ctx.findings, r.findings)
    return r.file.containsPhi
  }
  const image = sniffImage(buf)
  if (image) {
    const pc = photoContext(file)
    ctx.files.push({ file, status: 'scanned', containsPhi: pc.patient, format: 'image', reason: `${image} image` })
    if (pc.photo) ctx.findings.push({ type: 'PHOTO' satisfies PhiType, file, line: 1, column: 1, length: buf.length, confidence: pc.patient ? 0.8 : 0.5, masked: maskValue(buf.toString('latin1')) })
    return pc.patient
  }
  const dec = textOf(buf)
  if ('binary' in dec) return skip(ctx, file, `binary file (${dec.binary})`)
  const r = scanPhiText(file, dec.text, { detect: ctx.detect, name })
  if ((dec.replaced || dec.note) && r.file.status === 'scanned') r.file.reason = [r.file.reason, dec.note, dec.replaced ? replacedNote(dec.replaced) : undefined].filter(Boolean).join('; ')
  ctx.files.push(r.file)
  pushAll(ctx.findings, r.findings)
  return r.file.containsPhi
}

/**
 * Scans files, directories (walked in sorted order, every file; dependency and VCS folders
 * skipped), zip (Lambda packages) and tar archives entry by entry (`archive!/inner/path`), and gzip
 * (a `.tar.gz` as a tar; a single `.gz` file scanned under its own name over its decompressed text).
 * Every file gets an entry: `scanned` (with `format` and `containsPhi`), `skipped` (binary,
 * compressed with bzip2/xz/zstd/7z/rar, too large, JSON nested too deeply) or `error` (missing,
 * unreadable, corrupt archive), with a reason that never contains a value. Never throws for bad input.
 */
export async function scanPhiFiles(paths: string[], options: ScanPhiOptions = {}): Promise<PhiScanResult> {
  const ctx: Ctx = { detect: options.detect ?? noDetect, maxFileBytes: options.maxFileBytes ?? 32 * 1024 * 1024, files: [], findings: [] }
  for (const p of paths) if (!fs.existsSync(p)) skip(ctx, displayPath(path.resolve(p)), 'not found', 'error')
  const diagnostics: Diagnostic[] = []
  const walked = walkInputs(paths.filter((p) => fs.existsSync(p)), diagnostics, DEFAULT_IGNORED_DIRS, () => true)
  for (const d of diagnostics) if (d.file) skip(ctx, d.file, d.code === 'PW_ERR_SYMLINK_LOOP' ? 'symbolic link loop; not followed' : 'cannot be read', d.level === 'error' ? 'error' : 'skipped')
  let done = 0
  for (const w of walked) {
    try {
      const st = fs.statSync(w.abs)
      if (st.size > ctx.maxFileBytes) skip(ctx, w.rel, `larger than ${ctx.maxFileBytes} bytes`)
      else await scanBytes(ctx, w.rel, fs.readFileSync(w.abs), 0)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      skip(ctx, w.rel, code ? `cannot be read (${code})` : 'could not be scanned (internal error)', 'error')
    }
    done++
    options.onProgress?.(done, walked.length, w.rel)
  }
  return { files: ctx.files, findings: ctx.findings }
}
