import { describe, expect, it } from 'vitest'
import { kindOf } from '../../../inventory/index.js'
import type { Resource } from '../../../model/index.js'
import {
  capabilityNames,
  containerLabel,
  containersOf,
  exposureText,
  hostPathExposure,
  isImageTemplate,
  isLongRunning,
  isSidecar,
  isWindowsPod,
  mountsOf,
  normalizeHostPath,
  parseImage,
  podAnnotationsOf,
  podMetadataPathOf,
  profileOf,
  upperFirst,
  volumesOf,
} from './pod.js'

/** A resource as the inventory builds it from a manifest (props are the object as written). */
function k8s(type: string, props: Record<string, unknown>): Resource {
  const name = 'intake-api'
  return {
    id: `${kindOf(type)}:test.yaml#clinic-prod/${name}`,
    kind: kindOf(type),
    type,
    provider: 'kubernetes',
    name,
    sourceId: `clinic-prod/${name}`,
    origin: 'kubernetes',
    environment: 'unknown',
    labels: {},
    holdsPhi: 'unknown',
    evidence: { phi: [], environment: [] },
    location: { file: 'test.yaml', line: 4 },
    props: { metadata: { name, namespace: 'clinic-prod' }, ...props },
    propLines: {},
    stack: 'test.yaml',
    dependsOn: [],
    namespace: 'clinic-prod',
  }
}

const deployment = (podSpec: unknown, podMeta: unknown = {}): Resource => k8s('K8s::Apps::Deployment', { kind: 'Deployment', spec: { template: { metadata: podMeta, spec: podSpec } } })
const DIGEST = 'sha256:4a800fb41085bc852d212964383158dbc474275edc204235963180ce639159f5'

describe('parseImage', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['ghcr.io/clinic/intake-api:2.4.1', { repository: 'ghcr.io/clinic/intake-api', tag: '2.4.1' }],
    [`registry:5000/a/b:1.2@${DIGEST}`, { repository: 'registry:5000/a/b', tag: '1.2', digest: DIGEST }],
    ['registry:5000/a/b', { repository: 'registry:5000/a/b' }],
    ['localhost:5000/intake', { repository: 'localhost:5000/intake' }],
    [`ghcr.io/clinic/intake-api@${DIGEST}`, { repository: 'ghcr.io/clinic/intake-api', digest: DIGEST }],
    [`busybox:latest@${DIGEST}`, { repository: 'busybox', tag: 'latest', digest: DIGEST }],
    ['  busybox:1.36.1 ', { repository: 'busybox', tag: '1.36.1' }],
    ['[::1]:5000/app:v2', { repository: '[::1]:5000/app', tag: 'v2' }],
  ])('%s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected)
  })

  it('keeps an empty tag as written, so callers can treat it as no tag', () => {
    expect(parseImage('nginx:')).toEqual({ repository: 'nginx', tag: '' })
  })
})

describe('isImageTemplate', () => {
  it('recognises unrendered Helm, envsubst and Kubernetes variable references', () => {
    expect(isImageTemplate('{{ .Values.image.repository }}:{{ .Values.image.tag }}')).toBe(true)
    expect(isImageTemplate('ghcr.io/clinic/intake-api:${TAG}')).toBe(true)
    expect(isImageTemplate('$(IMAGE)')).toBe(true)
    expect(isImageTemplate('ghcr.io/clinic/intake-api:2.4.1')).toBe(false)
  })
})

describe('capabilityNames', () => {
  it('upper-cases, strips CAP_, trims, drops non-strings and duplicates', () => {
    expect(capabilityNames(['cap_sys_admin', 'NET_RAW', ' all ', 3, null, 'NET_RAW', 'CAP_NET_RAW'])).toEqual(['SYS_ADMIN', 'NET_RAW', 'ALL'])
  })
  it('reads a single string as a one-item list and absent values as empty', () => {
    expect(capabilityNames('SYS_PTRACE')).toEqual(['SYS_PTRACE'])
    expect(capabilityNames(undefined)).toEqual([])
    expect(capabilityNames({ add: ['X'] })).toEqual([])
  })
})

