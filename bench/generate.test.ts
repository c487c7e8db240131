import { describe, expect, it } from 'vitest'
import { parseYamlLocated } from '../src/sources/located/index.js'
import { cfnTemplate, samTemplate, serverlessService, type Doc } from './generate.mjs'
import { toYaml } from './lib/yaml-emit.mjs'

// The benchmark is only as good as its inputs: these tests check that the generator writes what
// the README says (exact counts, references that resolve, same document in YAML and JSON). The
// performance targets themselves are checked by bench/run.mjs, not here.

const PSEUDO = new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::StackName', 'AWS::URLSuffix', 'AWS::NoValue', 'AWS::StackId'])

/** Every logical id a template refers to (Ref, GetAtt, ${X} / ${X.Attr} in Sub, DependsOn). */
function references(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const x of node) references(x, out)
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>
    if (typeof o['Ref'] === 'string') out.add(o['Ref'])
    const ga = o['Fn::GetAtt']
    if (Array.isArray(ga) && typeof ga[0] === 'string') out.add(ga[0])
    const sub = o['Fn::Sub']
    if (typeof sub === 'string') for (const m of sub.matchAll(/\$\{([^}!.]+)(?:\.[^}]+)?\}/g)) out.add(m[1]!)
    const dep = o['DependsOn']
    for (const d of Array.isArray(dep) ? dep : typeof dep === 'string' ? [dep] : []) out.add(String(d))
    for (const v of Object.values(o)) references(v, out)
  }
  return out
}

function dangling(doc: Doc, extra: Record<string, unknown> = {}): string[] {
  const known = new Set([...Object.keys((doc['Resources'] as object) ?? {}), ...Object.keys((doc['Parameters'] as object) ?? {}), ...Object.keys(extra), ...PSEUDO])
  return [...references(doc['Resources'])].filter((id) => !known.has(id))
}

describe('bench generator', () => {
  it('writes exactly the number of resources asked for, with every reference resolving', () => {
    for (const n of [1, 2, 17, 37, 500, 2_000]) {
      const doc = cfnTemplate(42 + n, n)
      expect(Object.keys(doc['Resources'] as object)).toHaveLength(n)
      expect(dangling(doc), `n=${n}`).toEqual([])
    }
  })

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(cfnTemplate(7, 300))).toBe(JSON.stringify(cfnTemplate(7, 300)))
    expect(JSON.stringify(cfnTemplate(7, 300))).not.toBe(JSON.stringify(cfnTemplate(8, 300)))
  })

  it('plants violations among mostly compliant settings', () => {
    const res = Object.values(cfnTemplate(99, 2_000)['Resources'] as Record<string, { Type: string; Properties: Record<string, unknown> }>)
    const buckets = res.filter((r) => r.Type === 'AWS::S3::Bucket')
    const unencrypted = buckets.filter((b) => !b.Properties['BucketEncryption']).length
    expect(unencrypted).toBeGreaterThan(0)
    expect(unencrypted).toBeLessThan(buckets.length / 3)
    expect(res.some((r) => r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties['CidrIp'] === '0.0.0.0/0' && r.Properties['FromPort'] === 22)).toBe(true)
  })

  it('writes SAM and serverless.yml documents of the requested size', () => {
    for (const n of [20, 31, 40]) {
      const sam = samTemplate(n, n, n)
      expect(Object.keys(sam['Resources'] as object)).toHaveLength(n)
      expect(dangling(sam)).toEqual([])
      const sls = serverlessService(n, n, n) as { functions: object; resources: { Resources: object } }
      expect(Object.keys(sls.functions).length + Object.keys(sls.resources.Resources).length).toBe(n)
    }
  })

  it('emits YAML with short-form intrinsics that PhiWall reads back to the same document', () => {
    const docs: Doc[] = [cfnTemplate(5, 120), samTemplate(6, 30, 3), serverlessService(7, 28, 4)]
    for (const doc of docs) {
      const text = toYaml(doc, 'header comment')
      expect(text).toMatch(/!Ref |!GetAtt |!Sub /)
      const read = parseYamlLocated(text, { file: 'gen.yaml', tags: 'cloudformation' })
      expect(read.diagnostics).toEqual([])
      expect(read.documents[0]).toEqual(doc)
    }
  })

  it('quotes scalars YAML would otherwise read as another type or structure', () => {
    const doc = { A: 'yes', B: '2012-10-17', C: 'a: b', D: 'x #y', E: "it's", F: '0.0.0.0/0', G: 'line\nbreak', H: '', I: ['on', 'null', '*'] }
    const read = parseYamlLocated(toYaml(doc), { file: 'q.yaml', tags: 'cloudformation' })
    expect(read.documents[0]).toEqual(doc)
  })
})
