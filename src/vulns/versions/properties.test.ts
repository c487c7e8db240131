import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { OsvAffected } from '../osv.js'
import { compareVersions, isAffected, isValidVersion, smallestFix, supportedEcosystems } from './index.js'

const num = fc.integer({ min: 0, max: 30 }).map(String)
const big = fc.oneof(num, fc.constantFrom('0', '00', '007', '10', '20240101', '9007199254740993'))
const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs)
const opt = (a: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.option(a, { nil: '' })
const joined = (parts: fc.Arbitrary<string[]>, sep = ''): fc.Arbitrary<string> => parts.map((p) => p.join(sep))

const semverCore = fc.tuple(num, num, num).map(([a, b, c]) => `${a}.${b}.${c}`)
const prerelease = joined(fc.array(fc.oneof(pick('alpha', 'beta', 'rc', 'x-y'), num), { minLength: 1, maxLength: 3 }), '.')
const semverGen = fc
  .tuple(semverCore, opt(prerelease.map((p) => `-${p}`)), opt(pick('+build.1', '+incompatible', '+0')))
  .map((p) => p.join(''))
const pseudo = fc
  .tuple(pick('v0.0.0-', 'v1.2.4-0.'), fc.integer({ min: 20180101000000, max: 20251231235959 }), pick('-abcdef123456', '-0123456789ab'))
  .map((p) => p.join(''))

/** Realistic-looking versions per scheme (valid and a few invalid), for the order properties. */
const GENERATORS: Record<string, fc.Arbitrary<string>> = {
  npm: fc.oneof(semverGen, semverGen.map((v) => `v${v}`), pick('latest', '1.2', '')),
  'crates.io': fc.oneof(semverGen, pick('0.0.0-0', 'x')),
  Go: fc.oneof(semverGen.map((v) => `v${v}`), semverGen, pseudo, pick('v1', 'v1.2', 'master')),
  PyPI: fc.oneof(
    fc
      .tuple(
        opt(pick('1!', '2!')),
        joined(fc.array(big, { minLength: 1, maxLength: 4 }), '.'),
        opt(fc.tuple(pick('a', 'b', 'rc', 'c', 'alpha', '-beta', '.pre'), opt(num)).map((p) => p.join(''))),
        opt(fc.tuple(pick('.post', '-', '.rev', 'r'), num).map((p) => p.join(''))),
        opt(fc.tuple(pick('.dev', 'dev'), opt(num)).map((p) => p.join(''))),
        opt(joined(fc.array(fc.oneof(num, pick('ubuntu', 'abc', 'g1234')), { minLength: 1, maxLength: 3 }), '.').map((l) => `+${l}`)),
      )
      .map((p) => p.join('')),
    pick('2004d', '0.1-rc1-foo', '1.0-SNAPSHOT', 'r1234', 'foobar', '1.0.x'),
  ),
  // Maven's own order is not transitive on odd strings (maven-artifact 3.8.7 has
  // final.alpha0. < 0. < RELEASE.1. < final.alpha0.), so versions here start with numbers as real ones do.
  Maven: fc
    .tuple(
      joined(fc.array(big, { minLength: 1, maxLength: 4 }), '.'),
      joined(
        fc.array(
          fc.tuple(pick('.', '-', ''), pick('alpha', 'beta', 'a', 'b', 'm', 'rc', 'cr', 'SNAPSHOT', 'ga', 'final', 'sp', 'RELEASE', 'abc', 'jre'), opt(big)).map((p) => p.join('')),
          { maxLength: 2 },
        ),
      ),
      opt(fc.tuple(pick('.', '-'), big).map((p) => p.join(''))),
    )
    .map((p) => p.join('')),
  RubyGems: fc.oneof(
    fc
      .tuple(num, joined(fc.array(fc.oneof(num, pick('a', 'b', 'rc', 'pre', 'beta', 'rc1', '0a')).map((s) => `.${s}`), { maxLength: 4 })), opt(pick('-alpha', '-rc.1', '-1')))
      .map((p) => p.join('')),
    pick('junk', ''),
  ),
  Packagist: fc
    .tuple(opt(pick('v')), joined(fc.array(num, { minLength: 1, maxLength: 4 }), '.'), opt(fc.tuple(pick('-dev', '-alpha', '-beta', '-RC', '-rc', '-patch', '-p', '-pl', 'b', '.RC', '-stable'), opt(num)).map((p) => p.join(''))))
    .map((p) => p.join('')),
  Debian: fc
    .tuple(
      opt(pick('1:', '2:', '0:')),
      joined(fc.array(fc.oneof(big, pick('.', '~', '+', 'a', 'b', 'dfsg', 'ubuntu', '~rc', '-')), { minLength: 1, maxLength: 6 })),
      opt(joined(fc.array(fc.oneof(num, pick('.', '~', '+', 'deb11u', 'ubuntu', 'bpo')), { minLength: 1, maxLength: 4 })).map((r) => `-${r}`)),
    )
    .map((p) => p.join('')),
  Alpine: fc
    .tuple(
      joined(fc.array(big, { minLength: 1, maxLength: 4 }), '.'),
      opt(pick('a', 'b', 'z')),
      joined(fc.array(fc.tuple(pick('_alpha', '_beta', '_pre', '_rc', '_cvs', '_svn', '_git', '_hg', '_p'), opt(num)).map((p) => p.join('')), { maxLength: 2 })),
      opt(num.map((n) => `-r${n}`)),
    )
    .map((p) => p.join('')),
  'Red Hat': fc
    .tuple(
      opt(pick('1:', '2:')),
      joined(fc.array(fc.oneof(big, pick('.', '~', '^', '_', '+', 'a', 'rc', 'git', 'el', 'fc')), { minLength: 1, maxLength: 6 })),
      opt(joined(fc.array(fc.oneof(num, pick('.', 'el9', '_', '~', '^')), { minLength: 1, maxLength: 4 })).map((r) => `-${r}`)),
    )
    .map((p) => p.join('')),
}

describe.each(Object.entries(GENERATORS))('%s order properties', (ecosystem, gen) => {
  const cmp = (a: string, b: string): number => compareVersions(ecosystem, a, b)

  it('compare(a, a) = 0 and compare(a, b) = -compare(b, a)', () => {
    fc.assert(
      fc.property(gen, gen, (a, b) => {
        expect(cmp(a, a)).toBe(0)
        expect([a, b, cmp(a, b)]).toEqual([a, b, -cmp(b, a) || 0])
      }),
      { numRuns: 400 },
    )
  })

  it('is transitive', () => {
    fc.assert(
      fc.property(gen, gen, gen, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(cmp) as [string, string, string]
        expect([x, y, z, cmp(x, y) <= 0, cmp(y, z) <= 0, cmp(x, z) <= 0]).toEqual([x, y, z, true, true, true])
        if (cmp(x, y) === 0 && cmp(y, z) === 0) expect(cmp(x, z)).toBe(0)
      }),
      { numRuns: 400 },
    )
  })
})

