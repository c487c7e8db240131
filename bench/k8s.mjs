#!/usr/bin/env node
// Kubernetes scan benchmark (`npm run bench`, or `node bench/k8s.mjs`; build first:
// `npm run build`). Target from the containers issue, checked here:
//   · 5,000 manifests (about 20,000 objects) scanned in under 3 s — `phiwall scan DIR` (its terminal
//     summary) as a separate process: process start, reading, inventory and edges, every check, the
//     control roll-up and the summary. The same scan writing the full JSON report (~100 MB: every
//     pass and fail result of ~190,000) is measured and printed beside it, not held to the target;
//   · linear growth: the marginal cost per object from 2,000 to 20,000 objects is at most 1.5× the
//     average cost per object at 2,000.
// Baselines measured in the same run, printed as ratios: `node -e ''` (process start) and reading +
// js-yaml loadAll of the same files in one process (the I/O + YAML parse floor).
//
// The manifests are generated (seeded, deterministic) in the shapes real repositories hold: per
// file a Deployment / StatefulSet / CronJob with one or two containers, probes, resources and
// environment (some naming other Services), its Service, a ConfigMap or ServiceAccount, an
// autoscaler for Deployments, and now and then a NetworkPolicy, Role and RoleBinding — 120
// namespaces across prod / staging / dev.
// Options: --record (write bench/RESULTS-k8s.md). Env: BENCH_RUNS (default 5).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { measure } from './lib/measure.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(here, '..')
process.chdir(ROOT)
const RECORD = process.argv.includes('--record')
const RUNS = process.env.BENCH_RUNS && /^\d+$/.test(process.env.BENCH_RUNS) ? Number(process.env.BENCH_RUNS) : 5
const TARGET = { wallMs: 3000, linearity: 1.5 }
const TMP = path.join(ROOT, '.bench-tmp')
if (!fs.existsSync('dist/bundle/main.cjs')) {
  console.log('FAIL: dist/ is missing. Build first: npm run build')
  process.exit(2)
}

/** Deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ENVS = ['prod', 'staging', 'dev']
const APPS = ['intake', 'scheduling', 'billing', 'labs', 'imaging', 'pharmacy', 'portal', 'claims', 'ehr-sync', 'notifications']

/** One manifest file: a workload, its Service and a ConfigMap or ServiceAccount (about 4 objects with the namespace's share). */
function manifest(i, rand) {
  const ns = `${APPS[i % APPS.length]}-${ENVS[Math.floor(i / APPS.length) % ENVS.length]}-${Math.floor(i / 30) % 4}`
  const name = `svc-${i}`
  const kind = rand() < 0.7 ? 'Deployment' : rand() < 0.6 ? 'StatefulSet' : 'CronJob'
  const peer = `svc-${Math.max(0, i - 1 - Math.floor(rand() * 5))}`
  const hardened = rand() < 0.6
  const container = (n, image) => `        - name: ${n}
          image: ghcr.io/clinic/${image}:${1 + (i % 7)}.${i % 13}.${i % 5}${rand() < 0.5 ? `@sha256:${(i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8)}` : ''}
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: UPSTREAM_ADDR
              value: "${peer}:80"
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: { name: ${name}-db, key: password }
${hardened ? `          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            capabilities: { drop: ["ALL"] }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          livenessProbe: { httpGet: { path: /healthz, port: http } }
          readinessProbe: { httpGet: { path: /ready, port: http } }
` : `          resources:
            requests: { cpu: 100m }
`}`
  const containers = container('app', `${APPS[i % APPS.length]}-${i % 40}`) + (rand() < 0.3 ? container('sidecar', 'envoy-proxy') : '')
  const podSpec = (indent) =>
    `${indent}serviceAccountName: ${name}
${indent}automountServiceAccountToken: ${hardened}
${indent}containers:
${containers.replace(/^ {8}/gm, indent)}`
  const labels = `app.kubernetes.io/name: ${name}\n        app.kubernetes.io/part-of: ${APPS[i % APPS.length]}`
  let workload
  if (kind === 'CronJob') {
    workload = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  schedule: "15 ${i % 24} * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels:
            app.kubernetes.io/name: ${name}
        spec:
          restartPolicy: OnFailure
${podSpec('          ')}`
  } else {
    workload = `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${name}
spec:
  replicas: ${1 + (i % 3)}
${kind === 'StatefulSet' ? `  serviceName: ${name}\n` : ''}  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  template:
    metadata:
      labels:
        ${labels}
    spec:
${podSpec('      ')}`
  }
  const service = `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  ${rand() < 0.05 ? 'type: LoadBalancer\n  ' : ''}selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http`
  const extra =
    rand() < 0.5
      ? `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${ns}
data:
  FEATURE_FLAGS: "intake-v2,reminders"
  REGION: us-east-1`
      : `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${ns}
automountServiceAccountToken: false`
  const docs = [workload, service, extra]
  // Deployments scale with a HorizontalPodAutoscaler
  if (kind === 'Deployment') {
    docs.push(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: { type: Utilization, averageUtilization: 70 }`)
  }
  // one file in eight also carries its namespace's policy and RBAC
  if (i % 8 === 0) {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-${i}
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: ["Ingress", "Egress"]`)
    docs.push(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader-${i}
  namespace: ${ns}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list"]`)
    docs.push(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader-${i}
  namespace: ${ns}
subjects:
  - kind: ServiceAccount
    name: ${name}
    namespace: ${ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader-${i}`)
  }
  return docs.join('\n---\n') + '\n'
}

/** Write `files` manifests under .bench-tmp/k8s-<files>; returns { dir, objects, bytes }. */
function generate(files) {
  const dir = path.join(TMP, `k8s-${files}`)
  const stamp = path.join(dir, '.complete-v2')
  if (fs.existsSync(stamp)) return JSON.parse(fs.readFileSync(stamp, 'utf8'))
  fs.rmSync(dir, { recursive: true, force: true })
  const rand = rng(20261207)
  let objects = 0
  let bytes = 0
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `team-${i % 25}`)
    fs.mkdirSync(sub, { recursive: true })
    const text = manifest(i, rand)
    objects += text.split('\n---\n').length
    bytes += text.length
    fs.writeFileSync(path.join(sub, `svc-${i}.yaml`), text)
  }
  const info = { dir, objects, bytes, files }
  fs.writeFileSync(stamp, JSON.stringify(info))
  return info
}

const out = []
const say = (s = '') => {
  out.push(s)
  process.stdout.write(`${s}\n`)
}
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)

const small = generate(500)
const large = generate(5000)
const parseScript = path.join(TMP, 'k8s-parse-floor.mjs')
fs.writeFileSync(
  parseScript,
  `import fs from 'node:fs'; import path from 'node:path'; import yaml from ${JSON.stringify(path.join(ROOT, 'node_modules/js-yaml/index.js'))}
let n = 0
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (e.name.endsWith('.yaml')) n += yaml.loadAll(fs.readFileSync(p, 'utf8')).length } }
walk(process.argv[2]); if (n === 0) process.exit(3)\n`,
)
const scanArgs = (dir) => ['bin/phiwall.js', 'scan', dir, '--format', 'json', '--fail-on', 'none', '--no-progress', '--no-vulns']
// what a user runs: `phiwall scan DIR` with its terminal summary (resources by kind, findings by severity, the control table, top failures)
const scanTerminalArgs = (dir) => ['bin/phiwall.js', 'scan', dir, '--fail-on', 'none', '--no-progress', '--no-vulns']

// verify what one run judges: every file read, every object a resource, checks ran
{
  const report = path.join(os.tmpdir(), `phiwall-k8s-bench-${process.pid}.json`)
  const { execFileSync } = await import('node:child_process')
  execFileSync(process.execPath, [...scanArgs(large.dir), '--out', path.dirname(report)], { stdio: 'ignore' })
  const r = JSON.parse(fs.readFileSync(path.join(path.dirname(report), 'phiwall-report.json'), 'utf8'))
  fs.rmSync(path.join(path.dirname(report), 'phiwall-report.json'), { force: true })
  const k8s = r.resources.filter((x) => x.provider === 'kubernetes' && x.kind !== 'phiwall:stack').length
  const failing = r.findings.filter((f) => f.status === 'fail').length
  say(`verified: ${r.files.length} files read (${r.files.filter((f) => f.status !== 'ok').length} not ok), ${k8s} Kubernetes objects (${large.objects} written), ${r.edges.length} edges, ${r.findings.length} check results (${failing} failing), ${r.checks.length} checks`)
  if (r.files.length !== large.files || k8s !== large.objects) {
    say('FAIL: the scan did not read every file and object')
    process.exit(1)
  }
}

const nodeStart = await measure(['-e', ''], { runs: RUNS })
const floorSmall = await measure([parseScript, small.dir], { runs: RUNS })
const floorLarge = await measure([parseScript, large.dir], { runs: RUNS })
const scanSmall = await measure(scanTerminalArgs(small.dir), { runs: RUNS })
const scanLarge = await measure(scanTerminalArgs(large.dir), { runs: RUNS })
const jsonLarge = await measure(scanArgs(large.dir), { runs: RUNS })
for (const m of [scanSmall, scanLarge, jsonLarge, floorSmall, floorLarge]) if (m.failures.length) {
  say(`FAIL: a run failed: ${JSON.stringify(m.failures[0]).slice(0, 500)}`)
  process.exit(1)
}

const perObjSmall = (scanSmall.median - nodeStart.median) / small.objects
const marginal = (scanLarge.median - scanSmall.median) / (large.objects - small.objects)
const linearity = marginal / perObjSmall
const rows = [
  ['process start (`node -e \'\'`)', fmt(nodeStart.median), ''],
  [`read + YAML parse floor, ${small.files} files / ${small.objects} objects`, fmt(floorSmall.median), ''],
  [`read + YAML parse floor, ${large.files} files / ${large.objects} objects`, fmt(floorLarge.median), ''],
  [`phiwall scan, ${small.files} files / ${small.objects} objects`, fmt(scanSmall.median), `${(scanSmall.median / floorSmall.median).toFixed(1)}× the parse floor`],
  [`phiwall scan, ${large.files} files / ${large.objects} objects`, fmt(scanLarge.median), `${(scanLarge.median / floorLarge.median).toFixed(1)}× the parse floor; peak RSS ${scanLarge.rssMB?.toFixed(0) ?? '?'} MB`],
  [`phiwall scan --format json (the full JSON report on stdout), ${large.files} files`, fmt(jsonLarge.median), `${(jsonLarge.median / floorLarge.median).toFixed(1)}× the parse floor; peak RSS ${jsonLarge.rssMB?.toFixed(0) ?? '?'} MB`],
]
say('')
say(`Kubernetes scan benchmark — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, median of ${RUNS} runs`)
say('')
say('| measurement | median | ratio |')
say('|---|---|---|')
for (const r of rows) say(`| ${r.join(' | ')} |`)
say('')
const checks = [
  [`5,000 manifests (${large.objects} objects) < ${TARGET.wallMs / 1000} s`, scanLarge.median < TARGET.wallMs, fmt(scanLarge.median)],
  [`linear: marginal cost per object ≤ ${TARGET.linearity}× the average at ${small.objects}`, linearity <= TARGET.linearity, `${linearity.toFixed(2)}× (${(marginal * 1000).toFixed(1)} µs vs ${(perObjSmall * 1000).toFixed(1)} µs per object)`],
]
let failed = false
for (const [what, ok, fig] of checks) {
  say(`${ok ? 'PASS' : 'FAIL'}  ${what}: ${fig}`)
  if (!ok) failed = true
}
if (RECORD) {
  fs.writeFileSync(path.join(here, 'RESULTS-k8s.md'), `# Kubernetes scan benchmark\n\nCommand: \`node bench/k8s.mjs --record\` (part of \`npm run bench\`), after \`npm run build\`.\n\n${out.join('\n')}\n`)
}
process.exit(failed ? 1 : 0)
