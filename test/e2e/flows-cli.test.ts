/**
 * The flows and policy commands as a user runs them: review, modes, exceptions, show, pre-canned
 * blocks, and what bad input gets (a clear error naming the file, exit 2, nothing stored lost).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = path.join(root, 'bin/phiwall.js')
const example = path.join(root, 'examples/clinic-intake/flows')

function phiwall(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: example, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-flows-cli-'))
const baseline = path.join(dir, 'baseline.json')
const DB_EDGE = 'k8s:clinic-prod/intake-worker|k8s:clinic-prod/patients-db|5432/tcp'
const HIE_EDGE = 'k8s:clinic-prod/fhir-bridge|fqdn:hie.example-health.org|443/tcp'

describe('phiwall flows / policy', () => {
  beforeAll(() => {
    const r = phiwall(['flows', 'ingest', 'hubble', '--manifests', '../k8s', '--out', baseline])
    expect(r.code, r.err).toBe(0)
  })

  it('writes the baseline readable by its owner only, and prints a summary', () => {
    expect(fs.statSync(baseline).mode & 0o777).toBe(0o600)
    const r = phiwall(['flows', 'ingest', 'hubble', '--manifests', '../k8s'])
    expect(r.out).toMatch(/1 files, 1869 lines, \d+ flows, 1 malformed/)
    expect(r.out).toMatch(/\d+ edges between \d+ identities/)
    expect(r.out).toContain('clinic-prod/intake-worker')
  })

  it('does not replace an --out baseline with an empty one when no flow file could be read', () => {
    const out = path.join(dir, 'kept.json')
    fs.copyFileSync(baseline, out)
    const before = fs.readFileSync(out, 'utf8')
    const junk = path.join(dir, 'junk.log')
    fs.writeFileSync(junk, 'not a flow log\nat all\n')
    const r = phiwall(['flows', 'ingest', junk, '--out', out])
    expect(r.code).toBe(2)
    expect(r.err).toContain('is left as it was')
    expect(fs.readFileSync(out, 'utf8')).toBe(before)
  })

  it('show lists edge keys, states, workloads, modes and learning windows', () => {
    const r = phiwall(['flows', 'show', '--baseline', baseline])
    expect(r.code).toBe(0)
    expect(r.out).toContain(DB_EDGE)
    expect(r.out).toMatch(/k8s:clinic-prod\/intake-worker\s*│\s*learn\s*│\s*7\.[0-9]\/7 days ✓/)
    const j = JSON.parse(phiwall(['flows', 'show', '--baseline', baseline, '--json']).out) as { edges: { key: string; state: string }[] }
    expect(j.edges.find((e) => e.key === DB_EDGE)!.state).toBe('observed')
  })

  it('review records who, when and why; unknown keys are refused without touching the file', () => {
    const before = fs.readFileSync(baseline, 'utf8')
    const bad = phiwall(['flows', 'review', '--baseline', baseline, '--allow', 'nope|nope|1/tcp', '--by', 'dana'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('PW_ERR_UNKNOWN_EDGE')
    expect(fs.readFileSync(baseline, 'utf8')).toBe(before)
    const r = phiwall(['flows', 'review', '--baseline', baseline, '--deny', HIE_EDGE, '--by', 'dana@clinic.example', '--reason', 'no BAA yet'])
    expect(r.code, r.err).toBe(0)
    const b = JSON.parse(fs.readFileSync(baseline, 'utf8')) as { edges: { key: string; state: string; review?: { by: string; reason: string; at: string } }[] }
    expect(b.edges.find((e) => e.key === HIE_EDGE)).toMatchObject({ state: 'denied', review: { by: 'dana@clinic.example', reason: 'no BAA yet' } })
    expect(phiwall(['flows', 'review', '--baseline', baseline, '--snooze', DB_EDGE, '--by', 'x']).code).toBe(2) // snooze needs --until
  })

  it('modes and exceptions are recorded per workload', () => {
    expect(phiwall(['flows', 'mode', '--baseline', baseline, '--workload', 'k8s:clinic-prod/patients-db', '--mode', 'enforce', '--by', 'dana']).code).toBe(0)
    expect(phiwall(['flows', 'mode', '--baseline', baseline, '--workload', 'k8s:nope/x', '--mode', 'enforce', '--by', 'dana']).code).toBe(2)
    expect(phiwall(['flows', 'mode', '--baseline', baseline, '--workload', 'all', '--mode', 'loud', '--by', 'dana']).code).toBe(2)
    const until = new Date(Date.now() + 200 * 24 * 3600 * 1000).toISOString()
    const ex = phiwall(['flows', 'exception', '--baseline', baseline, '--workload', 'k8s:clinic-prod/fhir-bridge', '--to', 'hie.example-health.org', '--port', '443', '--by', 'po', '--reason', 'BAA 2025-114', '--expires', until])
    expect(ex.code, ex.err).toBe(0)
    // the rules the server applies: a readable reason, narrower than the internet, ending within a year
    const refused = (args: string[]) => phiwall(['flows', 'exception', '--baseline', baseline, '--workload', 'k8s:clinic-prod/fhir-bridge', '--by', 'po', ...args])
    expect(refused(['--to', 'hie.example-health.org', '--reason', 'ok']).err).toMatch(/at least 10 characters/)
    expect(refused(['--to', 'cidr:0.0.0.0/0', '--reason', 'BAA 2025-114 covers it']).err).toMatch(/0\.0\.0\.0\/0 is the whole internet/)
    expect(refused(['--to', 'hie.example-health.org', '--reason', 'BAA 2025-114 covers it', '--expires', new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString()]).err).toMatch(/at most one year ahead/)
    expect(refused(['--to', 'hie.example-health.org', '--reason', 'ok']).code).toBe(2)
    // a bare address would match no edge (external peers are FQDNs or CIDR buckets): refused with the bucket to use
    const bare = refused(['--to', '198.51.100.9', '--reason', 'BAA 2025-114 covers it'])
    expect(bare.code).toBe(2)
    expect(bare.err).toContain('cidr:198.51.100.0/24')
    const b = JSON.parse(fs.readFileSync(baseline, 'utf8')) as { workloads: Record<string, { mode: string; exceptions?: { to: unknown; by: string; expires: string }[] }> }
    expect(b.workloads['k8s:clinic-prod/patients-db']!.mode).toBe('enforce')
    // a learning window per workload: set, shown, and back to the default with 0
    const longer = phiwall(['flows', 'mode', '--baseline', baseline, '--workload', 'k8s:clinic-prod/intake-worker', '--learning-days', '30', '--by', 'dana'])
    expect(longer.code, longer.err).toBe(0)
    expect(longer.out).toMatch(/^k8s:clinic-prod\/intake-worker: \w+, learning window 30 days \([\d.]+ observed\) \(by dana\)$/m)
    const w = (JSON.parse(fs.readFileSync(baseline, 'utf8')) as { workloads: Record<string, { learningDays?: number; changedBy?: string }> }).workloads['k8s:clinic-prod/intake-worker']!
    expect(w).toMatchObject({ learningDays: 30, changedBy: 'dana' })
    expect(phiwall(['flows', 'show', '--baseline', baseline]).out).toMatch(/intake-worker.*30/)
    expect(phiwall(['flows', 'mode', '--baseline', baseline, '--workload', 'k8s:clinic-prod/intake-worker', '--learning-days', '0', '--by', 'dana']).out).toMatch(/learning window 7 days/)
    expect(phiwall(['flows', 'mode', '--baseline', baseline, '--workload', 'k8s:clinic-prod/intake-worker', '--by', 'dana']).code).toBe(2) // neither --mode nor --learning-days
    expect(b.workloads['k8s:clinic-prod/fhir-bridge']!.exceptions).toEqual([expect.objectContaining({ to: { kind: 'fqdn', fqdn: 'hie.example-health.org' }, by: 'po', expires: until })])
  })

  it('policy generate honours reviews; pre-canned blocks are listed and applied', () => {
    const out = path.join(dir, 'p')
    const r = phiwall(['policy', 'generate', '--baseline', baseline, '--manifests', '../k8s', '--precanned', 'postgresql=k8s:clinic-prod/patients-db', '--format', 'networkpolicy', '--out', out])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/withheld .*hie\.example-health\.org 443\/tcp: denied by dana@clinic\.example: no BAA yet/)
    const db = fs.readFileSync(path.join(out, 'clinic-prod/patients-db.networkpolicy.yaml'), 'utf8')
    expect(db).toContain('phiwall.io/mode: enforce')
    expect(db).toContain('port: 5432')
    expect(phiwall(['policy', 'precanned']).out).toMatch(/^postgresql\s+TARGET accepts TCP 5432/m)
    const bad = phiwall(['policy', 'generate', '--baseline', baseline, '--precanned', 'kafka=x', '--out', out])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('unknown pre-canned block "kafka"')
  })

  it('bad input: a clear error naming the file, exit 2', () => {
    const broken = path.join(dir, 'broken.json')
    fs.writeFileSync(broken, JSON.stringify({ schema: 'phiwall.baseline/v1', edges: 'x' }))
    const r = phiwall(['policy', 'generate', '--baseline', broken, '--out', path.join(dir, 'q')])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/broken\.json: .* \[PW_ERR_BASELINE_INVALID\]/)
    const cluster = path.join(dir, 'cluster.yaml')
    fs.writeFileSync(cluster, 'dns: { namespace: 7 }\nbogus: 1\n')
    const c = phiwall(['policy', 'generate', '--baseline', baseline, '--cluster', cluster, '--out', path.join(dir, 'q')])
    expect(c.code).toBe(2)
    expect(c.err).toContain('PW_ERR_CLUSTER_CONTEXT')
    const sim = phiwall(['policy', 'simulate', '--policy', dir, '--flows', 'hubble'])
    expect(sim.code).toBe(2)
    expect(sim.err).toContain('PW_ERR_POLICY_INVALID')
    const fmt = phiwall(['flows', 'ingest', '../template.yaml'])
    expect(fmt.code).toBe(2)
    expect(fmt.err).toContain('PW_ERR_FLOW_FORMAT')
    const book = path.join(dir, 'book.csv')
    fs.writeFileSync(book, 'address,workload\n10.0.0.1,db\nnot-an-address-line\n')
    const ab = phiwall(['flows', 'ingest', 'agent', '--addresses', book])
    expect(ab.code).toBe(2)
    expect(ab.err).toMatch(/PW_ERR_ADDRESS_BOOK .*book\.csv:3/)
  })
})

describe('phiwall flows watch', () => {
  const agentBaseline = path.join(dir, 'agent-baseline.json')
  const rogue = JSON.stringify({ schema: 'phiwall.agent/v1', kind: 'connection', host: 'hl7-engine', hostAddresses: ['10.40.1.10'], protocol: 'tcp', direction: 'outbound', local: { ip: '10.40.1.10', port: 0 }, remote: { ip: '198.51.100.99', port: 4444 }, process: { pid: 999, exePath: '/tmp/.x/miner', exeSha256: 'f'.repeat(64), uid: 1001 }, source: 'procfs', firstSeen: 1796600000000, lastSeen: 1796600001000, count: 3 })

  beforeAll(() => {
    expect(phiwall(['flows', 'ingest', 'agent', '--out', agentBaseline]).code).toBe(0)
  })

  it('alerts on deviations read from standard input (phiwall agent --out - | phiwall flows watch -)', () => {
    const r = spawnSync(process.execPath, [bin, 'flows', 'watch', '--baseline', agentBaseline, '--format', 'agent', '--json'], { cwd: example, encoding: 'utf8', input: `${rogue}\n${rogue}\n` })
    expect(r.status).toBe(1)
    const alerts = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; key: string })
    // one alert per deviation, not one per record
    expect(alerts.map((a) => a.type).sort()).toEqual(['new-external-destination', 'unknown-binary'])
    expect(alerts[0]!.key).toContain('/tmp/.x/miner')
  })

  it('a binary in a CI fingerprint manifest is not unknown (check and watch, --fingerprints); a bad manifest is a usage error naming it', () => {
    const rogueFile = path.join(dir, 'rogue.ndjson')
    fs.writeFileSync(rogueFile, `${rogue}\n`)
    const manifest = path.join(dir, 'build-manifest.json')
    fs.writeFileSync(manifest, JSON.stringify({ manifest: { name: 'miner-build', commit: 'abc123', artifacts: [{ path: '/tmp/.x/miner', sha256: 'F'.repeat(64), size: 1024 }] } }))
    const types = (r: { out: string }) => (JSON.parse(r.out).deviations as { type: string }[]).map((d) => d.type).sort()
    expect(types(phiwall(['flows', 'check', rogueFile, '--baseline', agentBaseline, '--json']))).toEqual(['new-external-destination', 'unknown-binary'])
    expect(types(phiwall(['flows', 'check', rogueFile, '--baseline', agentBaseline, '--fingerprints', manifest, '--json']))).toEqual(['new-external-destination'])
    const w = spawnSync(process.execPath, [bin, 'flows', 'watch', '--baseline', agentBaseline, '--format', 'agent', '--fingerprints', manifest, '--json'], { cwd: example, encoding: 'utf8', input: `${rogue}\n` })
    expect(w.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['new-external-destination'])
    fs.writeFileSync(manifest, JSON.stringify({ artifacts: [{ path: '/x', sha256: 'not-a-hash' }] }))
    const bad = phiwall(['flows', 'check', rogueFile, '--baseline', agentBaseline, '--fingerprints', manifest])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/build-manifest\.json is not a fingerprint manifest: artifacts\.0\.sha256: a SHA-256 in hex/)
  })

  it('follows a growing file and alerts as lines arrive', async () => {
    const live = path.join(dir, 'live.ndjson')
    fs.writeFileSync(live, fs.readFileSync(path.join(example, 'agent/lab-gateway.ndjson'), 'utf8').split('\n').slice(0, 3).join('\n') + '\n')
    const { spawn } = await import('node:child_process')
    const child = spawn(process.execPath, [bin, 'flows', 'watch', live, '--baseline', agentBaseline, '--json'], { cwd: example })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise((r) => setTimeout(r, 1500))
    expect(out).toBe('') // the learned traffic raises nothing
    fs.appendFileSync(live, rogue + '\n')
    for (let i = 0; i < 40 && !out.includes('unknown-binary'); i++) await new Promise((r) => setTimeout(r, 100))
    child.kill('SIGTERM')
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(out).toContain('"type":"unknown-binary"')
    expect(code).toBe(1)
  })
})
