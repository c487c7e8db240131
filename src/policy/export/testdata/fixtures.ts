/**
 * Test helpers for the exporters: the clinic fixture, small policy sets built in code, and the
 * gate for external tools (nft, ip, unshare, terraform, cfn-lint).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ClusterContext, PolicyRule, PolicySet, WorkloadIdentity, WorkloadPolicy } from '../../types.js'

const here = path.dirname(fileURLToPath(import.meta.url))

/** The clinic policy set (a fresh copy each call). */
export function clinic(): PolicySet {
  return JSON.parse(fs.readFileSync(path.join(here, 'clinic.policy.json'), 'utf8')) as PolicySet
}

export const CLINIC_IDS = {
  intake: 'k8s:clinic/intake-api',
  db: 'k8s:clinic/patients-db',
  frontend: 'k8s:clinic/frontend',
  operator: 'k8s:clinic/db-operator',
  legacy: 'k8s:clinic/legacy-reports',
  sender: 'host:hl7-vm-1:proc:3f2a9c1d8e7b6a54:/opt/hl7/bin/mllp-sender:uid=990',
  listener: 'host:hl7-vm-2:proc:9b8c7d6e5f4a3b2c:/opt/hl7/bin/mllp-listener:uid=991',
  nodeExporter: 'host:hl7-vm-2:proc:51a2b3c4d5e6f708:/usr/bin/prometheus-node-exporter:uid=65534',
  claimsExport: 'aws:lambda:claims-export',
  claimsDb: 'aws:rds:claims-db',
  faxIngest: 'aws:lambda:fax-ingest',
} as const

export const CLUSTER: ClusterContext = {
  dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, addresses: ['10.96.0.10'] },
  apiServer: { addresses: ['10.0.12.40'], port: 443 },
  metrics: { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
  ingressController: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  healthCheckCidrs: [],
  hostResolvers: ['10.20.0.2'],
}

/** An empty policy set; workloads and identities are added with `withWorkload`. */
export function emptySet(cluster: Partial<ClusterContext> = {}): PolicySet {
  return {
    schema: 'phiwall.policy/v1',
    version: 1,
    generatedAt: '2025-01-01T00:00:00.000Z',
    baselineDigest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    cluster: { ...CLUSTER, ...cluster },
    workloads: [],
    identities: {},
    dns: {},
    hosts: {},
    apiCalls: {},
  }
}

export function k8s(name: string, namespace = 'clinic', labels: Record<string, string> = { 'app.kubernetes.io/name': name }): WorkloadIdentity {
  return { id: `k8s:${namespace}/${name}`, kind: 'k8s-workload', name, namespace, labels }
}

export function proc(host: string, exe: string, extra: Partial<NonNullable<WorkloadIdentity['process']>> = {}): WorkloadIdentity {
  const name = exe.split('/').pop()!
  return { id: `host:${host}:proc:0123456789abcdef:${exe}`, kind: 'process', name, process: { host, exePath: exe, exeSha256: 'ab'.repeat(32), ...extra } }
}

export function rule(peer: PolicyRule['peer'], port: number, extra: Partial<PolicyRule> = {}): PolicyRule {
  return { peer, port, protocol: 'tcp', origin: 'observed', reason: `test edge to ${peer.kind === 'identity' ? peer.id : peer.kind === 'fqdn' ? peer.fqdn : peer.cidr}:${port}`, ...extra }
}

export const to = (id: string): PolicyRule['peer'] => ({ kind: 'identity', id })
export const cidr = (c: string, scope: 'private' | 'public' | 'local' = 'private'): PolicyRule['peer'] => ({ kind: 'cidr', cidr: c, scope })
export const fqdn = (name: string): PolicyRule['peer'] => ({ kind: 'fqdn', fqdn: name })

/** Adds a workload (and its identity) to the set; returns the set. */
export function withWorkload(set: PolicySet, identity: WorkloadIdentity, policy: Partial<Omit<WorkloadPolicy, 'identity'>> = {}): PolicySet {
  set.identities[identity.id] = identity
  set.workloads.push({ identity, mode: 'enforce', holdsPhi: 'unknown', ingress: [], egress: [], withheld: [], ...policy })
  return set
}

export function withIdentity(set: PolicySet, identity: WorkloadIdentity): PolicySet {
  set.identities[identity.id] = identity
  return set
}

/** A copy of the set with workloads, rules and object keys in a different (reversed) order. */
export function reordered(set: PolicySet): PolicySet {
  const reverseKeys = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T
  const copy = JSON.parse(JSON.stringify(set)) as PolicySet
  copy.workloads = copy.workloads.reverse().map((w) => ({
    ...w,
    identity: { ...w.identity, ...(w.identity.labels ? { labels: reverseKeys(w.identity.labels) } : {}) },
    ingress: [...w.ingress].reverse(),
    egress: [...w.egress].reverse(),
    withheld: [...w.withheld].reverse(),
  }))
  copy.identities = reverseKeys(copy.identities)
  copy.dns = Object.fromEntries(Object.entries(copy.dns).reverse().map(([k, v]) => [k, [...v].reverse()]))
  copy.hosts = Object.fromEntries(Object.entries(copy.hosts).reverse().map(([k, v]) => [k, [...v].reverse()]))
  copy.apiCalls = Object.fromEntries(Object.entries(copy.apiCalls).reverse().map(([k, v]) => [k, [...v].reverse()]))
  return copy
}

// ---------------------------------------------------------------------------------------------
// External tools

export function findTool(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/bin', '/usr/local/sbin']
  for (const dir of dirs) {
    if (!dir) continue
    const p = path.join(dir, name)
    try {
      fs.accessSync(p, fs.constants.X_OK)
      return p
    } catch {
      // not here
    }
  }
  return undefined
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
export const inCI = process.env['CI'] === 'true'

/**
 * For tools CI must have (nft, ip): skip locally when missing or not root, never in CI (the
 * test then fails with `requireTool`).
 */
export function skipUnlessTool(tool: string | undefined, needsRoot = true): boolean {
  if (inCI) return false
  return tool === undefined || (needsRoot && !isRoot)
}

export function requireTool(name: string, tool: string | undefined, needsRoot = true): string {
  if (!tool) throw new Error(`${name} is not installed: CI=true requires it to validate the exported rulesets`)
  if (needsRoot && !isRoot) throw new Error(`${name} needs root to check rulesets (netlink), and CI=true requires the check`)
  return tool
}

export function run(file: string, args: string[], input?: string): { ok: boolean; output: string } {
  try {
    const out = execFileSync(file, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}), timeout: 60_000 })
    return { ok: true, output: out }
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string }
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}${err.message}` }
  }
}
