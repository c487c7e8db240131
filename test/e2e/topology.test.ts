import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = path.join(root, 'bin/phiwall.js')

/** Run the built CLI as a user would (`npm test` builds first). */
function phiwall(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('phiwall topology and the container parts of a scan', () => {
  it('prints the JSON contract for the clinic example: nodes, calls with ports, exposure, PHI', () => {
    const r = phiwall(['topology', 'examples/clinic-intake'])
    expect(r.code).toBe(0)
    const t = JSON.parse(r.out) as { nodes: { id: string; kind: string; name: string; namespace: string | null; environment: string; holdsPhi: string; internetExposed: boolean }[]; edges: { from: string; to: string; kind: string; port: number | null; protocol: string | null; source: string }[] }
    const byId = new Map(t.nodes.map((n) => [n.id, n]))
    // the serverless, Kubernetes, Compose and VM parts are one graph
    const kinds = new Set(t.nodes.map((n) => n.kind))
    for (const k of ['function', 'workload', 'vm', 'container', 'image', 'service', 'ingress', 'data-store', 'api', 'internet']) expect(kinds.has(k as never), k).toBe(true)
    const call = t.edges.find((e) => e.kind === 'calls' && byId.get(e.from)?.name === 'intake-worker' && byId.get(e.to)?.name === 'patients-db' && byId.get(e.from)?.namespace === 'clinic-prod')
    expect(call).toMatchObject({ port: 5432, protocol: 'tcp', source: 'declared' })
    expect(byId.get(call!.to)).toMatchObject({ holdsPhi: 'yes', environment: 'prod', internetExposed: false })
    expect(t.nodes.find((n) => n.kind === 'ingress' && n.name === 'portal')).toMatchObject({ internetExposed: true, namespace: 'clinic-prod' })
  })

  it('writes DOT and Mermaid to a file, and keeps one environment with --environment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-topology-'))
    const dot = phiwall(['topology', 'examples/clinic-intake/k8s', '--format', 'dot', '--out', path.join(dir, 't.dot')])
    expect(dot.code).toBe(0)
    expect(dot.err).toMatch(/topology: \d+ nodes, \d+ edges → /)
    expect(fs.readFileSync(path.join(dir, 't.dot'), 'utf8')).toMatch(/^digraph phiwall \{/)
    const mmd = phiwall(['topology', 'examples/clinic-intake/k8s', '--format', 'mermaid', '--environment', 'dev'])
    expect(mmd.code).toBe(0)
    expect(mmd.out).toMatch(/^flowchart LR/)
    expect(mmd.out).toContain('intake-worker-dev')
    expect(mmd.out).not.toContain('clinic-prod/fhir-bridge')
    expect(phiwall(['topology', 'examples', '--format', 'svg']).code).toBe(2)
    expect(phiwall(['topology', 'examples', '--environment', 'production']).code).toBe(2)
  })

  it('reports a bad manifest with its code and line, and still draws the rest (exit 2)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-topology-'))
    fs.writeFileSync(path.join(dir, 'app.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: web}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n---\nkind: Deployment\nmetadata: {name: broken}\n')
    const r = phiwall(['topology', dir])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/PW_ERR_K8S_INVALID .*line 6|PW_ERR_K8S_INVALID/)
    expect(JSON.parse(r.out).nodes.some((n: { name: string }) => n.name === 'api')).toBe(true)
  })

  it('scans the example: Kubernetes, Dockerfile, Compose and VM findings in one report, with PSS and CIS names in SARIF', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-out-'))
    const r = phiwall(['scan', 'examples/clinic-intake', '--format', 'sarif,json', '--out', dir, '--fail-on', 'none'])
    expect(r.code).toBe(0)
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'phiwall-report.json'), 'utf8')) as { schemaVersion: string; findings: { checkId: string; status: string }[]; resources: { origin: string; namespace?: string }[] }
    expect(report.schemaVersion).toBe('1.3.0')
    const failing = new Set(report.findings.filter((f) => f.status === 'fail').map((f) => f.checkId.split('/')[0]))
    expect([...failing].sort()).toEqual(['aws', 'container', 'k8s'])
    expect(new Set(report.resources.map((x) => x.origin))).toEqual(new Set(['sam', 'serverless', 'kubernetes', 'dockerfile', 'compose', 'terraform']))
    expect(report.resources.some((x) => x.namespace === 'clinic-prod')).toBe(true)
    const sarif = fs.readFileSync(path.join(dir, 'phiwall-report.sarif'), 'utf8')
    expect(sarif).toContain('Pod Security Standards Baseline: Privileged Containers')
    expect(sarif).toContain('CIS Kubernetes 5.2.2')
    expect(sarif).not.toContain('9f8e7d6c5b4a39281706f5e4d3c2b1a0') // the HIE client secret of the example manifest
    expect(sarif).not.toContain('clinic-dev-2024') // the Compose database password
  })
})
