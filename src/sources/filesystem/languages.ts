import { parse as parseJsonc, type ParseError } from 'jsonc-parser'
import { z } from 'zod'
import type { Component, Diagnostic } from '../../model/index.js'
import { locationOf } from './location.js'
import { makePurl } from './purl.js'
import type { ParseContext } from './types.js'
import { basename } from './vfs.js'

type Parsed = { components: Component[]; diagnostics: Diagnostic[] }

function lib(c: ParseContext, fields: Omit<Component, 'type' | 'locations'>, line?: number): Component {
  return { ...fields, type: 'library', locations: [locationOf(c, line)] }
}

function invalid(c: ParseContext, what: string, detail: string): Diagnostic {
  return { code: 'PW_ERR_LOCKFILE_INVALID', level: 'warning', message: `${what} ${c.file} cannot be read (${detail}); skipped.`, file: c.file }
}

/** Where a JSON text first goes wrong, found with the VS Code JSON scanner. */
function jsonError(text: string): string {
  const errors: ParseError[] = []
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false })
  const first = errors[0]
  return first ? `invalid JSON at line ${text.slice(0, first.offset).split('\n').length}` : 'invalid JSON'
}

/** `node_modules/<name>/package.json` or `node_modules/@scope/<name>/package.json`, at any depth. */
export const NODE_PACKAGE_RE = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/
/** `*.dist-info/METADATA`, `*.egg-info/PKG-INFO` and legacy `*.egg-info` files. */
export const PYTHON_METADATA_RE = /(?:^|\/)[^/]+\.(?:dist-info\/METADATA|egg-info\/PKG-INFO|egg-info)$/
/** `specifications/<name>-<version>.gemspec`. */
export const GEMSPEC_RE = /(?:^|\/)specifications\/[^/]+\.gemspec$/
/** `vendor/composer/installed.json`. */
export const COMPOSER_INSTALLED_RE = /(?:^|\/)vendor\/composer\/installed\.json$/
/** `META-INF/maven/<group>/<artifact>/pom.properties`. */
export const POM_PROPERTIES_RE = /(?:^|\/)META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/
/** Java archives, read as nested zips. */
export const JAVA_ARCHIVE_RE = /\.(?:jar|war|ear|hpi|jpi)$/i

const NodePackageJson = z.object({ name: z.string().min(1), version: z.string().min(1), license: z.unknown().optional() }).loose()

/** An npm package installed in `node_modules` (its `package.json`): name, version, license. */
export function parseNodePackageJson(c: ParseContext, text: string): Parsed {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { components: [], diagnostics: [invalid(c, 'package.json', jsonError(text))] }
  }
  const r = NodePackageJson.safeParse(json)
  if (!r.success) return { components: [], diagnostics: [] } // a package.json without name/version is not an installed package
  const { name, version, license } = r.data
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined
  const bare = scope ? name.slice(scope.length + 1) : name
  const purl = makePurl('npm', scope, bare, version)
  if (!purl) return { components: [], diagnostics: [invalid(c, 'package.json', 'invalid name')] }
  const comp = lib(c, { ecosystem: 'npm', name, version, purl, foundBy: 'node_modules' })
  if (typeof license === 'string' && license) comp.license = license
  return { components: [comp], diagnostics: [] }
}

/** PEP 503 normalised name: lower case, runs of `-`, `_`, `.` become `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

/** Header fields of a core-metadata file (RFC 822 headers up to the first blank line). */
function metadataHeaders(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '')
    if (line === '') break
    if (line[0] === ' ' || line[0] === '\t') continue
    const i = line.indexOf(':')
    if (i <= 0) continue
    const key = line.slice(0, i).toLowerCase()
    if (!out.has(key)) out.set(key, line.slice(i + 1).trim())
  }
  return out
}

/** A Python distribution from its core metadata (`METADATA`, `PKG-INFO`): Name, Version, License. */
export function parsePythonMetadata(c: ParseContext, text: string, foundBy: 'dist-info' | 'egg-info'): Parsed {
  const h = metadataHeaders(text)
  const rawName = h.get('name')
  const version = h.get('version')
  if (!rawName || !version) return { components: [], diagnostics: [invalid(c, 'Python metadata', `no ${rawName ? 'Version' : 'Name'} header`)] }
  const name = normalizePypiName(rawName)
  const purl = makePurl('pypi', undefined, name, version)
  if (!purl) return { components: [], diagnostics: [invalid(c, 'Python metadata', 'invalid name')] }
  const comp = lib(c, { ecosystem: 'PyPI', name, version, purl, foundBy })
  const license = h.get('license-expression') ?? h.get('license')
  if (license && license !== 'UNKNOWN' && !license.includes('\n') && license.length <= 200) comp.license = license
  return { components: [comp], diagnostics: [] }
}

