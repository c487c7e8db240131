/**
 * @module vulns
 * Vulnerable third-party components: the OSV record shape, version comparison per ecosystem,
 * the offline database, matching, CVSS, VEX and SBOM writers.
 */
export { osvRecordSchema, osvAffectedSchema, osvRangeSchema, osvSeveritySchema, splitEcosystem } from './osv.js'
export type { OsvRecord, OsvAffected, OsvRange, OsvSeverity, OsvEvent } from './osv.js'
export { compareVersions, isValidVersion, isAffected, fixedVersions, affectedRanges, smallestFix, normalizePackageName, isSupportedEcosystem, supportedEcosystems } from './versions/index.js'
export type { AffectedInterval } from './versions/index.js'
export { scoreVector, advisorySeverity } from './cvss/index.js'
export type { CvssScore, AdvisorySeverity } from './cvss/index.js'
export { mergeAliases, preferredId } from './aliases/index.js'
export { parseVex, applyVex, vexSuppresses } from './vex/index.js'
export type { VexStatement, VexStatus } from './vex/index.js'
export { toCycloneDx, toSpdx } from './sbom/index.js'
export type { SbomMeta } from './sbom/index.js'
export { importOsv, updateOsv, dbStatus, lookupAdvisories, defaultDbDir, ensureVulnDb, STALE_AFTER_DAYS, DEFAULT_OSV_BASE_URL } from './db/index.js'
export type { ImportResult, DbStatus, EcosystemStatus, UpdateOptions, UpdateProgress, EcosystemUpdate } from './db/index.js'
export { matchComponents, advisoryKey } from './match.js'
export type { VulnMatch, VulnSeverity, AdvisoryLookup, AdvisoryQuery, MatchOptions } from './match.js'
export { vulnerabilityFindings, VULN_CHECK, VULN_CHECK_ID } from './findings.js'
export { assessComponents, readVexFiles } from './assess.js'
export type { AssessOptions, Assessment } from './assess.js'
