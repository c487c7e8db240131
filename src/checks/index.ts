/**
 * @module checks
 * Configuration checks: data plus a pure `evaluate()`, one file each, and the runner.
 */
import { AWS_CHECKS } from './aws/index.js'
import { K8S_CHECKS } from './k8s/index.js'
import { CONTAINER_CHECKS } from './container/index.js'
import { VM_CHECKS } from './vm/index.js'
import type { Check } from './types.js'

export { defineCheck, pass, fail, manual } from './define-check.js'
export { evaluateChecks, lineOfPath, checkParamsProblem } from './evaluate.js'
export type { EvaluateOptions } from './evaluate.js'
export type { Check, CheckDefinition, CheckResult, CheckContext, CheckParameter, Remediation } from './types.js'
export { AWS_CHECKS, K8S_CHECKS, CONTAINER_CHECKS, VM_CHECKS }
export { NOT_COVERED_CONFIG_RULES } from './not-covered.js'
export { checksMarkdown } from './markdown.js'

/** Every check PhiWall ships. */
export const ALL_CHECKS: readonly Check[] = [...AWS_CHECKS, ...K8S_CHECKS, ...CONTAINER_CHECKS, ...VM_CHECKS]
