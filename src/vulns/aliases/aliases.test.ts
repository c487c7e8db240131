import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergeAliases, preferredId, sortIds } from './index.js'

interface Rec { id: string; aliases?: string[] | null }
/** id + aliases of real records from /work/shared/vulndb (crates.io and PyPI). */
const real = JSON.parse(readFileSync(fileURLToPath(new URL('testdata/records.json', import.meta.url)), 'utf8')) as Rec[]

describe('mergeAliases', () => {
  it('groups real records transitively, in input order', () => {
    expect(mergeAliases(real).map((g) => g.map((r) => r.id))).toEqual([
      ['RUSTSEC-2023-0090'],
      ['RUSTSEC-2026-0009'],
      ['RUSTSEC-2026-0023', 'RUSTSEC-2026-0024', 'RUSTSEC-2026-0025', 'RUSTSEC-2026-0026'],
      ['PYSEC-2013-32', 'PYSEC-2013-33'],
    ])
  })
  it('joins through a chain of aliases and through ids', () => {
    const recs: Rec[] = [
      { id: 'PYSEC-2021-1', aliases: ['CVE-2021-1'] },
      { id: 'OSV-2021-9' },
      { id: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2021-1', 'PYSEC-2021-2'] },
      { id: 'PYSEC-2021-2', aliases: null },
      { id: 'GO-2022-3', aliases: ['GHSA-zzzz-zzzz-zzzz'] },
      { id: 'GHSA-zzzz-zzzz-zzzz', aliases: ['OSV-2021-9'] },
    ]
    expect(mergeAliases(recs).map((g) => g.map((r) => r.id))).toEqual([
      ['PYSEC-2021-1', 'GHSA-aaaa-bbbb-cccc', 'PYSEC-2021-2'],
      ['OSV-2021-9', 'GO-2022-3', 'GHSA-zzzz-zzzz-zzzz'],
    ])
  })
  it('does not follow related, and keeps duplicates of one id together', () => {
    const recs = [{ id: 'A', aliases: [] }, { id: 'B', related: ['A'] }, { id: 'A' }]
    expect(mergeAliases(recs).map((g) => g.map((r) => r.id))).toEqual([['A', 'A'], ['B']])
    expect(mergeAliases([])).toEqual([])
  })
  it('is a partition, deterministic, and independent of alias order (property)', () => {
    const id = fc.constantFrom('CVE-1', 'CVE-2', 'GHSA-x', 'GHSA-y', 'PYSEC-1', 'GO-1', 'RUSTSEC-1', 'X')
    const rec = fc.record({ id, aliases: fc.option(fc.array(id, { maxLength: 3 }), { nil: undefined }) })
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 12 }), (recs) => {
        const groups = mergeAliases(recs)
        expect(groups.flat().length).toBe(recs.length)
        expect(new Set(groups.flat()).size).toBe(new Set(recs).size)
        const reversed = recs.map((r) => ({ ...r, aliases: r.aliases ? [...r.aliases].reverse() : r.aliases }))
        expect(mergeAliases(reversed).map((g) => g.map((r) => recs[reversed.indexOf(r)]))).toEqual(groups)
        // records sharing an id are in the same group
        const groupOf = new Map(groups.flatMap((g, i) => g.map((r) => [r, i] as const)))
        for (const a of recs) for (const b of recs) {
          const ia = new Set([a.id, ...(a.aliases ?? [])])
          if ([b.id, ...(b.aliases ?? [])].some((x) => ia.has(x))) expect(groupOf.get(a)).toBe(groupOf.get(b))
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('preferredId', () => {
  it('CVE first (oldest, numerically), then GHSA, then the ecosystem id', () => {
    expect(preferredId(['RUSTSEC-2023-0090', 'GHSA-ff4p-7xrq-q5r8', 'CVE-2023-26489'])).toBe('CVE-2023-26489')
    expect(preferredId(['RUSTSEC-2026-0023', 'GHSA-435g-fcv3-8j26'])).toBe('GHSA-435g-fcv3-8j26')
    expect(preferredId(['PYSEC-2013-33', 'PYSEC-2013-32'])).toBe('PYSEC-2013-32')
    expect(preferredId(['CVE-2021-10000', 'CVE-2021-9999', 'CVE-2022-1'])).toBe('CVE-2021-9999')
    expect(preferredId(['GO-2022-0001', 'GHSA-not-an-id', 'BIT-foo'])).toBe('BIT-foo')
    expect(preferredId([])).toBeUndefined()
  })
  it('sortIds lists every id once in display order', () => {
    expect(sortIds(['PYSEC-2013-32', 'GHSA-vpqp-hx68-p2wx', 'CVE-2013-2217', 'PYSEC-2013-32', ''])).toEqual(['CVE-2013-2217', 'GHSA-vpqp-hx68-p2wx', 'PYSEC-2013-32'])
  })
})
