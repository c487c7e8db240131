import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Inventory, Resource } from '../model/index.js'
import { defineCheck, fail, pass } from './define-check.js'
import { CHECK_PROGRESS_STEP, evaluateChecks } from './evaluate.js'
import type { Check, CheckResult } from './types.js'

const KINDS = ['k8s:apps:deployment', 'k8s:core:service', 'k8s:core:pod', 'aws:s3:bucket']

function resource(i: number, kind: string): Resource {
  return {
    id: `r${i}`,
    kind,
    type: 'Test::Thing',
    provider: 'kubernetes',
    name: `thing-${i}`,
    sourceId: `thing-${i}`,
    origin: 'kubernetes',
    environment: 'unknown',
    labels: {},
    holdsPhi: 'unknown',
    evidence: { phi: [], environment: [] },
    location: { file: `f${i % 3}.yaml`, line: i + 1 },
    props: { n: i },
    propLines: {},
    stack: `f${i % 3}.yaml`,
    dependsOn: [],
  } as Resource
}

/** The definition of the order: check by check, each kind as the check lists it, resources in inventory order. */
function reference(inventory: Inventory, checks: Check[]): string[] {
  const out: string[] = []
  for (const check of checks)
    for (const kind of check.resourceKinds)
      for (const r of inventory.resources.filter((x) => x.kind === kind)) {
        let res: CheckResult | CheckResult[]
        try {
          if (check.appliesTo && !check.appliesTo(r, { view: undefined as never, now: new Date(0), params: {} })) continue
          res = check.evaluate(r, { view: undefined as never, now: new Date(0), params: {} })
        } catch {
          out.push(`${check.id} ${r.id} error`)
          continue
        }
        for (const x of Array.isArray(res) ? res : [res]) out.push(`${check.id} ${r.id} ${x.status} ${x.message}`)
      }
  return out
}

function check(id: number, kinds: string[], mode: number): Check {
  return defineCheck({
    id: `test/c${id}`,
    title: `check ${id}`,
    severity: 'low',
    resourceKinds: kinds,
    rationale: '',
    remediation: { text: '' },
    controls: { csf: [], hipaa: [], ferpa: [] },
    ...(mode === 3 ? { appliesTo: (r: Resource) => (r.props['n'] as number) % 2 === 0 } : {}),
    evaluate: (r: Resource) => {
      const n = r.props['n'] as number
      if (mode === 1 && n % 3 === 0) throw new Error('boom')
      if (mode === 2) return [pass(`a${n}`), fail(`b${n}`)]
      return n % 2 ? fail(`x${n}`) : pass(`y${n}`)
    },
  })
}

describe('evaluateChecks', () => {
  it('lists findings check by check, kind by kind as each check lists them, resource by resource (property-based)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...KINDS), { maxLength: 25 }),
        fc.array(fc.tuple(fc.array(fc.constantFrom(...KINDS, 'aws:none:absent'), { maxLength: 4 }), fc.nat(3)), { maxLength: 8 }),
        (kinds, defs) => {
          const inventory: Inventory = { resources: kinds.map((k, i) => resource(i, k)), edges: [] }
          const checks = defs.map(([ks, mode], i) => check(i, ks, mode))
          const got = evaluateChecks(inventory, checks, { now: new Date(0) }).map((f) => `${f.checkId} ${f.resourceId} ${f.status === 'error' ? 'error' : `${f.status} ${f.message}`}`)
          expect(got).toEqual(reference(inventory, checks))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('honours --only and --skip', () => {
    const inventory: Inventory = { resources: [resource(0, KINDS[0]!), resource(1, KINDS[1]!)], edges: [] }
    const checks = [check(0, [KINDS[0]!], 0), check(1, [KINDS[1]!], 0), check(2, [KINDS[0]!, KINDS[1]!], 0)]
    expect(evaluateChecks(inventory, checks, { only: ['test/c2'] }).map((f) => f.checkId)).toEqual(['test/c2', 'test/c2'])
    expect(evaluateChecks(inventory, checks, { skip: ['test/c*'] })).toEqual([])
    expect(evaluateChecks(inventory, checks, { skip: ['test/c0'] }).map((f) => `${f.checkId} ${f.resourceId}`)).toEqual(['test/c1 r1', 'test/c2 r0', 'test/c2 r1'])
  })

  it('reports progress: resources judged of those a check applies to, every CHECK_PROGRESS_STEP and at the end', () => {
    const n = CHECK_PROGRESS_STEP * 2 + 5
    const resources = [...Array.from({ length: n }, (_, i) => resource(i, KINDS[0]!)), resource(n, KINDS[3]!)]
    const calls: [number, number, string][] = []
    evaluateChecks({ resources, edges: [] }, [check(0, [KINDS[0]!], 0)], { onCheckProgress: (done, total, kind) => calls.push([done, total, kind]) })
    // the aws:s3:bucket resource has no check: it is not counted
    expect(calls).toEqual([[0, n, KINDS[0]!], [CHECK_PROGRESS_STEP, n, KINDS[0]!], [CHECK_PROGRESS_STEP * 2, n, KINDS[0]!], [n, n, '']])
  })
})
