import type { Component, Diagnostic } from '../../model/index.js'
import { pushAll } from '../../model/index.js'
import { parseApkInstalled } from './apk.js'
import { parseDpkgStatus } from './dpkg.js'
import {
  COMPOSER_INSTALLED_RE,
  GEMSPEC_RE,
  JAVA_ARCHIVE_RE,
  NODE_PACKAGE_RE,
  POM_PROPERTIES_RE,
  PYTHON_METADATA_RE,
  parseComposerInstalled,
  parseGemspec,
  parseNodePackageJson,
  parsePomProperties,
  parsePythonMetadata,
} from './languages.js'
import { parseOsRelease } from './os-release.js'
import { parseRpmBerkeleyDb, parseRpmSqlite, unsupportedRpmDb } from './rpm.js'
import type { ArchiveReadContext } from './tar.js'
import type { FilesystemOptions, FsEntry, OsInfo, ParseContext, VirtualFs } from './types.js'
import { readContent } from './vfs.js'
import { readZip, type ZipLimits } from './zip.js'

const OS_RELEASE = ['etc/os-release', 'usr/lib/os-release']
const DPKG_STATUS = 'var/lib/dpkg/status'
const DPKG_STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/
const APK_INSTALLED = 'lib/apk/db/installed'
const RPM_SQLITE = new Set(['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite'])
const RPM_BDB = new Set(['var/lib/rpm/Packages', 'usr/lib/sysimage/rpm/Packages'])
const RPM_NDB = new Set(['var/lib/rpm/Packages.db', 'usr/lib/sysimage/rpm/Packages.db'])

/**
 * Whether a reader needs the contents of a file at this path inside a filesystem: os-release,
 * package databases (dpkg, apk, RPM SQLite and Berkeley DB), installed-package metadata and Java archives.
 */
export function isPackageMetadataPath(p: string): boolean {
  return (
    OS_RELEASE.includes(p) ||
    p === DPKG_STATUS ||
    (DPKG_STATUS_D.test(p) && !p.endsWith('.md5sums')) ||
    p === APK_INSTALLED ||
    RPM_SQLITE.has(p) ||
    RPM_BDB.has(p) ||
    NODE_PACKAGE_RE.test(p) ||
    PYTHON_METADATA_RE.test(p) ||
    GEMSPEC_RE.test(p) ||
    COMPOSER_INSTALLED_RE.test(p) ||
    POM_PROPERTIES_RE.test(p) ||
    JAVA_ARCHIVE_RE.test(p)
  )
}

/** What {@link collectComponents} needs to name files. */
export interface CollectContext {
  /** Prefix of reported files: `image.tar!/` or `rootfs/`. */
  prefix: string
  options: FilesystemOptions
  zipLimits: ZipLimits
  maxFileBytes: number
}

type Parsed = { components: Component[]; diagnostics: Diagnostic[] }

/** The OS of the filesystem, from `etc/os-release` (following its usual symlink) or `usr/lib/os-release`. */
export function findOs(fs: VirtualFs): OsInfo | undefined {
  for (const p of OS_RELEASE) {
    const r = readContent(fs, p)
    const os = r && parseOsRelease(r.content.toString('utf8'))
    if (os) return os
  }
  return undefined
}

/** Components of the pom.properties inside a Java archive, and of the jars it nests one level deep. */
async function readJavaArchive(content: Buffer, c: ParseContext, cc: CollectContext, depth: number): Promise<Parsed> {
  const out: Parsed = { components: [], diagnostics: [] }
  const ctx: ArchiveReadContext = {
    archive: c.file,
    want: (p) => POM_PROPERTIES_RE.test(p) || (depth === 0 && /^(?:BOOT-INF|WEB-INF)\/lib\/[^/]+\.jar$/i.test(p)),
    maxFileBytes: cc.maxFileBytes,
    diagnostics: out.diagnostics,
  }
  const entries = await readZip({ buffer: content }, ctx, cc.zipLimits)
  for (const e of entries) {
    if (!e.content) continue
    const inner: ParseContext = { ...c, file: `${c.file}!/${e.path}` }
    if (POM_PROPERTIES_RE.test(e.path)) merge(out, parsePomProperties(inner, e.content.toString('utf8')))
    else if (depth === 0) merge(out, await readJavaArchive(e.content, inner, cc, depth + 1))
  }
  return out
}

function merge(into: Parsed, from: Parsed): void {
  pushAll(into.components, from.components)
  into.diagnostics.push(...from.diagnostics)
}

