import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Diagnostic } from '../../model/index.js'
import { decompressed, drain, readAll, readTarLayer, tarEntries, type ArchiveReadContext } from './tar.js'
import type { FsEntry, VirtualFs } from './types.js'
import { applyLayer, normalizeEntryPath } from './vfs.js'

/** `docker save` manifest.json: one entry per image. */
const DockerManifest = z.array(z.object({ Config: z.string(), RepoTags: z.array(z.string()).nullish(), Layers: z.array(z.string()) }).loose()).min(1)

const Descriptor = z.object({
  mediaType: z.string().optional(),
  digest: z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/),
  size: z.number().optional(),
  platform: z.object({ os: z.string().optional(), architecture: z.string().optional() }).loose().optional(),
}).loose()
const OciIndex = z.object({ manifests: z.array(Descriptor) }).loose()
const OciManifest = z.object({ config: Descriptor, layers: z.array(Descriptor) }).loose()
const ImageConfig = z.object({ rootfs: z.object({ diff_ids: z.array(z.string()) }).loose() }).loose()

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'])

/** Where an image's blobs come from: a directory (OCI layout) or a tarball (`docker save`, `oci-archive`). */
interface BlobSource {
  /** A small JSON file (manifest, index, config), or undefined. */
  small(p: string): Buffer | undefined | Promise<Buffer | undefined>
  /** Streams the named layer files, in archive order. */
  layers(paths: ReadonlySet<string>, onLayer: (p: string, chunks: AsyncIterable<Buffer>) => Promise<void>): Promise<void>
}

const SMALL_MAX = 4 * 1024 * 1024

