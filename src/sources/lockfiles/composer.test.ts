import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Component } from '../../model/index.js'
import { parseLockfile } from './index.js'

/** A parser that threw is caught by parseLockfile and reported as "reader failed": fuzzing must not see one. */
function noCrash(r: { diagnostics: { message: string }[] }): void {
  expect(r.diagnostics.filter((d) => d.message.includes(' reader failed')).map((d) => d.message)).toEqual([])
}

const td = path.join(import.meta.dirname, 'testdata')
const read = (rel: string): string => fs.readFileSync(path.join(td, rel), 'utf8')
const row = (c: Component): string => `${c.purl} L${c.locations.map((l) => l.line).join('+')} direct=${c.direct} ${c.scope}`

describe('composer.lock', () => {
  it('packages (prod) and packages-dev (dev), direct from composer.json, v-prefix dropped, chains', () => {
    const r = parseLockfile('composer.lock', read('composer/composer.lock'), { readSibling: (n) => (n === 'composer.json' ? read('composer/composer.json') : undefined) })
    expect(r.format).toBe('composer-lock')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:composer/guzzlehttp/guzzle@7.4.0 L9 direct=true prod',
      'pkg:composer/guzzlehttp/promises@1.5.1 L30 direct=false prod',
      'pkg:composer/guzzlehttp/psr7@2.1.0 L41 direct=false prod',
      'pkg:composer/psr/http-client@1.0.1 L55 direct=false prod',
      'pkg:composer/psr/http-factory@1.0.1 L67 direct=false prod',
      'pkg:composer/psr/http-message@1.0.1 L79 direct=false prod',
      'pkg:composer/ralouphie/getallheaders@3.0.3 L90 direct=false prod',
      'pkg:composer/symfony/deprecation-contracts@2.5.0 L101 direct=false prod',
      'pkg:composer/hamcrest/hamcrest-php@2.0.1 L114 direct=false dev',
      'pkg:composer/mockery/mockery@1.4.4 L125 direct=true dev',
    ])
    expect(r.components.find((c) => c.name === 'ralouphie/getallheaders')!.paths).toEqual([['guzzlehttp/guzzle@7.4.0', 'guzzlehttp/psr7@2.1.0', 'ralouphie/getallheaders@3.0.3']])
    expect(r.components[0]).toMatchObject({ ecosystem: 'Packagist', name: 'guzzlehttp/guzzle', version: '7.4.0', foundBy: 'composer.lock', license: 'MIT' })
    expect(r.components[8]!.license).toBe('BSD-3-Clause')
  })

  it('bad entries are reported and skipped; fuzz never throws', () => {
    const r = parseLockfile('composer.lock', '{\n  "content-hash": "x",\n  "packages": [\n    {"name": "a/b"},\n    {"name": "c/d", "version": "1.0.0"}\n  ],\n  "packages-dev": 3\n}\n')
    expect(r.components.map((c) => c.purl)).toEqual(['pkg:composer/c/d@1.0.0'])
    expect(r.diagnostics.map((d) => `${d.code}:${d.line}:${d.message}`)).toEqual([
      'PW_ERR_LOCKFILE_INVALID:4:Entry 0 of "packages" has no name or version (composer.lock at line 4).',
      'PW_ERR_LOCKFILE_INVALID:7:"packages-dev" is not a list (composer.lock at line 7).',
    ])
    const base = read('composer/composer.lock')
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(base.length), (junk, at) => {
        noCrash(parseLockfile('composer.lock', base.slice(0, at) + junk + base.slice(at)))
      }),
      { numRuns: 100 },
    )
  })
})