/**
 * A Ruby gem from its installed specification (`specifications/nokogiri-1.15.4-x86_64-linux.gemspec`):
 * `s.name` and `s.version` from the Ruby text, else name and version from the file name.
 */
export function parseGemspec(c: ParseContext, path: string, text: string): Parsed {
  const name = /\bs\.name\s*=\s*["']([^"']+)["']/.exec(text)?.[1]
  const version = /\bs\.version\s*=\s*["']([^"']+)["']/.exec(text)?.[1]
  let n = name
  let v = version
  if (!n || !v) {
    const m = /^(.+?)-(\d[^-]*)(?:-.+)?\.gemspec$/.exec(basename(path))
    n ??= m?.[1]
    v ??= m?.[2]
  }
  if (!n || !v) return { components: [], diagnostics: [invalid(c, 'gemspec', 'no name or version')] }
  const purl = makePurl('gem', undefined, n, v)
  if (!purl) return { components: [], diagnostics: [invalid(c, 'gemspec', 'invalid name')] }
  const comp = lib(c, { ecosystem: 'RubyGems', name: n, version: v, purl, foundBy: 'gemspec' })
  const license = /\bs\.licenses?\s*=\s*\[?\s*["']([^"']+)["']\s*\]?/.exec(text)?.[1]
  if (license) comp.license = license
  return { components: [comp], diagnostics: [] }
}

const ComposerPackage = z.object({ name: z.string().min(1), version: z.string().min(1), license: z.array(z.string()).optional() }).loose()
const ComposerInstalled = z.union([z.object({ packages: z.array(z.unknown()) }).loose(), z.array(z.unknown())])

/**
 * PHP packages from `vendor/composer/installed.json` (Composer 2 `{packages: […]}` and Composer 1
 * `[…]`). A leading `v` of a tag-like version is dropped (`v5.4.1` → `5.4.1`), as Packagist
 * advisories write versions.
 */
export function parseComposerInstalled(c: ParseContext, text: string): Parsed {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { components: [], diagnostics: [invalid(c, 'Composer installed.json', jsonError(text))] }
  }
  const top = ComposerInstalled.safeParse(json)
  if (!top.success) return { components: [], diagnostics: [invalid(c, 'Composer installed.json', 'neither a package list nor {packages: […]}')] }
  const list = Array.isArray(top.data) ? top.data : top.data.packages
  const components: Component[] = []
  const diagnostics: Diagnostic[] = []
  list.forEach((p, i) => {
    const r = ComposerPackage.safeParse(p)
    if (!r.success) {
      diagnostics.push({ ...invalid(c, 'Composer installed.json', `package ${i} has no name or version`), path: `packages[${i}]` })
      return
    }
    const version = r.data.version.replace(/^v(?=\d)/, '')
    const [vendor, ...rest] = r.data.name.split('/')
    const purl = makePurl('composer', rest.length ? vendor : undefined, rest.length ? rest.join('/') : vendor!, version)
    if (!purl) return
    const comp = lib(c, { ecosystem: 'Packagist', name: r.data.name, version, purl, foundBy: 'composer-installed' })
    if (r.data.license?.length) comp.license = r.data.license.join(' OR ')
    components.push(comp)
  })
  return { components, diagnostics }
}

/** Java properties (`key=value` / `key: value`, `#` and `!` comments). Enough for pom.properties. */
function javaProperties(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line)
    if (m) out.set(m[1]!, m[2]!.trim())
  }
  return out
}

/** A Maven artifact from a jar's `META-INF/maven/<group>/<artifact>/pom.properties`: name `group:artifact`. */
export function parsePomProperties(c: ParseContext, text: string): Parsed {
  const p = javaProperties(text)
  const groupId = p.get('groupId')
  const artifactId = p.get('artifactId')
  const version = p.get('version')
  if (!groupId || !artifactId || !version) return { components: [], diagnostics: [invalid(c, 'pom.properties', 'no groupId, artifactId or version')] }
  const purl = makePurl('maven', groupId, artifactId, version)
  if (!purl) return { components: [], diagnostics: [invalid(c, 'pom.properties', 'invalid coordinates')] }
  return { components: [lib(c, { ecosystem: 'Maven', name: `${groupId}:${artifactId}`, version, purl, foundBy: 'pom.properties' })], diagnostics: [] }
}
