/**
 * @module model
 * The shapes every stage shares: resources, edges, findings, controls, diagnostics and the
 * error catalog.
 */
export type { Location, Environment, PhiState, Origin, Provider, Evidence, Resource, EdgeKind, Edge, Inventory } from './resource.js'
export type { Severity, FindingStatus, ControlRefs, PeerReferences, Finding } from './finding.js'
export { SEVERITIES, severityRank } from './finding.js'
export type { Diagnostic, DiagnosticLevel } from './diagnostic.js'
export { ERROR_CATALOG, ERROR_CODES, PhiwallError } from './errors.js'
export type { ErrorCode } from './errors.js'
