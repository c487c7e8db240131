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
const sibling = (dir: string) => (name: string) => (fs.existsSync(path.join(td, dir, name)) ? read(`${dir}/${name}`) : undefined)
const row = (c: Component): string => `${c.purl} L${c.locations.map((l) => l.line).join('+')} direct=${c.direct} ${c.scope}`

describe('yarn.lock classic (v1, real yarn 1.22 output)', () => {
  const r = parseLockfile('web/yarn.lock', read('yarn-classic/yarn.lock'), { readSibling: sibling('yarn-classic') })

  it('reads every entry with line, direct (from package.json) and scope', () => {
    expect(r.format).toBe('yarn-lock')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:npm/%40types/jsonwebtoken@8.5.9 L5 direct=true dev',
      'pkg:npm/%40types/node@26.6.11 L12 direct=false dev',
      'pkg:npm/axios@0.21.0 L19 direct=true prod',
      'pkg:npm/buffer-equal-constant-time@1.0.1 L26 direct=false prod',
      'pkg:npm/ecdsa-sig-formatter@1.0.11 L31 direct=false prod',
      'pkg:npm/follow-redirects@1.16.3 L38 direct=false prod',
      'pkg:npm/jsonwebtoken@8.5.0 L43 direct=true prod',
      'pkg:npm/jwa@1.4.2 L59 direct=false prod',
      'pkg:npm/jws@3.2.3 L68 direct=false prod',
      'pkg:npm/lodash.includes@4.3.0 L76 direct=false prod',
      'pkg:npm/lodash.isboolean@3.0.3 L81 direct=false prod',
      'pkg:npm/lodash.isinteger@4.0.4 L86 direct=false prod',
      'pkg:npm/lodash.isnumber@3.0.3 L91 direct=false prod',
      'pkg:npm/lodash.isplainobject@4.0.6 L96 direct=false prod',
      'pkg:npm/lodash.isstring@4.0.1 L101 direct=false prod',
      'pkg:npm/lodash.once@4.1.1 L106 direct=false prod',
      'pkg:npm/lodash@4.17.4 L111 direct=true prod',
      'pkg:npm/minimist@1.2.0 L116 direct=true dev',
      'pkg:npm/ms@2.1.3 L121 direct=false prod',
      'pkg:npm/safe-buffer@5.2.1 L126 direct=false prod',
      'pkg:npm/semver@5.7.3 L131 direct=false prod',
      'pkg:npm/undici-types@8.9.0 L136 direct=false dev',
    ])
  })

  it('chains follow the dependency ranges', () => {
    const jwa = r.components.find((c) => c.name === 'jwa')!
    expect(jwa.paths).toEqual([['jsonwebtoken@8.5.0', 'jws@3.2.3', 'jwa@1.4.2']])
    expect(r.components.find((c) => c.name === 'safe-buffer')!.paths).toEqual([
      ['jsonwebtoken@8.5.0', 'jws@3.2.3', 'safe-buffer@5.2.1'],
      ['jsonwebtoken@8.5.0', 'jws@3.2.3', 'jwa@1.4.2', 'safe-buffer@5.2.1'],
      ['jsonwebtoken@8.5.0', 'jws@3.2.3', 'jwa@1.4.2', 'ecdsa-sig-formatter@1.0.11', 'safe-buffer@5.2.1'],
    ])
  })

  it('without package.json direct and scope are unknown', () => {
    const bare = parseLockfile('yarn.lock', read('yarn-classic/yarn.lock'))
    const axios = bare.components.find((c) => c.name === 'axios')!
    expect(axios.direct).toBeUndefined()
    expect(axios.scope).toBeUndefined()
    expect(bare.components.find((c) => c.name === 'follow-redirects')!.paths).toEqual([['axios@0.21.0', 'follow-redirects@1.16.3']])
  })

  it('multi-descriptor headers, quoted names and aliases', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '',
      '"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":',
      '  version "7.10.4"',
      '  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.10.4.tgz#168da1a36e90da68ae8d49c0f1b48c7c6249213a"',
      '  dependencies:',
      '    "@babel/highlight" "^7.10.4"',
      '',
      '"@babel/highlight@^7.10.4":',
      '  version "7.10.4"',
      '',
      'string-width-cjs@npm:string-width@^4.2.0:',
      '  version "4.2.3"',
      '',
      'minimist@^1.2.0, minimist@~1.2.0:',
      '  version "1.2.0"',
      '',
      'broken line without colon',
      '',
    ].join('\n')
    const y = parseLockfile('yarn.lock', text, { readSibling: () => JSON.stringify({ dependencies: { '@babel/code-frame': '^7.0.0', minimist: '~1.2.0' } }) })
    expect(y.components.map((c) => `${c.name}@${c.version} L${c.locations[0]!.line} ${c.direct}`)).toEqual([
      '@babel/code-frame@7.10.4 L4 true',
      '@babel/highlight@7.10.4 L10 false',
      'string-width@4.2.3 L13 false',
      'minimist@1.2.0 L16 true',
    ])
    expect(y.components[1]!.paths).toEqual([['@babel/code-frame@7.10.4', '@babel/highlight@7.10.4']])
    expect(y.diagnostics).toEqual([
      { code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', message: 'Expected a package header ending with ":" (yarn.lock at line 19).', file: 'yarn.lock', line: 19 },
    ])
  })
})

describe('yarn.lock berry (yarn 4, real output)', () => {
  const r = parseLockfile('yarn.lock', read('yarn-berry/yarn.lock'), { readSibling: sibling('yarn-berry') })

  it('reads npm resolutions, skips the workspace and the patch: entry', () => {
    expect(r.diagnostics).toEqual([])
    expect(r.components).toHaveLength(28)
    expect(r.components.filter((c) => c.name === 'resolve').map(row)).toEqual(['pkg:npm/resolve@1.22.8 L215 direct=true prod'])
    expect(r.components.some((c) => c.name === 'clinic-portal')).toBe(false)
    expect(r.components.find((c) => c.name === '@types/node')).toMatchObject({ version: '26.6.11', direct: false, scope: 'dev', locations: [{ file: 'yarn.lock', line: 17 }] })
    expect(r.components.find((c) => c.name === 'function-bind')!.paths).toEqual([['resolve@1.22.8', 'is-core-module@2.18.0', 'hasown@2.0.4', 'function-bind@1.1.2']])
  })

  it('without package.json the workspace entry still tells direct dependencies', () => {
    const bare = parseLockfile('yarn.lock', read('yarn-berry/yarn.lock'))
    expect(bare.components.find((c) => c.name === 'axios')).toMatchObject({ direct: true, paths: [['axios@0.21.0']] })
    expect(bare.components.find((c) => c.name === 'jws')!.direct).toBe(false)
  })
})

describe('yarn.lock fuzz', () => {
  it('random and mutated text never throws', () => {
    const classic = read('yarn-classic/yarn.lock')
    const berry = read('yarn-berry/yarn.lock')
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(), fc.nat(120), (junk, at, cut) => {
        for (const base of [classic, berry]) {
          const i = at % base.length
          for (const text of [junk, base.slice(0, i) + junk + base.slice(i + cut)]) {
            const res = parseLockfile('yarn.lock', text, { format: 'yarn-lock' })
            noCrash(res)
            for (const d of res.diagnostics) expect(d.code).toMatch(/^PW_ERR_/)
          }
        }
      }),
      { numRuns: 120 },
    )
  })
})
