import type { Resource } from '../../../model/index.js'
import { fail, pass } from '../../define-check.js'
import type { CheckResult } from '../../types.js'
import { at, bool, isObj, list, str } from '../../aws/lib/values.js'

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

/**
 * A value computed once per object: kept in a WeakMap, and the last answer in front of it (the
 * checks of a resource run one after the other and ask the same helpers in turn).
 */
class PerObject<K extends object, A, V> {
  private readonly map = new WeakMap<K, V>()
  private lastKey: K | undefined
  private lastValue: V | undefined
  constructor(private readonly compute: (key: K, arg: A) => V) {}
  get(key: K, arg: A): V {
    if (key === this.lastKey) return this.lastValue as V
    let v = this.map.get(key)
    if (v === undefined && !this.map.has(key)) {
      v = this.compute(key, arg)
      this.map.set(key, v)
    }
    this.lastKey = key
    this.lastValue = v
    return v as V
  }
}

/** The pod spec of a workload object and its property path. */
export function podSpecOf(r: Resource): { spec: Record<string, unknown>; path: string } | undefined {
  // twenty checks ask for the same pod spec of every workload
  return POD_SPECS.get(r.props, r)
}
const POD_SPECS = new PerObject<object, Resource, { spec: Record<string, unknown>; path: string } | undefined>((_, r) => {
  const path = POD_SPEC_PATHS[r.type]
  const spec = path ? at(r.props, path) : undefined
  return path && isObj(spec) ? { spec, path } : undefined
})

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

/** Containers of a workload; init and ephemeral containers too unless `only` narrows the groups. Shared: read-only. */
export function containersOf(r: Resource, only?: ContainerRef['group'][]): readonly ContainerRef[] {
  const all = CONTAINERS.get(r.props, r)
  if (!only) return all
  // in the order the groups were asked for, as the callers list them
  const out: ContainerRef[] = []
  for (const g of only) for (const c of all) if (c.group === g) out.push(c)
  return out
}
const CONTAINERS = new PerObject<object, Resource, ContainerRef[]>((_, r) => {
  const all: ContainerRef[] = []
  const pod = podSpecOf(r)
  if (pod) {
    for (const group of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
      list(pod.spec[group]).forEach((c, i) => {
        if (isObj(c)) all.push({ container: c, path: `${pod.path}.${group}.${i}`, name: str(c['name']) ?? `#${i + 1}`, group })
      })
    }
  }
  return all
})

/** "Container api of Deployment clinic/intake-api": {@link containerSubject} capitalised, computed once per container. */
export function containerWho(r: Resource, c: ContainerRef): string {
  return WHO.get(c, r)
}
const WHO = new PerObject<ContainerRef, Resource, string>((c, r) => upperFirst(containerSubject(r, c)))

/** "Deployment clinic/intake-api": the object's kind and namespaced name, for messages. */
export function subject(r: Resource): string {
  return SUBJECTS.get(r, undefined)
}
const SUBJECTS = new PerObject<Resource, undefined, string>((r) => `${str(r.props['kind']) ?? r.type.split('::').pop()} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`)

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

// ---------------------------------------------------------------------------------------------
// Helpers of the pod-level checks (privileged, host namespaces, volumes, probes, capabilities…)
// ---------------------------------------------------------------------------------------------

/** The first letter in upper case: message subjects that start a sentence ("Container api of …"). */
export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** Property path of the pod (template) metadata: `metadata` for a Pod, `spec.template.metadata` for a Deployment. */
export function podMetadataPathOf(r: Resource): string | undefined {
  const path = POD_SPEC_PATHS[r.type]
  if (!path) return undefined
  return path === 'spec' ? 'metadata' : `${path.slice(0, -'.spec'.length)}.metadata`
}

/** Pod (template) annotations as strings, with the path of the `annotations` key. */
export function podAnnotationsOf(r: Resource): { annotations: Record<string, string>; path: string } {
  const m = podMetadataOf(r)
  const out: Record<string, string> = {}
  const a = m['annotations']
  if (isObj(a)) for (const [k, v] of Object.entries(a)) if (typeof v === 'string') out[k] = v
  return { annotations: out, path: `${podMetadataPathOf(r) ?? 'metadata'}.annotations` }
}

/**
 * Is this a Windows pod (`spec.os.name: windows`)? Pod Security Standards exempt Windows pods
 * from the Linux-only controls (non-root by UID, seccomp, capabilities, privilege escalation,
 * read-only root filesystem).
 */
export function isWindowsPod(r: Resource): boolean {
  const pod = podSpecOf(r)
  if (!pod) return false
  const os = pod.spec['os']
  const name = os !== null && typeof os === 'object' ? (os as Record<string, unknown>)['name'] : undefined
  return typeof name === 'string' && name.trim().toLowerCase() === 'windows'
}

