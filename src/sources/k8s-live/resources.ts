/**
 * The Kubernetes resources `phiwall collect k8s` lists: what the checks judge (workloads and
 * their pod templates, exposure, network policy, RBAC, secrets and configuration, storage).
 */

/** One resource the collector lists. */
export interface ResourceSpec {
  /** Kind of each item (`Deployment`). */
  kind: string
  /** apiVersion of the items (`apps/v1`). */
  apiVersion: string
  /** Plural resource name in the URL (`deployments`). */
  resource: string
  /** Namespaced resources are listed per namespace with `--namespace`, else across all namespaces. */
  namespaced: boolean
  /**
   * A custom resource that exists only when its CRD is installed: a 404 means "not installed"
   * and is skipped without an error.
   */
  optional?: boolean
}

/** In the order the snapshot lists them. */
export const RESOURCE_SPECS: readonly ResourceSpec[] = [
  { kind: 'Namespace', apiVersion: 'v1', resource: 'namespaces', namespaced: false },
  { kind: 'Pod', apiVersion: 'v1', resource: 'pods', namespaced: true },
  { kind: 'Deployment', apiVersion: 'apps/v1', resource: 'deployments', namespaced: true },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', resource: 'statefulsets', namespaced: true },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', resource: 'daemonsets', namespaced: true },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', resource: 'replicasets', namespaced: true },
  { kind: 'Job', apiVersion: 'batch/v1', resource: 'jobs', namespaced: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', resource: 'cronjobs', namespaced: true },
  { kind: 'Service', apiVersion: 'v1', resource: 'services', namespaced: true },
  { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', resource: 'ingresses', namespaced: true },
  { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', resource: 'networkpolicies', namespaced: true },
  { kind: 'ServiceAccount', apiVersion: 'v1', resource: 'serviceaccounts', namespaced: true },
  { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'roles', namespaced: true },
  { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'clusterroles', namespaced: false },
  { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'rolebindings', namespaced: true },
  { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'clusterrolebindings', namespaced: false },
  { kind: 'Secret', apiVersion: 'v1', resource: 'secrets', namespaced: true },
  { kind: 'ConfigMap', apiVersion: 'v1', resource: 'configmaps', namespaced: true },
  { kind: 'PersistentVolumeClaim', apiVersion: 'v1', resource: 'persistentvolumeclaims', namespaced: true },
  { kind: 'PersistentVolume', apiVersion: 'v1', resource: 'persistentvolumes', namespaced: false },
  { kind: 'CiliumNetworkPolicy', apiVersion: 'cilium.io/v2', resource: 'ciliumnetworkpolicies', namespaced: true, optional: true },
  { kind: 'CiliumClusterwideNetworkPolicy', apiVersion: 'cilium.io/v2', resource: 'ciliumclusterwidenetworkpolicies', namespaced: false, optional: true },
]

/** `deployments.apps`, `secrets`, `ciliumnetworkpolicies.cilium.io`: the name kubectl and RBAC use. */
export function resourceName(spec: ResourceSpec): string {
  const slash = spec.apiVersion.indexOf('/')
  return slash === -1 ? spec.resource : `${spec.resource}.${spec.apiVersion.slice(0, slash)}`
}

/** URL path of a list: `/api/v1/pods`, `/apis/apps/v1/namespaces/clinic-prod/deployments`. */
export function listPath(spec: ResourceSpec, namespace?: string): string {
  const base = spec.apiVersion.includes('/') ? `/apis/${spec.apiVersion}` : `/api/${spec.apiVersion}`
  return namespace !== undefined && spec.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${spec.resource}` : `${base}/${spec.resource}`
}
