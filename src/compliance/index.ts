/**
 * @module compliance
 * The controls catalog (NIST CSF 1.1, HIPAA Security Rule, FERPA practices), the roll-up of
 * findings to controls, and the report renderers.
 */
export { CSF, HIPAA, FERPA, CSF_FUNCTIONS, csfSubcategory, hipaaEntry, hipaaStandardOf, normalizeCitation, isKnownControl, ferpaPractice } from './catalog/index.js'
export type { CsfSubcategory, HipaaEntry, FerpaPractice } from './catalog/index.js'
export { rollupControls } from './rollup.js'
export { renderReport, renderReportChunks, renderTerminal, renderSarif, renderCsv, REPORT_FORMATS, REPORT_SCHEMA_VERSION, buildJsonReport } from './report/index.js'
export type { ReportFormat, JsonReport } from './report/index.js'
