/**
 * @module sources/aws-snapshot
 * Snapshots of live AWS accounts written by `phiwall collect aws`.
 */
export { readSnapshot, looksLikeSnapshot } from './read.js'
export { snapshotSchema, snapshotResourceSchema, snapshotErrorSchema, SNAPSHOT_SCHEMA_VERSION } from './schema.js'
export type { Snapshot, SnapshotResource, SnapshotError } from './schema.js'
