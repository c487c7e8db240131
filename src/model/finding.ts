import type { Location } from './resource.js'

/** Severity of a check or finding, ordered from most to least severe. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info'

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info']

/** Numeric rank of a severity: critical = 4 … info = 0. */
export function severityRank(s: Severity): number {
  return 4 - SEVERITIES.indexOf(s)
}

/** Outcome of one check on one resource. */
export type FindingStatus = 'pass' | 'fail' | 'manual' | 'error'

/** Control ids a check or finding bears on. */
export interface ControlRefs {
  csf: string[]
  hipaa: string[]
  ferpa: string[]
}

/** Names that peer tools give the same check. */
export interface PeerReferences {
  awsConfig: string[]
  cdkNag: string[]
  prowler: string[]
  /** Kubernetes Pod Security Standards controls (`Baseline: Privileged Containers`). Absent in reports of schema 1.0–1.1. */
  pss?: string[]
  /** CIS benchmark items (`CIS Kubernetes 5.2.2`, `CIS Docker 4.1`). */
  cis?: string[]
}

/** Why a failing finding is accepted for now: who decided, why, until when. */
export interface Suppression {
  reason: string
  owner?: string
  /** ISO date after which the suppression no longer applies. */
  expires?: string
  /** Where the suppression is written: `template metadata (phiwall)`, `template metadata (cdk_nag)`. */
  source: string
}

/** One result of a check against a resource. */
export interface Finding {
  checkId: string
  title: string
  resourceId: string
  status: FindingStatus
  severity: Severity
  /** "<Kind> <name> <state>." — never contains PHI or secret values. */
  message: string
  /** Structured facts behind the result (masked where sensitive). */
  evidence: Record<string, unknown>
  location: Location
  remediation: string
  controls: ControlRefs
  references: PeerReferences
  /** Present when a failing finding is suppressed; it still counts in the report, marked as such. */
  suppressed?: Suppression
}
