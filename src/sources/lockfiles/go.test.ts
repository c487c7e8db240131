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

describe('go.mod', () => {
  it('require blocks and lines, // indirect, replace directives (local replacements dropped)', () => {
    const r = parseLockfile('gateway/go.mod', read('go/go.mod'))
    expect(r.format).toBe('go-mod')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:golang/github.com/gin-gonic/gin@v1.6.0 L6 direct=true',
      'pkg:golang/github.com/gorilla/websocket@v1.4.2 L7 direct=true',
      'pkg:golang/golang.org/x/net@v0.0.0-20210226172049-e18ecbb05110 L9 direct=false',
      'pkg:golang/gopkg.in/yaml.v2@v2.2.8 L10 direct=false',
      'pkg:golang/github.com/dgrijalva/jwt-go@v3.2.0+incompatible L13 direct=true',
    ])
    expect(r.components[0]).toMatchObject({ ecosystem: 'Go', name: 'github.com/gin-gonic/gin', version: 'v1.6.0', foundBy: 'go.mod' })
  })

  it('bad lines are diagnostics with their line; an unclosed block is reported', () => {
    const r = parseLockfile('go.mod', 'module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tgithub.com/c/d latest\n')
    expect(r.components.map((c) => c.name)).toEqual(['github.com/a/b'])
    expect(r.diagnostics.map((d) => `${d.level}:${d.line}`)).toEqual(['error:5', 'error:6'])
  })
})

describe('go.sum', () => {
  it('is read when there is no go.mod: module hashes only, /go.mod lines skipped', () => {
    const r = parseLockfile('go.sum', read('gosum/go.sum'), { readSibling: () => undefined })
    expect(r.format).toBe('go-sum')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:golang/github.com/gin-contrib/sse@v0.1.0 L1 direct=undefined',
      'pkg:golang/github.com/gin-gonic/gin@v1.6.0 L3 direct=undefined',
      'pkg:golang/github.com/go-playground/validator/v10@v10.2.0 L5 direct=undefined',
      'pkg:golang/golang.org/x/net@v0.0.0-20210226172049-e18ecbb05110 L8 direct=undefined',
      'pkg:golang/gopkg.in/yaml.v2@v2.2.8 L10 direct=undefined',
    ])
  })

  it('is ignored beside a go.mod', () => {
    const r = parseLockfile('go.sum', read('gosum/go.sum'), { readSibling: (n) => (n === 'go.mod' ? read('go/go.mod') : undefined) })
    expect(r.components).toEqual([])
  })

  it('fuzz: never throws', () => {
    const mod = read('go/go.mod')
    const sum = read('gosum/go.sum')
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.nat(), (junk, at) => {
        noCrash(parseLockfile('go.mod', mod.slice(0, at % mod.length) + junk))
        noCrash(parseLockfile('go.sum', sum.slice(0, at % sum.length) + junk))
        noCrash(parseLockfile('go.mod', junk))
      }),
      { numRuns: 150 },
    )
  })
})
