/**
 * @module server/segmentation
 * The segmentation domain of the server: flow ingest from agents (`POST /ingest/agent`) and
 * flow files (`POST /ingest/flows`) into a stored baseline, its review workflow, per-workload
 * modes and PHI egress exceptions, the generated policy with simulation, approval and export,
 * deviation alerts, and CI fingerprint / PHI evidence uploads. The logic is src/flows and
 * src/policy; this folder stores state and calls them.
 */
export { SEGMENTATION_MIGRATIONS, RECENT_FLOW_DAYS, RECENT_FLOW_MAX_ROWS } from './migrations.js'
export { segmentationRoutes, createSegmentationRoutes } from './routes.js'
export type { InventorySource } from './routes-ingest.js'
export { observedTopologyEdges, observedEdgesOf, withObservedTopology } from './topology.js'
export { ingestFlows } from './ingest.js'
export type { IngestRequest, IngestOutcome, IngestFormat } from './ingest.js'
export { policyDigest, currentPolicy } from './policy.js'
export type { PolicyApproval } from './policy.js'
