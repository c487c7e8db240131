import { createRequire } from 'node:module'
import type { Enums, Models } from '@cyclonedx/cyclonedx-library'
import type { Component, DependencyScope } from '../../model/index.js'
import { componentProperties, contentUuid, dependencyGraph, isSpdxExpression, scanTime, uniqueComponents } from './common.js'
import type { SbomMeta } from './common.js'

/** bom-ref of the described project (purls start with `pkg:`, so it cannot collide with a component). */
export const ROOT_BOM_REF = 'phiwall:root'

type CycloneDxLibrary = typeof import('@cyclonedx/cyclonedx-library')
let loaded: CycloneDxLibrary | undefined
/** The CycloneDX library, loaded on first use: it takes a few hundred ms, which no scan should pay. */
function cdx(): CycloneDxLibrary {
  loaded ??= createRequire(import.meta.url)('@cyclonedx/cyclonedx-library') as CycloneDxLibrary
  return loaded
}

/** CycloneDX scope: production dependencies are required; dev dependencies are not shipped (excluded). */
function scopeOf(scope: DependencyScope): Enums.ComponentScope {
  const { ComponentScope } = cdx().Enums
  return scope === 'prod' ? ComponentScope.Required : scope === 'dev' ? ComponentScope.Excluded : ComponentScope.Optional
}

/** Group and name as CycloneDX writes them: npm `@scope` and Maven `groupId` as group; others whole. */
function groupAndName(c: Component): { group?: string; name: string } {
  if (c.ecosystem === 'npm' && c.name.startsWith('@') && c.name.includes('/')) {
    const slash = c.name.indexOf('/')
    return { group: c.name.slice(0, slash), name: c.name.slice(slash + 1) }
  }
  if (c.ecosystem === 'Maven' && c.name.includes(':')) {
    const colon = c.name.indexOf(':')
    return { group: c.name.slice(0, colon), name: c.name.slice(colon + 1) }
  }
  return { name: c.name }
}

function toModel(c: Component): Models.Component {
  const { Enums, Models } = cdx()
  const { group, name } = groupAndName(c)
  const model = new Models.Component(Enums.ComponentType.Library, name, {
    bomRef: c.purl,
    purl: c.purl,
    version: c.version,
    ...(group ? { group } : {}),
    ...(c.scope ? { scope: scopeOf(c.scope) } : {}),
  })
  if (c.license) {
    model.licenses.add(isSpdxExpression(c.license) ? new Models.LicenseExpression(c.license) : new Models.NamedLicense(c.license))
  }
  for (const [key, value] of componentProperties(c)) model.properties.add(new Models.Property(key, value))
  return model
}

function buildBom(components: readonly Component[], meta: SbomMeta, serialNumber: string | undefined): Models.Bom {
  const { Enums, Models } = cdx()
  const unique = uniqueComponents(components)
  const bom = new Models.Bom()
  bom.metadata.timestamp = scanTime(meta)
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, 'phiwall', { version: meta.toolVersion }))
  const root = new Models.Component(Enums.ComponentType.Application, meta.name, {
    bomRef: ROOT_BOM_REF,
    ...(meta.version !== undefined ? { version: meta.version } : {}),
  })
  bom.metadata.component = root
  const models = new Map<string, Models.Component>()
  for (const c of unique) {
    const model = toModel(c)
    models.set(c.purl, model)
    bom.components.add(model)
  }
  const graph = dependencyGraph(unique)
  for (const purl of graph.direct) {
    const model = models.get(purl)
    if (model) root.dependencies.add(model.bomRef)
  }
  for (const [from, tos] of graph.edges) {
    const source = models.get(from)
    if (!source) continue
    for (const to of tos) {
      const target = models.get(to)
      if (target) source.dependencies.add(target.bomRef)
    }
  }
  if (serialNumber !== undefined) bom.serialNumber = serialNumber
  return bom
}

function serialize(bom: Models.Bom): string {
  const { Serialize, Spec } = cdx()
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6))
  return serializer.serialize(bom, { sortLists: true, space: 2 })
}

/**
 * Writes a CycloneDX 1.6 JSON BOM with `@cyclonedx/cyclonedx-library`. Components are keyed by
 * purl (bom-ref = purl; one entry per purl, locations joined) and sorted; each carries its group
 * (npm scope, Maven groupId), scope (prod → required, optional/peer → optional, dev → excluded),
 * license (an SPDX expression, else a named license) and `phiwall:*` properties (`location` per
 * place found as `file[:line][@layer]`, `foundBy`, `ecosystem`, `release`, `sourceName`,
 * `sourceVersion`, `direct`, `scope`). The project is `metadata.component` (bom-ref
 * `phiwall:root`), depending on the direct components; `dependencies` follow the components'
 * `paths`. Deterministic: the same input gives the same bytes; without `meta.serialNumber` the
 * serial number is a UUID derived from the rest of the document. Throws `PW_ERR_USAGE` for a
 * `meta.timestamp` that is not a date.
 */
export function toCycloneDx(components: readonly Component[], meta: SbomMeta): string {
  const serialNumber = meta.serialNumber ?? `urn:uuid:${contentUuid(serialize(buildBom(components, meta, undefined)))}`
  return serialize(buildBom(components, meta, serialNumber)) + '\n'
}
