/** Test helpers of the segmentation domain: the clinic example's flow files and a migrated context. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import type { Store } from '../../store/index.js'
import { testContext } from '../test-support.js'
import type { ServerConfig, ServerContext } from '../types.js'

/** The example application (infrastructure code: its scan is the inventory of the tests). */
export const EXAMPLE_APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/clinic-intake')
/** The example application's recorded flows. */
export const EXAMPLE_FLOWS = path.join(EXAMPLE_APP, 'flows')

/** The agent records of one example host file, parsed. */
export function agentRecords(host: 'hl7-engine' | 'lab-gateway'): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(EXAMPLE_FLOWS, 'agent', `${host}.ndjson`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** The example's Hubble flows as text (the file is gzip). */
export function hubbleText(): string {
  return gunzipSync(fs.readFileSync(path.join(EXAMPLE_FLOWS, 'hubble', 'clinic-prod.json.gz'))).toString('utf8')
}

/** The example's VPC flow log as text. */
export function vpcText(): string {
  return fs.readFileSync(path.join(EXAMPLE_FLOWS, 'vpc', 'process-intake.log'), 'utf8')
}

/** A migrated context with the real audit log, a fixed clock and the given config. */
export async function segmentationContext(store: Store, clock: () => Date, config: Partial<ServerConfig> = {}): Promise<ServerContext> {
  return testContext(store, { clock, config })
}
