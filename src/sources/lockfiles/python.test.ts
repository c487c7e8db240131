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
const row = (c: Component): string => `${c.name}@${c.version} L${c.locations.map((l) => l.line).join('+')} direct=${c.direct} ${c.scope}`

describe('Pipfile.lock', () => {
  it('default is prod, develop is dev; direct from the Pipfile; editable installs are warnings', () => {
    const r = parseLockfile('Pipfile.lock', read('pipenv/Pipfile.lock'), { readSibling: sibling('pipenv') })
    expect(r.format).toBe('pipfile-lock')
    expect(r.components.map(row)).toEqual([
      'asgiref@3.3.4 L19 direct=false prod',
      'certifi@2018.11.29 L26 direct=false prod',
      'chardet@3.0.4 L32 direct=false prod',
      'django@3.2 L38 direct=true prod',
      'idna@2.7 L45 direct=false prod',
      'pytz@2021.1 L51 direct=false prod',
      'pyyaml@5.3 L57 direct=true prod',
      'requests@2.19.0 L64 direct=true prod',
      'sqlparse@0.4.1 L71 direct=false prod',
      'urllib3@1.23 L78 direct=false prod',
      'pytest@6.2.4 L92 direct=true dev',
    ])
    expect(r.components[3]!.purl).toBe('pkg:pypi/django@3.2')
    expect(r.diagnostics).toEqual([
      {
        code: 'PW_ERR_LOCKFILE_INVALID',
        level: 'warning',
        message: 'Package "clinic-fixtures" has no pinned version (editable, VCS or path install); it is not judged (Pipfile.lock at line 87).',
        file: 'Pipfile.lock',
        line: 87,
      },
    ])
  })
})

describe('poetry.lock', () => {
  it('packages at their [[package]] header, direct and groups from pyproject.toml, chains', () => {
    const r = parseLockfile('svc/poetry.lock', read('poetry/poetry.lock'), { readSibling: sibling('poetry') })
    expect(r.format).toBe('poetry-lock')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'asgiref@3.3.4 L3 direct=false prod',
      'certifi@2018.11.29 L17 direct=false prod',
      'chardet@3.0.4 L27 direct=false prod',
      'coverage@5.5 L37 direct=true dev',
      'django@3.2 L50 direct=true prod',
      'idna@2.7 L69 direct=false prod',
      'pytz@2021.1 L79 direct=false prod',
      'pyyaml@5.3 L89 direct=true prod',
      'requests@2.19.0 L99 direct=true prod',
      'sqlparse@0.4.1 L119 direct=false prod',
      'urllib3@1.23 L129 direct=false prod',
    ])
    expect(r.components.find((c) => c.name === 'urllib3')!.paths).toEqual([['requests@2.19.0', 'urllib3@1.23']])
    expect(r.components[0]!.locations[0]!.file).toBe('svc/poetry.lock')
  })

  it('old poetry `category`, no pyproject: scope from category, direct unknown', () => {
    const text = '[[package]]\nname = "Django"\nversion = "3.2"\ncategory = "main"\noptional = false\n\n[package.dependencies]\nsqlparse = ">=0.2.2"\n\n[[package]]\nname = "sqlparse"\nversion = "0.4.1"\ncategory = "main"\n\n[[package]]\nname = "coverage"\nversion = "5.5"\ncategory = "dev"\n'
    const r = parseLockfile('poetry.lock', text)
    expect(r.components.map(row)).toEqual(['django@3.2 L1 direct=undefined prod', 'sqlparse@0.4.1 L10 direct=undefined prod', 'coverage@5.5 L15 direct=undefined dev'])
    expect(r.components[1]!.paths).toEqual([['django@3.2', 'sqlparse@0.4.1']])
  })

  it('a TOML syntax error is reported with its line and the other packages still come back', () => {
    const text = read('poetry/poetry.lock').replace('name = "idna"', 'name = "idna')
    const r = parseLockfile('poetry.lock', text, { readSibling: sibling('poetry') })
    expect(r.diagnostics).toHaveLength(1)
    expect(r.diagnostics[0]).toMatchObject({ code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', line: 70 })
    expect(r.components.map((c) => c.name)).toEqual(['asgiref', 'certifi', 'chardet', 'coverage', 'django', 'pytz', 'pyyaml', 'requests', 'sqlparse', 'urllib3'])
  })
})

describe('uv.lock', () => {
  it('the editable project is not a component; its dependencies and dev groups are direct', () => {
    const r = parseLockfile('uv.lock', read('uv/uv.lock'))
    expect(r.format).toBe('uv-lock')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'asgiref@3.3.4 L4 direct=false prod',
      'certifi@2018.11.29 L13 direct=false prod',
      'chardet@3.0.4 L21 direct=false prod',
      'coverage@5.5 L54 direct=true dev',
      'django@3.2 L60 direct=true prod',
      'idna@2.7 L73 direct=false prod',
      'pytz@2021.1 L81 direct=false prod',
      'pyyaml@5.3 L89 direct=true prod',
      'requests@2.19.0 L95 direct=true prod',
      'sqlparse@0.4.1 L109 direct=false prod',
      'urllib3@1.23 L117 direct=false prod',
    ])
    expect(r.components.find((c) => c.name === 'pytz')!.paths).toEqual([['django@3.2', 'pytz@2021.1']])
  })
})

describe('Python lockfile fuzz', () => {
  it('random and mutated text never throws', () => {
    const cases = [
      ['poetry.lock', read('poetry/poetry.lock')],
      ['uv.lock', read('uv/uv.lock')],
      ['Pipfile.lock', read('pipenv/Pipfile.lock')],
    ] as const
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(), fc.nat(80), (junk, at, cut) => {
        for (const [name, base] of cases) {
          const i = at % base.length
          for (const text of [junk, base.slice(0, i) + junk + base.slice(i + cut)]) {
            const r = parseLockfile(name, text)
            noCrash(r)
            for (const d of r.diagnostics) expect(d.file).toBe(name)
          }
        }
      }),
      { numRuns: 100 },
    )
  })
})
