/**
 * @module vulns
 * Vulnerable third-party components: the OSV record shape, version comparison per ecosystem,
 * the offline database, matching, CVSS, VEX and SBOM writers.
 */
export { osvRecordSchema, osvAffectedSchema, osvRangeSchema, osvSeveritySchema, splitEcosystem } from './osv.js'
export type { OsvRecord, OsvAffected, OsvRange, OsvSeverity, OsvEvent } from './osv.js'
