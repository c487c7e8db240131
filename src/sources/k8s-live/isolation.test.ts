import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../..', import.meta.url))
const LIVE = fileURLToPath(new URL('.', import.meta.url))

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sources(p)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : []
  })
}

// `phiwall scan` must start fast: the Kubernetes client (~0.5 s to import) is loaded only when a live cluster is read
describe('the Kubernetes client stays out of the scan path', () => {
  it('is imported by src/sources/k8s-live only', () => {
    const offenders = sources(SRC)
      .filter((f) => !path.resolve(f).startsWith(path.resolve(LIVE)))
      .filter((f) => /from\s+['"]@kubernetes\/client-node|import\(\s*['"]@kubernetes\/client-node/.test(fs.readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })

  it('is reached from the CLI through a dynamic import only', () => {
    const statics = sources(SRC)
      .filter((f) => !path.resolve(f).startsWith(path.resolve(LIVE)))
      .filter((f) => /^\s*(import|export)\s[^;]*from\s+['"][./]*(sources\/)?k8s-live\//m.test(fs.readFileSync(f, 'utf8')))
    expect(statics).toEqual([])
    expect(fs.readFileSync(path.join(SRC, 'cli', 'commands', 'collect.ts'), 'utf8')).toContain("await import('../../sources/k8s-live/index.js')")
  })
})
