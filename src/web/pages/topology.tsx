/**
 * Topology: the cytoscape graph of GET /topology (kind colours, PHI borders, internet exposure,
 * observed solid vs declared dashed), an environment filter, a details panel, and an accessible
 * list view of the same nodes and edges (a canvas is not accessible).
 */
import type { JSX } from 'preact'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { Core } from 'cytoscape'
import type { Topology, TopologyNode } from '../api'
import { Empty, ErrorNote, Loading, PageHeader, PhiBadge, Select } from '../components'
import { formatLocation } from '../format'
import { useLoad } from '../session'
import { displayNames, edgeDetail, edgesOf, environmentsOf, filterTopology, KIND_STYLE, nodeName, orderedNodes } from '../topology-model'

/** The topology page. */
export function TopologyPage(): JSX.Element {
  const topo = useLoad((api) => api.topology(), [])
  const [environment, setEnvironment] = useState('')
  const [structure, setStructure] = useState(false)
  const [listView, setListView] = useState(false)
  const [selected, setSelected] = useState<string | null>(null)
  const full = topo.data
  const shown = useMemo(() => (full ? filterTopology(full, environment, structure) : { nodes: [], edges: [] }), [full, environment, structure])
  const envs = full ? environmentsOf(full) : []
  const selectedNode = selected ? shown.nodes.find((n) => n.id === selected) ?? null : null
  return (
    <div>
      <PageHeader title="Topology">
        <button type="button" class="btn-secondary" aria-pressed={listView} onClick={() => setListView(!listView)}>
          {listView ? 'Show graph' : 'Show as list'}
        </button>
      </PageHeader>
      {topo.loading && !full ? <Loading label="Loading topology…" /> : null}
      <ErrorNote error={topo.error} onRetry={topo.reload} />
      {full && full.nodes.length === 0 ? <Empty title="No topology yet">The topology is drawn from the latest scans and observed flows. Upload a scan first.</Empty> : null}
      {full && full.nodes.length > 0 ? (
        <>
          <form class="filters" aria-label="Topology filters" onSubmit={(e) => e.preventDefault()}>
            <Select label="Environment" value={environment} onValue={setEnvironment} options={[['', 'All environments'], ...envs.map((e) => [e, e] as const)]} />
            <label class="checkbox">
              <input type="checkbox" checked={structure} onChange={(e) => setStructure(e.currentTarget.checked)} /> Show environments, applications, containers and images
            </label>
          </form>
          <p class="muted small">
            {shown.nodes.length} nodes, {shown.edges.length} edges ({shown.edges.filter((e) => e.source === 'observed').length} observed in flows)
          </p>
          <div class={`topology-layout${selectedNode ? ' with-panel' : ''}`}>
            {listView ? <TopologyList t={shown} onSelect={setSelected} selected={selected} /> : <Graph t={shown} onSelect={setSelected} selected={selected} />}
            {selectedNode ? <DetailsPanel node={selectedNode} t={shown} onClose={() => setSelected(null)} onSelect={setSelected} /> : null}
          </div>
          {!listView ? <Legend /> : null}
        </>
      ) : null}
    </div>
  )
}

function Legend(): JSX.Element {
  return (
    <section class="legend-box" aria-labelledby="legend-h">
      <h2 id="legend-h" class="h3">
        Legend
      </h2>
      <ul class="legend-grid">
        {Object.entries(KIND_STYLE)
          .filter(([k]) => !['environment', 'application', 'image', 'container'].includes(k))
          .map(([k, s]) => (
            <li key={k}>
              <span class={`swatch kind-${k}`} aria-hidden="true" /> {s.label}
            </li>
          ))}
        <li>
          <span class="swatch swatch-phi" aria-hidden="true" /> Holds PHI (thick double red border)
        </li>
        <li>
          <span class="swatch swatch-exposed" aria-hidden="true" /> Internet exposed (orange halo, “⚠” in the label)
        </li>
        <li>
          <span class="line line-observed" aria-hidden="true" /> Observed in flows (solid)
        </li>
        <li>
          <span class="line line-declared" aria-hidden="true" /> Declared in IaC (dashed)
        </li>
      </ul>
    </section>
  )
}