/** A tarball: a first pass keeps small JSON entries, a second streams the layers. */
async function tarSource(file: string, display: string, diagnostics: Diagnostic[]): Promise<BlobSource> {
  const small = new Map<string, Buffer>()
  try {
    for await (const e of tarEntries(decompressed(fs.createReadStream(file)))) {
      const p = normalizeEntryPath(e.header.name)
      if (p !== undefined && (e.header.type ?? 'file') === 'file' && e.header.size <= SMALL_MAX) {
        const buf = await readAll(e)
        if (buf[0] === 0x7b /* { */ || buf[0] === 0x5b /* [ */) small.set(p, buf)
      } else await drain(e)
    }
  } catch (err) {
    diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${display} is truncated or corrupt (${(err as Error).message}); reading what came before.`, file: display })
  }
  return {
    small: (p) => small.get(p),
    async layers(paths, onLayer) {
      try {
        for await (const e of tarEntries(decompressed(fs.createReadStream(file)))) {
          const p = normalizeEntryPath(e.header.name)
          if (p !== undefined && paths.has(p)) await onLayer(p, e)
          await drain(e) // what a layer reader left (padding after the end-of-archive blocks)
        }
      } catch {
        /* reported by the first pass */
      }
    },
  }
}

/** An OCI image layout directory. */
function dirSource(root: string): BlobSource {
  return {
    async small(p) {
      try {
        const abs = path.join(root, p)
        const st = await fsp.stat(abs)
        return st.isFile() && st.size <= SMALL_MAX ? await fsp.readFile(abs) : undefined
      } catch {
        return undefined
      }
    },
    async layers(paths, onLayer) {
      for (const p of paths) {
        if (!fs.existsSync(path.join(root, p))) continue // reported as missing by the caller
        const stream = fs.createReadStream(path.join(root, p))
        await onLayer(p, stream)
      }
    },
  }
}

function parseJson(buf: Buffer | undefined): unknown {
  if (!buf) return undefined
  try {
    return JSON.parse(buf.toString('utf8'))
  } catch {
    return undefined
  }
}

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':')
  return `blobs/${alg}/${hex}`
}

/** The layers (paths and fallback ids) and config of the image a tarball or layout holds. */
async function resolveImage(src: BlobSource, display: string, diagnostics: Diagnostic[]): Promise<{ kind: 'docker-archive' | 'oci-layout'; layerPaths: string[]; configPath?: string } | undefined> {
  const manifest = DockerManifest.safeParse(parseJson(await src.small('manifest.json')))
  if (manifest.success) {
    const img = manifest.data[0]!
    if (manifest.data.length > 1) diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'warning', message: `${display} holds ${manifest.data.length} images; only the first (${img.RepoTags?.[0] ?? img.Config}) is read.`, file: display })
    const layerPaths: string[] = []
    for (const l of img.Layers) {
      const p = normalizeEntryPath(l)
      if (p === undefined) diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${display}: manifest.json names a layer outside the archive (${JSON.stringify(l.slice(0, 200))}); skipped.`, file: display })
      else layerPaths.push(p)
    }
    const configPath = normalizeEntryPath(img.Config)
    return configPath === undefined ? { kind: 'docker-archive', layerPaths } : { kind: 'docker-archive', layerPaths, configPath }
  }
  const index = OciIndex.safeParse(parseJson(await src.small('index.json')))
  if (!index.success) return undefined
  let descriptors = index.data.manifests
  for (let depth = 0; depth < 4; depth++) {
    const images = descriptors.filter((d) => d.platform?.architecture !== 'unknown')
    const chosen = images.find((d) => !d.platform || d.platform.os === 'linux') ?? images[0]
    if (!chosen) break
    if (images.length > 1) diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'warning', message: `${display} holds ${images.length} images or platforms; only ${chosen.digest} is read.`, file: display })
    const json = parseJson(await src.small(blobPath(chosen.digest)))
    const asIndex = OciIndex.safeParse(json)
    if ((chosen.mediaType && INDEX_TYPES.has(chosen.mediaType)) || (!OciManifest.safeParse(json).success && asIndex.success)) {
      if (!asIndex.success) break
      descriptors = asIndex.data.manifests
      continue
    }
    const m = OciManifest.safeParse(json)
    if (!m.success) break
    return { kind: 'oci-layout', layerPaths: m.data.layers.map((l) => blobPath(l.digest)), configPath: blobPath(m.data.config.digest) }
  }
  diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${display}: index.json does not lead to a readable image manifest.`, file: display })
  return { kind: 'oci-layout', layerPaths: [] }
}

/** Layer id of a layer path when the config gives no diff id: the blob digest, else the path. */
function fallbackLayerId(p: string): string {
  const m = /^blobs\/([^/]+)\/([^/]+)$/.exec(p)
  return m ? `${m[1]}:${m[2]}` : p
}

/**
 * Reads a container image — a `docker save` tarball or an OCI image layout (a directory or a
 * tarball) — into a filesystem, applying its layers in order with whiteouts. Layer ids are the
 * config's `rootfs.diff_ids` (what `docker inspect` lists), else the layer blob digests. A missing
 * or corrupt layer is a diagnostic naming the archive and the layer; the others are applied.
 * Undefined when the input is neither.
 */
export async function readImage(input: string, display: string, isDir: boolean, ctx: Omit<ArchiveReadContext, 'archive'>): Promise<{ kind: 'docker-archive' | 'oci-layout'; fs: VirtualFs; layers: string[] } | undefined> {
  const diagnostics = ctx.diagnostics
  const src = isDir ? dirSource(input) : await tarSource(input, display, diagnostics)
  const image = await resolveImage(src, display, diagnostics)
  if (!image) return undefined
  const config = image.configPath === undefined ? undefined : ImageConfig.safeParse(parseJson(await src.small(image.configPath)))
  const diffIds = config?.success && config.data.rootfs.diff_ids.length === image.layerPaths.length ? config.data.rootfs.diff_ids : undefined
  const layerIds = image.layerPaths.map((p, i) => diffIds?.[i] ?? fallbackLayerId(p))
  const read = new Map<string, FsEntry[]>()
  await src.layers(new Set(image.layerPaths), async (p, chunks) => {
    read.set(p, await readTarLayer(chunks, { ...ctx, archive: `${display}!/${p}` }))
  })
  const vfs: VirtualFs = new Map()
  image.layerPaths.forEach((p, i) => {
    const entries = read.get(p)
    if (!entries) {
      diagnostics.push({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `${display}: layer ${layerIds[i]} (${p}) is missing from the image; the layers above it are applied without it.`, file: display })
      return
    }
    applyLayer(vfs, entries, layerIds[i])
  })
  return { kind: image.kind, fs: vfs, layers: layerIds }
}
