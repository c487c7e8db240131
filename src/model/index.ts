/**
 * @module model
 * The shapes every stage shares: resources, edges, findings, controls, diagnostics and the
 * error catalog.
 */
export type { Location, Environment, PhiState, Origin, Provider, Evidence, Resource, ResourceSuppression, EdgeKind, Edge, Inventory } from './resource.js'
export type { Severity, FindingStatus, ControlRefs, PeerReferences, Finding, Suppression } from './finding.js'
export { SEVERITIES, severityRank } from './finding.js'
export type { Diagnostic, DiagnosticLevel } from './diagnostic.js'
export { ERROR_CATALOG, ERROR_CODES, PhiwallError } from './errors.js'
export { maskValue, fingerprintKeyConfigured, fingerprintKeyProblem, MIN_FINGERPRINT_KEY } from './mask.js'
export { pushAll } from './arrays.js'
export type { ErrorCode } from './errors.js'
export type { CheckInfo, ControlStatus, ControlCounts, ControlResult, FileOutcome, ScanResult } from './scan-result.js'
export { phiwallVersion, packageRoot, packageFile } from './version.js'
export type { Ecosystem, Component, ComponentLocation, DependencyScope } from './component.js'
export { ECOSYSTEMS } from './component.js'
