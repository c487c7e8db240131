import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import yaml from 'js-yaml'
import { BASELINE_SCHEMA, DEFAULT_LEARNING_DAYS, type Baseline, type FlowSourceKind } from '../../flows/index.js'
import { PhiwallError } from '../../model/index.js'
import {
  PRECANNED_BLOCKS,
  PolicySimulator,
  clusterContextSchema,
  exportPolicy,
  generatePolicy,
  parsePolicySet,
  parsePrecanned,
  type ClusterContext,
  type ExportFormat,
  type PolicySet,
  type PrecannedApplication,
} from '../../policy/index.js'
import { loadFlowInventory, loadInventoryFiles, replayFlows } from '../../scan/index.js'
import { writePrivateJson } from '../../sources/index.js'
import { EXIT } from '../main.js'
import { describePeer, loadBaseline, parseFlowFormat, reportIngest } from './flows.js'
import { commaList } from './options.js'

const EXPORT_FORMATS: ExportFormat[] = ['networkpolicy', 'cilium', 'nftables', 'aws-sg', 'iam']

function parseFormats(v: string, prev: ExportFormat[] = []): ExportFormat[] {
  const out = [...prev]
  for (const f of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (f !== 'json' && !(EXPORT_FORMATS as string[]).includes(f)) throw new InvalidArgumentError(`expected ${EXPORT_FORMATS.join(', ')} (comma-separated)`)
    if (f !== 'json') out.push(f as ExportFormat)
  }
  return out
}

function collectPrecanned(v: string, prev: PrecannedApplication[] = []): PrecannedApplication[] {
  try {
    return [...prev, parsePrecanned(v)]
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message)
  }
}

