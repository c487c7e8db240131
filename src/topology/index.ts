/**
 * @module topology
 * The drawable graph of an inventory: environment → application → workload → container → image,
 * who calls whom (through Services, Ingresses, APIs, queues), data stores and internet exposure,
 * as JSON, Graphviz DOT or Mermaid. The dashboard draws the same data.
 */
export { buildTopology, exposureOf } from './build.js'
export type { Topology, TopologyNode, TopologyEdge, TopologyNodeKind, TopologyEdgeKind } from './build.js'
export { renderTopology, topologyJson, topologyDot, topologyMermaid } from './render.js'
export type { TopologyFormat } from './render.js'
