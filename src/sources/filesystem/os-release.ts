import type { Ecosystem } from '../../model/index.js'
import type { OsInfo } from './types.js'

/** Parses `os-release` (freedesktop.org: `KEY=value`, values optionally quoted with shell escapes). */
export function parseOsReleaseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^([A-Za-z0-9_]+)=(.*)$/.exec(line)
    if (!m) continue
    let value = m[2]!.trim()
    const q = value[0]
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1)
      if (q === '"') value = value.replace(/\\([\\"$`])/g, '$1')
    }
    out[m[1]!] = value
  }
  return out
}

const RED_HAT_LIKE = new Set(['rhel', 'centos', 'rocky', 'almalinux'])

/**
 * The OS of an `os-release` file, with the OSV ecosystem and release when PhiWall matches that
 * distribution: Debian `12`, Ubuntu `22.04`, Alpine `v3.19` (major.minor), Red Hat and its
 * rebuilds (CentOS, Rocky, Alma) the major version. Undefined without an `ID`.
 */
export function parseOsRelease(text: string): OsInfo | undefined {
  const f = parseOsReleaseFields(text)
  const id = f['ID']?.toLowerCase()
  if (!id) return undefined
  const versionId = f['VERSION_ID']
  const info: OsInfo = { id }
  if (versionId !== undefined) info.versionId = versionId
  if (f['PRETTY_NAME'] !== undefined) info.prettyName = f['PRETTY_NAME']
  let ecosystem: Ecosystem | undefined
  let release: string | undefined
  if (id === 'debian') {
    ecosystem = 'Debian'
    release = versionId && /^\d+/.exec(versionId)?.[0]
  } else if (id === 'ubuntu') {
    ecosystem = 'Ubuntu'
    release = versionId && /^\d+\.\d+/.exec(versionId)?.[0]
  } else if (id === 'alpine') {
    ecosystem = 'Alpine'
    const m = versionId && /^(\d+)\.(\d+)/.exec(versionId)
    release = m ? `v${m[1]}.${m[2]}` : undefined
  } else if (RED_HAT_LIKE.has(id)) {
    ecosystem = 'Red Hat'
    release = versionId && /^\d+/.exec(versionId)?.[0]
  }
  if (ecosystem) info.ecosystem = ecosystem
  if (release) info.release = release
  return info
}
