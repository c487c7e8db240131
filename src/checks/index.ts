/**
 * @module checks
 * Configuration checks: data plus a pure `evaluate()`, one file each, and the runner.
 */
import { AWS_CHECKS } from './aws/index.js'
import type { Check } from './types.js'

export { defineCheck, pass, fail, manual } from './define-check.js'
export { evaluateChecks, lineOfPath } from './evaluate.js'
export type { EvaluateOptions } from './evaluate.js'
export type { Check, CheckDefinition, CheckResult, CheckContext, Remediation } from './types.js'
export { AWS_CHECKS }
export { NOT_COVERED_CONFIG_RULES } from './not-covered.js'
export { checksMarkdown } from './markdown.js'

/** Every check PhiWall ships. */
export const ALL_CHECKS: readonly Check[] = [...AWS_CHECKS]
