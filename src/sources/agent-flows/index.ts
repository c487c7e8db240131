/**
 * @module sources/agent-flows
 * The PhiWall agent's NDJSON (`phiwall.agent/v1` records): connections between processes on
 * hosts. Read in two passes over all agent files (hosts and listeners, then connections), so a
 * connection from one host resolves to the process listening on another; loopback stays
 * host-local and an inbound record from another agent host yields to that host's outbound one.
 * See `read.ts` for the choices.
 */
export { scanAgentHosts, readAgentRecords, looksLikeAgentNdjson } from './read.js'
