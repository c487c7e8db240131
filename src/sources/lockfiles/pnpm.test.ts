import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Component } from '../../model/index.js'
import { parseLockfile } from './index.js'
import { parsePnpmKey } from './pnpm.js'

/** A parser that threw is caught by parseLockfile and reported as "reader failed": fuzzing must not see one. */
function noCrash(r: { diagnostics: { message: string }[] }): void {
  expect(r.diagnostics.filter((d) => d.message.includes(' reader failed')).map((d) => d.message)).toEqual([])
}

const td = path.join(import.meta.dirname, 'testdata')
const read = (rel: string): string => fs.readFileSync(path.join(td, rel), 'utf8')
const row = (c: Component): string => `${c.purl} L${c.locations.map((l) => l.line).join('+')} direct=${c.direct} ${c.scope}`

const EXPECTED_NAMES = [
  '@types/jsonwebtoken@8.5.9',
  '@types/node@26.6.11',
  'axios@0.21.0',
  'buffer-equal-constant-time@1.0.1',
  'ecdsa-sig-formatter@1.0.11',
  'follow-redirects@1.16.3',
  'jsonwebtoken@8.5.0',
  'jwa@1.4.2',
  'jws@3.2.3',
  'lodash.includes@4.3.0',
  'lodash.isboolean@3.0.3',
  'lodash.isinteger@4.0.4',
  'lodash.isnumber@3.0.3',
  'lodash.isplainobject@4.0.6',
  'lodash.isstring@4.0.1',
  'lodash.once@4.1.1',
  'lodash@4.17.4',
  'minimist@1.2.0',
  'ms@2.1.3',
  'safe-buffer@5.2.1',
  'semver@5.7.3',
  'undici-types@8.9.0',
]