/** Types whose pods run to completion rather than serve. */
const RUN_TO_COMPLETION_TYPES = new Set(['K8s::Batch::Job', 'K8s::Batch::CronJob'])

/**
 * Does a workload run long-lived pods that are restarted when they exit? Jobs, CronJobs, and
 * Pods or templates with `restartPolicy: Never` / `OnFailure` run to completion instead.
 */
export function isLongRunning(r: Resource): boolean {
  if (RUN_TO_COMPLETION_TYPES.has(r.type)) return false
  const pod = podSpecOf(r)
  if (!pod) return false
  const policy = pod.spec['restartPolicy']
  return policy === undefined || policy === null || policy === 'Always'
}

/** Is an init container a native sidecar (`restartPolicy: Always`, Kubernetes 1.29+) that runs beside the app containers? */
export function isSidecar(c: ContainerRef): boolean {
  return c.group === 'initContainers' && c.container['restartPolicy'] === 'Always'
}

/** One volume of a pod spec, with its property path (`spec.template.spec.volumes.0`). */
export interface VolumeRef {
  volume: Record<string, unknown>
  /** The volume's name; `#<n>` when it has none. */
  name: string
  path: string
}

/** Volumes declared in a workload's pod spec. */
export function volumesOf(r: Resource): VolumeRef[] {
  const pod = podSpecOf(r)
  if (!pod) return []
  const out: VolumeRef[] = []
  list(pod.spec['volumes']).forEach((v, i) => {
    if (isObj(v)) out.push({ volume: v, name: str(v['name']) ?? `#${i + 1}`, path: `${pod.path}.volumes.${i}` })
  })
  return out
}

/** "container api", "init container migrate": a container named with its group, for lists in messages. */
export function containerLabel(c: ContainerRef): string {
  return `${c.group === 'initContainers' ? 'init container' : c.group === 'ephemeralContainers' ? 'ephemeral container' : 'container'} ${c.name}`
}

/** A container's mount of a volume (`volumeMounts[]`), with its property path. */
export interface MountRef {
  container: ContainerRef
  mount: Record<string, unknown>
  path: string
  /** `readOnly: true` (or `"true"`) on the mount. */
  readOnly: boolean
  mountPath?: string
}

/** Every mount of the named volume, in any container (init and ephemeral ones too). */
export function mountsOf(r: Resource, volumeName: string): MountRef[] {
  const out: MountRef[] = []
  for (const c of containersOf(r)) {
    list(c.container['volumeMounts']).forEach((m, i) => {
      if (!isObj(m) || m['name'] !== volumeName) return
      const mountPath = str(m['mountPath'])
      out.push({ container: c, mount: m, path: `${c.path}.volumeMounts.${i}`, readOnly: bool(m['readOnly']) === true, ...(mountPath !== undefined ? { mountPath } : {}) })
    })
  }
  return out
}

/**
 * Linux capability names as the runtime reads them: upper case, without the `CAP_` prefix
 * (`cap_sys_admin` → `SYS_ADMIN`). Entries that are not strings are left out.
 */
export function capabilityNames(v: unknown): string[] {
  const out: string[] = []
  for (const x of list(v)) {
    if (typeof x !== 'string') continue
    const n = x.trim().toUpperCase().replace(/^CAP_/, '')
    if (n && !out.includes(n)) out.push(n)
  }
  return out
}

/**
 * A hostPath as the kubelet resolves it: repeated and trailing slashes removed, `.` segments
 * dropped (the API server refuses `..`). Relative paths are kept relative; Windows paths
 * (`C:\data`, named pipes `\\.\pipe\docker_engine` or `//./pipe/docker_engine`) are kept with backslashes.
 */
