/**
 * @module policy/export
 * Exporters that turn an identity-based PolicySet into what real enforcers run: Kubernetes
 * NetworkPolicy, CiliumNetworkPolicy, nftables rulesets for hosts, AWS security groups
 * (CloudFormation and Terraform) and IAM policy documents. Every exporter returns files plus
 * notes on what it could not express; nothing is dropped silently. Output is deterministic.
 */
import type { ExportFormat, ExportResult, PolicySet } from '../types.js'
import { exportAwsSecurityGroups } from './aws-sg.js'
import { exportCilium } from './cilium.js'
import { exportIam } from './iam.js'
import { exportNetworkPolicy } from './networkpolicy.js'
import { type NftMatch, exportNftables } from './nftables.js'

/** Exporter options; only nftables has any today. */
export interface ExportOptions {
  /**
   * nftables: how a process is matched on egress: `uid` (socket owner), `cgroup` (cgroup v2
   * path) or `both`; default uid when known. A string because it usually comes straight from a
   * command line; anything else throws.
   */
  match?: NftMatch | string
}

const NFT_MATCHES: readonly string[] = ['uid', 'cgroup', 'both'] satisfies NftMatch[]

export const EXPORT_FORMATS: readonly ExportFormat[] = ['networkpolicy', 'cilium', 'nftables', 'aws-sg', 'iam']

export function exportPolicy(set: PolicySet, format: ExportFormat, options: ExportOptions = {}): ExportResult {
  switch (format) {
    case 'networkpolicy':
      return exportNetworkPolicy(set)
    case 'cilium':
      return exportCilium(set)
    case 'nftables': {
      const match = options.match
      if (match !== undefined && !NFT_MATCHES.includes(match)) throw new Error(`nftables match must be uid, cgroup or both, not ${JSON.stringify(match)}`)
      return exportNftables(set, match !== undefined ? { match: match as NftMatch } : {})
    }
    case 'aws-sg':
      return exportAwsSecurityGroups(set)
    case 'iam':
      return exportIam(set)
    default: {
      const unknown: never = format
      throw new Error(`unknown export format ${JSON.stringify(unknown)}; expected one of ${EXPORT_FORMATS.join(', ')}`)
    }
  }
}

export { exportNetworkPolicy, validateNetworkPolicy } from './networkpolicy.js'
export { exportCilium, validateCiliumNetworkPolicy } from './cilium.js'
export { exportNftables, cgroupV2Path, type NftablesOptions, type NftMatch } from './nftables.js'
export { exportAwsSecurityGroups } from './aws-sg.js'
export { exportIam, type IamPolicyDocument, type IamStatement } from './iam.js'
