import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('the package root', () => {
  it('exports compareVersions for other tools: `import { compareVersions } from "phiwall"` (the built package)', () => {
    const cases = [
      ['Debian', '1:1.0~rc1-1', '1:1.0-1', -1],
      ['Ubuntu', '2.38.1-5ubuntu1', '2.38.1-5', 1],
      ['PyPI', '1.0.post1', '1.0', 1],
      ['PyPI', '1.0.dev1', '1.0a1', -1],
      ['Maven', '1.0-alpha', '1.0', -1],
      ['Alpine', '1.2_rc1-r0', '1.2-r0', -1],
      ['Red Hat', '1.0~rc1', '1.0', -1],
      ['npm', '1.0.0-beta', '1.0.0', -1],
      ['Go', 'v1.2.3', 'v1.10.0', -1],
      ['RubyGems', '1.0.a', '1.0', -1],
      ['Packagist', '1.0.0-RC1', '1.0.0', -1],
      ['crates.io', '1.0.0+build', '1.0.0', 0],
    ] as const
    // a separate Node process resolving the package by its own name through package.json "exports"
    const script = `import('phiwall').then((m) => { process.stdout.write(JSON.stringify(${JSON.stringify(cases)}.map(([e, a, b]) => m.compareVersions(e, a, b)))) })`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual(cases.map((c) => c[3]))
  })

  it('exports the PHI detectors and redaction for other tools: `import { redact, detectAll } from "phiwall/phi"`', () => {
    const script = `import('phiwall/phi').then((m) => { const r = m.redact('Patient Eleanor Hartwell, SSN 555-12-3456, dx E11.9', { detect: m.detectAll, key: 'k'.repeat(32), format: 'type' }); process.stdout.write(JSON.stringify({ text: r.text, types: Object.keys(r.byType).sort(), fn: typeof m.scanPhiFiles })) })`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ text: 'Patient [NAME], SSN [SSN], dx E11.9', types: ['NAME', 'SSN'], fn: 'function' })
  })
})
