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

describe('pom.xml', () => {
  it('literal, ${property}, project and dependencyManagement versions; ranges and unknown properties are warnings', () => {
    const r = parseLockfile('records/pom.xml', read('maven/pom.xml'))
    expect(r.format).toBe('pom')
    expect(r.components.map(row)).toEqual([
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8 L29 direct=true prod',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 L41 direct=true prod',
      'pkg:maven/org.springframework/spring-core@5.2.0.RELEASE L52 direct=true prod',
      'pkg:maven/org.example.clinic/records-model@1.3.0 L56 direct=true prod',
      'pkg:maven/junit/junit@4.12 L71 direct=true dev',
    ])
    expect(r.components[0]).toMatchObject({ ecosystem: 'Maven', name: 'com.fasterxml.jackson.core:jackson-databind', version: '2.9.8', foundBy: 'pom.xml' })
    expect(r.diagnostics).toEqual([
      {
        code: 'PW_ERR_LOCKFILE_INVALID',
        level: 'warning',
        message: 'Dependency com.google.guava:guava version "${guava.version}" is unresolved or a range; it is not judged (records/pom.xml at line 61).',
        file: 'records/pom.xml',
        line: 61,
      },
      {
        code: 'PW_ERR_LOCKFILE_INVALID',
        level: 'warning',
        message: 'Dependency org.yaml:snakeyaml version "[1.26,2.0)" is unresolved or a range; it is not judged (records/pom.xml at line 66).',
        file: 'records/pom.xml',
        line: 66,
      },
    ])
  })

  it('a version from a parent or BOM is a warning; malformed XML an error with its line', () => {
    const pom = '<project>\n  <dependencies>\n    <dependency>\n      <groupId>org.postgresql</groupId>\n      <artifactId>postgresql</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n'
    const r = parseLockfile('pom.xml', pom)
    expect(r.components).toEqual([])
    expect(r.diagnostics.map((d) => `${d.level}:${d.line}`)).toEqual(['warning:3'])
    const bad = parseLockfile('pom.xml', '<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n')
    expect(bad.components).toEqual([])
    expect(bad.diagnostics).toHaveLength(1)
    expect(bad.diagnostics[0]).toMatchObject({ code: 'PW_ERR_LOCKFILE_INVALID', level: 'error', line: 4 })
  })

  it('fuzz: never throws', () => {
    const base = read('maven/pom.xml')
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(base.length), fc.nat(50), (junk, at, cut) => {
        noCrash(parseLockfile('pom.xml', base.slice(0, at) + junk + base.slice(at + cut)))
        noCrash(parseLockfile('pom.xml', junk, { format: 'pom' }))
      }),
      { numRuns: 100 },
    )
  })
})
