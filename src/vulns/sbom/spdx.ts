import { createHash } from 'node:crypto'
import type { Component } from '../../model/index.js'
import { componentProperties, contentUuid, dependencyGraph, isSpdxExpression, locationText, scanTime, uniqueComponents } from './common.js'
import type { SbomMeta } from './common.js'

/** SPDXID of the package standing for the scanned project. */
export const SPDX_ROOT_ID = 'SPDXRef-RootPackage'

/** Where PhiWall's SPDX document namespaces live (`<base>/<name>-<uuid>`). */
const NAMESPACE_BASE = 'https://phiwall.dev/spdxdocs'

interface SpdxPackage {
  SPDXID: string
  name: string
  versionInfo?: string
  downloadLocation: 'NOASSERTION'
  filesAnalyzed: false
  licenseConcluded: string
  licenseDeclared: string
  copyrightText: 'NOASSERTION'
  primaryPackagePurpose?: 'APPLICATION' | 'LIBRARY'
  sourceInfo?: string
  externalRefs?: Array<{ referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }>
}

interface SpdxRelationship {
  spdxElementId: string
  relationshipType: 'DESCRIBES' | 'DEPENDS_ON'
  relatedSpdxElement: string
}

/** `SPDXRef-Package-<ecosystem>-<name>-<version>-<8 hex of the purl's SHA-256>`, only `[A-Za-z0-9.-]`. */
function packageId(c: Component): string {
  const slug = `${c.ecosystem}-${c.name}-${c.version}`.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '')
  const hash = createHash('sha256').update(c.purl).digest('hex').slice(0, 8)
  return `SPDXRef-Package-${slug.slice(0, 100)}-${hash}`
}

/**
 * A declared license as SPDX 2.3 accepts it: a valid SPDX expression without `LicenseRef-` /
 * `DocumentRef-` (those would need extracted licensing info), else `NOASSERTION`.
 */
function declaredLicense(license: string | undefined): string {
  if (!license || /(LicenseRef|DocumentRef)-/.test(license) || !isSpdxExpression(license)) return 'NOASSERTION'
  return license
}

/** The SPDX 2.3 creation time: `YYYY-MM-DDThh:mm:ssZ` (no fractional seconds). */
function spdxTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function toPackage(c: Component): SpdxPackage {
  const facts = componentProperties(c)
    .filter(([key]) => key !== 'phiwall:location')
    .map(([key, value]) => `${key.slice('phiwall:'.length)}=${value}`)
  const sourceInfo = [`found by ${c.foundBy} in ${c.locations.map(locationText).join(', ') || 'unknown location'}`, ...facts.filter((f) => !f.startsWith('foundBy='))].join('; ')
  return {
    SPDXID: packageId(c),
    name: c.name,
    versionInfo: c.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: declaredLicense(c.license),
    copyrightText: 'NOASSERTION',
    ...(c.type === 'library' ? { primaryPackagePurpose: 'LIBRARY' as const } : {}),
    sourceInfo,
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }],
  }
}

function buildDocument(components: readonly Component[], meta: SbomMeta, uuid: string): Record<string, unknown> {
  const unique = uniqueComponents(components)
  const ids = new Map(unique.map((c) => [c.purl, packageId(c)]))
  const root: SpdxPackage = {
    SPDXID: SPDX_ROOT_ID,
    name: meta.name,
    ...(meta.version !== undefined ? { versionInfo: meta.version } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'APPLICATION',
  }
  const graph = dependencyGraph(unique)
  const relationships: SpdxRelationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: SPDX_ROOT_ID }]
  for (const purl of graph.direct) {
    const id = ids.get(purl)
    if (id) relationships.push({ spdxElementId: SPDX_ROOT_ID, relationshipType: 'DEPENDS_ON', relatedSpdxElement: id })
  }
  for (const [from, tos] of graph.edges) {
    const fromId = ids.get(from)
    if (!fromId) continue
    for (const to of tos) {
      const toId = ids.get(to)
      if (toId) relationships.push({ spdxElementId: fromId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: toId })
    }
  }
  const slug = meta.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'sbom'
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: meta.version !== undefined ? `${meta.name}@${meta.version}` : meta.name,
    documentNamespace: `${NAMESPACE_BASE}/${slug}-${uuid}`,
    creationInfo: {
      created: spdxTime(scanTime(meta)),
      creators: [`Tool: phiwall-${meta.toolVersion}`],
    },
    packages: [root, ...unique.map(toPackage)],
    relationships,
  }
}

/**
 * Writes an SPDX 2.3 JSON document: the project as `SPDXRef-RootPackage` (the document DESCRIBES
 * it), one package per purl (sorted by purl) with a deterministic SPDXID, name, versionInfo, a
 * PACKAGE-MANAGER purl external reference, `downloadLocation` / `licenseConcluded` /
 * `copyrightText` NOASSERTION, `licenseDeclared` when the source states a valid SPDX expression,
 * and where it was found in `sourceInfo`; DEPENDS_ON relationships from the root to direct
 * components and along the components' `paths`. Deterministic: the namespace's UUID is taken from
 * `meta.serialNumber` when given, else derived from the document's content.
 */
export function toSpdx(components: readonly Component[], meta: SbomMeta): string {
  const given = meta.serialNumber ? /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(meta.serialNumber)?.[1] : undefined
  const uuid = given?.toLowerCase() ?? contentUuid(JSON.stringify(buildDocument(components, meta, '')))
  return JSON.stringify(buildDocument(components, meta, uuid), null, 2) + '\n'
}
