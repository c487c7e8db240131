/**
 * @module vulns/vex
 * VEX: OpenVEX and CycloneDX VEX documents read into statements, and the statement that decides a
 * finding (matched by vulnerability id or alias and Package URL).
 */
export { parseVex } from './parse.js'
export type { VexParseResult } from './parse.js'
export { applyVex, purlCovers } from './apply.js'
export { vexSuppresses, OPENVEX_JUSTIFICATIONS, CYCLONEDX_JUSTIFICATIONS } from './types.js'
export type { VexStatement, VexStatus, VexJustification } from './types.js'
