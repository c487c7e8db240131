/**
 * @module server/posture
 * The posture domain of the server: scan ingest, findings and suppressions, resources, topology,
 * vulnerabilities, reports and scheduled rescans (docs/api.md "Posture").
 */
export { POSTURE_MIGRATIONS } from './migrations.js'
export { postureRoutes } from './routes.js'
export { startScheduler, runDueSources, drainJobs, setScanner, SCHEDULER_INTERVAL_MS } from './scheduler.js'
export type { Scanner } from './scheduler.js'
export { latestInventory } from './inventory.js'
export { ingestScan, findingKey, withIngestGate } from './ingest.js'
export type { IngestOutcome } from './ingest.js'
export { SCAN_UPLOAD_SCHEMA, scanUploadSchema } from './schemas.js'
export type { ScanUpload, FindingRow, ResourceRow, ScanSummary, VulnerabilityRow, SourceRow, JobRow, PostureOverview } from './schemas.js'