/** Components of one file, by its path. */
async function readFile(e: FsEntry, content: Buffer, os: OsInfo | undefined, cc: CollectContext): Promise<Parsed> {
  const c: ParseContext = { file: `${cc.prefix}${e.path}` }
  if (e.layer !== undefined) c.layer = e.layer
  if (os) c.os = os
  const text = (): string => content.toString('utf8')
  const p = e.path
  if (p === DPKG_STATUS) return parseDpkgStatus(c, text())
  if (DPKG_STATUS_D.test(p)) return parseDpkgStatus(c, text(), { requireStatus: false })
  if (p === APK_INSTALLED) return parseApkInstalled(c, text())
  if (RPM_SQLITE.has(p)) return parseRpmSqlite(c, content)
  if (RPM_BDB.has(p)) return parseRpmBerkeleyDb(c, content)
  if (NODE_PACKAGE_RE.test(p)) return parseNodePackageJson(c, text())
  if (PYTHON_METADATA_RE.test(p)) return parsePythonMetadata(c, text(), p.includes('.dist-info/') ? 'dist-info' : 'egg-info')
  if (GEMSPEC_RE.test(p)) return parseGemspec(c, p, text())
  if (COMPOSER_INSTALLED_RE.test(p)) return parseComposerInstalled(c, text())
  if (POM_PROPERTIES_RE.test(p)) return parsePomProperties(c, text())
  if (JAVA_ARCHIVE_RE.test(p)) return readJavaArchive(content, c, cc, 0)
  return { components: [], diagnostics: [] }
}

/** Same ecosystem, name, version and purl is one component with several locations. */
export function mergeComponents(list: readonly Component[]): Component[] {
  const byKey = new Map<string, Component>()
  for (const comp of list) {
    const key = `${comp.ecosystem}\0${comp.purl}\0${comp.name}\0${comp.version}`
    const prev = byKey.get(key)
    if (!prev) byKey.set(key, { ...comp, locations: [...comp.locations] })
    else for (const l of comp.locations) if (!prev.locations.some((x) => x.file === l.file && x.line === l.line)) prev.locations.push(l)
  }
  return [...byKey.values()]
}

/**
 * Every installed component of a filesystem: OS package databases (judged with the OS from
 * os-release), language packages, jars; files accepted by `options.extraFileFilter` go to
 * `options.onFile`. Paths are visited in sorted order, so output is repeatable.
 */
export async function collectComponents(fs: VirtualFs, cc: CollectContext): Promise<{ os?: OsInfo; components: Component[]; diagnostics: Diagnostic[] }> {
  const os = findOs(fs)
  const all: Parsed = { components: [], diagnostics: [] }
  const paths = [...fs.keys()].sort()
  for (const p of paths) {
    const e = fs.get(p)!
    if (RPM_NDB.has(p) && e.type === 'file') all.diagnostics.push(unsupportedRpmDb(`${cc.prefix}${p}`, 'NDB'))
    if (e.content === undefined || (e.type !== 'file' && e.type !== 'hardlink')) continue
    if (cc.options.extraFileFilter?.(p) && cc.options.onFile) {
      const f = { path: p, file: `${cc.prefix}${p}`, text: e.content.toString('utf8') }
      cc.options.onFile(e.layer === undefined ? f : { ...f, layer: e.layer })
    }
    if (!isPackageMetadataPath(p) || OS_RELEASE.includes(p)) continue
    merge(all, await readFile(e, e.content, os, cc))
  }
  const osPackages = all.components.filter((c) => c.type === 'os-package').length
  if (osPackages > 0 && (!os || !os.ecosystem)) {
    all.diagnostics.push({
      code: 'PW_ERR_PACKAGE_DB_INVALID',
      level: 'warning',
      message: os
        ? `${cc.prefix}etc/os-release names ${os.id}${os.versionId ? ` ${os.versionId}` : ''}, a distribution PhiWall does not match advisories for; its ${osPackages} packages are listed without a release.`
        : `${cc.prefix}: no etc/os-release; ${osPackages} OS packages are listed without a distribution release.`,
      file: os ? `${cc.prefix}etc/os-release` : cc.prefix.replace(/!?\/$/, ''),
    })
  }
  const result: { os?: OsInfo; components: Component[]; diagnostics: Diagnostic[] } = { components: mergeComponents(all.components), diagnostics: all.diagnostics }
  if (os) result.os = os
  return result
}
