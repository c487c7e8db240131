/**
 * @module phi
 * PHI awareness: detectors for the 18 HIPAA Safe Harbor identifiers, column-aware readers of
 * structured data, the file-level PHI rule (identifiers together with health information), the
 * scan behind `phiwall phi scan`, and redaction with consistent pseudonyms.
 */
export type { PhiType, PhiHit, DetectContext, Detector } from './types.js'
export { PHI_TYPES } from './types.js'
export { detectAll } from './detect-all.js'
export { detectStructured } from './detect/index.js'
export { detectNames, detectGeo } from './names/index.js'
export { scanPhiFiles, scanPhiText, redact, redactableText, detectHealthInfo, RedactRefused } from './formats/index.js'
export type { PhiScanResult, PhiFinding, PhiFileResult } from './formats/index.js'
export { renderPhiTerminal, renderPhiJson, renderPhiSarif, renderPhiHtml, phiSummary, PHI_TYPE_TITLES } from './report.js'
