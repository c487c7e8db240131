import type { Edge, Environment, Evidence, Inventory, Resource } from '../model/index.js'
import { pushAll } from '../model/index.js'
import type { SourceDocument } from '../sources/index.js'
import { kindOf, physicalName, STACK_TYPE } from './kinds.js'
import type { RefIndex } from './refs.js'
import { buildEdges, isDataType, isWorkloadType } from './relations.js'
import { applyNamespaceContext, isDataStoreWorkload, kubernetesEdges } from './k8s/relations.js'
import { composeEdges } from './compose/relations.js'
import { environmentFromName, environmentFromTags, environmentFromWord, ownerFromTags, phiFromTags, tagsOf } from './tags.js'

/** Options of {@link buildInventory}. */
export interface InventoryOptions {
  /** Account id → environment, for live snapshots (`--account-env 123456789012=prod`). */
  accountEnvironments?: Record<string, Environment>
  /** What PHI scans of samples taken from resources found (`phiwall scan --phi-sample NAME=PATH`). */
  phiEvidence?: PhiSampleEvidence[]
}

/** A PHI scan of samples taken from one resource (a bucket's objects, a table export, a log group's events). */
export interface PhiSampleEvidence {
  /** The resource: its name, physical id, logical id / Terraform address / serverless key, or ARN. */
  target: string
  /** Where the samples were read (a path), for the evidence. */
  source: string
  filesScanned: number
  /** Files that hold PHI: identifiers together with health information. */
  filesWithPhi: number
  /** Identifiers found in the files that hold PHI, by type. */
  types: Record<string, number>
}

/** Resources a sample target names: by name, physical id, source id or ARN (data stores and workloads). */
export function resourcesNamed(resources: readonly Resource[], target: string): Resource[] {
  return resources.filter(
    (r) =>
      r.type !== STACK_TYPE &&
      // a Kubernetes Service, Ingress or policy shares its workload's name but holds no data
      (!r.type.startsWith('K8s::') || isWorkloadType(r.type) || isDataType(r.type)) &&
      (r.name === target || r.sourceId === target || r.physicalId === target || r.arn === target),
  )
}

/**
 * Scan evidence: samples that hold PHI make the resource `holdsPhi: yes` — evidence beats a tag
 * that says otherwise (the mismatch is a finding of `aws/phi-classification-evidence`); samples
 * without PHI are recorded but prove nothing, so the state stays as declared or unknown.
 */
function applyPhiEvidence(resources: Resource[], evidence: readonly PhiSampleEvidence[]): void {
  for (const e of evidence) {
    const found = e.filesWithPhi > 0
    const types = Object.entries(e.types)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')
    const detail = found ? `samples at ${e.source}: ${e.filesWithPhi} of ${e.filesScanned} files hold PHI (${types})` : e.filesScanned === 0 ? `samples at ${e.source}: no file could be scanned (no evidence either way)` : `samples at ${e.source}: none of ${e.filesScanned} files hold PHI`
    for (const r of resourcesNamed(resources, e.target)) {
      r.evidence.phi.push({ source: 'scan', detail, found })
      if (found) r.holdsPhi = 'yes'
    }
  }
}

/** Stable id of a resource: `<kind>:<scope>#<sourceId>`. */
export function resourceId(kind: string, scope: string, sourceId: string): string {
  return `${kind}:${scope}#${sourceId}`
}

/**
 * Builds the inventory from what the sources read: one {@link Resource} per declared or live
 * resource, with stable id, kind, environment, owner and PHI classification (with evidence),
 * and the declared edges between them (API → function, event source → function, function →
 * table / bucket / queue from IAM statements and environment references, function → VPC).
 */
