import type { FsEntry, VirtualFs } from './types.js'

/**
 * Normalises an archive entry name to a root-relative path (`./usr/bin/` → `usr/bin`). Returns
 * undefined for names that escape the root: absolute names, drive letters, `..` segments, NUL.
 */
export function normalizeEntryPath(name: string): string | undefined {
  if (name.includes('\0')) return undefined
  const slashed = name.replace(/\\/g, '/')
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return undefined
  const parts: string[] = []
  for (const seg of slashed.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') return undefined
    parts.push(seg)
  }
  return parts.join('/')
}

/** Parent directory of a root-relative path (`''` for the root). */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/')
  return i < 0 ? '' : p.slice(0, i)
}

/** Last segment of a path. */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

function deleteTree(fs: VirtualFs, p: string, keepSelf: boolean): void {
  if (!keepSelf) fs.delete(p)
  const prefix = p === '' ? '' : `${p}/`
  for (const key of [...fs.keys()]) if (key.startsWith(prefix) && key !== p) fs.delete(key)
}

/**
 * Applies one layer on top of the filesystem, the way the OCI image spec says: whiteouts
 * (`.wh.<name>` deletes `<name>` and what is below it, `.wh..wh..opq` empties its directory) act on
 * the lower layers only, then the layer's entries are added. Hard links take the contents of
 * their target when it was kept.
 */
export function applyLayer(fs: VirtualFs, entries: readonly FsEntry[], layer?: string): void {
  for (const e of entries) {
    const base = basename(e.path)
    if (!base.startsWith('.wh.')) continue
    const dir = dirname(e.path)
    if (base === '.wh..wh..opq') deleteTree(fs, dir, true)
    else deleteTree(fs, dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`, false)
  }
  const added = new Map<string, FsEntry>()
  for (const e of entries) {
    if (basename(e.path).startsWith('.wh.')) continue
    const entry: FsEntry = layer === undefined ? { ...e } : { ...e, layer }
    if (entry.type === 'hardlink' && entry.linkTarget !== undefined && entry.content === undefined) {
      const target = normalizeEntryPath(entry.linkTarget)
      const t = target === undefined ? undefined : (added.get(target) ?? fs.get(target))
      if (t?.content !== undefined) entry.content = t.content
      if (t !== undefined) entry.size = t.size
    }
    // a file replacing a directory (or the reverse) replaces what was below it
    const old = fs.get(entry.path)
    if (old && old.type === 'dir' && entry.type !== 'dir') deleteTree(fs, entry.path, true)
    fs.set(entry.path, entry)
    added.set(entry.path, entry)
  }
}

/**
 * Resolves symbolic links inside the filesystem, as if it were chrooted: absolute targets start
 * at the root, `..` stops at the root, so a link never leads outside it. Returns the final path,
 * or undefined for a loop or a dangling link.
 */
export function resolvePath(fs: VirtualFs, p: string, maxHops = 16): string | undefined {
  let segments = p.split('/').filter((s) => s !== '')
  let hops = 0
  for (let i = 0; i < segments.length; i++) {
    const cur = segments.slice(0, i + 1).join('/')
    const e = fs.get(cur)
    if (e?.type !== 'symlink' || e.linkTarget === undefined) continue
    if (++hops > maxHops) return undefined
    const base = e.linkTarget.startsWith('/') ? [] : segments.slice(0, i)
    const next: string[] = [...base]
    for (const s of e.linkTarget.split('/')) {
      if (s === '' || s === '.') continue
      if (s === '..') next.pop()
      else next.push(s)
    }
    segments = [...next, ...segments.slice(i + 1)]
    i = -1
  }
  const out = segments.join('/')
  return fs.has(out) ? out : undefined
}

/** The kept contents of a file (following symlinks inside the root), or undefined. */
export function readContent(fs: VirtualFs, p: string): { entry: FsEntry; content: Buffer } | undefined {
  const real = resolvePath(fs, p)
  const e = real === undefined ? undefined : fs.get(real)
  return e?.content === undefined ? undefined : { entry: e, content: e.content }
}
