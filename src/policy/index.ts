/**
 * @module policy
 * Least-privilege, identity-based policy: generated from a flow baseline (observed and declared
 * edges, named infrastructure allowances, PHI egress rules, pre-canned building blocks),
 * simulated against recorded flows, and exported to real enforcers (Kubernetes NetworkPolicy,
 * CiliumNetworkPolicy, nftables, AWS security groups, IAM).
 */
export type { RuleOrigin, InfrastructureAllowance, PolicyRule, WorkloadPolicy, PolicySet, ClusterContext, ObservedApiCall, ExportFormat, ExportedFile, ExportResult } from './types.js'
export { generatePolicy, canonicalJson, DEFAULT_CLUSTER, POLICY_SCHEMA } from './generate.js'
export type { GenerateOptions } from './generate.js'
export { applyPrecanned, parsePrecanned, PRECANNED_BLOCKS } from './precanned.js'
export type { PrecannedBlock, PrecannedApplication } from './precanned.js'
export { PolicySimulator, peerMatches, ruleAdmits } from './simulate.js'
export type { SimulatedDrop, SimulationResult } from './simulate.js'
export { policySetSchema, clusterContextSchema, parsePolicySet } from './schema.js'
export type { ExportOptions } from './export/index.js'
import type { ExportOptions } from './export/index.js'
import type { ExportFormat, ExportResult, PolicySet } from './types.js'

/**
 * Export a policy set to an enforcer's format. The exporters (and the Kubernetes and Cilium
 * schemas they validate against) load on first use, not when the CLI starts.
 */
export async function exportPolicy(set: PolicySet, format: ExportFormat, options?: ExportOptions): Promise<ExportResult> {
  return (await import('./export/index.js')).exportPolicy(set, format, options)
}
