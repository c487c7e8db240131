import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import type { Component, ComponentLocation } from '../../model/index.js'
import { PhiwallError } from '../../model/index.js'
import { mergeComponents } from '../../sources/index.js'

/** What an SBOM says about the software it describes and the tool that wrote it. */
export interface SbomMeta {
  /** Name of the scanned project / image / directory. */
  name: string
  version?: string
  /** ISO 8601 time of the scan. */
  timestamp: string
  /** PhiWall's version. */
  toolVersion: string
  /** CycloneDX serial number (`urn:uuid:…`); derived from the content when absent. */
  serialNumber?: string
}

const require = createRequire(import.meta.url)
const parseSpdxExpression = require('spdx-expression-parse') as (expression: string) => unknown

/** True when `expression` is a valid SPDX license expression (spdx-expression-parse). */
export function isSpdxExpression(expression: string): boolean {
  try {
    parseSpdxExpression(expression)
    return true
  } catch {
    return false
  }
}

/** The scan time as a Date, or a usage error: the caller passes it, so a bad one is misuse. */
export function scanTime(meta: SbomMeta): Date {
  const date = new Date(meta.timestamp)
  if (Number.isNaN(date.getTime())) throw new PhiwallError('PW_ERR_USAGE', 'SBOM timestamp is not an ISO 8601 date-time')
  return date
}

/** `file`, `file:line`, with `@layer` for container images. */
export function locationText(location: ComponentLocation): string {
  return `${location.file}${location.line !== undefined ? `:${location.line}` : ''}${location.layer ? `@${location.layer}` : ''}`
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Components keyed and sorted by purl ({@link mergeComponents}: the same purl found by several
 * readers is one entry, `direct` when any says so), with locations sorted and without duplicates.
 */
export function uniqueComponents(components: readonly Component[]): Component[] {
  // merging is the sources' rule (one component per purl); an SBOM also wants locations in order
  const out = mergeComponents([...components])
  for (const c of out) {
    const locations = new Map(c.locations.map((l) => [locationText(l), l]))
    c.locations = [...locations.entries()].sort((x, y) => compareStrings(x[0], y[0])).map(([, l]) => l)
  }
  return out
}

/** `name@version` of a path step, split at the last `@` that is not the first character (`@scope/x@1.0.0`). */
function splitStep(step: string): { name: string; version: string } | undefined {
  const at = step.lastIndexOf('@')
  if (at <= 0) return undefined
  return { name: step.slice(0, at), version: step.slice(at + 1) }
}

/** The dependency graph an SBOM records: root → direct components, component → its dependencies (purls, sorted). */
export interface DependencyGraph {
  /** Purls of components the project depends on directly. */
  direct: string[]
  /** Purl → purls it depends on. */
  edges: Map<string, string[]>
}

/**
 * Builds the graph from the components' `paths` (each a chain from a direct dependency down to the
 * component, as `name@version` steps, resolved within the component's ecosystem) and `direct`
 * flags: a path's first step is a direct dependency, each step depends on the next. Steps that
 * name no known component are skipped (the chain is cut there).
 */
export function dependencyGraph(components: readonly Component[]): DependencyGraph {
  const index = new Map<string, string>()
  for (const c of components) index.set(`${c.ecosystem}\u0000${c.name}\u0000${c.version}`, c.purl)
  const direct = new Set<string>()
  const edges = new Map<string, Set<string>>()
  for (const c of components) {
    if (c.direct === true) direct.add(c.purl)
    for (const path of c.paths ?? []) {
      const purls = path.map((step) => {
        const s = splitStep(step)
        return s ? index.get(`${c.ecosystem}\u0000${s.name}\u0000${s.version}`) : undefined
      })
      const first = purls[0]
      if (first) direct.add(first)
      for (let i = 0; i + 1 < purls.length; i++) {
        const from = purls[i]
        const to = purls[i + 1]
        if (!from || !to) break
        if (from === to) continue
        const set = edges.get(from) ?? new Set<string>()
        set.add(to)
        edges.set(from, set)
      }
    }
  }
  return {
    direct: [...direct].sort(compareStrings),
    edges: new Map([...edges.entries()].sort((a, b) => compareStrings(a[0], b[0])).map(([k, v]) => [k, [...v].sort(compareStrings)])),
  }
}

/** A UUID (RFC 4122 layout, version 5 nibble) derived from a SHA-256 of `text`: same content, same id. */
export function contentUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex')
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The facts of a component worth keeping beside its name and version, as `phiwall:*` name/value pairs (sorted). */
export function componentProperties(c: Component): Array<[string, string]> {
  const props: Array<[string, string]> = [
    ['phiwall:ecosystem', c.ecosystem],
    ['phiwall:foundBy', c.foundBy],
    ...c.locations.map((l): [string, string] => ['phiwall:location', locationText(l)]),
  ]
  if (c.release) props.push(['phiwall:release', c.release])
  if (c.sourceName) props.push(['phiwall:sourceName', c.sourceName])
  if (c.sourceVersion) props.push(['phiwall:sourceVersion', c.sourceVersion])
  if (c.direct !== undefined) props.push(['phiwall:direct', String(c.direct)])
  if (c.scope) props.push(['phiwall:scope', c.scope])
  return props.sort((a, b) => compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]))
}
