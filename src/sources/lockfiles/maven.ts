import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { DependencyScope, Diagnostic } from '../../model/index.js'
import { asRecord, ComponentCollector, echo, invalid } from './common.js'
import type { FormatParser, ParserInput } from './types.js'

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  const r = asRecord(value)
  const t = r?.['#text']
  return t === undefined ? undefined : text(t)
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return []
  return Array.isArray(value) ? value : [value]
}

/** Offsets of `<tag>` / `<tag …>` openings outside comments, in document order. */
function openings(xml: string, tag: string): number[] {
  const out: number[] = []
  const re = new RegExp(`<${tag}[\\s>/]`, 'g')
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m.index)
  return out
}

/** Ranges `[start, end)` of every `<tag>…</tag>` element. */
function ranges(xml: string, tag: string): [number, number][] {
  const out: [number, number][] = []
  for (const start of openings(xml, tag)) {
    const end = xml.indexOf(`</${tag}>`, start)
    out.push([start, end === -1 ? xml.length : end])
  }
  return out
}

function lineAt(xml: string, offset: number): number {
  let line = 1
  for (let i = xml.indexOf('\n'); i !== -1 && i < offset; i = xml.indexOf('\n', i + 1)) line++
  return line
}

const SCOPES: Record<string, DependencyScope> = { compile: 'prod', runtime: 'prod', provided: 'prod', system: 'prod', test: 'dev' }

/**
 * pom.xml, resolved versions only: literal versions, `${property}` from `<properties>` and the
 * project / parent coordinates, and versions from `<dependencyManagement>`. A version that stays
 * unresolved (a property from elsewhere, an imported BOM) or is a range is a warning, not a
 * component. Lines come from scanning the text for `<dependency>` in document order.
 */
export const parsePom: FormatParser = (input: ParserInput) => {
  const { file } = input
  const diagnostics: Diagnostic[] = []
  const collector = new ComponentCollector('Maven', file, 'pom.xml')
  // blank comments out (same length, lines kept) so scanning ignores commented-out dependencies
  const xml = input.text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '))
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    diagnostics.push(invalid(file, `XML is not well-formed: ${valid.err.msg.slice(0, 200)}`, valid.err.line))
    return { components: [], diagnostics }
  }
  let doc: Record<string, unknown> | undefined
  try {
    doc = asRecord(new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: true }).parse(xml))
  } catch (e) {
    diagnostics.push(invalid(file, `XML cannot be read: ${e instanceof Error ? echo(e.message) : 'unknown error'}`, 1))
    return { components: [], diagnostics }
  }
  const project = asRecord(doc?.['project'])
  if (!project) {
    diagnostics.push(invalid(file, 'No <project> element: this is not a Maven POM', 1))
    return { components: [], diagnostics }
  }
  const parent = asRecord(project['parent'])
  const props = new Map<string, string>()
  for (const [k, v] of Object.entries(asRecord(project['properties']) ?? {})) {
    const t = text(v)
    if (t !== undefined) props.set(k, t)
  }
  const coords: [string, unknown][] = [
    ['project.version', project['version'] ?? parent?.['version']],
    ['project.groupId', project['groupId'] ?? parent?.['groupId']],
    ['project.artifactId', project['artifactId']],
    ['project.parent.version', parent?.['version']],
    ['project.parent.groupId', parent?.['groupId']],
    ['version', project['version'] ?? parent?.['version']],
    ['pom.version', project['version'] ?? parent?.['version']],
  ]
  for (const [k, v] of coords) {
    const t = text(v)
    if (t !== undefined && !props.has(k)) props.set(k, t)
  }
  const interpolate = (value: string): string => {
    let v = value
    for (let i = 0; i < 10 && v.includes('${'); i++) v = v.replace(/\$\{([^}]+)\}/g, (whole, key: string) => props.get(key) ?? whole)
    return v
  }
  const managed = new Map<string, string>()
  const mgmt = asRecord(asRecord(project['dependencyManagement'])?.['dependencies'])
  for (const d of list(mgmt?.['dependency'])) {
    const r = asRecord(d)
    const g = text(r?.['groupId'])
    const a = text(r?.['artifactId'])
    const v = text(r?.['version'])
    if (g && a && v) managed.set(`${interpolate(g)}:${interpolate(a)}`, interpolate(v))
  }
  // lines: the n-th <dependency> of <project><dependencies>, outside dependencyManagement, build, profiles and reporting
  const excluded = [...ranges(xml, 'dependencyManagement'), ...ranges(xml, 'build'), ...ranges(xml, 'profiles'), ...ranges(xml, 'reporting')]
  const depLines = openings(xml, 'dependency')
    .filter((o) => !excluded.some(([s, e]) => o > s && o < e))
    .map((o) => lineAt(xml, o))
  const deps = list(asRecord(project['dependencies'])?.['dependency'])
  deps.forEach((d, i) => {
    const r = asRecord(d)
    const line = depLines[i]
    const g = text(r?.['groupId'])
    const a = text(r?.['artifactId'])
    if (!r || !g || !a) {
      diagnostics.push(invalid(file, 'Dependency without groupId or artifactId', line))
      return
    }
    const name = `${interpolate(g)}:${interpolate(a)}`
    const raw = text(r['version'])
    const version = raw === undefined ? managed.get(name) : interpolate(raw)
    if (version === undefined) {
      diagnostics.push(invalid(file, `Dependency ${echo(name)} has no version here (managed by a parent or an imported BOM); it is not judged`, line, 'warning'))
      return
    }
    if (version.includes('${') || /^[[(]|[\])]$|,/.test(version)) {
      diagnostics.push(invalid(file, `Dependency ${echo(name)} version "${echo(version)}" is unresolved or a range; it is not judged`, line, 'warning'))
      return
    }
    const scopeName = text(r['scope']) ?? 'compile'
    if (scopeName === 'import') return
    const scope: DependencyScope = text(r['optional']) === 'true' ? 'optional' : (SCOPES[scopeName] ?? 'prod')
    collector.add({ name, version, line, direct: true, scope })
  })
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
