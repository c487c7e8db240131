import type { Diagnostic } from '../../model/index.js'
import { parseJsonLocated } from '../located/index.js'
import { asRecord, asString, ComponentCollector, invalid } from './common.js'
import { shortestChains } from './graph.js'
import type { DepGraph } from './graph.js'
import type { FormatParser, ParserInput } from './types.js'

/** Platform requirements (`php`, `ext-json`, `composer-plugin-api`) are not packages. */
function isPlatform(name: string): boolean {
  return !name.includes('/')
}

/**
 * composer.lock: `packages` (prod) and `packages-dev` (dev). A tag-style `v1.2.3` version is
 * written without the `v` (Composer treats both alike; advisories use the bare number). Direct
 * packages from the sibling composer.json.
 */
export const parseComposerLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const parsed = parseJsonLocated(text, { file })
  const diagnostics: Diagnostic[] = parsed.diagnostics.map((d) => ({ ...d, code: 'PW_ERR_LOCKFILE_INVALID' }))
  const collector = new ComponentCollector('Packagist', file, 'composer.lock')
  const doc = asRecord(parsed.documents[0])
  if (!doc) return { components: [], diagnostics }
  let manifest: Record<string, unknown> | undefined
  try {
    const m = input.readSibling?.('composer.json')
    manifest = m === undefined ? undefined : asRecord(JSON.parse(m))
  } catch {
    manifest = undefined
  }
  const entries: { name: string; version: string; line: number | undefined; dev: boolean; requires: string[]; license?: string | undefined }[] = []
  for (const [section, dev] of [['packages', false], ['packages-dev', true]] as const) {
    const list = doc[section]
    if (list === undefined || list === null) continue
    if (!Array.isArray(list)) {
      diagnostics.push(invalid(file, `"${section}" is not a list`, parsed.lines.keyLine(doc, section)))
      continue
    }
    list.forEach((p, i) => {
      const e = asRecord(p)
      const line = parsed.lines.keyLine(list, i)
      const name = asString(e?.['name'])
      const version = asString(e?.['version'])
      if (!e || !name || !version) {
        diagnostics.push(invalid(file, `Entry ${i} of "${section}" has no name or version`, line))
        return
      }
      // several licenses in composer.json mean the user may choose: a disjunction
      const licenses = Array.isArray(e['license']) ? (e['license'] as unknown[]).filter((l): l is string => typeof l === 'string') : []
      const license = licenses.length === 0 ? undefined : licenses.join(' OR ')
      entries.push({ name: name.toLowerCase(), version: version.replace(/^v(?=\d)/, ''), line, dev, license, requires: Object.keys(asRecord(e['require']) ?? {}).filter((n) => !isPlatform(n)).map((n) => n.toLowerCase()) })
    })
  }
  const graph: DepGraph = { labels: new Map(), edges: new Map() }
  for (const e of entries) {
    graph.labels.set(e.name, `${e.name}@${e.version}`)
    graph.edges.set(e.name, e.requires)
  }
  const declared = manifest ? [...Object.keys(asRecord(manifest['require']) ?? {}), ...Object.keys(asRecord(manifest['require-dev']) ?? {})].map((n) => n.toLowerCase()).filter((n) => graph.labels.has(n)) : undefined
  const required = new Set([...graph.edges.values()].flat())
  const roots = declared ?? [...graph.labels.keys()].filter((n) => !required.has(n))
  const chains = shortestChains(graph, roots)
  const rootSet = new Set(roots)
  for (const e of entries) {
    collector.add({ name: e.name, version: e.version, line: e.line, direct: declared ? rootSet.has(e.name) : undefined, scope: e.dev ? 'dev' : 'prod', paths: chains.get(e.name), license: e.license })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
