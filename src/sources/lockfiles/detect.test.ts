import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PhiwallError } from '../../model/index.js'
import { detectLockfile, LOCKFILE_FORMATS, parseLockfile } from './index.js'

const td = path.join(import.meta.dirname, 'testdata')
const read = (rel: string): string => fs.readFileSync(path.join(td, rel), 'utf8')

describe('detectLockfile', () => {
  it('recognises every format by its file name, in any folder', () => {
    for (const { format, fileNames } of LOCKFILE_FORMATS) {
      for (const name of fileNames) {
        expect(detectLockfile(name)).toBe(format)
        expect(detectLockfile(`services/api/${name}`)).toBe(format)
      }
    }
    expect(LOCKFILE_FORMATS.map((f) => f.format)).toHaveLength(15)
  })

  it('recognises requirements files and gradle lockfiles whose names vary', () => {
    expect(detectLockfile('requirements-dev.txt')).toBe('requirements')
    expect(detectLockfile('api/requirements_test.txt')).toBe('requirements')
    expect(detectLockfile('dev-requirements.txt')).toBe('requirements')
    expect(detectLockfile('requirements/base.txt')).toBe('requirements')
    expect(detectLockfile('app\\requirements\\prod.txt')).toBe('requirements')
    expect(detectLockfile('buildscript-gradle.lockfile')).toBe('gradle-lockfile')
    expect(detectLockfile('dependency-locks/compileClasspath.lockfile', 'junit:junit:4.12=testCompileClasspath\n')).toBe('gradle-lockfile')
    expect(detectLockfile('notes.lockfile', 'hello world\n')).toBeUndefined()
    expect(detectLockfile('README.txt')).toBeUndefined()
    expect(detectLockfile('package.json')).toBeUndefined()
  })

  it('recognises renamed lockfiles by content', () => {
    expect(detectLockfile('backup/lock-2021.json', read('npm-v3/package-lock.json'))).toBe('package-lock')
    expect(detectLockfile('old.json', read('npm-v1/package-lock.json'))).toBe('package-lock')
    expect(detectLockfile('frontend.lock', read('yarn-classic/yarn.lock'))).toBe('yarn-lock')
    expect(detectLockfile('frontend.lock', read('yarn-berry/yarn.lock'))).toBe('yarn-lock')
    expect(detectLockfile('lock.yaml', read('pnpm-v5/pnpm-lock.yaml'))).toBe('pnpm-lock')
    expect(detectLockfile('Pipfile.lock.bak', read('pipenv/Pipfile.lock'))).toBe('pipfile-lock')
    expect(detectLockfile('php.lock', read('composer/composer.lock'))).toBe('composer-lock')
    expect(detectLockfile('template.json', '{"AWSTemplateFormatVersion": "2010-09-09"}')).toBeUndefined()
  })
})

describe('parseLockfile', () => {
  it('detects the format from name and content, and strips a byte-order mark', () => {
    const r = parseLockfile('renamed.json', '\ufeff' + read('npm-v3/package-lock.json'))
    expect(r.format).toBe('package-lock')
    expect(r.components).toHaveLength(66)
  })

  it('options.format overrides detection', () => {
    expect(parseLockfile('deps.txt', 'django==3.2.0\n', { format: 'requirements' }).components.map((c) => c.purl)).toEqual(['pkg:pypi/django@3.2.0'])
  })

  it('a file that is no lockfile is misuse: PhiwallError PW_ERR_USAGE', () => {
    expect(() => parseLockfile('notes.md', '# hello')).toThrow(PhiwallError)
    try {
      parseLockfile('notes.md', '# hello')
    } catch (e) {
      expect((e as PhiwallError).code).toBe('PW_ERR_USAGE')
    }
  })
})

describe('every parser on every fixture', () => {
  const fixtures: string[] = []
  for (const dir of fs.readdirSync(td)) for (const f of fs.readdirSync(path.join(td, dir))) fixtures.push(read(`${dir}/${f}`))

  it('fuzz: any fixture, mutated, read as any format, never makes a parser throw', () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), fc.nat(LOCKFILE_FORMATS.length - 1), fc.string({ maxLength: 60, unit: 'grapheme' }), fc.nat(), fc.nat(300), (fi, fo, junk, at, cut) => {
        const base = fixtures[fi]!
        const i = at % (base.length + 1)
        for (const text of [base, base.slice(0, i) + junk + base.slice(i + cut), junk]) {
          const r = parseLockfile('x/lock', text, { format: LOCKFILE_FORMATS[fo]!.format, readSibling: () => base.slice(0, i) })
          // parseLockfile turns a parser exception into a "reader failed" diagnostic: there must be none
          expect(r.diagnostics.filter((d) => d.message.includes(' reader failed')).map((d) => d.message)).toEqual([])
          // a diagnostic names the lockfile, or a file it includes beside it (`-r requirements.txt`)
          for (const d of r.diagnostics) {
            expect(d.code).toBe('PW_ERR_LOCKFILE_INVALID')
            expect(d.file).toMatch(/^x\/[^/]+$/)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
