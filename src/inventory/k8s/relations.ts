import type { Edge, EdgeKind, Environment, Evidence, Resource } from '../../model/index.js'
import { lineOfProperty } from '../../sources/index.js'
import { environmentFromName, environmentFromTags, ownerFromTags, phiFromTags } from '../tags.js'
import { labelSelectorMatches, podLabelsOf } from './selectors.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** Types of Kubernetes objects that run pods. */
export const K8S_WORKLOAD_TYPES = new Set([
  'K8s::Core::Pod',
  'K8s::Core::PodTemplate',
  'K8s::Core::ReplicationController',
  'K8s::Apps::Deployment',
  'K8s::Apps::StatefulSet',
  'K8s::Apps::DaemonSet',
  'K8s::Apps::ReplicaSet',
  'K8s::Batch::Job',
  'K8s::Batch::CronJob',
])

/** Kubernetes objects that keep data: volumes claimed by pods. */
export const K8S_DATA_TYPES = new Set(['K8s::Core::PersistentVolumeClaim', 'K8s::Core::PersistentVolume'])

const POD_SPEC_PATHS: Record<string, string> = {
  'K8s::Core::Pod': 'spec',
  'K8s::Core::PodTemplate': 'template.spec',
  'K8s::Batch::CronJob': 'spec.jobTemplate.spec.template.spec',
}

/** The pod spec paths split once. */
const POD_SPEC_SEGMENTS: Record<string, string[]> = Object.fromEntries([...Object.values(POD_SPEC_PATHS), 'spec.template.spec'].map((p) => [p, p.split('.')]))

/** The pod spec of a workload object and its path. */
export function podSpec(r: Resource): { spec: Obj; path: string } | undefined {
  if (!K8S_WORKLOAD_TYPES.has(r.type)) return undefined
  const path = POD_SPEC_PATHS[r.type] ?? 'spec.template.spec'
  let node: unknown = r.props
  for (const seg of POD_SPEC_SEGMENTS[path] ?? path.split('.')) node = isObj(node) ? node[seg] : undefined
  return isObj(node) ? { spec: node, path } : undefined
}

/** Containers (regular and init) of a workload, with their paths. */
export function podContainers(r: Resource): { c: Obj; path: string }[] {
  const pod = podSpec(r)
  if (!pod) return []
  const out: { c: Obj; path: string }[] = []
  for (const group of ['initContainers', 'containers']) list(pod.spec[group]).forEach((c, i) => isObj(c) && out.push({ c, path: `${pod.path}.${group}.${i}` }))
  return out
}

/** Images known to be data stores: a workload running one keeps data (and PHI, if it is given PHI). */
const DATA_STORE_IMAGES = /(^|\/)(postgres|postgresql|postgis|mysql|mariadb|percona|mongo|mongodb|redis|valkey|keydb|memcached|elasticsearch|opensearch|cassandra|scylla|couchdb|couchbase|minio|clickhouse|cockroach|cockroachdb|timescaledb|neo4j|influxdb|mssql|mssql-server|oracle|etcd|rabbitmq|kafka|nats|orthanc|hapi-fhir-jpaserver-starter|fhir)(:|@|$)/i

/** Does a workload run a data store (a database image, or a StatefulSet with volume claim templates)? */
export function isDataStoreWorkload(r: Resource): boolean {
  if (r.type === 'K8s::Apps::StatefulSet' && list((r.props['spec'] as Obj | undefined)?.['volumeClaimTemplates']).length > 0) return true
  if (r.type === 'Docker::Compose::Service') {
    const image = str(r.props['image'])
    return !!image && DATA_STORE_IMAGES.test(image.split('@')[0]!.replace(/:[^/]*$/, '') + ':')
  }
  return podContainers(r).some(({ c }) => {
    const image = str(c['image'])
    return !!image && DATA_STORE_IMAGES.test(image.split('@')[0]!.replace(/:[^/]*$/, '') + ':')
  })
}

/**
 * Namespace context of Kubernetes objects: environment, owner and PHI declared on the Namespace
 * object (its labels and annotations), else the environment named by the namespace
 * (`clinic-prod`). An object's own labels win; a namespace wins over the file's directory.
 */
