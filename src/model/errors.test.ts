import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_CATALOG, ERROR_CODES, PhiwallError } from './index.js'

describe('error catalog', () => {
  it('is documented in docs/errors.md, both ways', () => {
    const doc = fs.readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
    const documented = new Set([...doc.matchAll(/`(PW_ERR_[A-Z0-9_]+)`/g)].map((m) => m[1]))
    for (const code of ERROR_CODES) expect(documented.has(code), `${code} missing from docs/errors.md`).toBe(true)
    for (const code of documented) expect(code! in ERROR_CATALOG, `${code} in docs/errors.md is not in the catalog`).toBe(true)
  })

  it('every code used in the source is in the catalog', () => {
    const used = new Set<string>()
    const walk = (dir: URL): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(new URL(`${e.name}/`, dir))
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) for (const m of fs.readFileSync(new URL(e.name, dir), 'utf8').matchAll(/'(PW_ERR_[A-Z0-9_]+)'/g)) used.add(m[1]!)
      }
    }
    walk(new URL('../', import.meta.url))
    for (const code of used) expect(code in ERROR_CATALOG, code).toBe(true)
  })

  it('carries code, remediation and HTTP status', () => {
    const e = new PhiwallError('PW_ERR_PATH_NOT_FOUND', 'Path x does not exist.')
    expect(e).toMatchObject({ code: 'PW_ERR_PATH_NOT_FOUND', httpStatus: 404 })
    expect(e.remediation.length).toBeGreaterThan(10)
  })
})