describe('garbage never throws', () => {
  const garbage = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', ' ', '-', ':', '~', '^', '_', '.', '0:', '-r', '9'.repeat(400)))

  it('compareVersions and isValidVersion accept any string in every ecosystem', () => {
    fc.assert(
      fc.property(fc.constantFrom(...supportedEcosystems), garbage, garbage, (eco, a, b) => {
        const c = compareVersions(eco, a, b)
        expect([-1, 0, 1]).toContain(c)
        expect(compareVersions(eco, b, a)).toBe(-c || 0)
        expect(typeof isValidVersion(eco, a)).toBe('boolean')
      }),
      { numRuns: 2000 },
    )
  })

  it('isAffected and smallestFix accept garbage events and versions', () => {
    const event = fc.oneof(
      garbage.map((v) => ({ introduced: v })),
      garbage.map((v) => ({ fixed: v })),
      garbage.map((v) => ({ last_affected: v })),
      garbage.map((v) => ({ limit: v })),
    )
    const affected = fc.record({
      ranges: fc.array(fc.record({ type: fc.constantFrom('SEMVER' as const, 'ECOSYSTEM' as const, 'GIT' as const), events: fc.array(event, { minLength: 1, maxLength: 5 }) }), { maxLength: 3 }),
      versions: fc.array(garbage, { maxLength: 3 }),
    }) as fc.Arbitrary<OsvAffected>
    fc.assert(
      fc.property(fc.constantFrom(...supportedEcosystems), garbage, fc.array(affected, { maxLength: 3 }), (eco, v, entries) => {
        for (const a of entries) expect(typeof isAffected(eco, v, a)).toBe('boolean')
        const fix = smallestFix(eco, v, entries)
        if (fix !== undefined) for (const a of entries) expect(isAffected(eco, fix, a)).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })
})
