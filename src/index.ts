/**
 * @module phiwall
 * PhiWall's public API: the scan pipeline and each of its stages, for tools that embed it.
 *
 * @example
 * import { scan, renderReport } from 'phiwall'
 * const result = await scan(['infra/'])
 * process.stdout.write(renderReport(result, 'sarif').text)
 */
export { scan, checkInfo } from './scan/index.js'
export type { ScanOptions } from './scan/index.js'
export { collect } from './sources/index.js'
export type { CollectOptions, Collected, SourceDocument, SourceResource, FileResult } from './sources/index.js'
export { buildInventory, InventoryView } from './inventory/index.js'
export type { InventoryOptions } from './inventory/index.js'
export { evaluateChecks, ALL_CHECKS, defineCheck } from './checks/index.js'
export type { Check, CheckResult, CheckContext } from './checks/index.js'
export { rollupControls, renderReport, REPORT_FORMATS, REPORT_SCHEMA_VERSION, CSF, HIPAA, FERPA } from './compliance/index.js'
export type { ReportFormat, JsonReport } from './compliance/index.js'
export * from './model/index.js'
export { detectLockfile, parseLockfile, readFilesystem, mergeComponents } from './sources/index.js'
export type { LockfileFormat, FilesystemResult } from './sources/index.js'
export {
  compareVersions,
  isValidVersion,
  isAffected,
  smallestFix,
  normalizePackageName,
  scoreVector,
  advisorySeverity,
  parseVex,
  applyVex,
  toCycloneDx,
  toSpdx,
  importOsv,
  updateOsv,
  dbStatus,
  lookupAdvisories,
  matchComponents,
  assessComponents,
  vulnerabilityFindings,
  VULN_CHECK,
} from './vulns/index.js'
export type { VulnMatch, VexStatement, DbStatus, AssessOptions, OsvRecord } from './vulns/index.js'
export { openStore, migrate } from './store/index.js'
export type { Store } from './store/index.js'
