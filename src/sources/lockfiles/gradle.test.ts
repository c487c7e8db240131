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

describe('gradle.lockfile', () => {
  it('group:artifact:version=configurations; test-only configurations are dev', () => {
    const r = parseLockfile('app/gradle.lockfile', read('gradle/gradle.lockfile'))
    expect(r.format).toBe('gradle-lockfile')
    expect(r.diagnostics).toEqual([])
    expect(r.components.map(row)).toEqual([
      'pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.9.0 L4 direct=undefined prod',
      'pkg:maven/com.fasterxml.jackson.core/jackson-core@2.9.8 L5 direct=undefined prod',
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8 L6 direct=undefined prod',
      'pkg:maven/junit/junit@4.12 L7 direct=undefined dev',
      'pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1 L8 direct=undefined prod',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 L9 direct=undefined prod',
      'pkg:maven/org.hamcrest/hamcrest-core@1.3 L10 direct=undefined dev',
    ])
  })

  it('a bad line is a diagnostic with its line; fuzz never throws', () => {
    const r = parseLockfile('gradle.lockfile', 'junit:junit:4.12=testCompileClasspath\nnot a lock line\n')
    expect(r.components.map((c) => c.name)).toEqual(['junit:junit'])
    expect(r.diagnostics.map((d) => `${d.level}:${d.line}`)).toEqual(['error:2'])
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        noCrash(parseLockfile('gradle.lockfile', junk))
      }),
      { numRuns: 150 },
    )
  })
})
