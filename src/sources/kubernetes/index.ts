/**
 * @module sources/kubernetes
 * Kubernetes manifests (YAML streams, JSON, Lists, `helm template` and `kustomize build` output)
 * and PhiWall cluster snapshots, as resources of type `K8s::<Group>::<Kind>`.
 */
export { readKubernetes, looksLikeKubernetesText, K8S_SNAPSHOT_KIND } from './read.js'
export { looksValid, podSpecLooksValid, serviceSpecLooksValid, K8S_SCHEMAS } from './read.js'
export type { KubernetesReadOptions } from './read.js'
export { typeOf as kubernetesTypeOf, groupOf, podSpecPath, WORKLOAD_TYPES, CLUSTER_SCOPED_KINDS } from './kinds.js'
