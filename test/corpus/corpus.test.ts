import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scan } from '../../src/scan/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpus = [path.resolve(root, '../shared/corpus'), '/work/shared/corpus'].find((p) => fs.existsSync(p))

// The public corpus (../shared/corpus, see its SOURCES.md) sits beside the repository on
// development and CI machines; CI must have it.
const run = corpus ? describe : process.env['CI'] ? describe : describe.skip

run('real public inputs', () => {
  it('the corpus is present', () => {
    expect(corpus, 'shared corpus not found beside the repository').toBeDefined()
  })

  it.each(['serverless-patterns', 'serverless-examples', 'kics/cloudFormation', 'kics/serverlessFW'])('every file of %s is read without a crash, and every check runs without error', async (sub) => {
    const dir = path.join(corpus!, sub)
    const result = await scan([dir])
    // nothing was lost to an internal error: each input is ok, an input error with a code, or not an input
    for (const f of result.files) {
      expect(['ok', 'error', 'skipped']).toContain(f.status)
      for (const d of f.diagnostics) {
        expect(d.code).toMatch(/^PW_ERR_/)
        expect(d.message).not.toMatch(/internal error/)
      }
    }
    expect(result.findings.filter((f) => f.status === 'error').map((f) => `${f.checkId} ${f.resourceId}`)).toEqual([])
    const read = result.files.filter((f) => f.status !== 'skipped')
    const ok = read.filter((f) => f.status === 'ok').length
    console.log(`${sub}: ${result.files.length} files, ${read.length} inputs (${ok} clean, ${read.length - ok} with input errors), ${result.inventory.resources.length} resources, ${result.findings.length} findings`)
    expect(read.length).toBeGreaterThan(20)
  })
})
