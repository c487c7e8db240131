import { PhiwallError } from '../../model/index.js'
import { CredentialError, KubeApi, NoAnswerError, type ApiAnswer, type KubeConfigOptions } from './client.js'
import { listPath, RESOURCE_SPECS, resourceName, type ResourceSpec } from './resources.js'
import { representedBy, sanitizeObject } from './sanitize.js'
import { K8S_SNAPSHOT_SCHEMA_VERSION, k8sSnapshotSchema, type K8sSnapshot, type K8sSnapshotError } from './snapshot.js'

/** Options of {@link collectK8sSnapshot}. */
export interface CollectK8sOptions extends KubeConfigOptions {
  /** Read only these namespaces (default: every namespace, with cluster-wide list calls). */
  namespaces?: string[]
  /** Progress lines (the CLI writes them to stderr). */
  onProgress?: (message: string) => void
  /** Objects per list page (`limit`; default 500, as kubectl). */
  pageSize?: number
  /** List calls in flight (default 4). */
  concurrency?: number
  /** Longest wait for one answer (default 30 s). */
  timeoutMs?: number
  /** Clock, for the collection time. */
  now?: () => Date
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v)

/** A namespace name as Kubernetes accepts it (an RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/

/** What one list (or get) call gave. */
interface CallResult {
  spec: ResourceSpec
  namespace?: string
  items: Obj[]
  /** `ok`: the server answered; `absent`: a custom resource whose CRD is not installed; `failed`: see `error`. */
  outcome: 'ok' | 'absent' | 'failed'
  error?: K8sSnapshotError
  /** Objects left out because their controller stands for them. */
  represented: number
}

/**
 * Reads a live cluster, read-only (`get` and `list` calls only), into a PhiWall snapshot that
 * `phiwall scan` reads: the workloads, their exposure, network policies, RBAC, secrets (key
 * names only), configuration and storage. Calls that fail (403 for a resource the user may not
 * list, a server error) are recorded in `errors` and collection goes on; custom resources whose
 * CRD is not installed are skipped. Only a cluster that cannot be read at all throws: an unknown
 * context (`PW_ERR_K8S_CONTEXT`), no answer (`PW_ERR_K8S_UNREACHABLE`), credentials rejected or
 * every call forbidden (`PW_ERR_K8S_AUTH`).
 *
 * @example
 * const snap = await collectK8sSnapshot({ context: 'clinic-prod', namespaces: ['clinic-prod'] })
 * writeK8sSnapshot('clinic-prod-k8s.json', snap)
 */
