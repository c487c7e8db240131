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
const byName = (cs: Component[], name: string, version?: string): Component => cs.find((c) => c.name === name && (version === undefined || c.version === version))!

describe('package-lock.json v3 (npm 11, real)', () => {
  const r = parseLockfile('app/package-lock.json', read('npm-v3/package-lock.json'))

  it('reads every installed package once per name and version, no diagnostics', () => {
    expect(r.format).toBe('package-lock')
    expect(r.diagnostics).toEqual([])
    expect(r.components).toHaveLength(66)
    expect(new Set(r.components.map((c) => c.purl)).size).toBe(66)
  })

  it('a direct dependency: purl, line, direct, scope', () => {
    expect(byName(r.components, 'express')).toEqual({
      ecosystem: 'npm',
      name: 'express',
      version: '4.17.1',
      purl: 'pkg:npm/express@4.17.1',
      type: 'library',
      locations: [{ file: 'app/package-lock.json', line: 156 }],
      direct: true,
      scope: 'prod',
      paths: [['express@4.17.1']],
      license: 'MIT',
      foundBy: 'package-lock.json',
    })
    expect(byName(r.components, 'minimist')).toMatchObject({ version: '1.2.0', direct: true, scope: 'dev', locations: [{ file: 'app/package-lock.json', line: 404 }] })
  })

  it('a transitive package gets its shortest chains from a direct dependency', () => {
    const qs = byName(r.components, 'qs')
    expect(qs).toMatchObject({ version: '6.7.0', direct: false, scope: 'prod', locations: [{ file: 'app/package-lock.json', line: 463 }] })
    expect(qs.paths).toEqual([
      ['express@4.17.1', 'qs@6.7.0'],
      ['express@4.17.1', 'body-parser@1.19.0', 'qs@6.7.0'],
    ])
    // three chains at most, shortest first
    expect(byName(r.components, 'ms', '2.0.0').paths).toEqual([
      ['express@4.17.1', 'debug@2.6.9', 'ms@2.0.0'],
      ['express@4.17.1', 'body-parser@1.19.0', 'debug@2.6.9', 'ms@2.0.0'],
      ['express@4.17.1', 'finalhandler@1.1.2', 'debug@2.6.9', 'ms@2.0.0'],
    ])
  })

  it('nested node_modules resolve to the nearest copy', () => {
    expect(byName(r.components, 'ms', '2.1.3')).toMatchObject({ locations: [{ file: 'app/package-lock.json', line: 289 }], paths: [['jsonwebtoken@8.5.0', 'ms@2.1.3']] })
    expect(byName(r.components, 'ms', '2.1.1')).toMatchObject({
      locations: [{ file: 'app/package-lock.json', line: 534 }],
      paths: [
        ['express@4.17.1', 'send@0.17.1', 'ms@2.1.1'],
        ['express@4.17.1', 'serve-static@1.14.1', 'send@0.17.1', 'ms@2.1.1'],
      ],
    })
  })
})

describe('package-lock.json v2 and npm-shrinkwrap.json', () => {
  it('v2 reads "packages" and gives the same components as v3', () => {
    const v2 = parseLockfile('package-lock.json', read('npm-v2/package-lock.json'))
    const v3 = parseLockfile('package-lock.json', read('npm-v3/package-lock.json'))
    expect(v2.diagnostics).toEqual([])
    const key = (c: Component) => `${c.purl} ${c.direct} ${c.scope} ${JSON.stringify(c.paths)}`
    expect(v2.components.map(key).sort()).toEqual(v3.components.map(key).sort())
    expect(byName(v2.components, 'lodash').locations).toEqual([{ file: 'package-lock.json', line: 313 }])
  })

  it('npm-shrinkwrap.json is the same format under another name', () => {
    const r = parseLockfile('npm-shrinkwrap.json', read('npm-v3/package-lock.json'))
    expect(r.format).toBe('npm-shrinkwrap')
    expect(r.components).toHaveLength(66)
    expect(r.components[0]!.foundBy).toBe('npm-shrinkwrap.json')
  })
})

describe('package-lock.json v1 (npm 6, nested dependencies)', () => {
  it('reads nested entries, direct from package.json, chains through nesting', () => {
    const r = parseLockfile('package-lock.json', read('npm-v1/package-lock.json'), { readSibling: sibling('npm-v1') })
    expect(r.diagnostics).toEqual([])
    expect(r.components.map((c) => `${c.name}@${c.version}:${c.locations[0]!.line}:${c.direct}:${c.scope}`).sort()).toEqual([
      'buffer-equal-constant-time@1.0.1:7:false:prod',
      'debug@2.6.9:12:true:prod',
      'ecdsa-sig-formatter@1.0.11:20:false:prod',
      'jsonwebtoken@8.5.0:28:true:prod',
      'jwa@1.4.2:52:false:prod',
      'jws@3.2.3:62:false:prod',
      'lodash.includes@4.3.0:76:false:prod',
      'lodash.isboolean@3.0.3:81:false:prod',
      'lodash.isinteger@4.0.4:86:false:prod',
      'lodash.isnumber@3.0.3:91:false:prod',
      'lodash.isplainobject@4.0.6:96:false:prod',
      'lodash.isstring@4.0.1:101:false:prod',
      'lodash.once@4.1.1:106:false:prod',
      'lodash@4.17.4:71:true:prod',
      'minimist@1.2.0:111:true:dev',
      'ms@2.0.0:117:false:prod',
      'ms@2.1.3:45:false:prod',
      'safe-buffer@5.1.2:122:false:prod',
      'semver@5.7.3:127:false:prod',
    ])
    expect(byName(r.components, 'ms', '2.1.3').paths).toEqual([['jsonwebtoken@8.5.0', 'ms@2.1.3']])
    expect(byName(r.components, 'ms', '2.0.0').paths).toEqual([['debug@2.6.9', 'ms@2.0.0']])
    expect(byName(r.components, 'jwa').paths).toEqual([['jsonwebtoken@8.5.0', 'jws@3.2.3', 'jwa@1.4.2']])
  })

  it('without package.json, direct is unknown but chains start at unrequired top-level packages', () => {
    const r = parseLockfile('package-lock.json', read('npm-v1/package-lock.json'))
    expect(byName(r.components, 'lodash').direct).toBeUndefined()
    expect(byName(r.components, 'jws').paths).toEqual([['jsonwebtoken@8.5.0', 'jws@3.2.3']])
  })
})