describe('host paths', () => {
  it.each([
    ['//', '/'],
    ['/var/run/', '/var/run'],
    ['/var//lib/./kubelet/', '/var/lib/kubelet'],
    [' /etc ', '/etc'],
    ['data/hl7', 'data/hl7'],
    ['\\\\.\\pipe\\docker_engine', '\\\\.\\pipe\\docker_engine'],
    ['//./pipe/docker_engine', '\\\\.\\pipe\\docker_engine'],
    ['C:/ProgramData/clinic', 'C:\\ProgramData\\clinic'],
  ])('normalizes %j to %j', (input, out) => {
    expect(normalizeHostPath(input)).toBe(out)
  })

  it('recognises runtime sockets, the directories that contain them, and paths inside runtime directories', () => {
    expect(hostPathExposure('/var/run/docker.sock')[0]).toMatchObject({ path: '/var/run/docker.sock', runtimeSocket: true })
    expect(hostPathExposure('/var/run').some((e) => e.path === '/var/run/docker.sock')).toBe(true)
    expect(hostPathExposure('/run/containerd/containerd.sock').some((e) => e.runtimeSocket)).toBe(true)
    expect(hostPathExposure('/run/k3s/containerd/containerd.sock').some((e) => e.runtimeSocket)).toBe(true)
    expect(hostPathExposure('/var/lib/kubelet/pods').map((e) => e.path)).toEqual(['/var/lib/kubelet'])
  })

  it("recognises the Windows runtimes' named pipes, whichever slashes are written", () => {
    expect(hostPathExposure('\\\\.\\pipe\\docker_engine')).toMatchObject([{ runtimeSocket: true, what: "the Docker engine's named pipe" }])
    expect(hostPathExposure('//./pipe/containerd-containerd')).toMatchObject([{ runtimeSocket: true }])
    expect(hostPathExposure('\\\\.\\PIPE\\Docker_Engine')).toHaveLength(1)
    expect(hostPathExposure('C:\\ProgramData\\clinic')).toEqual([])
  })

  it('puts the entry for the path itself first, and the root exposes everything', () => {
    const root = hostPathExposure('/')
    expect(root[0]!.path).toBe('/')
    expect(root.some((e) => e.runtimeSocket)).toBe(true)
    expect(root.length).toBeGreaterThan(10)
    expect(hostPathExposure('/etc')[0]!.path).toBe('/etc')
  })

  it('does not flag harmless node paths, nor relative ones', () => {
    expect(hostPathExposure('/etc/localtime')).toEqual([])
    expect(hostPathExposure('/etc/ssl/certs')).toEqual([])
    expect(hostPathExposure('/data/hl7-archive')).toEqual([])
    expect(hostPathExposure('/var/fluent-bit/state')).toEqual([])
    expect(hostPathExposure('var/run')).toEqual([])
  })

  it('describes what a path exposes: itself, the tree it is part of, or what it contains', () => {
    expect(exposureText('/var/run/docker.sock', hostPathExposure('/var/run/docker.sock'))).toBe('the Docker daemon socket')
    expect(exposureText('/var/lib/kubelet/pods', hostPathExposure('/var/lib/kubelet/pods'))).toMatch(/^part of the kubelet's state/)
    expect(exposureText('/run', hostPathExposure('/run'))).toMatch(/^a directory that contains the Docker daemon socket/)
    expect(exposureText('/var', hostPathExposure('/var'))).toMatch(/and \d+ more sensitive locations$/)
    expect(exposureText('/data', hostPathExposure('/data'))).toBe('')
  })
})

describe('pod helpers', () => {
  it('finds Windows pods by spec.os.name only', () => {
    expect(isWindowsPod(deployment({ os: { name: 'windows' }, containers: [] }))).toBe(true)
    expect(isWindowsPod(deployment({ os: { name: 'Windows ' }, containers: [] }))).toBe(true)
    expect(isWindowsPod(deployment({ os: { name: 'linux' }, containers: [] }))).toBe(false)
    expect(isWindowsPod(deployment({ nodeSelector: { 'kubernetes.io/os': 'windows' }, containers: [] }))).toBe(false)
    expect(isWindowsPod(deployment('not a pod spec'))).toBe(false)
  })

  it('tells long-running workloads from run-to-completion ones', () => {
    const pod = (restartPolicy?: string): Resource => k8s('K8s::Core::Pod', { kind: 'Pod', spec: { containers: [], ...(restartPolicy ? { restartPolicy } : {}) } })
    expect(isLongRunning(deployment({ containers: [] }))).toBe(true)
    expect(isLongRunning(pod())).toBe(true)
    expect(isLongRunning(pod('Always'))).toBe(true)
    expect(isLongRunning(pod('Never'))).toBe(false)
    expect(isLongRunning(pod('OnFailure'))).toBe(false)
    expect(isLongRunning(k8s('K8s::Batch::Job', { spec: { template: { spec: { containers: [] } } } }))).toBe(false)
    expect(isLongRunning(k8s('K8s::Batch::CronJob', { spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } } }))).toBe(false)
    expect(isLongRunning(deployment(null))).toBe(false)
  })

  it('recognises native sidecars among init containers', () => {
    const r = deployment({ initContainers: [{ name: 'envoy', restartPolicy: 'Always' }, { name: 'migrate' }], containers: [{ name: 'api', restartPolicy: 'Always' }] })
    expect(containersOf(r).map((c) => [c.name, isSidecar(c)])).toEqual([
      ['api', false],
      ['envoy', true],
      ['migrate', false],
    ])
  })

  it('lists volumes and their mounts in every container group, reading string booleans', () => {
    const r = deployment({
      initContainers: [{ name: 'init', volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: 'true' }] }],
      containers: [{ name: 'api', volumeMounts: [{ name: 'data', mountPath: '/srv' }, 'garbage', { name: 'other' }] }],
      ephemeralContainers: [{ name: 'debug', volumeMounts: { name: 'data', mountPath: '/x', readOnly: true } }],
      volumes: [{ name: 'data', emptyDir: {} }, 42, { hostPath: { path: '/' } }],
    })
    expect(volumesOf(r).map((v) => [v.name, v.path])).toEqual([
      ['data', 'spec.template.spec.volumes.0'],
      ['#3', 'spec.template.spec.volumes.2'],
    ])
    expect(mountsOf(r, 'data').map((m) => [m.container.name, m.readOnly, m.mountPath, m.path])).toEqual([
      ['api', false, '/srv', 'spec.template.spec.containers.0.volumeMounts.0'],
      ['init', true, '/data', 'spec.template.spec.initContainers.0.volumeMounts.0'],
      ['debug', true, '/x', 'spec.template.spec.ephemeralContainers.0.volumeMounts.0'],
    ])
  })

  it('finds pod template metadata and annotations for every workload shape', () => {
    const cron = k8s('K8s::Batch::CronJob', { spec: { jobTemplate: { spec: { template: { metadata: { annotations: { a: 'x', n: 3 } }, spec: {} } } } } })
    expect(podMetadataPathOf(cron)).toBe('spec.jobTemplate.spec.template.metadata')
    expect(podAnnotationsOf(cron)).toEqual({ annotations: { a: 'x' }, path: 'spec.jobTemplate.spec.template.metadata.annotations' })
    const pod = k8s('K8s::Core::Pod', { metadata: { name: 'p', annotations: 'nope' }, spec: {} })
    expect(podMetadataPathOf(pod)).toBe('metadata')
    expect(podAnnotationsOf(pod)).toEqual({ annotations: {}, path: 'metadata.annotations' })
    expect(podMetadataPathOf(k8s('K8s::Core::Service', {}))).toBeUndefined()
  })

  it('labels containers with their group', () => {
    const r = deployment({ initContainers: [{ name: 'migrate' }], containers: [{ name: 'api' }, {}], ephemeralContainers: [{ name: 'debug' }] })
    expect(containersOf(r).map(containerLabel)).toEqual(['container api', 'container #2', 'init container migrate', 'ephemeral container debug'])
  })

  it('capitalizes message subjects', () => {
    expect(upperFirst('container api of Deployment x')).toBe('Container api of Deployment x')
    expect(upperFirst('')).toBe('')
  })
})