export async function collectK8sSnapshot(options: CollectK8sOptions = {}): Promise<K8sSnapshot> {
  const progress = options.onProgress ?? (() => undefined)
  const now = options.now ?? (() => new Date())
  const pageSize = options.pageSize ?? 500
  const namespaces = options.namespaces?.length ? [...new Set(options.namespaces.map((n) => n.trim()).filter(Boolean))] : undefined
  const bad = (namespaces ?? []).filter((n) => !NAMESPACE.test(n))
  if (bad.length) throw new PhiwallError('PW_ERR_USAGE', `Not a namespace name: ${bad.join(', ')} (lowercase letters, digits and '-', at most 63 characters).`)
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new PhiwallError('PW_ERR_USAGE', `The page size must be a positive integer, not ${pageSize}.`)

  const api = await KubeApi.open({
    ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  })
  const { context, cluster, server } = api.target
  const where = `context ${context} (${server})`
  const errors: K8sSnapshotError[] = []

  // /version first: it tells whether the server answers and takes these credentials
  const kubernetesVersion = await readVersion(api, where, errors)
  progress(`Reading cluster ${cluster} through ${where}${kubernetesVersion ? `, Kubernetes ${kubernetesVersion}` : ''}${namespaces ? `, namespaces ${namespaces.join(', ')}` : ''}; read-only calls.`)

  const calls: { spec: ResourceSpec; namespace?: string }[] = []
  for (const spec of RESOURCE_SPECS) {
    if (namespaces && (spec.namespaced || spec.kind === 'Namespace')) for (const namespace of namespaces) calls.push({ spec, namespace })
    else calls.push({ spec })
  }
  const results = await mapLimit(calls, options.concurrency ?? 4, ({ spec, namespace }) =>
    spec.kind === 'Namespace' && namespace !== undefined ? getNamespace(api, spec, namespace) : listAll(api, spec, namespace, pageSize),
  )

  const items: Obj[] = []
  const perKind = new Map<string, { count: number; represented: number }>()
  for (const r of results) {
    items.push(...r.items)
    if (r.error) errors.push(r.error)
    const k = perKind.get(r.spec.kind) ?? { count: 0, represented: 0 }
    k.count += r.items.length
    k.represented += r.represented
    perKind.set(r.spec.kind, k)
  }
  for (const [kind, k] of perKind) {
    if (k.count || k.represented) progress(`${kind}: ${k.count}${k.represented ? ` (${k.represented} run by a listed controller left out)` : ''}`)
  }

  if (!results.some((r) => r.outcome === 'ok')) {
    const failed = results.filter((r) => r.error).map((r) => r.error!)
    const denied = failed.filter((e) => e.status === 401 || e.status === 403)
    if (denied.length) {
      throw new PhiwallError('PW_ERR_K8S_AUTH', `Every call to the Kubernetes API server of ${where} was refused (${[...new Set(denied.map((e) => e.status))].join(', ')}): ${denied[0]!.message}`)
    }
    throw new PhiwallError('PW_ERR_K8S_UNREACHABLE', `No call to the Kubernetes API server of ${where} succeeded: ${failed[0]?.message ?? 'no answer'}`)
  }

  const order = new Map(RESOURCE_SPECS.map((s, i) => [s.kind, i]))
  const meta = (o: Obj): Obj => (isObj(o['metadata']) ? o['metadata'] : {})
  const str = (v: unknown): string => (typeof v === 'string' ? v : '')
  // code-unit order, not the locale's: the same cluster gives the same file on every machine
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0)
  items.sort(
    (a, b) =>
      (order.get(str(a['kind'])) ?? order.size) - (order.get(str(b['kind'])) ?? order.size) ||
      cmp(str(meta(a)['namespace']), str(meta(b)['namespace'])) ||
      cmp(str(meta(a)['name']), str(meta(b)['name'])),
  )
  errors.sort((a, b) => cmp(a.resource, b.resource) || cmp(a.namespace ?? '', b.namespace ?? ''))

  // items before errors: a reader sniffing the head of the file finds Kubernetes objects first
  const snapshot: K8sSnapshot = {
    kind: 'phiwall-k8s-snapshot',
    schemaVersion: K8S_SNAPSHOT_SCHEMA_VERSION,
    context,
    cluster,
    server,
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    collectedAt: now().toISOString(),
    ...(namespaces ? { namespaces } : {}),
    items: items as K8sSnapshot['items'],
    errors,
  }
  // what is written must be what the schema promises: no secret values, no managedFields
  const checked = k8sSnapshotSchema.safeParse(snapshot)
  if (!checked.success) {
    const issue = checked.error.issues[0]!
    throw new Error(`The collected snapshot is invalid at ${issue.path.join('.')}: ${issue.message}`)
  }
  return snapshot
}

/** `gitVersion` of `/version`; a server that does not answer, or rejects the credentials, ends the collection. */
async function readVersion(api: KubeApi, where: string, errors: K8sSnapshotError[]): Promise<string | undefined> {
  let ans: ApiAnswer
  try {
    ans = await api.get('/version')
  } catch (err) {
    if (err instanceof NoAnswerError) throw new PhiwallError('PW_ERR_K8S_UNREACHABLE', `The Kubernetes API server of ${where} cannot be reached: ${err.reason}.`, { cause: err })
    if (err instanceof CredentialError) throw new PhiwallError('PW_ERR_K8S_AUTH', `No credentials could be obtained for ${where}: ${err.message}`, { cause: err })
    throw err
  }
  if (ans.status === 401) throw new PhiwallError('PW_ERR_K8S_AUTH', `The Kubernetes API server of ${where} rejected the credentials (401 Unauthorized).`)
  if (ans.status >= 200 && ans.status < 300) {
    const v = isObj(ans.body) ? ans.body['gitVersion'] : undefined
    if (typeof v === 'string' && v) return v
    throw new PhiwallError('PW_ERR_K8S_UNREACHABLE', `The server of ${where} does not answer like a Kubernetes API server (/version has no gitVersion); check the server URL.`)
  }
  if (ans.status === 404) throw new PhiwallError('PW_ERR_K8S_UNREACHABLE', `The server of ${where} does not answer like a Kubernetes API server (/version: 404); check the server URL.`)
  // 403 (anonymous discovery disabled), 5xx: the lists will tell
  errors.push({ resource: 'version', status: ans.status, message: answerMessage(api, ans) })
  return undefined
}