/** Read a cluster context file (YAML or JSON). */
export function loadClusterContext(file: string): Partial<ClusterContext> {
  let raw: unknown
  try {
    raw = yaml.load(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new PhiwallError('PW_ERR_CLUSTER_CONTEXT', `${file}: ${(err as Error).message.split('\n')[0]}`)
  }
  const r = clusterContextSchema.safeParse(raw ?? {})
  if (!r.success) {
    const issue = r.error.issues[0]!
    throw new PhiwallError('PW_ERR_CLUSTER_CONTEXT', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return r.data as Partial<ClusterContext>
}

/** Read policy.json from a directory written by `policy generate`, or the file itself. */
export function loadPolicySet(p: string): PolicySet {
  let file = p
  try {
    if (fs.statSync(p).isDirectory()) file = path.join(p, 'policy.json')
  } catch {
    throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `Path ${p} does not exist.`)
  }
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw new PhiwallError('PW_ERR_POLICY_INVALID', `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); a policy directory holds policy.json.`)
  }
  const r = parsePolicySet(text)
  if (!r.ok) throw new PhiwallError('PW_ERR_POLICY_INVALID', `${file}: ${r.error}`)
  return r.policy
}

/** Write an export's files under `out`, refusing paths that would escape it. */
function writeExport(out: string, files: { path: string; content: string }[]): void {
  const root = path.resolve(out)
  for (const f of files) {
    const target = path.resolve(root, f.path)
    if (!target.startsWith(root + path.sep)) throw new PhiwallError('PW_ERR_OUTPUT_UNWRITABLE', `Refusing to write outside ${out}: ${f.path}`)
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.writeFileSync(target, f.content)
    } catch (err) {
      throw new PhiwallError('PW_ERR_OUTPUT_UNWRITABLE', `Cannot write ${target} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
    }
  }
}

/** `phiwall policy …`: generate least-privilege policy from a baseline, export it, simulate it. */
export function registerPolicyCommand(program: Command, setExit: (code: number) => void): void {
  const policy = program.command('policy').description('generate least-privilege, identity-based policy from a baseline; export it to Kubernetes, Cilium, nftables, AWS; simulate it')

  policy
    .command('generate')
    .description('generate policy from a baseline and export it: one file per workload (or one ruleset per host), plus policy.json')
    .requiredOption('--baseline <file>', 'the baseline (phiwall flows ingest --out)')
    .option('--manifests <paths>', 'infrastructure code: identities, labels, PHI state and declared, Ingress-routed workloads (comma-separated)', commaList)
    .option('--inventory <files>', 'instead of (or with) --manifests: the JSON of `phiwall inventory --format json` or of `phiwall scan --format json` (comma-separated)', commaList)
    .option('--format <formats>', `${EXPORT_FORMATS.join(', ')} (comma-separated; policy.json is always written)`, parseFormats)
    .requiredOption('--out <dir>', 'output directory')
    .option('--cluster <file>', 'cluster context (YAML/JSON): DNS resolver, API server, metrics scraper, ingress controller, health-check ranges, host resolvers')
    .option('--precanned <block=target>', `apply a building block (repeatable): ${Object.keys(PRECANNED_BLOCKS).join(', ')}`, collectPrecanned)
    .option('--mode <mode>', 'mode for workloads still learning: alert (default) or enforce')
    .option('--include-platform', 'also generate policy for the platform’s own workloads (cluster DNS, metrics scraper, ingress controller namespaces)')
    .option('--nft-match <how>', 'nftables process match: uid, cgroup or both (default uid)')
    .action(async (f: { baseline: string; manifests?: string[]; inventory?: string[]; format?: ExportFormat[]; out: string; cluster?: string; precanned?: PrecannedApplication[]; mode?: string; nftMatch?: string; includePlatform?: boolean }) => {
      if (f.mode && f.mode !== 'alert' && f.mode !== 'enforce') throw new PhiwallError('PW_ERR_USAGE', '--mode must be alert or enforce.')
      if (f.nftMatch && !['uid', 'cgroup', 'both'].includes(f.nftMatch)) throw new PhiwallError('PW_ERR_USAGE', '--nft-match must be uid, cgroup or both.')
      const baseline = loadBaseline(f.baseline)
      const cluster = f.cluster ? loadClusterContext(f.cluster) : undefined
      let ingressRouted: { to: string; port: number; evidence: string }[] | undefined
      const inventories = [...(f.manifests?.length ? [await loadFlowInventory(f.manifests)] : []), ...(f.inventory?.length ? [await loadInventoryFiles(f.inventory)] : [])]
      for (const inv of inventories) {
        for (const d of inv.diagnostics) process.stderr.write(`${d.code}  ${d.message}\n`)
        ingressRouted = [...(ingressRouted ?? []), ...inv.inventory.ingressRouted]
        // labels and PHI state from the manifests or inventory refine the baseline's identities
        for (const i of inv.inventory.identities) if (baseline.identities[i.id]) baseline.identities[i.id] = { ...baseline.identities[i.id]!, ...i }
      }
      let set: PolicySet
      try {
        set = generatePolicy(baseline, {
          ...(cluster ? { cluster } : {}),
          ...(f.precanned ? { precanned: f.precanned } : {}),
          ...(f.mode ? { defaultMode: f.mode as 'alert' | 'enforce' } : {}),
          ...(ingressRouted ? { ingressRouted } : {}),
          ...(f.includePlatform ? { includePlatform: true } : {}),
          hosts: baseline.hosts ?? {},
          apiCalls: baseline.apiCalls ?? {},
        })
      } catch (err) {
        throw new PhiwallError('PW_ERR_USAGE', (err as Error).message)
      }
      fs.mkdirSync(f.out, { recursive: true })
      writePrivateJson(path.join(f.out, 'policy.json'), set)
      const rules = set.workloads.reduce((n, w) => n + w.ingress.length + w.egress.length, 0)
      const withheld = set.workloads.reduce((n, w) => n + w.withheld.length, 0)
      process.stdout.write(`policy v${set.version}: ${set.workloads.length} workloads, ${rules} rules, ${withheld} withheld → ${path.join(f.out, 'policy.json')}\n`)
      for (const w of set.workloads) for (const x of w.withheld) process.stdout.write(`  withheld  ${w.identity.id} ↔ ${describePeer(x.peer, set)} ${x.port}/${x.protocol}: ${x.reason}\n`)
      for (const format of f.format ?? []) {
        const r = await exportPolicy(set, format, format === 'nftables' && f.nftMatch ? { match: f.nftMatch } : undefined)
        writeExport(f.out, r.files)
        process.stdout.write(`${format}: ${r.files.length} files\n`)
        for (const n of r.notes) process.stdout.write(`  note  ${n.workload}: ${n.message}\n`)
      }
    })

  policy
    .command('simulate')
    .description('replay recorded flows against a candidate policy: what would have been dropped, per workload')
    .requiredOption('--policy <dir>', 'a directory written by policy generate, or its policy.json')
    .requiredOption('--flows <files...>', 'flow files or directories')
    .option('--format <format>', 'vpc, hubble or agent', parseFlowFormat)
    .option('--baseline <file>', 'baseline whose identities, DNS knowledge and address book resolve the flows (default: those recorded in policy.json)')
    .option('--manifests <paths>', 'infrastructure code naming the workloads', commaList)
    .option('--addresses <files>', 'address books', commaList)
    .option('--as-enforced', 'judge every workload as if in enforce mode: what moving an alert-mode policy to enforce would drop')
    .option('--json', 'JSON result')
    .action(async (f: { policy: string; flows: string[]; format?: FlowSourceKind; baseline?: string; manifests?: string[]; addresses?: string[]; asEnforced?: boolean; json?: boolean }) => {
      const set = loadPolicySet(f.policy)
      const sim = new PolicySimulator(set, { asEnforced: f.asEnforced === true })
      // without --baseline, the policy's own record of it resolves the flows: its identities, DNS
      // knowledge, hosts and the address book the baseline was learned with
      const previous = f.baseline ? loadBaseline(f.baseline) : resolutionOf(set)
      const r = await replayFlows(f.flows, (flow) => sim.observe(flow), { ...(previous ? { previous } : {}), ...(f.format ? { format: f.format } : {}), ...(f.manifests ? { manifests: f.manifests } : {}), ...(f.addresses ? { addresses: f.addresses } : {}) })
      if (reportIngest(r.stats, r.diagnostics)) setExit(EXIT.ERROR)
      const res = sim.done()
      if (f.json) process.stdout.write(JSON.stringify(res, null, 2) + '\n')
      else {
        process.stdout.write(`${res.flows} flows: ${res.allowed} allowed, ${res.dropped} would be dropped, ${res.alerted} would alert, ${res.uncovered} not covered by any workload policy\n`)
        for (const w of res.byWorkload) {
          process.stdout.write(`${w.workload} (${w.mode}${f.asEnforced && w.mode !== 'enforce' ? ', judged as enforce' : ''}):\n`)
          for (const d of w.drops) process.stdout.write(`  ${d.effect === 'drop' ? 'DROP ' : 'ALERT'} ${d.direction.padEnd(7)} ${describePeer(d.from, set)} → ${describePeer(d.to, set)} ${d.port}/${d.protocol}  ${d.count}×\n`)
        }
      }
      if (res.dropped > 0) setExit(EXIT.FINDINGS)
    })

  policy
    .command('precanned')
    .description('list the pre-canned building blocks')
    .action(() => {
      for (const [k, v] of Object.entries(PRECANNED_BLOCKS)) process.stdout.write(`${k.padEnd(14)} ${v}\n`)
    })
}

/** A baseline holding only what a policy set recorded of its own to resolve flows (no edges, no settings). */
function resolutionOf(set: PolicySet): Baseline {
  return {
    schema: BASELINE_SCHEMA,
    generatedAt: set.generatedAt,
    observed: { from: 0, to: 0 },
    learningDays: DEFAULT_LEARNING_DAYS,
    graceMs: 0,
    identities: set.identities,
    edges: [],
    workloads: {},
    dns: set.dns,
    hosts: set.hosts,
    ...(set.addresses?.length ? { addresses: set.addresses } : {}),
    ingest: [],
  }
}
