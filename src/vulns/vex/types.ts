/** Status of a vulnerability in a product, as OpenVEX names it (CycloneDX states are mapped onto it). */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation'

/** The five OpenVEX justifications for `not_affected` (from the VEX working group's Status Justifications). */
export const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const

/** CycloneDX `analysis.justification` values (1.4–1.6). */
export const CYCLONEDX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const

/** A justification as the document wrote it, in its format's vocabulary. */
export type VexJustification = (typeof OPENVEX_JUSTIFICATIONS)[number] | (typeof CYCLONEDX_JUSTIFICATIONS)[number]

/** One VEX statement: a vulnerability's status in some products, from one document. */
export interface VexStatement {
  /** The vulnerability's name (`CVE-2021-44228`, `GHSA-…`). */
  vulnerability: string
  /** Other ids of the same vulnerability the statement lists (OpenVEX `aliases`, CycloneDX `references[].id`). */
  aliases: string[]
  /** Package URLs the statement is about (OpenVEX products and subcomponents; CycloneDX `affects` resolved to purls). */
  products: string[]
  status: VexStatus
  justification?: VexJustification
  /** OpenVEX `impact_statement` (else `status_notes`); CycloneDX `analysis.detail`. */
  detail?: string
  /** OpenVEX `action_statement`; CycloneDX `analysis.response` joined with `, `. */
  action?: string
  /** When the statement was made (ISO 8601 as written): the statement's own, else the document's. */
  timestamp?: string
  source: { file: string; format: 'openvex' | 'cyclonedx'; line?: number }
}

/** True for the statuses that, when a statement applies, mean the finding can be shown as suppressed. */
export function vexSuppresses(statement: Pick<VexStatement, 'status'>): boolean {
  return statement.status === 'not_affected' || statement.status === 'fixed'
}
