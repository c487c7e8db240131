import fs from 'node:fs'
import path from 'node:path'
import type { Diagnostic } from '../model/index.js'

/** A file found by {@link walkInputs}, with how it was found. */
export interface WalkedFile {
  /** Absolute path. */
  abs: string
  /** Path reported to users: relative to the working directory when inside it, with forward slashes. */
  rel: string
  /** Named on the command line (always tried), as opposed to found in a directory. */
  explicit: boolean
}

/** Directory names never descended into: dependencies, VCS data and build outputs that copy sources. */
export const DEFAULT_IGNORED_DIRS = ['node_modules', '.git', '.hg', '.svn', '.aws-sam', '.serverless', '.terraform', 'cdk.out', '.venv', '__pycache__']

/** File extensions PhiWall reads when walking a directory. */
export const CANDIDATE_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.template', '.cfn', '.tpl'])

/** Report path for an absolute path: cwd-relative with forward slashes, else absolute. */
export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs)
  const p = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs
  return p.split(path.sep).join('/')
}

/**
 * Walks input paths: files are taken as named; directories are walked (sorted, so runs are
 * repeatable) for candidate extensions and for names `isCandidate` accepts (lockfiles such as
 * `go.sum` or `requirements.txt`), skipping {@link DEFAULT_IGNORED_DIRS}. Symbolic links
 * are followed once: a link back into a directory already on the walk is a loop and reported.
 */
export function walkInputs(inputs: string[], diagnostics: Diagnostic[], ignoredDirs: string[] = DEFAULT_IGNORED_DIRS, isCandidate: (name: string, relDir: string) => boolean = () => false): WalkedFile[] {
  const out: WalkedFile[] = []
  const ignored = new Set(ignoredDirs)
  const seenFiles = new Set<string>()
  for (const input of inputs) {
    const abs = path.resolve(input)
    let st: fs.Stats
    try {
      st = fs.statSync(abs)
    } catch {
      continue // the caller reports missing paths before walking
    }
    if (st.isFile()) {
      const real = safeRealpath(abs)
      if (!seenFiles.has(real)) {
        seenFiles.add(real)
        out.push({ abs, rel: displayPath(abs), explicit: true })
      }
      continue
    }
    if (!st.isDirectory()) continue
    const rootReal = safeRealpath(abs)
    // `real` is the directory's real path: a plain (non-link) entry's real path is then `real/name`
    // without a system call per file (realpath lstat's every component of every path)
    const stack: { dir: string; real: string; ancestors: Set<string> }[] = [{ dir: abs, real: rootReal, ancestors: new Set([rootReal]) }]
    while (stack.length) {
      const { dir, real: dirReal, ancestors } = stack.pop()!
      let entries: fs.Dirent[]
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true })
      } catch (err) {
        diagnostics.push({
          code: 'PW_ERR_SOURCE_UNREADABLE',
          level: 'error',
          message: `Directory ${displayPath(dir)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
          file: displayPath(dir),
        })
        continue
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0))
      const subdirs: { dir: string; real: string; ancestors: Set<string> }[] = []
      for (const e of entries) {
        const p = path.join(dir, e.name)
        let isDir = e.isDirectory()
        let isFile = e.isFile()
        if (e.isSymbolicLink()) {
          try {
            const target = fs.statSync(p)
            isDir = target.isDirectory()
            isFile = target.isFile()
          } catch {
            diagnostics.push({ code: 'PW_ERR_SOURCE_UNREADABLE', level: 'warning', message: `Symbolic link ${displayPath(p)} points to nothing; it is skipped.`, file: displayPath(p) })
            continue
          }
        }
        const link = e.isSymbolicLink()
        if (isDir) {
          if (ignored.has(e.name)) continue
          const real = link ? safeRealpath(p) : path.join(dirReal, e.name)
          if (ancestors.has(real)) {
            diagnostics.push({
              code: 'PW_ERR_SYMLINK_LOOP',
              level: 'error',
              message: `Symbolic link ${displayPath(p)} points back to ${displayPath(real)}, one of its own parent directories; it is not followed.`,
              file: displayPath(p),
            })
            continue
          }
          subdirs.push({ dir: p, real, ancestors: new Set([...ancestors, real]) })
        } else if (isFile && (CANDIDATE_EXTENSIONS.has(path.extname(e.name).toLowerCase()) || isCandidate(e.name, path.relative(abs, dir).split(path.sep).join('/')))) {
          const real = link ? safeRealpath(p) : path.join(dirReal, e.name)
          if (seenFiles.has(real)) continue
          seenFiles.add(real)
          out.push({ abs: p, rel: displayPath(p), explicit: false })
        }
      }
      // entries were sorted descending; pushing keeps ascending order on pop
      for (const s of subdirs) stack.push(s)
    }
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p)
  } catch {
    return p
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Decode UTF-8 text, or say why the bytes are not text. */
export function decodeText(buf: Buffer): { text: string } | { binary: string } {
  const head = buf.subarray(0, 8192)
  if (head.includes(0)) return { binary: 'contains NUL bytes' }
  try {
    let text = decoder.decode(buf)
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    return { text }
  } catch {
    return { binary: 'is not valid UTF-8' }
  }
}
