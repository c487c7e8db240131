import type { DependencyScope, Diagnostic } from '../../model/index.js'
import { ComponentCollector, echo, invalid, splitLines } from './common.js'
import { scopesFromRoots, shortestChains } from './graph.js'
import type { DepGraph } from './graph.js'
import type { FormatParser, ParserInput } from './types.js'

/** `nokogiri (1.13.10-x86_64-linux)` → name, version and platform. */
export function parseGemSpec(text: string): { name: string; version: string; platform?: string } | undefined {
  const m = /^([A-Za-z0-9][\w.-]*) \(([^)\s,]+)\)$/.exec(text)
  if (!m) return undefined
  const full = m[2]!
  // RubyGems versions hold no "-"; what follows the first one is the platform
  const dash = full.indexOf('-')
  return dash === -1 ? { name: m[1]!, version: full } : { name: m[1]!, version: full.slice(0, dash), platform: full.slice(dash + 1) }
}

const DEV_GROUPS = new Set(['development', 'test', 'dev', 'ci', 'lint'])

/** Gems the Gemfile declares only in development / test groups. */
function devGemsOf(gemfile: string): Set<string> {
  const dev = new Set<string>()
  const stack: boolean[] = []
  for (const raw of splitLines(gemfile)) {
    const line = raw.replace(/#.*$/, '').trim()
    const group = /^group\s+(.+?)\s+do\b/.exec(line)
    if (group) {
      const names = [...group[1]!.matchAll(/:(\w+)|["'](\w+)["']/g)].map((m) => m[1] ?? m[2]!)
      stack.push(names.length > 0 && names.every((n) => DEV_GROUPS.has(n)))
      continue
    }
    if (/\bdo\s*(\|.*\|)?$/.test(line)) {
      stack.push(stack[stack.length - 1] ?? false)
      continue
    }
    if (line === 'end') {
      stack.pop()
      continue
    }
    const gem = /^gem\s+["']([^"']+)["'](.*)$/.exec(line)
    if (!gem) continue
    const inline = /groups?:\s*(\[[^\]]*\]|:\w+)/.exec(gem[2]!)
    const inlineDev = inline ? [...inline[1]!.matchAll(/:(\w+)/g)].every((m) => DEV_GROUPS.has(m[1]!)) : false
    if (stack.some((d) => d) || inlineDev) dev.add(gem[1]!)
  }
  return dev
}

/**
 * Gemfile.lock: specs of the `GEM` and `GIT` sections (4-space indented, their dependencies at
 * 6), platform suffixes dropped from the version; `DEPENDENCIES` gives the direct gems and the
 * sibling Gemfile's groups their scope. `PATH` gems are the project's own.
 */
export const parseGemfileLock: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const specs: { name: string; version: string; line: number; deps: string[] }[] = []
  const direct: string[] = []
  let section = ''
  let inSpecs = false
  let current: (typeof specs)[number] | undefined
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!
    if (!raw.trim()) continue
    const indent = raw.length - raw.trimStart().length
    const body = raw.trim()
    if (indent === 0) {
      section = body
      inSpecs = false
      current = undefined
      continue
    }
    if (section === 'GEM' || section === 'GIT') {
      if (indent === 2) {
        inSpecs = body === 'specs:'
        continue
      }
      if (!inSpecs) continue
      if (indent === 4) {
        const spec = parseGemSpec(body)
        if (!spec) {
          diagnostics.push(invalid(file, `Spec "${echo(body)}" is not "name (version)"`, i + 1))
          current = undefined
          continue
        }
        current = { name: spec.name, version: spec.version, line: i + 1, deps: [] }
        specs.push(current)
      } else if (indent === 6 && current) {
        const dep = /^([A-Za-z0-9][\w.-]*)/.exec(body)
        if (dep) current.deps.push(dep[1]!)
      }
    } else if (section === 'DEPENDENCIES' && indent === 2) {
      const dep = /^([A-Za-z0-9][\w.-]*)/.exec(body)
      if (dep) direct.push(dep[1]!)
    }
  }
  if (specs.length === 0 && text.trim() && !/^(GEM|GIT|PATH|PLATFORMS|DEPENDENCIES)\b/m.test(text)) {
    diagnostics.push(invalid(file, 'No GEM section found; this is not a Gemfile.lock', 1))
  }
  const graph: DepGraph = { labels: new Map(), edges: new Map() }
  for (const s of specs) {
    if (!graph.labels.has(s.name)) graph.labels.set(s.name, `${s.name}@${s.version}`)
    graph.edges.set(s.name, [...(graph.edges.get(s.name) ?? []), ...s.deps])
  }
  const roots = direct.filter((d) => graph.labels.has(d))
  const rootSet = new Set(roots)
  const chains = shortestChains(graph, roots)
  const gemfile = input.readSibling?.('Gemfile')
  let scopes: Map<string, DependencyScope> | undefined
  if (gemfile !== undefined) {
    const dev = devGemsOf(gemfile)
    scopes = scopesFromRoots(graph, { prod: roots.filter((r) => !dev.has(r)), dev: roots.filter((r) => dev.has(r)) })
  }
  const hasDeps = /^DEPENDENCIES\s*$/m.test(text)
  const collector = new ComponentCollector('RubyGems', file, 'Gemfile.lock')
  for (const s of specs) {
    collector.add({ name: s.name, version: s.version, line: s.line, direct: hasDeps ? rootSet.has(s.name) : undefined, scope: scopes?.get(s.name), paths: chains.get(s.name) })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