function Graph({ t, onSelect, selected }: { t: Topology; onSelect: (id: string | null) => void; selected: string | null }): JSX.Element {
  const box = useRef<HTMLDivElement>(null)
  const cy = useRef<Core | null>(null)
  const [ready, setReady] = useState(false)
  const [failed, setFailed] = useState<unknown>(null)
  const order = useMemo(() => orderedNodes(t.nodes), [t])
  const [cursor, setCursor] = useState(-1)
  const onSelectRef = useRef(onSelect)
  onSelectRef.current = onSelect

  useEffect(() => {
    let cancelled = false
    setReady(false)
    import('cytoscape').then(
      ({ default: cytoscape }) => {
        if (cancelled || !box.current) return
        preventCytoscapeStyleTag()
        cy.current?.destroy()
        cy.current = cytoscape({
          container: box.current,
          elements: [
            ...t.nodes.map((n) => ({
              data: { id: n.id, label: (n.internetExposed ? '⚠ ' : '') + nodeName(n), color: KIND_STYLE[n.kind]?.color ?? '#667085', shape: KIND_STYLE[n.kind]?.shape ?? 'ellipse' },
              classes: [n.holdsPhi === 'yes' ? 'phi' : '', n.internetExposed ? 'exposed' : '', `kind-${n.kind}`].filter(Boolean).join(' '),
            })),
            ...t.edges.map((e, i) => ({
              data: { id: `e${i}`, source: e.from, target: e.to, label: typeof e.port === 'number' ? String(e.port) : '' },
              classes: e.source,
            })),
          ],
          style: [
            {
              selector: 'node',
              style: {
                'background-color': 'data(color)',
                shape: 'data(shape)' as never,
                label: 'data(label)',
                'font-size': 11,
                'font-family': 'system-ui, sans-serif',
                color: '#101828',
                'text-valign': 'bottom',
                'text-margin-y': 4,
                'text-background-color': '#ffffff',
                'text-background-opacity': 0.85,
                'text-background-padding': '2px',
                // long resource names would cover their neighbours; the details panel and list view have them in full
                'text-wrap': 'ellipsis',
                'text-max-width': '100px',
                width: 28,
                height: 28,
                'border-width': 1,
                'border-color': '#ffffff',
              },
            },
            { selector: 'node.phi', style: { 'border-width': 6, 'border-color': '#d92d20', 'border-style': 'double' } },
            { selector: 'node.exposed', style: { 'underlay-color': '#f79009', 'underlay-padding': 7, 'underlay-opacity': 0.45, 'underlay-shape': 'ellipse' } as never },
            { selector: 'node:selected', style: { 'overlay-color': '#1d2939', 'overlay-opacity': 0.2, 'overlay-padding': 6 } as never },
            {
              selector: 'edge',
              style: {
                width: 1.5,
                'line-color': '#98a2b3',
                'target-arrow-color': '#98a2b3',
                'target-arrow-shape': 'triangle',
                'curve-style': 'bezier',
                label: 'data(label)',
                'font-size': 9,
                color: '#475467',
              },
            },
            { selector: 'edge.observed', style: { 'line-style': 'solid', 'line-color': '#1570ef', 'target-arrow-color': '#1570ef', width: 2 } },
            { selector: 'edge.declared', style: { 'line-style': 'dashed' } },
          ],
          // layered from the internet inwards: exposure → entry points → workloads → data stores
          layout: { name: 'breadthfirst', directed: true, roots: rootsOf(t), spacingFactor: 1.15, padding: 24, avoidOverlap: true, animate: false } as never,
          wheelSensitivity: 0.3,
          minZoom: 0.2,
          maxZoom: 3,
        })
        cy.current.on('tap', 'node', (ev) => onSelectRef.current(ev.target.id() as string))
        cy.current.on('tap', (ev) => {
          if (ev.target === cy.current) onSelectRef.current(null)
        })
        setReady(true)
      },
      (err: unknown) => setFailed(err),
    )
    return () => {
      cancelled = true
      cy.current?.destroy()
      cy.current = null
    }
  }, [t])

  // the details panel narrows the graph: the canvas must follow its container
  useEffect(() => {
    const el = box.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(() => {
      cy.current?.resize()
      cy.current?.fit(undefined, 24)
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  useEffect(() => {
    const c = cy.current
    if (!c || !ready) return
    c.nodes().unselect()
    if (selected) c.getElementById(selected).select()
  }, [selected, ready])

  const focusNode = (i: number): void => {
    const n = order[i]
    if (!n) return
    setCursor(i)
    const c = cy.current
    if (c) {
      c.nodes().unselect()
      const el = c.getElementById(n.id)
      el.select()
    }
  }
  const current = cursor >= 0 ? order[cursor] : undefined
  return (
    <div class="graph-wrap">
      {failed ? <ErrorNote error={failed} /> : null}
      {!ready && !failed ? <Loading label="Drawing the graph…" /> : null}
      <div
        ref={box}
        class="graph"
        tabIndex={0}
        role="application"
        aria-roledescription="topology graph"
        aria-label="Topology graph. Use the arrow keys to move between nodes and Enter to show a node's details, or switch to the list view."
        aria-describedby="graph-status"
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
            e.preventDefault()
            focusNode(Math.min(order.length - 1, cursor + 1))
          } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
            e.preventDefault()
            focusNode(Math.max(0, cursor - 1))
          } else if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault()
            if (current) onSelect(current.id)
          } else if (e.key === 'Escape') {
            onSelect(null)
          }
        }}
      />
      <p id="graph-status" class="graph-status" aria-live="polite">
        {current ? `Node ${cursor + 1} of ${order.length}: ${nodeName(current)}, ${KIND_STYLE[current.kind]?.label ?? current.kind}${current.holdsPhi === 'yes' ? ', holds PHI' : ''}${current.internetExposed ? ', internet exposed' : ''}. Press Enter for details.` : 'Click a node, or focus the graph and use the arrow keys.'}
      </p>
    </div>
  )
}

