/**
 * @module vulns/sbom
 * Software bills of materials from the components a scan found: CycloneDX 1.6 JSON (written with
 * the CycloneDX JavaScript library) and SPDX 2.3 JSON, both deterministic.
 */
export { toCycloneDx, ROOT_BOM_REF } from './cyclonedx.js'
export { toSpdx, SPDX_ROOT_ID } from './spdx.js'
export type { SbomMeta } from './common.js'
