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

  it('every Kubernetes fixture of KICS parses: each manifest is read with no error, every object becomes a resource, and every check runs', async () => {
    const dir = path.join(corpus!, 'kics/k8s')
    const files: string[] = []
    for (const q of fs.readdirSync(dir)) for (const f of fs.readdirSync(path.join(dir, q, 'test'))) if (!f.endsWith('_expected_result.json') && f !== 'metadata.json') files.push(path.join(dir, q, 'test', f))
    const result = await scan(files, { vulnerabilities: false })
    expect(result.files).toHaveLength(files.length)
    const notRead = result.files.filter((f) => f.status !== 'ok')
    // the only inputs that are not Kubernetes manifests: a CNI plugin configuration (JSON without apiVersion) and an empty file
    expect(notRead.map((f) => `${path.relative(dir, path.resolve(root, f.file))} ${f.status}`).sort()).toEqual([
      'cni_plugin_does_not_support_network_policies/test/negative.json skipped',
      'cni_plugin_does_not_support_network_policies/test/positive.json skipped',
      'ensure_administrative_boundaries_between_resources/test/negative.yaml skipped',
    ])
    expect(result.files.filter((f) => f.status === 'ok').every((f) => f.format === 'kubernetes')).toBe(true)
    for (const f of result.files) expect(f.diagnostics.filter((d) => d.level === 'error')).toEqual([])
    expect(result.findings.filter((f) => f.status === 'error').map((f) => `${f.checkId} ${f.resourceId}`)).toEqual([])
    const objects = result.inventory.resources.filter((r) => r.provider === 'kubernetes' && r.kind !== 'phiwall:stack').length
    console.log(`kics/k8s: ${files.length} files, ${objects} Kubernetes objects, ${result.findings.length} findings`)
    expect(objects).toBeGreaterThan(500)
  })
})
