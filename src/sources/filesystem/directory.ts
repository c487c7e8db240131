import fs from 'node:fs/promises'
import path from 'node:path'
import type { FsEntry } from './types.js'
import { tooLarge, type ArchiveReadContext } from './tar.js'

/** Top-level directories of a live root that are not files (kernel and device filesystems). */
const VIRTUAL_ROOT_DIRS = new Set(['proc', 'sys', 'dev'])

/**
 * Reads a directory tree as a filesystem (an unpacked image, a mounted VM disk, an unzipped Lambda
 * package). Symbolic links are recorded, never followed, so nothing outside the root is read.
 * Only wanted files (with contents) and links are kept: a directory has no whiteouts to apply.
 */
export async function readDirectory(root: string, ctx: ArchiveReadContext): Promise<FsEntry[]> {
  const out: FsEntry[] = []
  const stack: string[] = ['']
  while (stack.length) {
    const rel = stack.pop()!
    let dirents: import('node:fs').Dirent[]
    try {
      dirents = await fs.readdir(path.join(root, rel), { withFileTypes: true })
    } catch (err) {
      ctx.diagnostics.push({ code: 'PW_ERR_SOURCE_UNREADABLE', level: 'warning', message: `Directory ${ctx.archive}/${rel} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, file: ctx.archive })
      continue
    }
    dirents.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0))
    for (const d of dirents) {
      const p = rel === '' ? d.name : `${rel}/${d.name}`
      const abs = path.join(root, p)
      if (d.isDirectory()) {
        if (!(rel === '' && VIRTUAL_ROOT_DIRS.has(d.name))) stack.push(p)
      } else if (d.isSymbolicLink()) {
        try {
          out.push({ path: p, type: 'symlink', size: 0, linkTarget: await fs.readlink(abs) })
        } catch {
          /* vanished while walking */
        }
      } else if (d.isFile() && ctx.want(p)) {
        try {
          const st = await fs.stat(abs)
          if (st.size > ctx.maxFileBytes) {
            ctx.diagnostics.push(tooLarge(ctx.archive, p, st.size, ctx.maxFileBytes))
            out.push({ path: p, type: 'file', size: st.size })
          } else {
            const content = await fs.readFile(abs)
            out.push({ path: p, type: 'file', size: content.length, content })
          }
        } catch (err) {
          ctx.diagnostics.push({ code: 'PW_ERR_SOURCE_UNREADABLE', level: 'warning', message: `File ${ctx.archive}/${p} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, file: `${ctx.archive}/${p}` })
        }
      }
    }
  }
  return out
}