export function applyNamespaceContext(resources: Resource[]): void {
  const namespaces = new Map<string, Resource>()
  for (const r of resources) if (r.type === 'K8s::Core::Namespace') namespaces.set(r.name, r)
  // the environment a namespace's name gives, worked out once per namespace (not per object in it)
  const envByName = new Map<string, Environment | undefined>()
  const environmentOfName = (nsName: string): Environment | undefined => {
    if (!envByName.has(nsName)) envByName.set(nsName, environmentFromName(nsName))
    return envByName.get(nsName)
  }
  for (const r of resources) {
    if (!r.type.startsWith('K8s::')) continue
    const nsName = r.type === 'K8s::Core::Namespace' ? r.name : r.namespace
    if (!nsName) continue
    const ns = namespaces.get(nsName)
    const ownTagEnv = r.evidence.environment.some((e) => e.source === 'tag' && !e.detail.startsWith('namespace '))
    if (!ownTagEnv) {
      let env: { env: Environment; evidence: Evidence } | undefined
      const fromLabels = ns && ns !== r ? environmentFromTags(ns.labels) : undefined
      if (fromLabels) env = { env: fromLabels.env, evidence: { source: 'tag', detail: `namespace ${nsName} ${fromLabels.evidence.detail}` } }
      else {
        const byName = environmentOfName(nsName)
        if (byName) env = { env: byName, evidence: { source: 'name', detail: `namespace ${nsName}` } }
      }
      if (env) {
        r.environment = env.env
        r.evidence.environment = [env.evidence]
      }
    }
    if (ns && ns !== r) {
      if (!r.owner) {
        const owner = ownerFromTags(ns.labels)
        if (owner) r.owner = owner
      }
      if (r.holdsPhi === 'unknown' && (K8S_WORKLOAD_TYPES.has(r.type) || K8S_DATA_TYPES.has(r.type))) {
        const phi = phiFromTags(ns.labels)
        if (phi?.state === 'yes') {
          r.holdsPhi = 'yes'
          r.evidence.phi.push({ source: 'tag', detail: `namespace ${nsName} ${phi.evidence.detail}`, from: ns.id })
        }
      }
    }
  }
}

/** Environment variable names that carry the address of another service (Kubernetes and Compose alike). */
export const ADDRESS_NAME = /(HOST|ADDR|ADDRESS|URL|URI|ENDPOINT|SERVER|SERVICE|DSN|BROKER|BROKERS|UPSTREAM|BACKEND|_API$|^API_|REDIS|DATABASE|_DB$|^DB_|POSTGRES|PGHOST|MYSQL|MONGO|AMQP|KAFKA|NATS|ELASTIC|FHIR|HL7|SMTP|MAIL)/i

