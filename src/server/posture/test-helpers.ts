/** Test helpers of the posture domain: a server context with a fixed clock, and a cached real scan of examples/clinic-intake. */
import { fileURLToPath } from 'node:url'
import type { ScanResult } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import { testContext } from '../test-support.js'
import type { ServerConfig, ServerContext } from '../types.js'

/** A migrated server context on `store` with the real audit log (see {@link testContext}). */
export async function postureContext(store: Store, clock: () => Date, config: Partial<ServerConfig> = {}): Promise<ServerContext & { logLines: string[] }> {
  return testContext(store, { clock, config })
}

/** Absolute path of examples/clinic-intake. */
export const CLINIC_INTAKE = fileURLToPath(new URL('../../../examples/clinic-intake', import.meta.url))

let cached: Promise<ScanResult> | undefined
/** A real scan of examples/clinic-intake, run once per test file. */
export function clinicIntakeScan(): Promise<ScanResult> {
  cached ??= import('../../scan/index.js').then((m) => m.scan([CLINIC_INTAKE]))
  return cached
}
