import type { Component, DependencyScope } from '../model/index.js'

const SCOPE_ORDER: DependencyScope[] = ['prod', 'optional', 'peer', 'dev']

/**
 * One component per purl: the same package version found in several lockfiles or layers keeps
 * every location; it is direct if any source says so, in the widest scope any source gives
 * (`prod` over `optional` over `peer` over `dev`), with the shortest few chains of all sources.
 * Order: by purl, so SBOMs and reports are repeatable.
 */
export function mergeComponents(components: Component[]): Component[] {
  const byPurl = new Map<string, Component>()
  for (const c of components) {
    const seen = byPurl.get(c.purl)
    if (!seen) {
      byPurl.set(c.purl, { ...c, locations: [...c.locations], ...(c.paths ? { paths: [...c.paths] } : {}) })
      continue
    }
    for (const l of c.locations) {
      if (!seen.locations.some((x) => x.file === l.file && x.line === l.line && x.layer === l.layer)) seen.locations.push(l)
    }
    if (c.direct !== undefined) seen.direct = seen.direct === true || c.direct
    if (c.scope) seen.scope = seen.scope && SCOPE_ORDER.indexOf(seen.scope) <= SCOPE_ORDER.indexOf(c.scope) ? seen.scope : c.scope
    if (c.paths?.length) {
      const all = [...(seen.paths ?? []), ...c.paths]
      const unique = [...new Map(all.map((p) => [p.join('\u0000'), p])).values()].sort((a, b) => a.length - b.length)
      seen.paths = unique.slice(0, 3)
    }
    if (!seen.license && c.license) seen.license = c.license
    if (!seen.sourceName && c.sourceName) seen.sourceName = c.sourceName
    if (!seen.sourceVersion && c.sourceVersion) seen.sourceVersion = c.sourceVersion
  }
  return [...byPurl.values()].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0))
}
