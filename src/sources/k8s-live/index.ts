/**
 * @module sources/k8s-live
 * `phiwall collect k8s`: reads a live Kubernetes cluster, read-only, through the kubeconfig and
 * `@kubernetes/client-node`, into a snapshot that `phiwall scan` reads (`sources/kubernetes`).
 * Loads the Kubernetes client: import it dynamically, only where a live cluster is read, so
 * scans do not pay for it at start-up.
 */
export { collectK8sSnapshot } from './collect.js'
export type { CollectK8sOptions } from './collect.js'
export { writeK8sSnapshot } from './write.js'
export { k8sSnapshotSchema, k8sSnapshotItemSchema, k8sSnapshotErrorSchema, K8S_SNAPSHOT_SCHEMA_VERSION } from './snapshot.js'
export type { K8sSnapshot, K8sSnapshotItem, K8sSnapshotError } from './snapshot.js'
export { RESOURCE_SPECS, resourceName } from './resources.js'
export type { ResourceSpec } from './resources.js'
export { sanitizeObject, representedBy, looksLikeSecretKey, REDACTED_ANNOTATION, LAST_APPLIED_ANNOTATION } from './sanitize.js'
export { redactMessage } from './errors.js'
