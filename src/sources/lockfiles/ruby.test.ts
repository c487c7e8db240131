import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Component } from '../../model/index.js'
import { parseLockfile } from './index.js'
import { parseGemSpec } from './ruby.js'

/** A parser that threw is caught by parseLockfile and reported as "reader failed": fuzzing must not see one. */
function noCrash(r: { diagnostics: { message: string }[] }): void {
  expect(r.diagnostics.filter((d) => d.message.includes(' reader failed')).map((d) => d.message)).toEqual([])
}

const td = path.join(import.meta.dirname, 'testdata')
const read = (rel: string): string => fs.readFileSync(path.join(td, rel), 'utf8')
const row = (c: Component): string => `${c.purl} L${c.locations.map((l) => l.line).join('+')} direct=${c.direct} ${c.scope}`

describe('Gemfile.lock', () => {
  it('GEM specs with lines, DEPENDENCIES for direct, Gemfile groups for scope, platform suffix dropped', () => {
    const r = parseLockfile('Gemfile.lock', read('ruby/Gemfile.lock'), { readSibling: (n) => (n === 'Gemfile' ? read('ruby/Gemfile') : undefined) })
    expect(r.format).toBe('gemfile-lock')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:gem/byebug@11.0.1 L4 direct=true dev',
      'pkg:gem/mini_portile2@2.4.0 L5 direct=false prod',
      'pkg:gem/mustermann@1.0.3 L6 direct=false prod',
      'pkg:gem/nokogiri@1.10.4 L7 direct=true prod',
      'pkg:gem/rack@2.0.7 L9 direct=false prod',
      'pkg:gem/rack-protection@2.0.5 L10 direct=false prod',
      'pkg:gem/sinatra@2.0.5 L12 direct=true prod',
      'pkg:gem/sqlite3@1.6.9 L17 direct=true prod',
      'pkg:gem/tilt@2.0.9 L18 direct=false prod',
    ])
    expect(r.components.find((c) => c.name === 'rack')!.paths).toEqual([
      ['sinatra@2.0.5', 'rack@2.0.7'],
      ['sinatra@2.0.5', 'rack-protection@2.0.5', 'rack@2.0.7'],
    ])
  })

  it('specs and platforms', () => {
    expect(parseGemSpec('nokogiri (1.13.10-x86_64-linux)')).toEqual({ name: 'nokogiri', version: '1.13.10', platform: 'x86_64-linux' })
    expect(parseGemSpec('rails (7.0.4.3)')).toEqual({ name: 'rails', version: '7.0.4.3' })
    expect(parseGemSpec('rails (~> 7.0)')).toBeUndefined()
  })

  it('GIT gems count, PATH gems are the project; bad specs are diagnostics', () => {
    const text = [
      'GIT',
      '  remote: https://github.com/rack/rack.git',
      '  revision: 2d4e3a8d2e1f0c9b8a7f6e5d4c3b2a1f0e9d8c7b',
      '  specs:',
      '    rack (2.2.3)',
      '',
      'PATH',
      '  remote: .',
      '  specs:',
      '    clinic_app (0.1.0)',
      '',
      'GEM',
      '  remote: https://rubygems.org/',
      '  specs:',
      '    broken spec line',
      '',
      'DEPENDENCIES',
      '  clinic_app!',
      '  rack!',
      '',
    ].join('\n')
    const r = parseLockfile('Gemfile.lock', text)
    expect(r.components.map(row)).toEqual(['pkg:gem/rack@2.2.3 L5 direct=true undefined'])
    expect(r.diagnostics.map((d) => `${d.code}:${d.line}`)).toEqual(['PW_ERR_LOCKFILE_INVALID:15'])
  })

  it('fuzz: never throws', () => {
    const base = read('ruby/Gemfile.lock')
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(base.length), (junk, at) => {
        noCrash(parseLockfile('Gemfile.lock', base.slice(0, at) + junk + base.slice(at), { readSibling: () => junk }))
      }),
      { numRuns: 150 },
    )
  })
})
