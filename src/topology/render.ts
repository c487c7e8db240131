import type { Topology, TopologyEdge, TopologyNode } from './build.js'

/** Output formats of `phiwall topology`. */
export type TopologyFormat = 'json' | 'dot' | 'mermaid'

/**
 * The JSON contract: `{ nodes: [{ id, kind, name, namespace, environment, holdsPhi, internetExposed }],
 * edges: [{ from, to, port, protocol, kind, source }] }` — every key present on every item
 * (`namespace`, `port` and `protocol` are null when they do not apply), plus `resourceKind`,
 * `exposure`, `location`, `via` and `evidence` where known.
 */
export function topologyJson(t: Topology): string {
  return JSON.stringify(
    {
      schemaVersion: '1.0.0',
      nodes: t.nodes.map((n) => ({
        id: n.id,
        kind: n.kind,
        name: n.name,
        namespace: n.namespace ?? null,
        environment: n.environment,
        holdsPhi: n.holdsPhi,
        internetExposed: n.internetExposed,
        ...(n.resourceKind ? { resourceKind: n.resourceKind } : {}),
        ...(n.exposure ? { exposure: n.exposure } : {}),
        ...(n.location ? { location: n.location } : {}),
      })),
      edges: t.edges.map((e) => ({
        from: e.from,
        to: e.to,
        port: e.port ?? null,
        protocol: e.protocol ?? null,
        kind: e.kind,
        source: e.source,
        ...(e.via ? { via: e.via } : {}),
        ...(e.evidence ? { evidence: e.evidence } : {}),
      })),
    },
    null,
    2,
  )
}

const SHAPES: Record<TopologyNode['kind'], string> = {
  internet: 'doublecircle',
  environment: 'box',
  application: 'box',
  workload: 'component',
  function: 'component',
  vm: 'box3d',
  container: 'box',
  image: 'note',
  service: 'ellipse',
  ingress: 'invhouse',
  api: 'invhouse',
  'load-balancer': 'invhouse',
  'data-store': 'cylinder',
}

