import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scan } from '../../scan/index.js'
import type { Check } from '../types.js'
import * as cluster from './registry-cluster.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const CHECKS = Object.values(cluster) as Check[]
const now = new Date('2026-11-23T00:00:00Z')

// `manual*.yaml` fixtures beside the pass / fail ones: the deciding facts are outside the scan
const manualFixtures = CHECKS.flatMap((c) => {
  const dir = path.join(here, 'testdata', c.id.split('/')[1]!)
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('manual')).map((f) => [c.id, path.join(dir, f)] as const) : []
})

describe('cluster checks', () => {
  it('have manual fixtures for the checks that can say manual', () => {
    expect(new Set(manualFixtures.map(([id]) => id))).toEqual(new Set(['k8s/network-policy-coverage', 'k8s/network-policy-selects-pods', 'k8s/service-selects-pods', 'k8s/ingress-tls', 'k8s/phi-egress-restricted']))
  })

  it.each(manualFixtures)('%s: %s needs a human, and does not fail', async (id, file) => {
    const check = CHECKS.find((c) => c.id === id)!
    const r = await scan([file], { checks: [check], now })
    expect(r.files[0]?.status).toBe('ok')
    const mine = r.findings.filter((f) => f.checkId === id)
    expect(mine.map((f) => f.status)).toContain('manual')
    expect(mine.filter((f) => f.status === 'fail')).toEqual([])
    for (const f of mine) expect(f.message).toMatch(/\.$/)
  })

  it('judge resources across files of one scan: the policy in one file covers the workload of another', async () => {
    const dir = path.join(here, 'testdata', 'network-policy-coverage')
    const coverage = CHECKS.find((c) => c.id === 'k8s/network-policy-coverage')!
    const alone = await scan([path.join(dir, 'manual-no-policies.yaml')], { checks: [coverage], now })
    expect(alone.findings.map((f) => f.status)).toEqual(['manual'])
    // pass.yaml holds a default-deny policy for clinic-prod: together, the workload is covered
    const together = await scan([path.join(dir, 'manual-no-policies.yaml'), path.join(dir, 'pass.yaml')], { checks: [coverage], now })
    const intake = together.findings.filter((f) => f.location.file.endsWith('manual-no-policies.yaml'))
    expect(intake.map((f) => f.status)).toEqual(['pass'])
    expect(intake[0]!.message).toContain('default-deny-all')
  })

  it('name the workloads that run with a cluster-admin binding, and never put secret values in messages', async () => {
    const dir = path.join(here, 'testdata', 'cluster-admin-binding')
    const check = CHECKS.find((c) => c.id === 'k8s/cluster-admin-binding')!
    const r = await scan([path.join(dir, 'fail.yaml')], { checks: [check], now })
    const [f] = r.findings.filter((x) => x.status === 'fail')
    expect(f!.message).toContain('CronJob clinic-prod/billing-export')
    expect(f!.evidence['workloads']).toEqual([{ kind: 'CronJob', namespace: 'clinic-prod', name: 'billing-export', tokenMounted: true }])
    expect(f!.evidence['subjectRisk']).toBe('critical')
    const human = await scan([path.join(dir, 'fail-equivalent-role.yaml')], { checks: [check], now })
    expect(human.findings.filter((x) => x.status === 'fail').map((x) => x.evidence['subjectRisk'])).toEqual(['critical', 'high'])
  })

  it('name every escalation path a wildcard role holds, pods/attach included', async () => {
    const check = CHECKS.find((c) => c.id === 'k8s/rbac-privilege-escalation')!
    const r = await scan([path.join(here, 'testdata', 'rbac-privilege-escalation', 'fail-wildcard-role.yaml')], { checks: [check], now })
    const [f] = r.findings.filter((x) => x.status === 'fail')
    expect(f!.message).toContain('every escalation path')
    // each grant is named in the message: by its subresource for create, by its verb otherwise
    for (const grant of f!.evidence['grants'] as string[]) {
      const named = grant.startsWith('create ') ? grant.slice('create '.length) : grant.split(' ')[0]!
      expect(f!.message, `${grant} named in the message`).toContain(named)
    }
    expect(f!.message).toContain('pods/attach')
  })
})
