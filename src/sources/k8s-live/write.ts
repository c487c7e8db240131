import { writePrivateJson } from '../write-private.js'
import type { K8sSnapshot } from './snapshot.js'

/**
 * Writes a cluster snapshot, mode 0600, atomically (see `writePrivateJson`): Secret values are
 * gone, but ConfigMap values, container environment variables and RBAC remain, and must be handled
 * like the cluster's configuration itself.
 */
export function writeK8sSnapshot(file: string, snapshot: K8sSnapshot): void {
  writePrivateJson(file, snapshot)
}
