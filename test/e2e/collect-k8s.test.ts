import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../src/cli/main.js'
import type { Finding } from '../../src/model/index.js'
import { startFakeApiServer, tempDir, writeKubeconfig, type FakeApiServer } from '../../src/sources/k8s-live/testdata/server.js'

// `phiwall collect k8s` run in-process through the CLI's entry (main), against a stand-in API
// server on 127.0.0.1 that serves the recorded clinic cluster (src/sources/k8s-live/testdata).
const DIR = path.resolve(import.meta.dirname, '../../src/sources/k8s-live/testdata/clinic')
const PG_PASSWORD = 'Ouq7-vitals-Rx-2291'

let server: FakeApiServer
let tmp: string
let token: string
let kubeconfig: string
let stdout: string
let stderr: string

beforeEach(async () => {
  tmp = tempDir('phiwall-collect-k8s-')
  token = `sa-token-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
  server = await startFakeApiServer({ dir: DIR, token })
  kubeconfig = writeKubeconfig(tmp, [{ context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url, token }])
  stdout = ''
  stderr = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true))
})
afterEach(async () => {
  vi.restoreAllMocks()
  await server.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('phiwall collect k8s', () => {
  it('writes a 0600 snapshot that phiwall scan reads, and lists the calls that failed', async () => {
    const out = path.join(tmp, 'clinic-k8s.json')
    expect(await main(['collect', 'k8s', '--kubeconfig', kubeconfig, '--out', out])).toBe(0)
    expect(stdout).toBe(`Snapshot of cluster clinic-eks-prod (context clinic-prod-admin, Kubernetes v1.30.8-eks-2d5f260): 41 objects, 1 calls failed (see docs/kubernetes-collect.md for the RBAC) → ${out}\n`)
    expect(stderr).toContain(`Reading cluster clinic-eks-prod through context clinic-prod-admin (${server.url}), Kubernetes v1.30.8-eks-2d5f260; read-only calls.`)
    expect(stderr).toContain('  failed: persistentvolumes (403): persistentvolumes is forbidden: User "arn:aws:sts::123456789012:assumed-role/clinic-auditor/phiwall" cannot list resource "persistentvolumes"')
    expect(stderr).toContain('Pod: 2 (5 run by a listed controller left out)')
    if (process.platform !== 'win32') expect(fs.statSync(out).mode & 0o777).toBe(0o600)
    const text = fs.readFileSync(out, 'utf8')
    expect(text).not.toContain(PG_PASSWORD)
    expect(text).not.toContain(Buffer.from(PG_PASSWORD).toString('base64'))
    expect(text).not.toContain(token)
    expect(JSON.parse(text)).toMatchObject({ kind: 'phiwall-k8s-snapshot', context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url })

    stdout = ''
    expect(await main(['scan', out, '--format', 'json', '--fail-on', 'none', '--no-progress'])).toBe(0)
    const result = JSON.parse(stdout) as { findings: Finding[]; files: { status: string; format: string; resources: number }[]; resources: { origin: string; kind: string }[] }
    expect(result.files).toEqual([expect.objectContaining({ status: 'ok', format: 'k8s-snapshot', resources: 41 })])
    const kinds: Record<string, number> = {}
    for (const r of result.resources) if (r.origin === 'k8s-snapshot') kinds[r.kind] = (kinds[r.kind] ?? 0) + 1
    expect(kinds).toMatchObject({ 'k8s:apps:deployment': 3, 'k8s:core:secret': 2, 'k8s:core:service': 5, 'k8s:networking:network-policy': 2, 'k8s:rbac:cluster-role-binding': 3 })
  })

  it('reads the namespaces named with --namespace, repeated or comma-separated', async () => {
    const out = path.join(tmp, 'ns.json')
    expect(await main(['collect', 'k8s', '--kubeconfig', kubeconfig, '--namespace', 'clinic-prod', '-n', 'clinic-dev,kube-system', '--out', out])).toBe(0)
    const snap = JSON.parse(fs.readFileSync(out, 'utf8')) as { namespaces: string[]; items: { kind: string; metadata: { name: string } }[] }
    expect(snap.namespaces).toEqual(['clinic-prod', 'clinic-dev', 'kube-system'])
    expect(snap.items.filter((i) => i.kind === 'Namespace').map((i) => i.metadata.name)).toEqual(['clinic-dev', 'clinic-prod', 'kube-system'])
    expect(stdout).toContain(' in clinic-prod, clinic-dev, kube-system: ')
    expect(server.requests.some((r) => r.path === '/apis/apps/v1/namespaces/clinic-dev/deployments')).toBe(true)
  })

  it('takes the context from --context', async () => {
    const file = writeKubeconfig(tmp, [
      { context: 'clinic-staging', cluster: 'clinic-eks-staging', server: 'http://127.0.0.1:9', token: 'staging-token-abcdef' },
      { context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url, token },
    ])
    const out = path.join(tmp, 'ctx.json')
    expect(await main(['collect', 'k8s', '--kubeconfig', file, '--context', 'clinic-prod-admin', '--out', out])).toBe(0)
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).context).toBe('clinic-prod-admin')
  })

  it('exits 2 with the context remediation for an unknown context, writing nothing', async () => {
    const out = path.join(tmp, 'none.json')
    expect(await main(['collect', 'k8s', '--kubeconfig', kubeconfig, '--context', 'clinic-qa', '--out', out])).toBe(2)
    expect(stderr).toContain(`phiwall: Context clinic-qa is not in the kubeconfig ${kubeconfig} (contexts: clinic-prod-admin). [PW_ERR_K8S_CONTEXT]`)
    expect(stderr).toContain('kubectl config get-contexts')
    expect(fs.existsSync(out)).toBe(false)
  })

  it('exits 2 when the credentials are rejected, never printing the token', async () => {
    const bad = `${token}-expired`
    const file = writeKubeconfig(tmp, [{ context: 'clinic-prod-admin', cluster: 'clinic-eks-prod', server: server.url, token: bad }])
    const out = path.join(tmp, 'none.json')
    expect(await main(['collect', 'k8s', '--kubeconfig', file, '--out', out])).toBe(2)
    expect(stderr).toContain(`rejected the credentials (401 Unauthorized). [PW_ERR_K8S_AUTH]`)
    expect(stderr).not.toContain(bad)
    expect(stdout).not.toContain(bad)
    expect(fs.existsSync(out)).toBe(false)
  })

  it('exits 2 when the server cannot be reached', async () => {
    await server.close()
    const out = path.join(tmp, 'none.json')
    expect(await main(['collect', 'k8s', '--kubeconfig', kubeconfig, '--out', out])).toBe(2)
    expect(stderr).toContain(`phiwall: The Kubernetes API server of context clinic-prod-admin (${server.url}) cannot be reached: connection refused. [PW_ERR_K8S_UNREACHABLE]`)
    expect(stderr).not.toContain(token)
  })

  it('documents its options; collect aws is still there', async () => {
    expect(await main(['collect', 'k8s', '--help'])).toBe(0)
    for (const option of ['--context', '--kubeconfig', '--namespace', '--out']) expect(stdout).toContain(option)
    stdout = ''
    expect(await main(['collect', 'aws', '--help'])).toBe(0)
    for (const option of ['--profile', '--regions', '--out', '--alias']) expect(stdout).toContain(option)
  })
})