describe('profileOf', () => {
  const make = (containerSc: unknown, podSc: unknown, annotations: Record<string, string> = {}): Resource =>
    deployment({ securityContext: podSc, containers: [{ name: 'api', securityContext: containerSc }] }, { annotations })
  const api = (r: Resource) => containersOf(r)[0]!

  it('prefers the container field, then the container annotation, then the pod field, then the pod annotation', () => {
    const all = make({ seccompProfile: { type: 'Localhost' } }, { seccompProfile: { type: 'Unconfined' } }, { 'container.seccomp.security.alpha.kubernetes.io/api': 'unconfined', 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' })
    expect(profileOf(all, api(all), 'seccomp')).toMatchObject({ type: 'Localhost', source: 'container field', path: 'spec.template.spec.containers.0.securityContext.seccompProfile.type' })
    const ann = make({}, { seccompProfile: { type: 'Unconfined' } }, { 'container.seccomp.security.alpha.kubernetes.io/api': 'runtime/default' })
    expect(profileOf(ann, api(ann), 'seccomp')).toMatchObject({ type: 'RuntimeDefault', source: 'container annotation', path: 'spec.template.metadata.annotations' })
    const pod = make(undefined, { seccompProfile: { type: 'RuntimeDefault' } }, { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' })
    expect(profileOf(pod, api(pod), 'seccomp')).toMatchObject({ type: 'RuntimeDefault', source: 'pod field', path: 'spec.template.spec.securityContext.seccompProfile.type' })
    const podAnn = make(undefined, undefined, { 'seccomp.security.alpha.kubernetes.io/pod': 'docker/default' })
    expect(profileOf(podAnn, api(podAnn), 'seccomp')).toMatchObject({ type: 'RuntimeDefault', source: 'pod annotation' })
    const none = make(undefined, undefined)
    expect(profileOf(none, api(none), 'seccomp')).toBeUndefined()
  })

  it('maps AppArmor annotations and has no pod-level AppArmor annotation', () => {
    const local = make(undefined, undefined, { 'container.apparmor.security.beta.kubernetes.io/api': 'localhost/k8s-intake' })
    expect(profileOf(local, api(local), 'apparmor')).toMatchObject({ type: 'Localhost', source: 'container annotation' })
    const other = make(undefined, undefined, { 'container.apparmor.security.beta.kubernetes.io/sidecar': 'unconfined', 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' })
    expect(profileOf(other, api(other), 'apparmor')).toBeUndefined()
    const field = make(undefined, { appArmorProfile: { type: 'Unconfined' } })
    expect(profileOf(field, api(field), 'apparmor')).toMatchObject({ type: 'Unconfined', source: 'pod field' })
  })
})