/** Candidate host names (and ports) in a value: URLs, `host:port`, comma-separated lists, a bare name. */
export function addressesIn(value: string): { host: string; port?: number }[] {
  const out: { host: string; port?: number }[] = []
  for (const part of value.split(/[,\s;]+/)) {
    if (!part) continue
    let rest = part
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest)
    if (scheme) rest = rest.slice(scheme[0].length)
    rest = rest.replace(/^[^@/]*@/, '') // credentials in a URL
    const m = /^([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(?:[/?#].*)?$/.exec(rest)
    if (!m) continue
    const host = m[1]!.toLowerCase()
    if (/^\d+(\.\d+){3}$/.test(host)) continue // an IP address names no service
    const port = m[2] ? Number(m[2]) : undefined
    out.push(port !== undefined && port <= 65535 ? { host, port } : { host })
  }
  return out
}

/** A Service a host name resolves to from a namespace: `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`. */
function serviceFor(host: string, fromNs: string, services: Map<string, Resource>): Resource | undefined {
  const parts = host.replace(/\.$/, '').split('.')
  if (parts.length === 1) return services.get(`${fromNs}/${parts[0]}`)
  if (parts.length === 2) return services.get(`${parts[1]}/${parts[0]}`)
  if (parts[2] === 'svc') return services.get(`${parts[1]}/${parts[0]}`)
  return undefined
}

interface Ports {
  port?: number
  protocol?: string
}

/**
 * Declared edges between Kubernetes objects:
 * - Service → the workloads its selector selects (`network`, one per service port, target port);
 * - Ingress → the Services its rules and default backend name (`network`);
 * - workload → Service named in an environment variable or a ConfigMap it loads (`DB_HOST=postgres`,
 *   `CART_SERVICE_ADDR=cartservice:7070`) (`network`), and workload → the data-store workload behind
 *   that Service (`uses`), so PHI follows data;
 * - workload → ServiceAccount (`uses`), bindings → roles (`uses`) and → subjects (`attached`);
 * - workload → Secret / ConfigMap it mounts or loads (`reads`), → PersistentVolumeClaim (`writes`,
 *   `reads` when mounted read-only);
 * - NetworkPolicy, HorizontalPodAutoscaler, PodDisruptionBudget → the workloads they govern (`attached`).
 */
export function kubernetesEdges(resources: readonly Resource[]): Edge[] {
  const edges: Edge[] = []
  // from → the (to, kind, port, protocol) of its edges, flat: a workload has a handful of edges,
  // scanned without building a key string per edge
  const seen = new Map<Resource, unknown[]>()
  const add = (from: Resource, to: Resource, kind: EdgeKind, evidence: string, ports: Ports = {}, path?: string): void => {
    if (from === to) return
    const port = ports.port
    const protocol = ports.protocol ?? ''
    let had = seen.get(from)
    if (!had) seen.set(from, (had = []))
    for (let i = 0; i < had.length; i += 4) if (had[i] === to && had[i + 1] === kind && had[i + 2] === port && had[i + 3] === protocol) return
    had.push(to, kind, port, protocol)
    const line = (path ? lineOf(from, path) : undefined) ?? from.location.line
    // built key by key (no spreads): tens of thousands of edges, keys in the order reports list them
    const edge: Edge = { from: from.id, to: to.id, kind, source: 'declared', evidence }
    if (ports.port !== undefined) edge.port = ports.port
    if (ports.protocol) edge.protocol = ports.protocol
    edge.location = line !== undefined ? { file: from.location.file, line } : { file: from.location.file }
    edges.push(edge)
  }
  // kind → namespace → name: no key string built per lookup
  const byKindNsName = new Map<string, Map<string, Map<string, Resource>>>()
  const services = new Map<string, Resource>()
  const workloadsByNs = new Map<string, { r: Resource; labels: Record<string, string> }[]>()
  // workloads by namespace and one pod label, so a Service's selector is matched against the few
  // workloads that carry its first label rather than every workload of the namespace
  const byLabel = new Map<string, { r: Resource; labels: Record<string, string> }[]>()
  for (const r of resources) {
    if (!r.type.startsWith('K8s::')) continue
    const kind = r.type.slice(r.type.lastIndexOf('::') + 2)
    let byNs = byKindNsName.get(kind)
    if (!byNs) byKindNsName.set(kind, (byNs = new Map()))
    let byName = byNs.get(r.namespace ?? '')
    if (!byName) byNs.set(r.namespace ?? '', (byName = new Map()))
    byName.set(r.name, r)
    if (r.type === 'K8s::Core::Service' && r.namespace) services.set(`${r.namespace}/${r.name}`, r)
    if (K8S_WORKLOAD_TYPES.has(r.type) && r.type !== 'K8s::Core::PodTemplate') {
      const labels = podLabelsOf(r.type, r.props) ?? {}
      const ns = r.namespace ?? 'default'
      const w = { r, labels }
      ;(workloadsByNs.get(ns) ?? workloadsByNs.set(ns, []).get(ns)!).push(w)
      for (const [k, v] of Object.entries(labels)) {
        const key = `${ns}\u0000${k}\u0000${v}`
        ;(byLabel.get(key) ?? byLabel.set(key, []).get(key)!).push(w)
      }
    }
  }
  const find = (kind: string, ns: string | undefined, name: unknown): Resource | undefined => (typeof name === 'string' ? byKindNsName.get(kind)?.get(ns ?? '')?.get(name) : undefined)
  const selected = new Map<Resource, Resource[]>() // service → workloads

  // Services → workloads
  for (const svc of services.values()) {
    const spec = isObj(svc.props['spec']) ? svc.props['spec'] : {}
    const selector = spec['selector']
    const first = isObj(selector) ? Object.entries(selector)[0] : undefined
    const candidates = first ? (byLabel.get(`${svc.namespace}\u0000${first[0]}\u0000${String(first[1])}`) ?? []) : []
    const targets = candidates.filter((w) => labelSelectorMatches(selector, w.labels, true))
    selected.set(svc, targets.map((t) => t.r))
    const sel = isObj(selector) ? Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(',') : ''
    const ports = list(spec['ports']).filter(isObj)
    for (const t of targets) {
      if (ports.length === 0) add(svc, t.r, 'network', `Service selector ${sel}`, {}, 'spec.selector')
      for (const p of ports) {
        const port = targetPort(p, t.r)
        add(svc, t.r, 'network', `Service selector ${sel}, port ${String(p['port'] ?? '?')}→${String(p['targetPort'] ?? p['port'] ?? '?')}`, { ...(port !== undefined ? { port } : {}), protocol: (str(p['protocol']) ?? 'TCP').toLowerCase() }, 'spec.selector')
      }
    }
  }

  for (const r of resources) {
    if (!r.type.startsWith('K8s::')) continue
    const ns = r.namespace
    // Ingress → Services
    if (r.type === 'K8s::Networking::Ingress') {
      const spec = isObj(r.props['spec']) ? r.props['spec'] : {}
      const backends: { b: Obj; path: string }[] = []
      for (const key of ['defaultBackend', 'backend']) if (isObj(spec[key])) backends.push({ b: spec[key] as Obj, path: `spec.${key}` })
      list(spec['rules']).forEach((rule, i) => {
        if (!isObj(rule) || !isObj(rule['http'])) return
        list(rule['http']['paths']).forEach((p, j) => isObj(p) && isObj(p['backend']) && backends.push({ b: p['backend'], path: `spec.rules.${i}.http.paths.${j}.backend` }))
      })
      for (const { b, path } of backends) {
        const name = isObj(b['service']) ? b['service']['name'] : b['serviceName']
        const svc = find('Service', ns, name)
        if (!svc) continue
        const portSpec = isObj(b['service']) ? (isObj(b['service']['port']) ? (b['service']['port']['number'] ?? b['service']['port']['name']) : undefined) : b['servicePort']
        const port = typeof portSpec === 'number' ? portSpec : servicePortByName(svc, portSpec)
        add(r, svc, 'network', `Ingress backend ${String(name)}`, { ...(port !== undefined ? { port } : {}), protocol: 'tcp' }, path)
      }
      continue
    }
    if (K8S_WORKLOAD_TYPES.has(r.type)) {
      workloadEdges(r, ns ?? 'default')
      continue
    }
    if (r.type === 'K8s::Rbac::RoleBinding' || r.type === 'K8s::Rbac::ClusterRoleBinding') {
      const ref = isObj(r.props['roleRef']) ? r.props['roleRef'] : {}
      const role = ref['kind'] === 'ClusterRole' ? find('ClusterRole', undefined, ref['name']) : find('Role', ns, ref['name'])
      if (role) add(r, role, 'uses', `roleRef ${String(ref['kind'])} ${String(ref['name'])}`, {}, 'roleRef')
      list(r.props['subjects']).forEach((s, i) => {
        if (!isObj(s) || s['kind'] !== 'ServiceAccount') return
        const sa = find('ServiceAccount', str(s['namespace']) ?? ns, s['name'])
        if (sa) add(r, sa, 'attached', `subject ServiceAccount ${String(s['name'])}`, {}, `subjects.${i}`)
      })
      continue
    }
    if (r.type === 'K8s::Networking::NetworkPolicy') {
      const spec = isObj(r.props['spec']) ? r.props['spec'] : {}
      for (const w of workloadsByNs.get(ns ?? 'default') ?? []) if (labelSelectorMatches(spec['podSelector'] ?? {}, w.labels)) add(r, w.r, 'attached', 'NetworkPolicy podSelector', {}, 'spec.podSelector')
      continue
    }
    if (r.type === 'K8s::Policy::PodDisruptionBudget') {
      const spec = isObj(r.props['spec']) ? r.props['spec'] : {}
      for (const w of workloadsByNs.get(ns ?? 'default') ?? []) if (labelSelectorMatches(spec['selector'], w.labels)) add(r, w.r, 'attached', 'PodDisruptionBudget selector', {}, 'spec.selector')
      continue
    }
    if (r.type === 'K8s::Autoscaling::HorizontalPodAutoscaler') {
      const ref = isObj(r.props['spec']) && isObj(r.props['spec']['scaleTargetRef']) ? r.props['spec']['scaleTargetRef'] : {}
      const target = find(String(ref['kind']), ns, ref['name'])
      if (target) add(r, target, 'attached', `scaleTargetRef ${String(ref['kind'])} ${String(ref['name'])}`, {}, 'spec.scaleTargetRef')
    }
  }
  return edges

  function workloadEdges(w: Resource, ns: string): void {
    const pod = podSpec(w)
    if (!pod) return
    const saName = str(pod.spec['serviceAccountName']) ?? str(pod.spec['serviceAccount']) ?? 'default'
    const sa = find('ServiceAccount', ns, saName)
    if (sa) add(w, sa, 'uses', `serviceAccountName ${saName}`, {}, `${pod.path}.serviceAccountName`)
    list(pod.spec['volumes']).forEach((v, i) => {
      if (!isObj(v)) return
      const path = `${pod.path}.volumes.${i}`
      if (isObj(v['secret'])) {
        const s = find('Secret', ns, v['secret']['secretName'])
        if (s) add(w, s, 'reads', `volume ${String(v['name'])} (Secret)`, {}, path)
      }
      if (isObj(v['configMap'])) {
        const c = find('ConfigMap', ns, v['configMap']['name'])
        if (c) add(w, c, 'reads', `volume ${String(v['name'])} (ConfigMap)`, {}, path)
      }
      if (isObj(v['projected'])) {
        for (const src of list(v['projected']['sources'])) {
          if (!isObj(src)) continue
          const s = isObj(src['secret']) ? find('Secret', ns, src['secret']['name']) : undefined
          if (s) add(w, s, 'reads', `projected volume ${String(v['name'])} (Secret)`, {}, path)
          const c = isObj(src['configMap']) ? find('ConfigMap', ns, src['configMap']['name']) : undefined
          if (c) add(w, c, 'reads', `projected volume ${String(v['name'])} (ConfigMap)`, {}, path)
        }
      }
      if (isObj(v['persistentVolumeClaim'])) {
        const pvc = find('PersistentVolumeClaim', ns, v['persistentVolumeClaim']['claimName'])
        if (pvc) add(w, pvc, v['persistentVolumeClaim']['readOnly'] === true ? 'reads' : 'writes', `volume ${String(v['name'])} (PersistentVolumeClaim)`, {}, path)
      }
    })
    for (const { c, path } of podContainers(w)) {
      const env = list(c['env'])
      env.forEach((e, i) => {
        if (!isObj(e)) return
        const name = str(e['name']) ?? ''
        const from = isObj(e['valueFrom']) ? e['valueFrom'] : undefined
        if (from && isObj(from['secretKeyRef'])) {
          const s = find('Secret', ns, from['secretKeyRef']['name'])
          if (s) add(w, s, 'reads', `env ${name} (secretKeyRef)`, {}, `${path}.env.${i}`)
        }
        if (from && isObj(from['configMapKeyRef'])) {
          const cm = find('ConfigMap', ns, from['configMapKeyRef']['name'])
          if (cm) {
            add(w, cm, 'reads', `env ${name} (configMapKeyRef)`, {}, `${path}.env.${i}`)
            const data = isObj(cm.props['data']) ? cm.props['data'] : {}
            const key = str(from['configMapKeyRef']['key'])
            const value = key ? data[key] : undefined
            if (typeof value === 'string') addressEdges(w, ns, name, value, `${path}.env.${i}`, `ConfigMap ${cm.name} key ${key}`)
          }
        }
        const value = e['value']
        if (typeof value === 'string' || typeof value === 'number') addressEdges(w, ns, name, String(value), `${path}.env.${i}`, `env ${name}`)
      })
      list(c['envFrom']).forEach((ef, i) => {
        if (!isObj(ef)) return
        if (isObj(ef['secretRef'])) {
          const s = find('Secret', ns, ef['secretRef']['name'])
          if (s) add(w, s, 'reads', `envFrom Secret ${String(ef['secretRef']['name'])}`, {}, `${path}.envFrom.${i}`)
        }
        if (isObj(ef['configMapRef'])) {
          const cm = find('ConfigMap', ns, ef['configMapRef']['name'])
          if (!cm) return
          add(w, cm, 'reads', `envFrom ConfigMap ${cm.name}`, {}, `${path}.envFrom.${i}`)
          const data = isObj(cm.props['data']) ? cm.props['data'] : {}
          for (const [k, v] of Object.entries(data)) if (typeof v === 'string') addressEdges(w, ns, k, v, `${path}.envFrom.${i}`, `ConfigMap ${cm.name} key ${k}`)
        }
      })
    }
  }

  /** Edges to the Services an address-like variable names, and to data-store workloads behind them. */
  function addressEdges(w: Resource, ns: string, name: string, value: string, path: string, evidence: string): void {
    // a bare word is an address only under an address-like name (`APP_NAME=frontend` is not a
    // call); asked first, as most variables are neither
    const structured = /[:/]/.test(value)
    if (!structured && !ADDRESS_NAME.test(name)) return
    const addrs = addressesIn(value)
    for (const a of addrs) {
      const svc = serviceFor(a.host, ns, services)
      if (!svc) continue
      const port = a.port ?? firstServicePort(svc)
      add(w, svc, 'network', evidence, { ...(port !== undefined ? { port } : {}), protocol: 'tcp' }, path)
      for (const t of selected.get(svc) ?? []) if (isDataStoreWorkload(t)) add(w, t, 'uses', `${evidence} → Service ${svc.name} → data store ${t.name}`, {}, path)
    }
  }
}

/** Line of a property path of a Kubernetes object (the object's own line map). */
function lineOf(r: Resource, path: string): number | undefined {
  const exact = r.propLines[path]
  if (exact !== undefined) return exact
  return lineOfProperty(r.props, path)
}

function firstServicePort(svc: Resource): number | undefined {
  const spec = isObj(svc.props['spec']) ? svc.props['spec'] : {}
  const p = list(spec['ports']).find(isObj)
  const n = p ? Number(p['port']) : NaN
  return Number.isInteger(n) ? n : undefined
}

function servicePortByName(svc: Resource, name: unknown): number | undefined {
  if (typeof name !== 'string') return undefined
  const spec = isObj(svc.props['spec']) ? svc.props['spec'] : {}
  const p = list(spec['ports']).find((x) => isObj(x) && x['name'] === name) as Obj | undefined
  const n = p ? Number(p['port']) : NaN
  return Number.isInteger(n) ? n : undefined
}

/** The container port a Service port reaches on a workload: a number, or a named container port. */
function targetPort(p: Obj, w: Resource): number | undefined {
  const t = p['targetPort'] ?? p['port']
  if (typeof t === 'number') return t
  if (typeof t === 'string' && /^\d+$/.test(t)) return Number(t)
  if (typeof t === 'string') {
    for (const { c } of podContainers(w)) {
      for (const cp of list(c['ports'])) if (isObj(cp) && cp['name'] === t && typeof cp['containerPort'] === 'number') return cp['containerPort']
    }
  }
  const n = Number(p['port'])
  return Number.isInteger(n) ? n : undefined
}

