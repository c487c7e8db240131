/**
 * @module agent
 * The PhiWall host agent (`phiwall agent`) for Linux hosts and VMs without Kubernetes: which
 * process listens on and talks to what, from the socket tables (netlink through `ss`, or procfs) and conntrack events,
 * written as `phiwall.agent/v1` NDJSON records or posted to a server as `AgentBatch`es.
 */
export { runAgent, Agent } from './agent.js'
export type { AgentOptions, AgentSummary, AgentConfig } from './agent.js'
export { parseProcNet, formatIpv6, TCP_STATE } from './procnet.js'
export type { ProcNetSocket, ProcNetStats, SocketProtocol, AddressFamily } from './procnet.js'
export { parseConntrackLine, ConntrackSource, DEFAULT_CONNTRACK_ARGS } from './conntrack.js'
export type { ConntrackEvent, ConntrackParse, ConntrackStats, ConntrackSourceOptions } from './conntrack.js'
export { parseSs, SS_ARGS, ssVersion } from './ss.js'
export { SocketTables, parseSockstat, autoPicksSs, SS_MIN_SOCKETS, SS_PROCFS_MS } from './sockets.js'
export type { SocketSource, SocketTableStats, SockstatCounts } from './sockets.js'
export { IpText, parseIpv4, parseIpv6 } from './iptext.js'
export {
  parseCgroup,
  containerIdFromCgroup,
  containerIdFromParsed,
  parseStatusUid,
  parseStatStartTime,
  parseStatCpu,
  parsePasswd,
  socketInode,
  parseExeLink,
} from './procfiles.js'
export type { CgroupLine, ParsedCgroup } from './procfiles.js'
export { hostAddresses, localAddressSet, canonicalIp } from './addresses.js'
export type { InterfaceTable } from './addresses.js'
export { Aggregator, sightingKey } from './aggregate.js'
export type { Sighting, RecordProcess } from './aggregate.js'
export { SocketOwners, ProcessIdentities, ProcFileReader, systemClock } from './processes.js'
export type { Clock, ProcessIdentity, SocketOwnerStats, ProcessIdentityStats } from './processes.js'
export { NdjsonSink, HttpSink, Spool, ingestUrl } from './sinks.js'
export type { RecordSink, HttpSinkOptions, HttpSinkStats, SpoolStats } from './sinks.js'
