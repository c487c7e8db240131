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
const row = (c: Component): string => `${c.purl} L${c.locations.map((l) => l.line).join('+')} direct=${c.direct}`

describe('Cargo.lock', () => {
  const r = parseLockfile('Cargo.lock', read('cargo/Cargo.lock'))

  it('workspace crates (no source) are not components; their dependencies are direct', () => {
    expect(r.format).toBe('cargo-lock')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:cargo/bytes@1.0.1 L5 direct=true',
      'pkg:cargo/http@0.2.4 L28 direct=false',
      'pkg:cargo/fnv@1.0.7 L39 direct=false',
      'pkg:cargo/hyper@0.14.9 L45 direct=true',
      'pkg:cargo/httparse@1.4.1 L57 direct=false',
      'pkg:cargo/itoa@0.4.7 L63 direct=false',
      'pkg:cargo/itoa@1.0.1 L69 direct=false',
      'pkg:cargo/libc@0.2.97 L75 direct=false',
      'pkg:cargo/smallvec@1.6.0 L81 direct=true',
      'pkg:cargo/time@0.1.43 L87 direct=true',
      'pkg:cargo/winapi@0.3.9 L98 direct=false',
    ])
  })

  it('"name version" references pick the right one of two versions', () => {
    expect(r.components.find((c) => c.version === '1.0.1' && c.name === 'itoa')!.paths).toEqual([['time@0.1.43', 'itoa@1.0.1']])
    expect(r.components.find((c) => c.version === '0.4.7')!.paths).toEqual([
      ['hyper@0.14.9', 'itoa@0.4.7'],
      ['hyper@0.14.9', 'http@0.2.4', 'itoa@0.4.7'],
    ])
  })

  it('fuzz: never throws', () => {
    const base = read('cargo/Cargo.lock')
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(base.length), fc.nat(60), (junk, at, cut) => {
        noCrash(parseLockfile('Cargo.lock', base.slice(0, at) + junk + base.slice(at + cut)))
        noCrash(parseLockfile('Cargo.lock', junk))
      }),
      { numRuns: 150 },
    )
  })
})
