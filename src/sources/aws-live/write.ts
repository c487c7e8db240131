import type { Snapshot } from '../aws-snapshot/index.js'
import { writePrivateJson } from '../write-private.js'

/**
 * Writes an account snapshot, mode 0600, atomically (see `writePrivateJson`): it holds Lambda
 * environment variables, resource policies and the IAM credential report, and must be handled like
 * the account's configuration itself.
 */
export function writeSnapshot(file: string, snapshot: Snapshot): void {
  writePrivateJson(file, snapshot)
}
