/**
 * @module vulns/aliases
 * Merging OSV records that are the same vulnerability under different ids (CVE ↔ GHSA ↔ PYSEC …)
 * and choosing the id to display.
 */
export { mergeAliases, preferredId, sortIds } from './aliases.js'