describe('pnpm-lock.yaml', () => {
  for (const [version, dir, lines] of [
    ['v9 (real pnpm 9 output)', 'pnpm-v9', { axios: 36, minimist: 88, undici: 101 }],
    ['v6', 'pnpm-v6', { axios: 40, minimist: 131, undici: 147 }],
    ['v5.4', 'pnpm-v5', { axios: 33, minimist: 124, undici: 140 }],
  ] as const) {
    it(`${version}: every package with line, direct from importers, scope and chains`, () => {
      const r = parseLockfile('pnpm-lock.yaml', read(`${dir}/pnpm-lock.yaml`))
      expect(r.format).toBe('pnpm-lock')
      expect(r.diagnostics).toEqual([])
      expect(r.components.map((c) => `${c.name}@${c.version}`)).toEqual(EXPECTED_NAMES)
      const get = (n: string) => r.components.find((c) => c.name === n)!
      expect(row(get('axios'))).toBe(`pkg:npm/axios@0.21.0 L${lines.axios} direct=true prod`)
      expect(row(get('minimist'))).toBe(`pkg:npm/minimist@1.2.0 L${lines.minimist} direct=true dev`)
      expect(row(get('undici-types'))).toBe(`pkg:npm/undici-types@8.9.0 L${lines.undici} direct=false dev`)
      expect(get('@types/node').purl).toBe('pkg:npm/%40types/node@26.6.11')
      expect(get('follow-redirects')).toMatchObject({ direct: false, scope: 'prod', paths: [['axios@0.21.0', 'follow-redirects@1.16.3']] })
      expect(get('undici-types').paths).toEqual([['@types/jsonwebtoken@8.5.9', '@types/node@26.6.11', 'undici-types@8.9.0']])
    })
  }

  it('package keys of every generation, with peer suffixes', () => {
    expect(parsePnpmKey('/express/4.17.1')).toEqual({ name: 'express', version: '4.17.1' })
    expect(parsePnpmKey('/@babel/core/7.12.3')).toEqual({ name: '@babel/core', version: '7.12.3' })
    expect(parsePnpmKey('/react-dom/17.0.2_react@17.0.2')).toEqual({ name: 'react-dom', version: '17.0.2' })
    expect(parsePnpmKey('/@testing-library/react/12.1.5_react-dom@17.0.2+react@17.0.2')).toEqual({ name: '@testing-library/react', version: '12.1.5' })
    expect(parsePnpmKey('/express@4.17.1')).toEqual({ name: 'express', version: '4.17.1' })
    expect(parsePnpmKey('/@babel/core@7.12.3')).toEqual({ name: '@babel/core', version: '7.12.3' })
    expect(parsePnpmKey('/react-dom@17.0.2(react@17.0.2)')).toEqual({ name: 'react-dom', version: '17.0.2' })
    expect(parsePnpmKey('@tanstack/react-query@5.8.4(react@18.2.0)')).toEqual({ name: '@tanstack/react-query', version: '5.8.4' })
    expect(parsePnpmKey('lodash@4.17.4')).toEqual({ name: 'lodash', version: '4.17.4' })
    expect(parsePnpmKey('garbage')).toBeUndefined()
  })

  it('v9 workspaces: importers of several projects, peer-suffixed snapshots merge into one component', () => {
    const text = [
      "lockfileVersion: '9.0'",
      '',
      'importers:',
      '',
      '  .:',
      '    devDependencies:',
      '      minimist:',
      '        specifier: 1.2.0',
      '        version: 1.2.0',
      '',
      '  packages/web:',
      '    dependencies:',
      '      react-dom:',
      '        specifier: 17.0.2',
      '        version: 17.0.2(react@17.0.2)',
      '      shared:',
      '        specifier: workspace:*',
      '        version: link:../shared',
      '',
      'packages:',
      '',
      '  minimist@1.2.0:',
      '    resolution: {integrity: sha512-7Wl+Jz+IGWuSdgsQEJ4JunV0si/iMhg42MnQQG6h1R6TNeVenp4U9x5CC5v/gYqz/fENLQITAWXidNtVL0NNbw==}',
      '',
      '  react-dom@17.0.2:',
      '    resolution: {integrity: sha512-s4h96KtLDUQlsENhMn1ar8t2bEa+q/YAtj8pPPdIjPDGBDIVNsrD9aXNWqspUe6AzKCIG0C1HZZLqLV7qpOBGA==}',
      '    peerDependencies:',
      '      react: 17.0.2',
      '',
      '  react@17.0.2:',
      '    resolution: {integrity: sha512-gnhPt75i/dq/z3/6q/0asP78D0u592D5L1pd7M8P+dck6Fu/jJeL6iVVK23fptSUZj8Vjf++7wXA8UNclGQcbA==}',
      '',
      'snapshots:',
      '',
      '  minimist@1.2.0: {}',
      '',
      '  react-dom@17.0.2(react@17.0.2):',
      '    dependencies:',
      '      react: 17.0.2',
      '',
      '  react@17.0.2: {}',
      '',
    ].join('\n')
    const r = parseLockfile('pnpm-lock.yaml', text)
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:npm/minimist@1.2.0 L22 direct=true dev',
      'pkg:npm/react-dom@17.0.2 L25 direct=true prod',
      'pkg:npm/react@17.0.2 L30 direct=false prod',
    ])
    expect(r.components[2]!.paths).toEqual([['react-dom@17.0.2', 'react@17.0.2']])
  })

  it('broken YAML is a PW_ERR_LOCKFILE_INVALID with a line; fuzz never throws', () => {
    const r = parseLockfile('pnpm-lock.yaml', "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {\n    resolution: [\n")
    expect(r.components).toEqual([])
    expect(r.diagnostics[0]).toMatchObject({ code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', file: 'pnpm-lock.yaml' })
    expect(typeof r.diagnostics[0]!.line).toBe('number')
    const base = read('pnpm-v6/pnpm-lock.yaml')
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(base.length), fc.nat(100), (junk, at, cut) => {
        for (const text of [junk, base.slice(0, at) + junk + base.slice(at + cut)]) noCrash(parseLockfile('pnpm-lock.yaml', text, { format: 'pnpm-lock' }))
      }),
      { numRuns: 120 },
    )
  })
})
