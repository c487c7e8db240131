import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | undefined
let root: string | undefined

/**
 * The directory of PhiWall's own package.json: found by walking up from this module, so it is the
 * same whether the code runs from `src/`, the compiled `dist/` or the CLI bundle (`dist/bundle/`).
 */
export function packageRoot(): string {
  if (root) return root
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, 'package.json')
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'phiwall') return (root = dir)
      } catch {
        // not a package.json we can read: keep looking
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) return (root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'))
    dir = parent
  }
}

/** A file shipped with PhiWall (`data/aws-config/hipaa-conformance-pack.yaml`), as an absolute path. */
export function packageFile(rel: string): string {
  return path.join(packageRoot(), rel)
}

/** PhiWall's version, from its package.json. */
export function phiwallVersion(): string {
  if (cached) return cached
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }
    cached = pkg.version ?? '0.0.0'
  } catch {
    cached = '0.0.0'
  }
  return cached
}