/**
 * Cytoscape injects a one-rule <style> tag (its container's `position: relative`) unless an element
 * with its id exists; the CSP refuses inline styles, so a placeholder takes the id and styles.css
 * carries the rule.
 */
/** Layout roots: the internet node when present, otherwise nodes nothing points at. */
function rootsOf(t: Topology): string[] {
  const internet = t.nodes.filter((n) => n.kind === 'internet').map((n) => n.id)
  const targets = new Set(t.edges.map((e) => e.to))
  const free = t.nodes.filter((n) => !targets.has(n.id)).map((n) => n.id)
  return [...new Set([...internet, ...free])]
}

function preventCytoscapeStyleTag(): void {
  const id = '__________cytoscape_stylesheet'
  if (document.getElementById(id)) return
  const placeholder = document.createElement('meta')
  placeholder.id = id
  document.head.appendChild(placeholder)
}

function TopologyList({ t, onSelect, selected }: { t: Topology; onSelect: (id: string) => void; selected: string | null }): JSX.Element {
  const names = displayNames(t.nodes)
  return (
    <div class="stack">
      <section aria-labelledby="nodes-h">
        <h2 id="nodes-h" class="h3">
          Nodes
        </h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Environment</th>
                <th scope="col">PHI</th>
                <th scope="col">Internet</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {orderedNodes(t.nodes).map((n) => (
                <tr key={n.id} class={selected === n.id ? 'row-selected' : undefined}>
                  <th scope="row">{nodeName(n)}</th>
                  <td>{KIND_STYLE[n.kind]?.label ?? n.kind}</td>
                  <td>{n.environment}</td>
                  <td>
                    <PhiBadge phi={n.holdsPhi} />
                  </td>
                  <td>{n.internetExposed ? <span class="badge status-fail">Exposed</span> : 'No'}</td>
                  <td>
                    <button type="button" class="btn-secondary" onClick={() => onSelect(n.id)} aria-label={`Show details of ${nodeName(n)}`}>
                      Details
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="edges-h">
        <h2 id="edges-h" class="h3">
          Edges
        </h2>
        {t.edges.length === 0 ? (
          <p class="muted">No edges between the nodes shown.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Relation</th>
                  <th scope="col">Port</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {t.edges.map((e, i) => (
                  <tr key={i}>
                    <th scope="row">{names.get(e.from) ?? e.from}</th>
                    <td>{names.get(e.to) ?? e.to}</td>
                    <td>{e.kind}</td>
                    <td class="mono">{edgeDetail(e) || '—'}</td>
                    <td>{e.source === 'observed' ? 'Observed in flows' : 'Declared in IaC'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}

function DetailsPanel({ node, t, onClose, onSelect }: { node: TopologyNode; t: Topology; onClose: () => void; onSelect: (id: string) => void }): JSX.Element {
  const { incoming, outgoing } = edgesOf(t, node.id)
  const names = displayNames(t.nodes)
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('h2')?.focus()
  }, [node.id])
  const edgeItem = (other: string, e: (typeof incoming)[number], dir: 'from' | 'to'): JSX.Element => (
    <li key={`${dir}${other}${e.kind}${e.port ?? ''}`}>
      <button type="button" class="btn-link" onClick={() => onSelect(other)}>
        {names.get(other) ?? other}
      </button>{' '}
      <span class="muted">
        {e.kind}
        {edgeDetail(e) ? ` ${edgeDetail(e)}` : ''} · {e.source}
      </span>
    </li>
  )
  return (
    <aside class="details-panel card" aria-labelledby="node-details-h" ref={ref}>
      <div class="modal-head">
        <h2 id="node-details-h" tabIndex={-1} class="h3">
          {nodeName(node)}
        </h2>
        <button type="button" class="btn-ghost" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </div>
      <dl class="details">
        <dt>Kind</dt>
        <dd>
          {KIND_STYLE[node.kind]?.label ?? node.kind}
          {node.resourceKind ? <span class="mono small"> ({node.resourceKind})</span> : null}
        </dd>
        <dt>Environment</dt>
        <dd>{node.environment}</dd>
        <dt>PHI</dt>
        <dd>
          <PhiBadge phi={node.holdsPhi} />
        </dd>
        <dt>Exposure</dt>
        <dd>{node.internetExposed ? (node.exposure && node.exposure.length ? node.exposure.join('; ') : 'Internet exposed') : 'Not exposed to the internet'}</dd>
        <dt>Location</dt>
        <dd class="mono small">{formatLocation(node.location)}</dd>
        <dt>Edges in ({incoming.length})</dt>
        <dd>{incoming.length ? <ul class="plain">{incoming.map((e) => edgeItem(e.from, e, 'from'))}</ul> : '—'}</dd>
        <dt>Edges out ({outgoing.length})</dt>
        <dd>{outgoing.length ? <ul class="plain">{outgoing.map((e) => edgeItem(e.to, e, 'to'))}</ul> : '—'}</dd>
      </dl>
    </aside>
  )
}
