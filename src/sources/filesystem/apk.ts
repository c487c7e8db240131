import type { Component, Diagnostic } from '../../model/index.js'
import { locationOf } from './location.js'
import { makePurl, osFields } from './purl.js'
import type { ParseContext } from './types.js'

/**
 * Installed Alpine packages from `lib/apk/db/installed`: blank-line separated records of
 * one-letter fields (`P:` name, `V:` version, `A:` arch, `o:` origin → source package, `L:` license).
 * File lists (`F:`, `R:`, …) are ignored. A record without P or V is a warning.
 */
export function parseApkInstalled(ctx: ParseContext | string, text: string): { components: Component[]; diagnostics: Diagnostic[] } {
  const c: ParseContext = typeof ctx === 'string' ? { file: ctx } : ctx
  const components: Component[] = []
  const diagnostics: Diagnostic[] = []
  const os = osFields(c.os, 'Alpine', 'alpine')
  let rec: Map<string, string> | undefined
  let start = 0
  const flush = (): void => {
    if (!rec) return
    const name = rec.get('P')
    const version = rec.get('V')
    if (!name || !version) {
      diagnostics.push({ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: `apk record without ${name ? 'version (V:)' : 'name (P:)'} in ${c.file} at line ${start}; skipped.`, file: c.file, line: start })
    } else {
      const purl = makePurl('apk', os.namespace, name, version, { arch: rec.get('A'), distro: os.distro })
      if (purl === undefined) {
        diagnostics.push({ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: `apk record with an invalid name in ${c.file} at line ${start}; skipped.`, file: c.file, line: start })
      } else {
        const comp: Component = { ecosystem: os.ecosystem, name, version, purl, type: 'os-package', locations: [locationOf(c, start)], foundBy: 'apk' }
        if (os.release) comp.release = os.release
        const origin = rec.get('o')
        if (origin && origin !== name) comp.sourceName = origin
        const license = rec.get('L')
        if (license) comp.license = license
        components.push(comp)
      }
    }
    rec = undefined
  }
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '')
    if (line.trim() === '') {
      flush()
      continue
    }
    if (line.length < 2 || line[1] !== ':') continue
    if (!rec) {
      rec = new Map()
      start = i + 1
    }
    const key = line[0]!
    // the first occurrence wins: P/V/A/o/L appear once per record
    if (!rec.has(key)) rec.set(key, line.slice(2).trim())
  }
  flush()
  return { components, diagnostics }
}