export function buildInventory(documents: SourceDocument[], options: InventoryOptions = {}): Inventory {
  const resources: Resource[] = []
  for (const doc of documents) {
    const docEnv = documentEnvironment(doc)
    for (const s of doc.resources) {
      const kind = kindOf(s.type)
      const scope = s.account ? `${s.account}/${s.region ?? 'global'}` : doc.file
      const own = s.type.startsWith('Docker::') ? dockerLabels(s.type, s.properties) : tagsOf(s.properties)
      // the resource's own tags are a fresh object: copied only to put the document's tags first
      const tags = doc.context.tags ? { ...doc.context.tags, ...own } : own
      const name = physicalName(s.type, s.properties) ?? (s.origin === 'k8s-snapshot' || doc.origin === 'k8s-snapshot' ? undefined : s.physicalId) ?? s.sourceId
      const envEvidence: Evidence[] = []
      let environment: Environment = 'unknown'
      const fromTags = environmentFromTags(tags)
      if (fromTags) {
        environment = fromTags.env
        envEvidence.push(fromTags.evidence)
      } else if (s.account && options.accountEnvironments?.[s.account]) {
        environment = options.accountEnvironments[s.account]!
        envEvidence.push({ source: 'account', detail: `account ${s.account} is mapped to ${environment}` })
      } else if (docEnv) {
        environment = docEnv.env
        envEvidence.push(docEnv.evidence)
      } else {
        const byName = environmentFromName(name) ?? (name !== s.sourceId ? environmentFromName(s.sourceId) : undefined)
        if (byName) {
          environment = byName
          envEvidence.push({ source: 'name', detail: `name ${name}` })
        }
      }
      const phi = phiFromTags(tags)
      const owner = ownerFromTags(tags)
      const r: Resource = {
        id: resourceId(kind, scope, s.sourceId),
        kind,
        type: s.type,
        provider: providerOf(s.origin ?? doc.origin),
        name,
        sourceId: s.sourceId,
        origin: s.origin ?? doc.origin,
        environment,
        labels: tags,
        holdsPhi: phi?.state ?? 'unknown',
        evidence: { phi: phi ? [phi.evidence] : [], environment: envEvidence },
        location: s.line !== undefined ? { file: doc.file, line: s.line } : { file: doc.file },
        props: s.properties,
        propLines: s.propLines,
        stack: doc.file,
        dependsOn: s.dependsOn,
      }
      if (owner) r.owner = owner
      if (s.generatedFrom) r.generatedFrom = s.generatedFrom
      if (s.suppressions?.length) r.suppressions = s.suppressions
      if (s.arn) r.arn = s.arn
      if (s.region) r.region = s.region
      if (s.account) r.account = s.account
      if (s.physicalId) r.physicalId = s.physicalId
      if (s.namespace) r.namespace = s.namespace
      resources.push(r)
    }
    // a stack node stands for a deployment unit of AWS (a stack, a service, a plan, an account);
    // Kubernetes, Compose and Dockerfile inputs group by namespace, project and image instead
    if (providerOf(doc.origin) === 'aws') resources.push(stackNode(doc, docEnv))
  }
  if (options.phiEvidence?.length) applyPhiEvidence(resources, options.phiEvidence)
  applyNamespaceContext(resources)
  const idx = indexResources(resources, documents)
  const edges = buildEdges(resources, idx).edges
  if (resources.some((r) => r.type.startsWith('K8s::'))) pushAll(edges, kubernetesEdges(resources))
  if (resources.some((r) => r.type.startsWith('Docker::Compose::'))) pushAll(edges, composeEdges(resources))
  propagatePhi(resources, edges, idx)
  const inventory = { resources, edges }
  BUILT_INDEXES.set(inventory, idx)
  return inventory
}

/** Labels of a Dockerfile (`LABEL`) or a Compose service / network / volume (`labels:` as a map or `KEY=value` list). */
function dockerLabels(type: string, props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  const raw = type === 'Docker::Image::Dockerfile' ? props['Labels'] : props['labels']
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (typeof item !== 'string') continue
      const eq = item.indexOf('=')
      if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1)
    }
  } else if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v)
  }
  return out
}

/** The platform an origin's resources belong to. */
function providerOf(origin: string): Resource['provider'] {
  if (origin === 'kubernetes' || origin === 'k8s-snapshot') return 'kubernetes'
  if (origin === 'dockerfile' || origin === 'compose') return 'docker'
  return 'aws'
}

/** Indexes built with each inventory, so queries over it do not rebuild them. */
const BUILT_INDEXES = new WeakMap<Inventory, RefIndex>()

