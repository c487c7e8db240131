import type { Edge, EdgeKind, Resource } from '../../model/index.js'
import { composeBuild, composeDependsOn, composeEnvironment, composeLinks, composeNetworks, composePorts, composeServiceSecrets, composeVolumes } from '../../sources/index.js'
import { ADDRESS_NAME, addressesIn, isDataStoreWorkload } from '../k8s/relations.js'

const SERVICE = 'Docker::Compose::Service'


/**
 * Declared edges of Compose projects. Services of one project (the Compose files of one
 * directory: a base file and its overrides) reach each other by service name or network alias:
 * - service → service it names in an environment value (`DATABASE_URL=postgres://db:5432/…`),
 *   it `depends_on` or `links` (`network`, with the target's container port), and → the
 *   data-store service behind it (`uses`), so PHI follows data;
 * - service → the networks it joins (`placed-in`), → named volumes (`writes`, `reads` when
 *   read-only), → secrets (`reads`), → the Dockerfile its `build:` names (`uses`).
 */
export function composeEdges(resources: readonly Resource[]): Edge[] {
  const edges: Edge[] = []
  const seen = new Set<string>()
  const add = (from: Resource, to: Resource, kind: EdgeKind, evidence: string, line: number | undefined, port?: number, protocol?: string): void => {
    if (from.id === to.id) return
    const key = `${from.id}\u0000${to.id}\u0000${kind}\u0000${port ?? ''}`
    if (seen.has(key)) return
    seen.add(key)
    const l = line ?? from.location.line
    edges.push({ from: from.id, to: to.id, kind, source: 'declared', evidence, ...(port !== undefined ? { port } : {}), ...(protocol ? { protocol } : {}), location: { file: from.location.file, ...(l !== undefined ? { line: l } : {}) } })
  }
  const projectOf = (r: Resource): string => r.stack.slice(0, r.stack.lastIndexOf('/') + 1)
  // per project: services by name and network alias; networks, volumes, secrets by name
  const byProject = new Map<string, { services: Map<string, Resource>; other: Map<string, Resource> }>()
  const dockerfiles = new Map<string, Resource>()
  for (const r of resources) {
    if (r.type === 'Docker::Image::Dockerfile') dockerfiles.set(r.location.file, r)
    if (!r.type.startsWith('Docker::Compose::')) continue
    const p = projectOf(r)
    let proj = byProject.get(p)
    if (!proj) byProject.set(p, (proj = { services: new Map(), other: new Map() }))
    if (r.type === SERVICE) {
      // an override file repeats a service: the base file's declaration stands for it
      const known = proj.services.get(r.sourceId)
      if (!known || (isOverride(known) && !isOverride(r))) proj.services.set(r.sourceId, r)
      for (const n of composeNetworks(r.props)) for (const a of n.aliases ?? []) if (!proj.services.has(a)) proj.services.set(a, r)
      const cn = r.props['container_name']
      if (typeof cn === 'string' && !proj.services.has(cn)) proj.services.set(cn, r)
    } else proj.other.set(`${r.type}\u0000${r.sourceId}`, r)
  }
  const portOf = (t: Resource): number | undefined => {
    const p = composePorts(t.props).find((x) => x.targetPort !== undefined)
    if (p?.targetPort !== undefined) return p.targetPort
    const expose = t.props['expose']
    const first = Array.isArray(expose) ? Number(String(expose[0] ?? '').split('/')[0]) : NaN
    return Number.isInteger(first) && first > 0 ? first : undefined
  }
  for (const r of resources) {
    if (r.type !== SERVICE) continue
    const proj = byProject.get(projectOf(r))!
    const call = (target: Resource, evidence: string, line: number | undefined, port?: number): void => {
      const p = port ?? portOf(target)
      add(r, target, 'network', evidence, line, p, 'tcp')
      if (isDataStoreWorkload(target)) add(r, target, 'uses', `${evidence} → data store ${target.sourceId}`, line)
    }
    for (const e of composeEnvironment(r.props)) {
      if (e.value === undefined || e.interpolated && !/[:/]/.test(e.value)) continue
      const structured = /[:/]/.test(e.value)
      if (!structured && !ADDRESS_NAME.test(e.name)) continue
      for (const a of addressesIn(e.value)) {
        const t = proj.services.get(a.host)
        if (t) call(t, `environment ${e.name}`, e.line, a.port)
      }
    }
    for (const d of composeDependsOn(r.props)) {
      const t = proj.services.get(d.service)
      if (t) call(t, `depends_on ${d.service}`, d.line)
    }
    for (const l of composeLinks(r.props)) {
      const t = proj.services.get(l.service)
      if (t) call(t, `links ${l.service}`, l.line)
    }
    for (const n of composeNetworks(r.props)) {
      const net = proj.other.get(`Docker::Compose::Network\u0000${n.name}`)
      if (net) add(r, net, 'placed-in', `networks ${n.name}`, n.line)
    }
    for (const v of composeVolumes(r.props)) {
      if (v.type !== 'volume' || !v.source) continue
      const vol = proj.other.get(`Docker::Compose::Volume\u0000${v.source}`)
      if (vol) add(r, vol, v.readOnly ? 'reads' : 'writes', `volume ${v.source}${v.target ? ` at ${v.target}` : ''}`, v.line)
    }
    for (const s of composeServiceSecrets(r.props)) {
      const sec = proj.other.get(`Docker::Compose::Secret\u0000${s.source}`)
      if (sec) add(r, sec, 'reads', `secret ${s.source}`, s.line)
    }
    const build = composeBuild(r.props, r.location.file)
    if (build?.dockerfilePath) {
      const df = dockerfiles.get(build.dockerfilePath)
      if (df) add(r, df, 'uses', `build ${build.context}`, build.line)
    }
  }
  return edges
}

/** `compose.override.yaml`, `docker-compose.override.yml`, `docker-compose.prod.override.yml`: files that patch a base file. */
export function isOverride(r: Resource): boolean {
  return /(^|[./-])override\.[^/]*$/.test(r.location.file.slice(r.location.file.lastIndexOf('/') + 1))
}
