import { z } from 'zod'
import type { Diagnostic, Origin, ResourceSuppression } from '../../model/index.js'
import { parseJsonLocated, parseYamlLocated, registerPropertyLines, type LineMap, type LocatedDocuments } from '../located/index.js'
import type { SourceDocument, SourceResource } from '../types.js'
import { CLUSTER_SCOPED_KINDS, podSpecPath, typeOf } from './kinds.js'

/** Kind of the snapshot `phiwall collect k8s` writes. */
export const K8S_SNAPSHOT_KIND = 'phiwall-k8s-snapshot'

/** What makes a document a Kubernetes object: apiVersion, kind and a metadata name. */
const objectSchema = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z
    .object({
      name: z.string().min(1).optional(),
      generateName: z.string().min(1).optional(),
      namespace: z.string().min(1).optional(),
      labels: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      annotations: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    })
    .loose()
    .refine((m) => m.name !== undefined || m.generateName !== undefined, { message: 'needs metadata.name or metadata.generateName', path: ['name'] }),
})

const container = z
  .object({
    name: z.string().min(1),
    image: z.string().optional(),
    env: z.array(z.object({ name: z.string() }).loose()).optional(),
    ports: z.array(z.object({ containerPort: z.union([z.number().int(), z.string()]) }).loose()).optional(),
    securityContext: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .loose()
const podSpec = z
  .object({
    containers: z.array(container),
    initContainers: z.array(container).nullable().optional(),
    volumes: z.array(z.object({ name: z.string() }).loose()).nullable().optional(),
  })
  .loose()
const serviceSpec = z
  .object({
    type: z.string().optional(),
    ports: z.array(z.object({ port: z.union([z.number().int(), z.string()]) }).loose()).optional(),
    selector: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable().optional(),
  })
  .loose()

/** Structure check of a kind PhiWall judges: where it applies, the schema, and a fast path for well-formed objects. */
interface KindSchema {
  path: string
  segments: string[]
  schema: z.ZodType
  fast: (v: unknown) => boolean
}

/** Structure checks of the kinds PhiWall judges; a mismatch is a warning and the object is still read. */
function kindSchema(type: string): KindSchema | undefined {
  let shape = KIND_SCHEMAS.get(type)
  if (shape) return shape
  const pod = podSpecPath(type)
  if (pod) shape = { path: pod, segments: pod.split('.'), schema: podSpec, fast: podSpecLooksValid }
  else if (type === 'K8s::Core::Service') shape = { path: 'spec', segments: ['spec'], schema: serviceSpec, fast: serviceSpecLooksValid }
  else return undefined
  KIND_SCHEMAS.set(type, shape)
  return shape
}
/** {@link kindSchema} of the (few, known) types that have one, built once each. */
const KIND_SCHEMAS = new Map<string, KindSchema>()

// Fast paths: the common, well-formed object is recognised with a few type tests, and only an
// object that fails them goes through zod (which then names the problem). Each accepts a subset
// of what its schema accepts — `read.test.ts` checks that on random objects.
const isRec = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const isScalarOrNull = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
const scalarMap = (v: unknown): boolean => {
  if (v === undefined) return true
  if (!isRec(v)) return false
  for (const k in v) if (!isScalarOrNull(v[k])) return false
  return true
}

/** Does an object pass `objectSchema` for sure? */
export function looksValid(o: Record<string, unknown>): boolean {
  const m = o['metadata']
  if (typeof o['apiVersion'] !== 'string' || o['apiVersion'] === '' || typeof o['kind'] !== 'string' || o['kind'] === '' || !isRec(m)) return false
  const name = m['name']
  if (!(typeof name === 'string' && name !== '')) return false
  const ns = m['namespace']
  if (ns !== undefined && !(typeof ns === 'string' && ns !== '')) return false
  if (m['generateName'] !== undefined && !(typeof m['generateName'] === 'string' && m['generateName'] !== '')) return false
  return scalarMap(m['labels']) && scalarMap(m['annotations'])
}

function containerLooksValid(c: unknown): boolean {
  if (!isRec(c) || typeof c['name'] !== 'string' || c['name'] === '') return false
  if (c['image'] !== undefined && typeof c['image'] !== 'string') return false
  const env = c['env']
  if (env !== undefined) {
    if (!Array.isArray(env)) return false
    for (const e of env) if (!isRec(e) || typeof e['name'] !== 'string') return false
  }
  const ports = c['ports']
  if (ports !== undefined) {
    if (!Array.isArray(ports)) return false
    for (const p of ports) if (!isRec(p) || !((typeof p['containerPort'] === 'number' && Number.isSafeInteger(p['containerPort'])) || typeof p['containerPort'] === 'string')) return false
  }
  const sc = c['securityContext']
  return sc === undefined || sc === null || isRec(sc)
}

/** Does a pod spec pass `podSpec` for sure? */
export function podSpecLooksValid(v: unknown): boolean {
  if (!isRec(v) || !Array.isArray(v['containers'])) return false
  for (const c of v['containers']) if (!containerLooksValid(c)) return false
  const init = v['initContainers']
  if (init !== undefined && init !== null) {
    if (!Array.isArray(init)) return false
    for (const c of init) if (!containerLooksValid(c)) return false
  }
  const vols = v['volumes']
  if (vols !== undefined && vols !== null) {
    if (!Array.isArray(vols)) return false
    for (const x of vols) if (!isRec(x) || typeof x['name'] !== 'string') return false
  }
  return true
}

/** Does a Service spec pass `serviceSpec` for sure? */
export function serviceSpecLooksValid(v: unknown): boolean {
  if (!isRec(v)) return false
  if (v['type'] !== undefined && typeof v['type'] !== 'string') return false
  const ports = v['ports']
  if (ports !== undefined) {
    if (!Array.isArray(ports)) return false
    for (const p of ports) if (!isRec(p) || !((typeof p['port'] === 'number' && Number.isSafeInteger(p['port'])) || typeof p['port'] === 'string')) return false
  }
  const sel = v['selector']
  if (sel !== undefined && sel !== null) {
    if (!isRec(sel)) return false
    for (const k in sel) if (!(typeof sel[k] === 'string' || typeof sel[k] === 'number' || typeof sel[k] === 'boolean')) return false
  }
  return true
}

/** The schemas, for the test that the fast paths accept only what they accept. */
export const K8S_SCHEMAS = { objectSchema, podSpec, serviceSpec }

/** Options of {@link readKubernetes}. */
export interface KubernetesReadOptions {
  /** `k8s-snapshot` when the objects come from a live cluster. */
  origin?: Origin
}

/** Is this text a Kubernetes manifest (YAML stream or JSON object / List)? A cheap look, before parsing. */
export function looksLikeKubernetesText(head: string): boolean {
  const first = head.trimStart().charAt(0)
  if (first === '{' || first === '[') return /"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head)
  return /^apiVersion\s*:\s*\S/m.test(head) && /^kind\s*:\s*\S/m.test(head)
}

/**
 * Reads a Kubernetes manifest: a YAML stream of objects (`kubectl apply -f`, `helm template`,
 * `kustomize build` output), a JSON object, a `List` / `*List` of items, or a PhiWall cluster
 * snapshot. Every object becomes a resource whose properties are the object as written, with the
 * line of every key. Documents that are not objects (no apiVersion, kind or name) are reported
 * with their line and skipped; the rest of the file is read.
 */
export function readKubernetes(text: string, file: string, options: KubernetesReadOptions = {}): SourceDocument {
  const json = /^\s*[{[]/.test(text)
  const located: LocatedDocuments = json ? parseJsonLocated(text, { file }) : parseYamlLocated(text, { file, tags: 'none', schema: 'yaml11' })
  const diagnostics: Diagnostic[] = [...located.diagnostics]
  const lines = located.lines
  const helmSources = json ? { sources: [], separators: [] } : helmSourceComments(text)
  const resources: SourceResource[] = []
  const context: SourceDocument['context'] = {}
  let origin: Origin = options.origin ?? 'kubernetes'

  const add = (obj: unknown, where: string, helm: string | undefined): void => {
    if (obj === null || obj === undefined) return
    const docLine = lines.lineOf(obj)
    if (typeof obj !== 'object' || Array.isArray(obj)) {
      diagnostics.push({ code: 'PW_ERR_K8S_INVALID', level: 'error', message: `${where} of ${file} is not a Kubernetes object (a mapping with apiVersion, kind and metadata); it is skipped.`, file, ...(docLine ? { line: docLine } : {}) })
      return
    }
    const o = obj as Record<string, unknown>
    const items = o['items']
    if (typeof o['kind'] === 'string' && /List$/.test(o['kind']) && Array.isArray(items)) {
      items.forEach((item, i) => add(item, `Item ${i + 1} of the ${o['kind']} (${where.toLowerCase()})`, helm))
      return
    }
    // component configuration files (KubeletConfiguration, audit Policy, EncryptionConfiguration,
    // KubeSchedulerConfiguration, kubeadm ClusterConfiguration) have apiVersion and kind but no
    // metadata: they configure a cluster component rather than being API objects
    if (typeof o['apiVersion'] === 'string' && typeof o['kind'] === 'string' && o['kind'] && COMPONENT_CONFIG.test(o['apiVersion']) && (o['metadata'] === undefined || o['metadata'] === null || (isObject(o['metadata']) && typeof (o['metadata'] as Record<string, unknown>)['name'] !== 'string'))) {
      registerPropertyLines(o, lines)
      const line = lines.keyLine(o, 'kind') ?? docLine
      resources.push({ sourceId: o['kind'], type: typeOf(o['apiVersion'], o['kind']), properties: o, propLines: topLines(o), dependsOn: [], ...(line !== undefined ? { line } : {}), ...(helm ? { generatedFrom: helm } : {}) })
      return
    }
    const parsed = looksValid(o) ? { success: true as const, data: o as z.infer<typeof objectSchema> } : objectSchema.safeParse(o)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const at = lineAt(lines, o, issue.path) ?? docLine
      const field = issue.path.join('.') || 'the document'
      diagnostics.push({ code: 'PW_ERR_K8S_INVALID', level: 'error', message: `${where} of ${file} is not a valid Kubernetes object: ${field} ${describeIssue(issue)}; it is skipped.`, file, ...(at ? { line: at } : {}) })
      return
    }
    const apiVersion = parsed.data.apiVersion
    const kind = parsed.data.kind
    const type = typeOf(apiVersion, kind)
    const meta = o['metadata'] as Record<string, unknown>
    const name = (parsed.data.metadata.name ?? `${parsed.data.metadata.generateName}*`) as string
    const namespace = CLUSTER_SCOPED_KINDS.has(kind) ? undefined : (parsed.data.metadata.namespace ?? 'default')
    const shape = kindSchema(type)
    if (shape) {
      const target = at(o, shape.segments)
      if (target !== undefined && !shape.fast(target)) {
        const check = shape.schema.safeParse(target)
        if (!check.success) {
          const issue = check.error.issues[0]!
          const path = [...shape.path.split('.'), ...issue.path.map(String)]
          const l = lineAt(lines, o, path) ?? docLine
          diagnostics.push({ code: 'PW_ERR_K8S_INVALID', level: 'warning', message: `${kind} ${name} in ${file}: ${path.join('.')} ${describeIssue(issue)}; checks that need it may be manual or skip it.`, file, ...(l ? { line: l } : {}) })
        }
      }
    }
    registerPropertyLines(o, lines)
    const propLines = topLines(o)
    const line = lines.keyLine(meta, 'name') ?? lines.keyLine(meta, 'generateName') ?? docLine
    // built key by key (no spreads): a directory of manifests has tens of thousands of objects
    const r: SourceResource = { sourceId: namespace ? `${namespace}/${name}` : name, type, properties: o, propLines, dependsOn: [] }
    if (line !== undefined) r.line = line
    if (namespace) r.namespace = namespace
    if (helm) r.generatedFrom = helm
    const uid = meta['uid']
    if (typeof uid === 'string') r.physicalId = uid
    const suppressions = suppressionsOf(meta, file)
    if (suppressions.length) r.suppressions = suppressions
    resources.push(r)
  }

  /** Lines of the top-level keys (deeper ones are looked up in the line map when a finding needs them). */
  function topLines(o: Record<string, unknown>): Record<string, number> {
    const propLines: Record<string, number> = {}
    for (const k in o) {
      const l = lines.keyLine(o, k)
      if (l !== undefined) propLines[k] = l
    }
    return propLines
  }

  const docs = located.documents
  if (docs.length === 1 && isSnapshot(docs[0])) {
    const snap = docs[0] as Record<string, unknown>
    origin = 'k8s-snapshot'
    if (typeof snap['cluster'] === 'string') context.service = snap['cluster']
    else if (typeof snap['context'] === 'string') context.service = snap['context']
    const items = snap['items']
    if (!Array.isArray(items)) diagnostics.push({ code: 'PW_ERR_K8S_INVALID', level: 'error', message: `Snapshot ${file} has no items list; nothing is read from it.`, file, line: lines.keyLine(snap, 'items') ?? 1 })
    else items.forEach((item, i) => add(item, `Item ${i + 1}`, undefined))
    // what the collector could not list: the scan says so, since checks cannot see those objects
    const errors = snap['errors']
    if (Array.isArray(errors)) {
      for (const e of errors) {
        if (!e || typeof e !== 'object') continue
        const { resource, namespace, status } = e as Record<string, unknown>
        diagnostics.push({ code: 'PW_ERR_K8S_SNAPSHOT_INCOMPLETE', level: 'warning', message: `Snapshot ${file} does not hold ${String(resource)}${typeof namespace === 'string' ? ` of namespace ${namespace}` : ''}: the collector was refused (HTTP ${String(status)}); checks that need them judge without them.`, file, line: lines.lineOf(e) ?? 1 })
      }
    }
  } else {
    docs.forEach((d, i) => {
      const l = d && typeof d === 'object' ? lines.lineOf(d) : undefined
      add(d, docs.length > 1 ? `Document ${i + 1}` : 'The document', l !== undefined ? helmSourceFor(helmSources, l) : undefined)
    })
  }
  return { file, origin, resources, diagnostics, context }
}

/** API groups of component configuration files, which carry no object metadata. */
const COMPONENT_CONFIG = /^(?:[a-z0-9-]+\.)*config\.k8s\.io\/|^(?:audit|apiserver|kubeadm)\.k8s\.io\/|^(?:audit|apiserver)\.config\.k8s\.io\//

const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v)

function isSnapshot(d: unknown): boolean {
  return !!d && typeof d === 'object' && (d as Record<string, unknown>)['kind'] === K8S_SNAPSHOT_KIND
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`
  if (issue.code === 'too_small') return 'must not be empty'
  return issue.message.replace(/^Invalid input: /, '').toLowerCase()
}

/** Value at a path, given as its segments. */
function at(obj: unknown, segments: readonly string[]): unknown {
  let node = obj
  for (const seg of segments) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[seg]
  }
  return node
}

/** Line of the deepest key of a path that was recorded. */
function lineAt(lines: LineMap, root: object, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = root
  let best: number | undefined
  for (const seg of path) {
    if (node === null || typeof node !== 'object') break
    const key = Array.isArray(node) ? Number(seg) : String(seg)
    const l = lines.keyLine(node, key)
    if (l !== undefined) best = l
    node = (node as Record<string | number, unknown>)[key as string]
  }
  return best
}

/** `# Source: chart/templates/x.yaml` comments `helm template` writes before each document, and the `---` separators. */
function helmSourceComments(text: string): { sources: { line: number; path: string }[]; separators: number[] } {
  const sources: { line: number; path: string }[] = []
  const separators: number[] = []
  if (!text.includes('# Source:') ) return { sources, separators }
  let line = 1
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    const l = text.slice(start, end)
    if (l.startsWith('---')) separators.push(line)
    else if (l.startsWith('# Source: ')) sources.push({ line, path: l.slice(10).trim() })
    line++
    start = end + 1
  }
  return { sources, separators }
}

/** The Helm template a document starting at `docLine` was rendered from: the last `# Source:` after the last separator before it. */
function helmSourceFor(h: { sources: { line: number; path: string }[]; separators: number[] }, docLine: number): string | undefined {
  let found: string | undefined
  let fromLine = 0
  for (const s of h.separators) if (s < docLine) fromLine = s
  for (const s of h.sources) if (s.line > fromLine && s.line < docLine) found = s.path
  return found
}

/**
 * Suppressions written on an object: the annotation `phiwall.io/suppress`, one `check-id: reason`
 * per line (`k8s/container-read-only-root-fs: the image writes its cache under /var/cache`).
 */
function suppressionsOf(meta: Record<string, unknown>, file: string): ResourceSuppression[] {
  const annotations = meta['annotations']
  if (!annotations || typeof annotations !== 'object') return []
  const raw = (annotations as Record<string, unknown>)['phiwall.io/suppress']
  if (typeof raw !== 'string') return []
  const out: ResourceSuppression[] = []
  for (const line of raw.split(/\r?\n|;/)) {
    const m = /^\s*([A-Za-z0-9_./*-]+)\s*:\s*(.+?)\s*$/.exec(line)
    if (m) out.push({ id: m[1]!, reason: m[2]!, source: `${file} annotation phiwall.io/suppress` })
  }
  return out
}
