import type { Component, Diagnostic } from '../../model/index.js'
import type { ParseContext } from './types.js'
import { makePurl, osFields } from './purl.js'
import { locationOf } from './location.js'

/** One RFC 822-style stanza of a Debian control file, with the line it starts on. */
export interface ControlStanza {
  line: number
  fields: Map<string, string>
}

/**
 * Splits a Debian control file (`var/lib/dpkg/status`) into stanzas. Field names are case-insensitive
 * (kept lower-cased); continuation lines (starting with a space or tab) are joined with `\n`.
 */
export function parseControlStanzas(text: string): ControlStanza[] {
  const out: ControlStanza[] = []
  let cur: ControlStanza | undefined
  let last: string | undefined
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    if (line.trim() === '') {
      cur = undefined
      last = undefined
      continue
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (cur && last !== undefined) cur.fields.set(last, `${cur.fields.get(last) ?? ''}\n${line.slice(1)}`)
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    if (!cur) {
      cur = { line: i + 1, fields: new Map() }
      out.push(cur)
    }
    last = line.slice(0, colon).trim().toLowerCase()
    cur.fields.set(last, line.slice(colon + 1).trim())
  }
  return out
}

/** Options of {@link parseDpkgStatus}. */
export interface DpkgOptions {
  /**
   * Require `Status: install ok installed` (default true). Distroless images list one package
   * per file in `var/lib/dpkg/status.d/` without a Status field.
   */
  requireStatus?: boolean
}

/**
 * Installed Debian / Ubuntu packages from a dpkg status file: only stanzas whose `Status` state is
 * `installed` (`install ok installed`, and held packages: `hold ok installed`); `Source: name (version)` gives the source package. The purl has the
 * `arch` and `distro` (`debian-12`) qualifiers. A stanza without Package or Version is a warning.
 */
export function parseDpkgStatus(ctx: ParseContext | string, text: string, options: DpkgOptions = {}): { components: Component[]; diagnostics: Diagnostic[] } {
  const c: ParseContext = typeof ctx === 'string' ? { file: ctx } : ctx
  const requireStatus = options.requireStatus ?? true
  const components: Component[] = []
  const diagnostics: Diagnostic[] = []
  const os = osFields(c.os, 'Debian', 'debian')
  for (const s of parseControlStanzas(text)) {
    const status = s.fields.get('status')
    // Status is "want flag state": the package is on disk when its state is `installed`, whatever is
    // wanted next (`install`, `hold`, `deinstall`); `config-files`, `half-installed`, … are not listed
    if ((requireStatus || status !== undefined) && status?.split(/\s+/)[2] !== 'installed') continue
    const name = s.fields.get('package')
    const version = s.fields.get('version')
    if (!name || !version) {
      diagnostics.push({ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: `dpkg stanza without ${name ? 'Version' : 'Package'} in ${c.file} at line ${s.line}; skipped.`, file: c.file, line: s.line })
      continue
    }
    const arch = s.fields.get('architecture')
    const purl = makePurl('deb', os.namespace, name, version, { arch, distro: os.distro })
    if (purl === undefined) {
      diagnostics.push({ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: `dpkg stanza with an invalid package name in ${c.file} at line ${s.line}; skipped.`, file: c.file, line: s.line })
      continue
    }
    const comp: Component = { ecosystem: os.ecosystem, name, version, purl, type: 'os-package', locations: [locationOf(c, s.line)], foundBy: 'dpkg' }
    if (os.release) comp.release = os.release
    const src = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(s.fields.get('source') ?? '')
    if (src) {
      if (src[1] !== name) comp.sourceName = src[1]!
      if (src[2] !== undefined && src[2] !== version) comp.sourceVersion = src[2]
    }
    components.push(comp)
  }
  return { components, diagnostics }
}
