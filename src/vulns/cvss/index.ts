/**
 * @module vulns/cvss
 * CVSS v2.0 / v3.0 / v3.1 / v4.0 scoring (with ae-cvss-calculator) and the severity of an OSV
 * advisory: primary vector, fallback to the database's own rating, KEV and EPSS flags.
 */
export { scoreVector, cvssSeverity } from './cvss.js'
export type { CvssScore, CvssSeverity, CvssVersion } from './cvss.js'
export { advisorySeverity, ratingSeverity } from './severity.js'
export type { AdvisorySeverity, FindingSeverity } from './severity.js'