export function normalizeHostPath(p: string): string {
  if (/^\s*(\\\\|\/\/\.\/|[A-Za-z]:[\\/])/.test(p)) return p.trim().replace(/\//g, '\\')
  const abs = p.trim().startsWith('/')
  const parts = p
    .trim()
    .split('/')
    .filter((s) => s !== '' && s !== '.')
  const joined = parts.join('/')
  return abs ? `/${joined}` : joined
}

/** A node path that a hostPath volume must not expose, and why. */
export interface SensitiveHostPath {
  path: string
  /** What lives there: "the Docker daemon socket". */
  what: string
  /** A container runtime API socket: control of every container on the node. */
  runtimeSocket: boolean
  /** Whether everything below the path is as sensitive as the path itself. */
  subtree: boolean
}

/** Node paths whose exposure to a container gives the node away (or a large part of it). */
export const SENSITIVE_HOST_PATHS: readonly SensitiveHostPath[] = [
  { path: '/', what: "the node's root filesystem", runtimeSocket: false, subtree: false },
  { path: '/var/run/docker.sock', what: 'the Docker daemon socket', runtimeSocket: true, subtree: false },
  { path: '/run/docker.sock', what: 'the Docker daemon socket', runtimeSocket: true, subtree: false },
  { path: '/var/run/containerd', what: 'the containerd socket', runtimeSocket: true, subtree: true },
  { path: '/run/containerd', what: 'the containerd socket', runtimeSocket: true, subtree: true },
  { path: '/var/run/crio', what: 'the CRI-O socket', runtimeSocket: true, subtree: true },
  { path: '/run/crio', what: 'the CRI-O socket', runtimeSocket: true, subtree: true },
  { path: '/var/run/cri-dockerd.sock', what: 'the cri-dockerd socket', runtimeSocket: true, subtree: false },
  { path: '/run/cri-dockerd.sock', what: 'the cri-dockerd socket', runtimeSocket: true, subtree: false },
  { path: '/var/run/dockershim.sock', what: 'the dockershim socket', runtimeSocket: true, subtree: false },
  { path: '/run/k3s/containerd', what: "k3s's containerd socket", runtimeSocket: true, subtree: true },
  { path: '/var/run/podman', what: 'the Podman socket', runtimeSocket: true, subtree: true },
  { path: '/run/podman', what: 'the Podman socket', runtimeSocket: true, subtree: true },
  { path: '/etc', what: "the node's configuration (users, sudoers, SSH, systemd units, the kubelet's kubeconfig)", runtimeSocket: false, subtree: false },
  { path: '/etc/kubernetes', what: "the node's Kubernetes credentials and PKI", runtimeSocket: false, subtree: true },
  { path: '/etc/shadow', what: "the node's password hashes", runtimeSocket: false, subtree: false },
  { path: '/etc/sudoers', what: "the node's sudo rules", runtimeSocket: false, subtree: true },
  { path: '/etc/sudoers.d', what: "the node's sudo rules", runtimeSocket: false, subtree: true },
  { path: '/etc/ssh', what: "the node's SSH configuration and host keys", runtimeSocket: false, subtree: true },
  { path: '/root', what: "the node's root home directory (SSH keys)", runtimeSocket: false, subtree: true },
  { path: '/proc', what: "the node's /proc (every process, kernel parameters such as core_pattern)", runtimeSocket: false, subtree: true },
  { path: '/sys', what: "the node's /sys (kernel and cgroup interfaces)", runtimeSocket: false, subtree: true },
  { path: '/dev', what: "the node's devices (raw disks)", runtimeSocket: false, subtree: true },
  { path: '/boot', what: "the node's kernel and boot loader", runtimeSocket: false, subtree: true },
  { path: '/var/lib/kubelet', what: "the kubelet's state (every pod's Secrets and service account tokens, the kubelet's credentials)", runtimeSocket: false, subtree: true },
  { path: '/var/lib/docker', what: "Docker's state (every container's filesystem)", runtimeSocket: false, subtree: true },
  { path: '/var/lib/containerd', what: "containerd's state (every container's filesystem)", runtimeSocket: false, subtree: true },
  { path: '/var/log', what: "the node's logs (a writable mount lets a container reach any node file through the kubelet's log endpoint)", runtimeSocket: false, subtree: false },
]

/** Named pipes of the container runtimes on Windows nodes (`\\.\pipe\docker_engine`). */
const WINDOWS_RUNTIME_PIPES: readonly SensitiveHostPath[] = [
  { path: '\\\\.\\pipe\\docker_engine', what: "the Docker engine's named pipe", runtimeSocket: true, subtree: false },
  { path: '\\\\.\\pipe\\containerd-containerd', what: "containerd's named pipe", runtimeSocket: true, subtree: false },
]

/**
 * The sensitive node paths a hostPath exposes: those at or below it (mounting `/var` exposes
 * `/var/lib/kubelet`), and those whose whole subtree is sensitive when it lies inside one
 * (`/var/lib/kubelet/pods`). The entry for the path itself comes first.
 */
export function hostPathExposure(hostPath: string): SensitiveHostPath[] {
  const p = normalizeHostPath(hostPath)
  const pipe = WINDOWS_RUNTIME_PIPES.find((s) => s.path.toLowerCase() === p.toLowerCase())
  if (pipe) return [pipe]
  if (!p.startsWith('/')) return []
  const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`)
  const out = SENSITIVE_HOST_PATHS.filter((s) => inside(s.path, p) || (s.subtree && inside(p, s.path)))
  return out.sort((a, b) => Number(b.path === p) - Number(a.path === p))
}

/**
 * What a hostPath exposes, for messages: the path's own description ("the Docker daemon socket"),
 * the sensitive tree it is part of ("part of the kubelet's state …"), or what it contains ("a
 * directory that contains the Docker daemon socket"); empty when nothing sensitive. `exposed`
 * comes from {@link hostPathExposure} of the normalized path `p`.
 */
export function exposureText(p: string, exposed: readonly SensitiveHostPath[]): string {
  const own = exposed.find((e) => e.path === p)
  if (own) return own.what
  const parent = exposed.filter((e) => p.startsWith(e.path === '/' ? '/' : `${e.path}/`)).sort((a, b) => b.path.length - a.path.length)[0]
  if (parent) return `part of ${parent.what}`
  const inner = [...new Set(exposed.map((e) => e.what))]
  if (!inner.length) return ''
  return `a directory that contains ${inner.slice(0, 3).join(', ')}${inner.length > 3 ? ` and ${inner.length - 3} more sensitive locations` : ''}`
}

/** Is an image reference a template left unrendered (`${IMAGE}`, `{{ .Values.image }}`, `$(IMAGE)`)? */
export function isImageTemplate(image: string): boolean {
  return /\$\{|\{\{|\$\(/.test(image)
}

/** A confinement profile (seccomp, AppArmor) as it applies to a container, and where it is written. */
export interface ProfileSetting {
  /** `RuntimeDefault`, `Localhost`, `Unconfined` (annotation values mapped to these), the value as written when unrecognised, `''` when not a string. */
  type: string
  /** Property path of the deciding field, or of the annotations mapping for an annotation. */
  path: string
  /** Where it comes from. */
  source: 'container field' | 'container annotation' | 'pod field' | 'pod annotation'
  /** The annotation key, for annotations. */
  annotation?: string
}

/** The `type` a legacy seccomp / AppArmor annotation value stands for (`runtime/default` → `RuntimeDefault`). */
function annotationProfileType(v: string): string {
  const s = v.trim()
  if (s === 'runtime/default' || s === 'docker/default') return 'RuntimeDefault'
  if (s.startsWith('localhost/')) return 'Localhost'
  if (s === 'unconfined') return 'Unconfined'
  return s
}

/**
 * The seccomp (`kind: 'seccomp'`) or AppArmor (`kind: 'apparmor'`) profile of a container: the
 * container's securityContext field, else its legacy annotation, else the pod's field, else (for
 * seccomp) the pod annotation. The API server copies legacy annotations into the fields when a pod
 * is created, and rejects a field and an annotation that disagree; undefined when nothing is set.
 */
export function profileOf(r: Resource, c: ContainerRef, kind: 'seccomp' | 'apparmor'): ProfileSetting | undefined {
  const field = kind === 'seccomp' ? 'seccompProfile' : 'appArmorProfile'
  const { annotations, path: annPath } = podAnnotationsOf(r)
  const own = at(c.container, `securityContext.${field}.type`)
  if (own !== undefined && own !== null) return { type: typeof own === 'string' ? own : '', path: `${c.path}.securityContext.${field}.type`, source: 'container field' }
  const cKey = kind === 'seccomp' ? `container.seccomp.security.alpha.kubernetes.io/${c.name}` : `container.apparmor.security.beta.kubernetes.io/${c.name}`
  if (annotations[cKey] !== undefined) return { type: annotationProfileType(annotations[cKey]), path: annPath, source: 'container annotation', annotation: cKey }
  const pod = podSpecOf(r)
  const podType = pod ? at(pod.spec, `securityContext.${field}.type`) : undefined
  if (pod && podType !== undefined && podType !== null) return { type: typeof podType === 'string' ? podType : '', path: `${pod.path}.securityContext.${field}.type`, source: 'pod field' }
  const pKey = 'seccomp.security.alpha.kubernetes.io/pod'
  if (kind === 'seccomp' && annotations[pKey] !== undefined) return { type: annotationProfileType(annotations[pKey]), path: annPath, source: 'pod annotation', annotation: pKey }
  return undefined
}

/**
 * One result per long-running container (and native sidecar) on whether it declares a probe:
 * the shared body of `k8s/liveness-probe` and `k8s/readiness-probe`.
 */
export function judgeProbe(r: Resource, field: 'livenessProbe' | 'readinessProbe', label: string, consequence: string): CheckResult[] {
  const results: CheckResult[] = []
  for (const c of containersOf(r, ['containers', 'initContainers'])) {
    if (c.group === 'initContainers' && !isSidecar(c)) continue
    const who = containerWho(r, c)
    if (isObj(c.container[field])) results.push(pass(`${who} has a ${label}.`, { container: c.name }))
    else results.push(fail(`${who} has no ${label}, ${consequence}.`, { path: c.path, evidence: { container: c.name } }))
  }
  return results
}