/** Graphviz DOT: environments and applications as clusters; PHI nodes red, internet-exposed nodes bold. */
export function topologyDot(t: Topology): string {
  const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
  const lines = ['digraph phiwall {', '  rankdir=LR;', '  node [fontname="Helvetica" fontsize=10];', '  edge [fontname="Helvetica" fontsize=9];']
  const { parentOf, children } = hierarchy(t)
  const byId = new Map(t.nodes.map((n) => [n.id, n]))
  const attrs = (n: TopologyNode): string => {
    const a = [`label=${q(label(n))}`, `shape=${SHAPES[n.kind]}`]
    const style: string[] = []
    if (n.holdsPhi === 'yes') a.push('color="#c0392b"', 'fontcolor="#c0392b"')
    if (n.internetExposed && n.kind !== 'internet') style.push('bold')
    if (style.length) a.push(`style=${q(style.join(','))}`)
    return a.join(' ')
  }
  const emit = (id: string, indent: string): void => {
    const n = byId.get(id)!
    const kids = children.get(id) ?? []
    if (n.kind === 'environment' || n.kind === 'application') {
      lines.push(`${indent}subgraph ${q(`cluster_${id}`)} {`, `${indent}  label=${q(`${n.kind} ${n.name}${n.holdsPhi === 'yes' ? ' (PHI)' : ''}`)};`)
      for (const k of kids) emit(k, `${indent}  `)
      lines.push(`${indent}}`)
      return
    }
    lines.push(`${indent}${q(id)} [${attrs(n)}];`)
    for (const k of kids) emit(k, indent)
  }
  for (const n of t.nodes) if (!parentOf.has(n.id)) emit(n.id, '  ')
  for (const e of t.edges) {
    if (e.kind === 'contains') {
      const from = byId.get(e.from)
      if (from?.kind === 'environment' || from?.kind === 'application') continue
    }
    const style = e.kind === 'contains' || e.kind === 'runs' ? ' style=dashed arrowhead=none' : e.kind === 'exposes' ? ' color="#e67e22"' : ''
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(edgeLabel(e))}${style}];`)
  }
  lines.push('}')
  return lines.join('\n') + '\n'
}

/** Mermaid flowchart: environments and applications as subgraphs; PHI and exposed nodes styled. */
export function topologyMermaid(t: Topology): string {
  const ids = new Map<string, string>()
  t.nodes.forEach((n, i) => ids.set(n.id, `n${i}`))
  const text = (s: string): string => s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;')).replace(/\n/g, ' ')
  const lines = ['flowchart LR']
  const { parentOf, children } = hierarchy(t)
  const byId = new Map(t.nodes.map((n) => [n.id, n]))
  const shape = (n: TopologyNode): string => {
    const l = `"${text(label(n))}"`
    switch (n.kind) {
      case 'data-store':
        return `[(${l})]`
      case 'internet':
        return `((${l}))`
      case 'service':
        return `([${l}])`
      case 'ingress':
      case 'api':
      case 'load-balancer':
        return `[/${l}/]`
      case 'image':
        return `>${l}]`
      default:
        return `[${l}]`
    }
  }
  const emit = (id: string, indent: string): void => {
    const n = byId.get(id)!
    const kids = children.get(id) ?? []
    if (n.kind === 'environment' || n.kind === 'application') {
      lines.push(`${indent}subgraph ${ids.get(id)}["${text(`${n.kind} ${n.name}${n.holdsPhi === 'yes' ? ' (PHI)' : ''}`)}"]`)
      for (const k of kids) emit(k, `${indent}  `)
      lines.push(`${indent}end`)
      return
    }
    lines.push(`${indent}${ids.get(id)}${shape(n)}`)
    for (const k of kids) emit(k, indent)
  }
  for (const n of t.nodes) if (!parentOf.has(n.id)) emit(n.id, '  ')
  for (const e of t.edges) {
    if (e.kind === 'contains') {
      const from = byId.get(e.from)
      if (from?.kind === 'environment' || from?.kind === 'application') continue
    }
    const arrow = e.kind === 'contains' || e.kind === 'runs' ? '-.-' : '-->'
    lines.push(`  ${ids.get(e.from)} ${arrow}|"${text(edgeLabel(e))}"| ${ids.get(e.to)}`)
  }
  const phi = t.nodes.filter((n) => n.holdsPhi === 'yes' && n.kind !== 'environment' && n.kind !== 'application').map((n) => ids.get(n.id))
  const exposed = t.nodes.filter((n) => n.internetExposed && n.kind !== 'internet').map((n) => ids.get(n.id))
  lines.push('  classDef phi stroke:#c0392b,stroke-width:2px,color:#c0392b;', '  classDef exposed stroke-dasharray: 4 2;')
  if (phi.length) lines.push(`  class ${phi.join(',')} phi;`)
  if (exposed.length) lines.push(`  class ${exposed.join(',')} exposed;`)
  return lines.join('\n') + '\n'
}

/** Render a topology. */
export function renderTopology(t: Topology, format: TopologyFormat): string {
  return format === 'dot' ? topologyDot(t) : format === 'mermaid' ? topologyMermaid(t) : topologyJson(t) + '\n'
}

function label(n: TopologyNode): string {
  const kind = n.resourceKind ? n.resourceKind.split(':').pop()! : n.kind
  const where = n.namespace ? `${n.namespace}/` : ''
  return n.kind === 'internet' ? 'internet' : `${where}${n.name}\n${kind}${n.holdsPhi === 'yes' ? ' · PHI' : ''}`
}

function edgeLabel(e: TopologyEdge): string {
  const port = e.port !== undefined ? `${e.port}${e.protocol && e.protocol !== 'tcp' ? `/${e.protocol}` : ''}` : ''
  return [e.kind === 'calls' || e.kind === 'routes' ? '' : e.kind, port, e.via ? `via ${e.via}` : ''].filter(Boolean).join(' ')
}

/** Parent of each node along environment/application `contains` edges (drawn as nesting). */
function hierarchy(t: Topology): { parentOf: Map<string, string>; children: Map<string, string[]> } {
  const kind = new Map(t.nodes.map((n) => [n.id, n.kind]))
  const parentOf = new Map<string, string>()
  const children = new Map<string, string[]>()
  for (const e of t.edges) {
    if (e.kind !== 'contains') continue
    const k = kind.get(e.from)
    if (k !== 'environment' && k !== 'application') continue
    if (parentOf.has(e.to)) continue
    parentOf.set(e.to, e.from)
    ;(children.get(e.from) ?? children.set(e.from, []).get(e.from)!).push(e.to)
  }
  // containers are drawn inside their workload's application
  for (const e of t.edges) {
    if (e.kind !== 'contains' || kind.get(e.to) !== 'container' || parentOf.has(e.to)) continue
    const app = parentOf.get(e.from)
    if (!app) continue
    parentOf.set(e.to, app)
    ;(children.get(app) ?? children.set(app, []).get(app)!).push(e.to)
  }
  return { parentOf, children }
}