describe('package-lock.json with workspaces (link: true)', () => {
  it('workspace folders are the project; their dependencies are direct and resolve from the workspace', () => {
    const r = parseLockfile('package-lock.json', read('npm-workspace/package-lock.json'))
    expect(r.diagnostics).toEqual([])
    expect(r.components.map((c) => `${c.purl}:${c.locations[0]!.line}:${c.direct}:${c.scope}:${JSON.stringify(c.paths)}`)).toEqual([
      'pkg:npm/debug@2.6.8:24:true:prod:[["debug@2.6.8"]]',
      'pkg:npm/minimist@1.2.0:32:true:dev:[["minimist@1.2.0"]]',
      'pkg:npm/ms@2.0.0:38:false:prod:[["debug@2.6.8","ms@2.0.0"]]',
      'pkg:npm/qs@6.7.0:43:true:prod:[["qs@6.7.0"]]',
      'pkg:npm/qs@6.5.2:59:true:prod:[["qs@6.5.2"]]',
    ])
    expect(r.components.some((c) => c.name === '@clinic/api')).toBe(false)
  })
})

describe('package-lock.json edge cases', () => {
  it('scoped names get the purl namespace; the same version twice is one component with two locations', () => {
    const lock = {
      name: 'x',
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { '@babel/traverse': '7.22.0', a: '1.0.0' } },
        'node_modules/@babel/traverse': { version: '7.22.0', dependencies: { debug: '^4.1.0' } },
        'node_modules/a': { version: '1.0.0', dependencies: { debug: '3.2.7' } },
        'node_modules/a/node_modules/debug': { version: '4.3.4' },
        'node_modules/debug': { version: '4.3.4', dev: true },
      },
    }
    const r = parseLockfile('package-lock.json', JSON.stringify(lock, null, 2))
    const t = byName(r.components, '@babel/traverse')
    expect(t.purl).toBe('pkg:npm/%40babel/traverse@7.22.0')
    const debug = byName(r.components, 'debug')
    expect(debug.locations).toEqual([
      { file: 'package-lock.json', line: 23 },
      { file: 'package-lock.json', line: 26 },
    ])
    expect(debug.scope).toBe('prod')
    expect(debug.paths).toEqual([
      ['@babel/traverse@7.22.0', 'debug@4.3.4'],
      ['a@1.0.0', 'debug@4.3.4'],
    ])
  })

  it('truncated JSON gives PW_ERR_LOCKFILE_INVALID with the line, never throws', () => {
    const text = read('npm-v3/package-lock.json').slice(0, 3000)
    const r = parseLockfile('package-lock.json', text)
    expect(r.components).toEqual([])
    expect(r.diagnostics).toHaveLength(1)
    expect(r.diagnostics[0]).toMatchObject({ code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', file: 'package-lock.json' })
    expect(r.diagnostics[0]!.line).toBeGreaterThan(80)
  })

  it('an entry that is not an object is reported and the rest is read', () => {
    const r = parseLockfile('package-lock.json', '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": 7,\n    "node_modules/b": { "version": "1.0.0" }\n  }\n}\n')
    expect(r.components.map((c) => c.purl)).toEqual(['pkg:npm/b@1.0.0'])
    expect(r.diagnostics).toEqual([
      { code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', message: 'Entry "node_modules/a" of "packages" is not an object (package-lock.json at line 4).', file: 'package-lock.json', line: 4 },
    ])
  })

  it('fuzz: random text and mutated lockfiles never throw', () => {
    const base = read('npm-v1/package-lock.json')
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.nat(base.length), fc.nat(200), (junk, at, cut) => {
        for (const text of [junk, base.slice(0, at) + junk + base.slice(at + cut)]) {
          const r = parseLockfile('package-lock.json', text, { format: 'package-lock' })
          noCrash(r)
          if (text === junk) expect(r.diagnostics.length).toBeGreaterThan(0)
          expect(Array.isArray(r.components)).toBe(true)
          for (const d of r.diagnostics) expect(d.file).toBe('package-lock.json')
        }
      }),
      { numRuns: 150 },
    )
  })
})

describe('speed', () => {
  it('a 3,000-package package-lock v3 parses well under 300 ms', () => {
    const packages: Record<string, unknown> = { '': { name: 'big', dependencies: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`pkg-${i}`, '^1.0.0'])) } }
    for (let i = 0; i < 3000; i++) {
      const deps: Record<string, string> = {}
      for (let k = 1; k <= 4; k++) deps[`pkg-${(i * 7 + k * 13) % 3000}`] = '^1.0.0'
      packages[`node_modules/pkg-${i}`] = { version: `1.${i % 10}.0`, integrity: 'sha512-AAAA', dependencies: deps }
    }
    const text = JSON.stringify({ name: 'big', lockfileVersion: 3, requires: true, packages }, null, 2)
    // its speed is measured in bench/vulns.mjs, not here
    const r = parseLockfile('package-lock.json', text)
    expect(r.components).toHaveLength(3000)
    expect(r.components.every((c) => c.paths !== undefined && c.paths.length <= 3)).toBe(true)
  })
})
