import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const src = path.join(root, 'src')

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
}

describe('domain boundaries', () => {
  it('code reaches other domains only through their index.ts', () => {
    const violations: string[] = []
    for (const file of files(src)) {
      if (file.endsWith('.test.ts')) continue
      const domain = path.relative(src, file).split(path.sep)[0]!
      const text = fs.readFileSync(file, 'utf8')
      for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
        const spec = (m[1] ?? m[2])!
        const target = path.resolve(path.dirname(file), spec)
        const rel = path.relative(src, target)
        if (rel.startsWith('..')) continue
        const targetDomain = rel.split(path.sep)[0]!
        if (targetDomain === domain || targetDomain === 'index.js') continue
        // a domain's public face is its index.ts (sub-domains of sources keep their own index.ts)
        const parts = rel.split(path.sep)
        // test-only helpers (test-support.ts, excluded from the build) may use another domain's test-support
        const testSupport = file.endsWith('test-support.ts') && parts[parts.length - 1] === 'test-support.js'
        const ok = testSupport || (parts[parts.length - 1] === 'index.js' && (parts.length === 2 || (parts[0] === 'sources' && parts.length === 3)))
        if (!ok) violations.push(`${path.relative(root, file)} imports ${spec}`)
      }
    }
    expect(violations).toEqual([])
  })

  it('the AWS SDK is loaded only by the collector', () => {
    for (const file of files(src)) {
      if (file.includes(`${path.sep}aws-live${path.sep}`) || file.endsWith('.test.ts')) continue
      expect(fs.readFileSync(file, 'utf8'), path.relative(root, file)).not.toMatch(/from '@aws-sdk\//)
    }
  })

  it("a file that declares OpenAPI routes takes zod only from @hono/zod-openapi (the CLI bundle inlines a second zod)", () => {
    for (const file of files(path.join(src, 'server'))) {
      if (file.endsWith('.test.ts')) continue
      const text = fs.readFileSync(file, 'utf8')
      if (!text.includes("from '@hono/zod-openapi'")) continue
      expect(text, path.relative(root, file)).not.toMatch(/from 'zod'/)
    }
  })

  it('package exports only ., ./checks, ./model and ./phi, and each points at a built file', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; bin: Record<string, string> }
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './checks', './model', './package.json', './phi'])
    for (const [key, value] of Object.entries(pkg.exports)) {
      if (key === './package.json') continue
      const v = value as { default: string; types: string }
      const source = v.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')
      expect(fs.existsSync(path.join(root, source)), `${key} → ${source}`).toBe(true)
    }
    expect(pkg.bin['phiwall']).toBe('bin/phiwall.js')
  })
})
