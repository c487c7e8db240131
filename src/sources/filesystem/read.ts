import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { PhiwallError, type Diagnostic } from '../../model/index.js'
import { displayPath } from '../walk.js'
import { collectComponents, isPackageMetadataPath } from './components.js'
import { readDirectory } from './directory.js'
import { readImage } from './image.js'
import { decompressed, drain, readTarLayer, tarEntries, type ArchiveReadContext } from './tar.js'
import type { FilesystemKind, FilesystemOptions, FilesystemResult, VirtualFs } from './types.js'
import { applyLayer, normalizeEntryPath } from './vfs.js'
import { readZip } from './zip.js'

const DEFAULT_MAX_FILE = 128 * 1024 * 1024
const DEFAULT_MAX_ZIP_ENTRY = 512 * 1024 * 1024
const DEFAULT_MAX_ZIP_RATIO = 200

/** The first bytes of a file (decompressed when gzip), or undefined when it cannot be read. */
async function head(file: string, bytes: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = []
  let n = 0
  const stream = fs.createReadStream(file, { end: 1024 * 1024 })
  try {
    for await (const chunk of decompressed(stream)) {
      parts.push(chunk)
      n += chunk.length
      if (n >= bytes) break
    }
  } catch {
    /* a gzip stream cut by `end` */
  } finally {
    stream.destroy()
  }
  return parts.length ? Buffer.concat(parts) : undefined
}

function isZipMagic(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6))
}

function isTarHeader(b: Buffer): boolean {
  return b.length >= 512 && b.toString('latin1', 257, 262) === 'ustar'
}

/**
 * What a path holds, cheaply: `directory`, `oci-layout` (a layout directory), `zip`, or `tar` for any
 * tarball (whether it is an image is found while reading it).
 */
async function quickKind(abs: string): Promise<FilesystemKind | undefined> {
  let st: fs.Stats
  try {
    st = await fsp.stat(abs)
  } catch {
    return undefined
  }
  if (st.isDirectory()) return fs.existsSync(path.join(abs, 'oci-layout')) && fs.existsSync(path.join(abs, 'index.json')) ? 'oci-layout' : 'directory'
  if (!st.isFile()) return undefined
  const b = await head(abs, 512)
  if (!b) return undefined
  if (isZipMagic(b)) return 'zip'
  return isTarHeader(b) ? 'tar' : undefined
}

/**
 * What a path holds: a directory (`oci-layout` when it has `oci-layout` and `index.json`), a zip
 * (Lambda package, jar), or a tarball — `docker-archive` with a `manifest.json`, `oci-layout`
 * with `oci-layout` and `index.json`, else a plain root filesystem `tar`. Tarballs may be gzip-
 * compressed. Undefined for anything else or a missing path.
 */
export async function detectFilesystemKind(inputPath: string): Promise<FilesystemKind | undefined> {
  const quick = await quickKind(inputPath)
  if (quick !== 'tar') return quick
  let manifest = false
  let ociLayout = false
  let index = false
  try {
    for await (const e of tarEntries(decompressed(fs.createReadStream(inputPath)))) {
      const p = normalizeEntryPath(e.header.name)
      if (p === 'manifest.json') manifest = true
      else if (p === 'oci-layout') ociLayout = true
      else if (p === 'index.json') index = true
      await drain(e)
    }
  } catch {
    /* truncated: judge by what was seen */
  }
  return manifest ? 'docker-archive' : ociLayout && index ? 'oci-layout' : 'tar'
}

/**
 * Reads a filesystem — a directory, a `docker save` tarball, an OCI image layout (directory or
 * tarball), a zip (Lambda package, jar, war) or a root-filesystem tarball — into the components
 * installed in it: OS packages (dpkg, apk, RPM SQLite) judged with the OS of `etc/os-release`, and
 * language packages (node_modules, dist-info / egg-info, gemspecs, Composer, jars). Image layers
 * are applied in order with whiteouts; locations are `<input>!/<path>` (archives) or
 * `<input>/<path>` (directories), with the layer for images. Bad or truncated archives are
 * diagnostics; the rest is read.
 *
 * @throws PhiwallError `PW_ERR_PATH_NOT_FOUND` for a missing path, `PW_ERR_ARCHIVE_INVALID` for
 *   a file that is neither a tar nor a zip.
 */
export async function readFilesystem(inputPath: string, options: FilesystemOptions = {}): Promise<FilesystemResult> {
  const abs = path.resolve(inputPath)
  const display = options.displayName ?? displayPath(abs)
  const kind = await quickKind(abs)
  if (kind === undefined) {
    if (!fs.existsSync(abs)) throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `Path ${display} does not exist.`)
    throw new PhiwallError('PW_ERR_ARCHIVE_INVALID', `${display} is neither a directory, a tar archive nor a zip.`)
  }
  const diagnostics: Diagnostic[] = []
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE
  const extra = options.extraFileFilter
  const want = (p: string): boolean => isPackageMetadataPath(p) || (extra?.(p) ?? false)
  const zipLimits = { maxEntryBytes: options.maxZipEntryBytes ?? DEFAULT_MAX_ZIP_ENTRY, maxRatio: options.maxZipRatio ?? DEFAULT_MAX_ZIP_RATIO }
  const ctx: ArchiveReadContext = { archive: display, want, maxFileBytes, diagnostics }
  let vfs: VirtualFs = new Map()
  let layers: string[] | undefined
  let resultKind: FilesystemKind = kind
  if (kind === 'directory') {
    applyLayer(vfs, await readDirectory(abs, ctx))
  } else if (kind === 'zip') {
    applyLayer(vfs, await readZip({ path: abs }, ctx, zipLimits))
  } else {
    // a tarball: an image when it has manifest.json or index.json, else a root filesystem
    const isDir = kind === 'oci-layout'
    const attempt: Diagnostic[] = []
    const image = await readImage(abs, display, isDir, { want, maxFileBytes, diagnostics: attempt })
    if (image) {
      diagnostics.push(...attempt)
      vfs = image.fs
      layers = image.layers
      resultKind = image.kind
    } else if (isDir) {
      diagnostics.push(...attempt, { code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${display} has an oci-layout file but no readable index.json.`, file: display })
    } else {
      resultKind = 'tar'
      applyLayer(vfs, await readTarLayer(fs.createReadStream(abs), ctx))
    }
  }
  const prefix = kind === 'directory' ? `${display}/` : `${display}!/`
  const found = await collectComponents(vfs, { prefix, options, zipLimits, maxFileBytes })
  const result: FilesystemResult = { kind: resultKind, components: found.components, diagnostics: [...diagnostics, ...found.diagnostics] }
  if (found.os) result.os = found.os
  if (layers) result.layers = layers
  return result
}
