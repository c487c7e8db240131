import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import yauzl from 'yauzl'
import { osvRecordSchema, type OsvAffected, type OsvRecord } from '../osv.js'
import { isAffected, isValidVersion, smallestFix } from './index.js'

const VULNDB = '/work/shared/vulndb'

const cache = new Map<string, Promise<OsvRecord[]>>()

/** Every JSON record of an OSV export zip (read once per test file). */
function readZip(path: string): Promise<OsvRecord[]> {
  const hit = cache.get(path)
  if (hit) return hit
  const records = readZipUncached(path)
  cache.set(path, records)
  return records
}

function readZipUncached(path: string): Promise<OsvRecord[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`))
      const records: OsvRecord[] = []
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`))
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            records.push(osvRecordSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(records))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}

interface Tally {
  ranges: number
  introducedChecked: number
  fixedChecked: number
  violations: string[]
}

/**
 * Checks each SEMVER/ECOSYSTEM range of a record on its own: its non-zero `introduced` versions are
 * affected, its `fixed` versions are not (unless the same version also opens an interval), and the
 * smallest fix of its first introduced version is a fixed version of the range.
 */
function checkRecord(record: OsvRecord, tally: Tally): void {
  for (const a of record.affected ?? []) {
    const eco = a.package?.ecosystem
    if (eco === undefined) continue
    for (const range of a.ranges ?? []) {
      if (range.type === 'GIT') continue
      tally.ranges++
      const single: OsvAffected = { ranges: [range] }
      const events = range.events as Record<string, string>[]
      const introduced = events.flatMap((e) => (e.introduced !== undefined && e.introduced !== '0' ? [e.introduced] : []))
      const fixed = events.flatMap((e) => (e.fixed !== undefined ? [e.fixed] : []))
      for (const v of introduced) {
        if (!isValidVersion(eco, v) || fixed.includes(v)) continue
        tally.introducedChecked++
        if (!isAffected(eco, v, single)) tally.violations.push(`${record.id} ${eco} introduced ${v} not affected`)
      }
      for (const v of fixed) {
        if (!isValidVersion(eco, v) || introduced.includes(v)) continue
        tally.fixedChecked++
        if (isAffected(eco, v, single)) tally.violations.push(`${record.id} ${eco} fixed ${v} affected`)
      }
    }
  }
}

const ecosystems = ['Go', 'crates.io', 'PyPI', 'npm'].filter((e) => existsSync(`${VULNDB}/${e}/all.zip`))

describe.skipIf(ecosystems.length === 0)('the shared OSV corpus', () => {
  it.each(ecosystems)('%s: introduced versions are affected, fixed versions are not', async (eco) => {
    const records = await readZip(`${VULNDB}/${eco}/all.zip`)
    const tally: Tally = { ranges: 0, introducedChecked: 0, fixedChecked: 0, violations: [] }
    for (const r of records) checkRecord(r, tally)
    expect(records.length).toBeGreaterThan(400)
    expect(tally.fixedChecked).toBeGreaterThan(100)
    expect(tally.introducedChecked).toBeGreaterThan(50)
    expect(tally.violations).toEqual([])
  })

  it('every Go advisory affected from the start yields a smallest fix that clears it', async () => {
    const records = await readZip(`${VULNDB}/Go/all.zip`)
    let checked = 0
    for (const r of records) {
      for (const a of r.affected ?? []) {
        const events = (a.ranges ?? []).flatMap((g) => g.events as Record<string, string>[])
        if (events.some((e) => e.introduced !== undefined && e.introduced !== '0')) continue
        const first = events.find((e) => e.fixed !== undefined)?.fixed
        if (first === undefined || !isValidVersion('Go', first)) continue
        // v0.0.0-0 is below every real version: the upgrade is the first fix that clears all ranges.
        const fix = smallestFix('Go', 'v0.0.0-0', [a])
        expect([r.id, fix !== undefined && !isAffected('Go', fix, a)]).toEqual([r.id, true])
        checked++
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })
})