/** The index built with an inventory, or a new one (for an inventory made elsewhere, e.g. loaded from JSON). */
export function indexOf(inventory: Inventory): RefIndex {
  let idx = BUILT_INDEXES.get(inventory)
  if (!idx || idx.byId.size !== inventory.resources.length) {
    idx = indexResources(inventory.resources)
    BUILT_INDEXES.set(inventory, idx)
  }
  return idx
}

/**
 * The node that stands for a whole input: a CloudFormation stack, a Serverless service, a
 * Terraform plan or an account snapshot. Resources belong to it through their `stack`; checks
 * that judge a stack as a whole (environment mixing) run on it.
 */
function stackNode(doc: SourceDocument, docEnv: { env: Environment; evidence: Evidence } | undefined): Resource {
  const name = doc.context.service ?? doc.file
  const props: Record<string, unknown> = { Origin: doc.origin, File: doc.file, ResourceCount: doc.resources.length }
  if (doc.context.stage) props['Stage'] = doc.context.stage
  if (doc.context.account) props['Account'] = doc.context.account
  if (doc.context.region) props['Region'] = doc.context.region
  return {
    id: resourceId('phiwall:stack', doc.file, name),
    kind: 'phiwall:stack',
    type: STACK_TYPE,
    provider: providerOf(doc.origin),
    name,
    sourceId: name,
    origin: doc.origin,
    environment: docEnv?.env ?? 'unknown',
    labels: doc.context.tags ?? {},
    holdsPhi: 'unknown',
    evidence: { phi: [], environment: docEnv ? [docEnv.evidence] : [] },
    location: { file: doc.file, line: 1 },
    props,
    propLines: {},
    stack: doc.file,
    dependsOn: [],
  }
}

/** Environment of a whole document: an explicit stage, or tokens of the file path. */
function documentEnvironment(doc: SourceDocument): { env: Environment; evidence: Evidence } | undefined {
  if (doc.context.stage) {
    const env = environmentFromWord(doc.context.stage)
    if (env) return { env, evidence: { source: 'stage', detail: `stage ${doc.context.stage}` } }
  }
  if (doc.context.service) {
    const env = environmentFromName(doc.context.service)
    if (env) return { env, evidence: { source: 'name', detail: `${doc.origin === 'aws-snapshot' ? 'account alias' : 'service'} ${doc.context.service}` } }
  }
  const parts = doc.file.split('/').slice(0, -1)
  for (let i = parts.length - 1; i >= 0; i--) {
    const env = environmentFromWord(parts[i]!)
    if (env) return { env, evidence: { source: 'name', detail: `directory ${parts.slice(0, i + 1).join('/')}` } }
  }
  return undefined
}

/** Sources that declare resources to be created (a name not declared is generated at deploy time). */
const TEMPLATE_ORIGINS = new Set<string>(['cloudformation', 'sam', 'serverless', 'terraform'])

/** Lookup tables for reference resolution. */
export function indexResources(resources: Resource[], documents: SourceDocument[] = []): RefIndex {
  const idx: RefIndex = { byId: new Map(), byStackSource: new Map(), byStackLogical: new Map(), byTypeName: new Map(), byArn: new Map(), byPhysicalId: new Map(), generated: new Set() }
  for (const r of resources) {
    idx.byId.set(r.id, r)
    let sources = idx.byStackSource.get(r.stack)
    if (!sources) idx.byStackSource.set(r.stack, (sources = new Map()))
    sources.set(r.sourceId, r)
    if (r.origin === 'serverless' && r.type === 'AWS::Lambda::Function') {
      const logical = `${r.sourceId.charAt(0).toUpperCase()}${r.sourceId.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaFunction`
      let logicals = idx.byStackLogical.get(r.stack)
      if (!logicals) idx.byStackLogical.set(r.stack, (logicals = new Map()))
      logicals.set(logical, r)
    }
    // an AWS resource a template declares without a physical name gets one CloudFormation
    // generates (`stack-Records-1A2B3C`): its logical id, which stands in as its name, names it in
    // its own template only (a literal `Bucket: Records` there is a lost `!Ref`), never in another
    if (r.type.startsWith('AWS::') && TEMPLATE_ORIGINS.has(r.origin) && r.name === r.sourceId && !r.physicalId && !r.arn && physicalName(r.type, r.props) === undefined) idx.generated.add(r)
    // the names a resource is known by, each once: its name, physical id and the last part of its ARN
    const names = [r.name]
    if (r.physicalId) {
      if (!names.includes(r.physicalId)) names.push(r.physicalId)
      idx.byPhysicalId.set(r.physicalId, r)
    }
    if (r.arn) {
      idx.byArn.set(r.arn, r)
      const last = r.arn.split(/[:/]/).pop()
      if (last && !names.includes(last)) names.push(last)
    }
    for (const n of names) {
      const key = `${r.type}\u0000${n}`
      const l = idx.byTypeName.get(key)
      if (l) l.push(r)
      else idx.byTypeName.set(key, [r])
    }
  }
  void documents
  return idx
}

