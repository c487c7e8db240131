import type { Check, CheckDefinition, CheckResult } from './types.js'

/**
 * Declare a check. Fills missing peer references with empty lists; everything else is the
 * file's own data. The catalog test validates ids, controls and fixtures.
 *
 * @example
 * export default defineCheck({ id: 'aws/s3-bucket-versioning', title: 'S3 bucket keeps object versions', … })
 */
export function defineCheck(def: CheckDefinition): Check {
  return {
    ...def,
    references: {
      awsConfig: def.references?.awsConfig ?? [],
      cdkNag: def.references?.cdkNag ?? [],
      prowler: def.references?.prowler ?? [],
      pss: def.references?.pss ?? [],
      cis: def.references?.cis ?? [],
    },
  }
}

/** A passing result. */
export function pass(message: string, evidence?: Record<string, unknown>): CheckResult {
  return evidence ? { status: 'pass', message, evidence } : { status: 'pass', message }
}

/** A failing result, pointing at a property path where possible. */
export function fail(message: string, opts: { path?: string; line?: number; evidence?: Record<string, unknown> } = {}): CheckResult {
  return { status: 'fail', message, ...(opts.path ? { path: opts.path } : {}), ...(opts.line ? { line: opts.line } : {}), ...(opts.evidence ? { evidence: opts.evidence } : {}) }
}

/** A result that needs a human: the deciding value is unknown at scan time. */
export function manual(message: string, opts: { path?: string; line?: number; evidence?: Record<string, unknown> } = {}): CheckResult {
  return { status: 'manual', message, ...(opts.path ? { path: opts.path } : {}), ...(opts.line ? { line: opts.line } : {}), ...(opts.evidence ? { evidence: opts.evidence } : {}) }
}
