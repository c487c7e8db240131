/**
 * @module vulns/db
 * The offline OSV vulnerability database on the product's store (PGlite or PostgreSQL):
 * import from zips and directories, download the public per-ecosystem exports, status, lookup.
 */
export { VULNDB_MIGRATIONS } from './schema.js'
export { ensureVulnDb } from './ensure.js'
export { importOsv } from './import.js'
export type { ImportOptions, ImportResult } from './import.js'
export { lookupAdvisories, relatedIds } from './lookup.js'
export type { PackageQuery } from './lookup.js'
export { dbStatus, STALE_AFTER_DAYS } from './status.js'
export type { DbStatus, EcosystemStatus } from './status.js'
export { normalizePackageName, packageKey, releaseKey } from './names.js'
export { defaultDbDir } from './paths.js'
export { crc32c } from './crc32c.js'
export { updateOsv, downloadFile, parseGoogHash, DEFAULT_OSV_BASE_URL } from './update.js'
export type { UpdateOptions, UpdateProgress, EcosystemUpdate } from './update.js'