/** Every page of one list; items get the apiVersion and kind the list response leaves out. */
async function listAll(api: KubeApi, spec: ResourceSpec, namespace: string | undefined, pageSize: number): Promise<CallResult> {
  const path = listPath(spec, namespace)
  const result: CallResult = { spec, ...(namespace !== undefined ? { namespace } : {}), items: [], outcome: 'ok', represented: 0 }
  const fail = (status: number, message: string): CallResult => {
    result.outcome = 'failed'
    const partial = result.items.length ? ` (the list stopped after ${result.items.length} objects, which are kept)` : ''
    result.error = { resource: resourceName(spec), ...(namespace !== undefined ? { namespace } : {}), status, message: `${message}${partial}` }
    return result
  }
  let token: string | undefined
  let restarted = false
  const seen = new Set<string>()
  for (;;) {
    let ans: ApiAnswer
    try {
      ans = await api.get(path, { limit: String(pageSize), ...(token !== undefined ? { continue: token } : {}) })
    } catch (err) {
      if (err instanceof NoAnswerError || err instanceof CredentialError) return fail(0, err.message)
      throw err
    }
    if (ans.status === 410 && token !== undefined && !restarted) {
      // the continue token expired (the list took longer than the server keeps it): list again, once
      restarted = true
      token = undefined
      seen.clear()
      result.items = []
      result.represented = 0
      continue
    }
    if (ans.status === 404 && spec.optional && token === undefined) {
      result.outcome = 'absent'
      return result
    }
    if (ans.status < 200 || ans.status > 299) return fail(ans.status, answerMessage(api, ans))
    const body = ans.body
    if (!isObj(body) || !Array.isArray(body['items'])) return fail(ans.status, 'the answer is not a list')
    const listKind = typeof body['kind'] === 'string' && /.List$/.test(body['kind']) ? body['kind'].slice(0, -4) : spec.kind
    const listApiVersion = typeof body['apiVersion'] === 'string' && body['apiVersion'] ? body['apiVersion'] : spec.apiVersion
    for (const raw of body['items'] as unknown[]) {
      if (!isObj(raw)) continue
      const { apiVersion, kind, ...rest } = raw
      const item: Obj = { apiVersion: typeof apiVersion === 'string' && apiVersion ? apiVersion : listApiVersion, kind: typeof kind === 'string' && kind ? kind : listKind, ...rest }
      if (representedBy(item)) {
        result.represented++
        continue
      }
      result.items.push(sanitizeObject(item))
    }
    const meta = body['metadata']
    const next = isObj(meta) && typeof meta['continue'] === 'string' && meta['continue'] ? meta['continue'] : undefined
    if (next === undefined) return result
    if (seen.has(next)) return fail(ans.status, 'the server repeated a continue token')
    seen.add(next)
    token = next
  }
}

/** One namespace named with `--namespace` (its labels carry the Pod Security level). */
async function getNamespace(api: KubeApi, spec: ResourceSpec, namespace: string): Promise<CallResult> {
  const result: CallResult = { spec, namespace, items: [], outcome: 'ok', represented: 0 }
  const error = (status: number, message: string): CallResult => ({ ...result, outcome: 'failed', error: { resource: resourceName(spec), namespace, status, message } })
  let ans: ApiAnswer
  try {
    ans = await api.get(`${listPath(spec)}/${encodeURIComponent(namespace)}`)
  } catch (err) {
    if (err instanceof NoAnswerError || err instanceof CredentialError) return error(0, err.message)
    throw err
  }
  if (ans.status === 404) return error(404, `namespace ${namespace} does not exist`)
  if (ans.status < 200 || ans.status > 299) return error(ans.status, answerMessage(api, ans))
  if (!isObj(ans.body)) return error(ans.status, 'the answer is not an object')
  const { apiVersion, kind, ...rest } = ans.body
  result.items.push(sanitizeObject({ apiVersion: typeof apiVersion === 'string' && apiVersion ? apiVersion : spec.apiVersion, kind: typeof kind === 'string' && kind ? kind : spec.kind, ...rest }))
  return result
}

/** The message of a failed answer: the `Status` message the API server sends, else the HTTP status. */
function answerMessage(api: KubeApi, ans: ApiAnswer): string {
  const body = ans.body
  if (isObj(body) && body['kind'] === 'Status' && typeof body['message'] === 'string' && body['message']) return api.redact(body['message'])
  const text = ans.text.trim()
  return api.redact(`HTTP ${ans.status}${text && text.length <= 200 && !text.startsWith('<') ? `: ${text}` : ''}`)
}

/** Runs `fn` over the items with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}
