/**
 * @module flows
 * Observed traffic: the `Flow` shape every source yields (VPC Flow Logs, Cilium Hubble, the
 * PhiWall agent), resolution of addresses to workload identities, aggregation into baseline
 * edges, the baseline's review lifecycle and deviation detection.
 */
export type {
  IdentityKind,
  WorkloadIdentity,
  Peer,
  FlowProtocol,
  FlowSourceKind,
  FlowEvidence,
  Flow,
  EdgeState,
  BaselineEdge,
  EnforcementMode,
  WorkloadSettings,
  EgressException,
  Baseline,
  IngestStats,
  AgentRecord,
  AgentBatch,
  ObservedApiCall,
} from './types.js'
export { peerKey, edgeKey } from './types.js'
export { EdgeAggregator, MAX_SAMPLES } from './aggregate.js'
export { IdentityResolver, identitiesFromInventory, addressesFromInventory, identityIdOf, cidrBucket, normalizeIp, podBaseName } from './resolve.js'
export type { AddressEntry, K8sEndpoint, ResolverOptions } from './resolve.js'
export { emptyStats, noteMalformed, processIdentity, hostIdentity, emitFlow } from './context.js'
export type { FlowReadContext, FlowReader } from './context.js'
export { flowInventoryOf } from './declared.js'
export { readInventoryFile, flowInventorySchema } from './inventory-file.js'
export type { InventoryFile } from './inventory-file.js'
export type { DeclaredFlow, FlowInventory } from './declared.js'
export { buildBaseline, learningStatus, edgeCounts, reviewEdges, setWorkloadMode, setLearningDays, addEgressException, exceptionProblem, MAX_EXCEPTION_MS, isEnforceable, BASELINE_SCHEMA, DEFAULT_LEARNING_DAYS, DEFAULT_GRACE_MS } from './baseline.js'
export type { BuildBaselineInput, LearningStatus, ReviewDecision } from './baseline.js'
export { baselineSchema, identitySchema, parseBaseline, peerSchema, protocolSchema } from './schema.js'
export { DeviationDetector } from './deviation.js'
export type { Deviation, DeviationType, DeviationOptions } from './deviation.js'
export { ApiCallAggregator } from './api-calls.js'
export { withObservedEdges } from './topology.js'
export { isInternetPeer, isPrivateAddress, addressesOfName, nameAddresses } from './internet.js'
export { KnownIdentities, readFingerprintManifest, fingerprintManifestSchema } from './known.js'
