import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Component } from '../../model/index.js'
import { parseLockfile } from './index.js'
import { pinnedVersion } from './requirements.js'

/** A parser that threw is caught by parseLockfile and reported as "reader failed": fuzzing must not see one. */
function noCrash(r: { diagnostics: { message: string }[] }): void {
  expect(r.diagnostics.filter((d) => d.message.includes(' reader failed')).map((d) => d.message)).toEqual([])
}

const td = path.join(import.meta.dirname, 'testdata')
const read = (rel: string): string => fs.readFileSync(path.join(td, rel), 'utf8')
const sibling = (dir: string) => (name: string) => (fs.existsSync(path.join(td, dir, name)) ? read(`${dir}/${name}`) : undefined)
const row = (c: Component): string => `${c.purl} ${c.locations.map((l) => `${l.file}:${l.line}`).join('+')} direct=${c.direct} ${c.scope}`

describe('requirements.txt', () => {
  it('pip-compile output: hashes and continuations, `# via -r` tells direct from transitive', () => {
    const r = parseLockfile('pip/requirements.txt', read('pip/requirements.txt'))
    expect(r.format).toBe('requirements')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:pypi/asgiref@3.3.4 pip/requirements.txt:7 direct=false undefined',
      'pkg:pypi/certifi@2018.11.29 pip/requirements.txt:11 direct=false undefined',
      'pkg:pypi/chardet@3.0.4 pip/requirements.txt:14 direct=false undefined',
      'pkg:pypi/django@3.2.0 pip/requirements.txt:17 direct=true undefined',
      'pkg:pypi/idna@2.7 pip/requirements.txt:20 direct=false undefined',
      'pkg:pypi/pytz@2021.1 pip/requirements.txt:23 direct=false undefined',
      'pkg:pypi/pyyaml@5.3 pip/requirements.txt:26 direct=true undefined',
      'pkg:pypi/requests@2.19.0 pip/requirements.txt:29 direct=true undefined',
      'pkg:pypi/sqlparse@0.4.1 pip/requirements.txt:32 direct=false undefined',
      'pkg:pypi/urllib3@1.23 pip/requirements.txt:35 direct=false undefined',
    ])
    expect(r.components[0]!.foundBy).toBe('requirements.txt')
  })

  it('a hand-written dev file: -r followed, extras, markers, ===, PEP 503 names; unpinned lines are warnings', () => {
    const r = parseLockfile('pip/requirements-dev.txt', read('pip/requirements-dev.txt'), { readSibling: sibling('pip') })
    expect(r.components.slice(0, 3).map(row)).toEqual([
      'pkg:pypi/coverage@5.5 pip/requirements-dev.txt:4 direct=true dev',
      'pkg:pypi/black@22.3.0 pip/requirements-dev.txt:5 direct=true dev',
      'pkg:pypi/flask-sqlalchemy@2.4.0 pip/requirements-dev.txt:6 direct=true dev',
    ])
    // the included file's requirements keep their own location
    expect(r.components.find((c) => c.name === 'django')!.locations).toEqual([{ file: 'pip/requirements.txt', line: 17 }])
    expect(r.components).toHaveLength(13)
    expect(r.diagnostics).toEqual([
      {
        code: 'PW_ERR_LOCKFILE_INVALID',
        level: 'warning',
        message: 'Requirement "pytest" is not pinned with == or ===; it is not judged (pip/requirements-dev.txt at line 3).',
        file: 'pip/requirements-dev.txt',
        line: 3,
      },
      {
        code: 'PW_ERR_LOCKFILE_INVALID',
        level: 'warning',
        message: 'Requirement "Jinja2" is not pinned with == or ===; it is not judged (pip/requirements-dev.txt at line 8).',
        file: 'pip/requirements-dev.txt',
        line: 8,
      },
    ])
  })

  it('without readSibling -r is skipped; URLs and local paths are warnings', () => {
    const text = ['-r base.txt', '--index-url https://pypi.org/simple', 'https://example.org/pkgs/foo-1.0.tar.gz', './vendor/bar', 'Django==3.2.0 ; python_version >= "3.6" --hash=sha256:0604e84c4fb698a5e53e5857b5aea945b2f19a18f25f10b8748dbdf935788927', 'ruamel.yaml @ https://example.org/r.whl', ''].join('\n')
    const r = parseLockfile('requirements.txt', text)
    expect(r.components.map(row)).toEqual(['pkg:pypi/django@3.2.0 requirements.txt:5 direct=true undefined'])
    expect(r.diagnostics.map((d) => `${d.level}:${d.line}`)).toEqual(['warning:3', 'warning:4', 'warning:6'])
  })

  it('pinned versions', () => {
    expect(pinnedVersion('==1.2.3')).toBe('1.2.3')
    expect(pinnedVersion(' === 1.0+local')).toBe('1.0+local')
    expect(pinnedVersion('>=1.0,==1.4.2')).toBe('1.4.2')
    expect(pinnedVersion('==1.2.*')).toBeUndefined()
    expect(pinnedVersion('~=1.2')).toBeUndefined()
    expect(pinnedVersion('')).toBeUndefined()
  })

  it('fuzz: random text never throws, every diagnostic names the file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const r = parseLockfile('requirements.txt', text, { readSibling: () => text })
        noCrash(r)
        for (const d of r.diagnostics) expect(d.file).toBe('requirements.txt')
      }),
      { numRuns: 200 },
    )
  })
})
