import type { Component } from './component.js'
import type { Diagnostic } from './diagnostic.js'
import type { Finding, Severity } from './finding.js'
import type { Inventory } from './resource.js'

/** What reports need to know about a check (its data, without `evaluate`). */
export interface CheckInfo {
  id: string
  title: string
  severity: Severity
  resourceKinds: string[]
  rationale: string
  remediation: { text: string; cloudformation?: string; terraform?: string; cli?: string; kubernetes?: string; dockerfile?: string; compose?: string }
  controls: { csf: string[]; hipaa: string[]; ferpa: string[] }
  references: { awsConfig: string[]; cdkNag: string[]; prowler: string[] }
}

/** Status of a control after a scan. */
export type ControlStatus = 'fail' | 'pass' | 'manual' | 'not-applicable'

/** Counts of findings behind a control. */
export interface ControlCounts {
  pass: number
  fail: number
  manual: number
  error: number
  /** Failing findings accepted by a suppression (counted here, not in `fail`). */
  suppressed: number
}

/** One control of one framework, with its status after a scan. */
export interface ControlResult {
  framework: 'csf' | 'hipaa' | 'ferpa'
  id: string
  title: string
  status: ControlStatus
  counts: ControlCounts
  /** Checks that judge the control automatically. */
  checks: string[]
  /** CSF subcategories: their HIPAA citations. HIPAA entries: the CSF subcategories that map to them. */
  related: string[]
  /** HIPAA: `required` / `addressable` for implementation specifications. */
  hipaaStatus?: 'required' | 'addressable' | null
  /** What an assessor does when no check covers the control, or to complete the automated evidence. */
  guidance?: string
}

/** Outcome of reading one input file. */
export interface FileOutcome {
  file: string
  status: 'ok' | 'error' | 'skipped'
  format?: string
  resources: number
  /** Third-party components the file lists (lockfiles, package databases, images). */
  components?: number
  diagnostics: Diagnostic[]
}

/** Everything one scan produced: the input of every report renderer and of the server's store. */
export interface ScanResult {
  tool: { name: 'phiwall'; version: string }
  startedAt: string
  durationMs: number
  inputs: string[]
  files: FileOutcome[]
  inventory: Inventory
  findings: Finding[]
  controls: ControlResult[]
  checks: CheckInfo[]
  /** Problems not tied to one input file. */
  diagnostics: Diagnostic[]
  /** Third-party components found in lockfiles, package databases and images, by purl. */
  components?: Component[]
  /** The vulnerability database the components were judged against. */
  vulnerabilityDb?: { location: string; total: number; lastUpdated?: string; ageDays?: number; stale: boolean }
}
