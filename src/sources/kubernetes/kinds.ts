/**
 * Kubernetes object kinds as PhiWall resource types: `K8s::<Group>::<Kind>`, so the inventory's
 * kind is `k8s:<group>:<kind>` (`k8s:apps:deployment`, `k8s:core:service`,
 * `k8s:networking:ingress`, `k8s:rbac:cluster-role-binding`).
 */

/** Group of an apiVersion: `apps/v1` → `apps`, `v1` → core, `rbac.authorization.k8s.io/v1` → `rbac`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/')
  if (slash === -1) return 'Core'
  const group = apiVersion.slice(0, slash)
  const known = KNOWN_GROUPS[group]
  if (known) return known
  // a custom resource's group: its first DNS label (`cilium.io` → Cilium, `monitoring.coreos.com` → Monitoring)
  const first = group.split('.')[0] ?? group
  return first
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')
}

const KNOWN_GROUPS: Record<string, string> = {
  apps: 'Apps',
  batch: 'Batch',
  extensions: 'Extensions',
  'networking.k8s.io': 'Networking',
  'rbac.authorization.k8s.io': 'Rbac',
  policy: 'Policy',
  autoscaling: 'Autoscaling',
  'storage.k8s.io': 'Storage',
  'admissionregistration.k8s.io': 'Admissionregistration',
  'apiextensions.k8s.io': 'Apiextensions',
  'scheduling.k8s.io': 'Scheduling',
  'coordination.k8s.io': 'Coordination',
  'discovery.k8s.io': 'Discovery',
  'node.k8s.io': 'Node',
  'certificates.k8s.io': 'Certificates',
  'cilium.io': 'Cilium',
  'gateway.networking.k8s.io': 'Gateway',
}

/**
 * The PhiWall type of an object. Workload kinds served under several groups over the years
 * (`extensions/v1beta1` Deployment, `apps/v1beta2` DaemonSet, `extensions/v1beta1` Ingress and
 * NetworkPolicy) get the group they live in today, so one check judges every version.
 */
export function typeOf(apiVersion: string, kind: string): string {
  const moved = MOVED_KINDS[kind]
  const group = moved && (apiVersion.startsWith('extensions/') || apiVersion.startsWith('apps/')) ? moved : groupOf(apiVersion)
  return `K8s::${group}::${kind}`
}

const MOVED_KINDS: Record<string, string> = {
  Deployment: 'Apps',
  DaemonSet: 'Apps',
  ReplicaSet: 'Apps',
  StatefulSet: 'Apps',
  Ingress: 'Networking',
  NetworkPolicy: 'Networking',
  PodSecurityPolicy: 'Policy',
}

/** Types of objects that run containers from a pod template (or are a pod). */
export const WORKLOAD_TYPES = new Set([
  'K8s::Core::Pod',
  'K8s::Apps::Deployment',
  'K8s::Apps::StatefulSet',
  'K8s::Apps::DaemonSet',
  'K8s::Apps::ReplicaSet',
  'K8s::Core::ReplicationController',
  'K8s::Batch::Job',
  'K8s::Batch::CronJob',
  'K8s::Core::PodTemplate',
])

/** Kinds that are not namespaced: they have no namespace whatever the manifest says. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'PodSecurityPolicy',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'CertificateSigningRequest',
  'CiliumClusterwideNetworkPolicy',
  'GatewayClass',
  'ComponentStatus',
])

/**
 * Where the pod spec of a workload object lives: `spec` (Pod), `template.spec` (PodTemplate),
 * `spec.template.spec` (Deployment and friends), `spec.jobTemplate.spec.template.spec` (CronJob).
 */
export function podSpecPath(type: string): string | undefined {
  if (type === 'K8s::Core::Pod') return 'spec'
  if (type === 'K8s::Core::PodTemplate') return 'template.spec'
  if (type === 'K8s::Batch::CronJob') return 'spec.jobTemplate.spec.template.spec'
  if (WORKLOAD_TYPES.has(type)) return 'spec.template.spec'
  return undefined
}