/**
 * PHI follows data: a workload that reads or writes a store declared to hold PHI handles PHI;
 * whatever triggers or invokes such a workload (an API, a queue, a topic) carries PHI to it;
 * stores such a workload writes receive PHI. A resource declared `no` by its tags keeps `no`
 * (a mismatch with this evidence is a finding of the PHI checks). Runs to a fixpoint.
 */
function propagatePhi(resources: Resource[], edges: Edge[], idx: RefIndex): void {
  const byId = idx.byId
  const out = new Map<string, Edge[]>()
  const inn = new Map<string, Edge[]>()
  for (const e of edges) {
    ;(out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e)
    ;(inn.get(e.to) ?? inn.set(e.to, []).get(e.to)!).push(e)
  }
  const queue = resources.filter((r) => r.holdsPhi === 'yes')
  const mark = (r: Resource | undefined, from: Resource, detail: string): void => {
    if (!r || r.holdsPhi !== 'unknown') return
    r.holdsPhi = 'yes'
    r.evidence.phi.push({ source: 'edge', detail, from: from.id })
    queue.push(r)
  }
  const isData = (r: Resource): boolean => isDataType(r.type) || (isWorkloadType(r.type) && isDataStoreWorkload(r))
  for (let head = 0; head < queue.length; head++) {
    const r = queue[head]!
    if (isData(r)) {
      // workloads reading or writing this store handle PHI
      for (const e of inn.get(r.id) ?? []) {
        const w = byId.get(e.from)
        if (w && isWorkloadType(w.type) && (e.kind === 'reads' || e.kind === 'writes' || e.kind === 'uses')) mark(w, r, `${e.kind} ${r.kind} ${r.name}, which holds PHI`)
      }
      // a store that triggers a workload hands it PHI (S3 upload → function, queue → function)
      for (const e of out.get(r.id) ?? []) {
        const w = byId.get(e.to)
        if (w && isWorkloadType(w.type) && e.kind === 'triggers') mark(w, r, `triggered by ${r.kind} ${r.name}, which holds PHI`)
        if (w && isDataType(w.type) && e.kind === 'writes' && !w.type.startsWith('AWS::KMS')) mark(w, r, `receives data from ${r.kind} ${r.name}, which holds PHI`)
      }
    }
    if (isWorkloadType(r.type)) {
      for (const e of inn.get(r.id) ?? []) {
        const src = byId.get(e.from)
        if (src && (e.kind === 'invokes' || e.kind === 'triggers') && !src.type.startsWith('AWS::Lambda::Permission')) mark(src, r, `${e.kind} ${r.kind} ${r.name}, which handles PHI`)
      }
      for (const e of out.get(r.id) ?? []) {
        const t = byId.get(e.to)
        if (t && e.kind === 'writes' && isDataType(t.type) && !t.type.startsWith('AWS::KMS')) mark(t, r, `written by ${r.kind} ${r.name}, which handles PHI`)
        if (t && e.kind === 'uses' && isWorkloadType(t.type) && isDataStoreWorkload(t)) mark(t, r, `stores data of ${r.kind} ${r.name}, which handles PHI`)
        if (t && e.kind === 'invokes' && isWorkloadType(t.type)) mark(t, r, `invoked by ${r.kind} ${r.name}, which handles PHI`)
      }
    }
  }
}
