import type { Resource } from '../../../model/index.js'
import { at, isObj, list, str } from '../../aws/lib/values.js'

export { at, bool, isObj, list, num, str } from '../../aws/lib/values.js'

/** Where the pod spec of each workload type lives (Pod, PodTemplate, controllers, CronJob). */
const POD_SPEC_PATHS: Record<string, string> = {
  'K8s::Core::Pod': 'spec',
  'K8s::Core::PodTemplate': 'template.spec',
  'K8s::Core::ReplicationController': 'spec.template.spec',
  'K8s::Apps::Deployment': 'spec.template.spec',
  'K8s::Apps::StatefulSet': 'spec.template.spec',
  'K8s::Apps::DaemonSet': 'spec.template.spec',
  'K8s::Apps::ReplicaSet': 'spec.template.spec',
  'K8s::Batch::Job': 'spec.template.spec',
  'K8s::Batch::CronJob': 'spec.jobTemplate.spec.template.spec',
}

/** Inventory kinds of every object that runs containers: the `resourceKinds` of pod-level checks. */
export const WORKLOAD_KINDS = [
  'k8s:core:pod',
  'k8s:core:pod-template',
  'k8s:core:replication-controller',
  'k8s:apps:deployment',
  'k8s:apps:stateful-set',
  'k8s:apps:daemon-set',
  'k8s:apps:replica-set',
  'k8s:batch:job',
  'k8s:batch:cron-job',
]

/** The pod spec of a workload object and its property path. */
export function podSpecOf(r: Resource): { spec: Record<string, unknown>; path: string } | undefined {
  const path = POD_SPEC_PATHS[r.type]
  if (!path) return undefined
  const spec = at(r.props, path)
  return isObj(spec) ? { spec, path } : undefined
}

/** Pod template metadata (labels, annotations) of a workload: the pod's own for a Pod. */
export function podMetadataOf(r: Resource): Record<string, unknown> {
  const path = POD_SPEC_PATHS[r.type]
  if (!path) return {}
  const metaPath = path === 'spec' ? 'metadata' : `${path.slice(0, -'.spec'.length)}.metadata`
  const m = at(r.props, metaPath)
  return isObj(m) ? m : {}
}

/** One container of a pod spec, with its property path (`spec.template.spec.containers.0`). */
export interface ContainerRef {
  container: Record<string, unknown>
  path: string
  name: string
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  group: 'containers' | 'initContainers' | 'ephemeralContainers'
}

/** Containers of a workload; init and ephemeral containers too unless `only` narrows the groups. */
export function containersOf(r: Resource, only?: ContainerRef['group'][]): ContainerRef[] {
  const pod = podSpecOf(r)
  if (!pod) return []
  const out: ContainerRef[] = []
  for (const group of only ?? (['containers', 'initContainers', 'ephemeralContainers'] as const)) {
    list(pod.spec[group]).forEach((c, i) => {
      if (isObj(c)) out.push({ container: c, path: `${pod.path}.${group}.${i}`, name: str(c['name']) ?? `#${i + 1}`, group })
    })
  }
  return out
}

/** "Deployment clinic/intake-api": the object's kind and namespaced name, for messages. */
export function subject(r: Resource): string {
  const kind = str(r.props['kind']) ?? r.type.split('::').pop()
  return `${kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`
}

/** "container api of Deployment clinic/intake-api", for messages about one container. */
export function containerSubject(r: Resource, c: ContainerRef): string {
  const what = c.group === 'initContainers' ? 'init container' : c.group === 'ephemeralContainers' ? 'ephemeral container' : 'container'
  return `${what} ${c.name} of ${subject(r)}`
}

/**
 * A security setting as it applies to a container: the container's `securityContext` value,
 * else the pod's (for the fields a pod-level securityContext can set), else undefined. The path
 * says where the deciding value is written.
 */
export function effectiveSetting(r: Resource, c: ContainerRef, field: string): { value: unknown; path: string } {
  const own = at(c.container, `securityContext.${field}`)
  if (own !== undefined && own !== null) return { value: own, path: `${c.path}.securityContext.${field}` }
  const pod = podSpecOf(r)
  if (pod && POD_LEVEL_FIELDS.has(field.split('.')[0]!)) {
    const inherited = at(pod.spec, `securityContext.${field}`)
    if (inherited !== undefined && inherited !== null) return { value: inherited, path: `${pod.path}.securityContext.${field}` }
  }
  return { value: undefined, path: c.path }
}

/** Fields of a PodSecurityContext that containers inherit. */
const POD_LEVEL_FIELDS = new Set(['runAsUser', 'runAsGroup', 'runAsNonRoot', 'seccompProfile', 'seLinuxOptions', 'windowsOptions', 'appArmorProfile'])

/** Image reference parts: registry/repository, tag and digest (`repo@sha256:…`). */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  let rest = image.trim()
  let digest: string | undefined
  const atSign = rest.indexOf('@')
  if (atSign !== -1) {
    digest = rest.slice(atSign + 1)
    rest = rest.slice(0, atSign)
  }
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  let tag: string | undefined
  if (colon > slash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  return { repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) }
}
