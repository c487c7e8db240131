import type { Diagnostic } from '../../model/index.js'
import { ComponentCollector, echo, invalid, splitLines } from './common.js'
import type { FormatParser, ParserInput } from './types.js'

/**
 * gradle.lockfile (and per-configuration `*.lockfile`): `group:artifact:version=configurations`
 * lines. A module locked only for test configurations is `dev`. Gradle does not record which
 * modules are direct.
 */
export const parseGradleLockfile: FormatParser = (input: ParserInput) => {
  const { file, text } = input
  const diagnostics: Diagnostic[] = []
  const collector = new ComponentCollector('Maven', file, 'gradle.lockfile')
  const lines = splitLines(text)
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim()
    if (!l || l.startsWith('#') || l.startsWith('empty=')) continue
    const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)(?:=(.*))?$/.exec(l)
    if (!m) {
      diagnostics.push(invalid(file, `Line "${echo(l)}" is not group:artifact:version=configurations`, i + 1))
      continue
    }
    const configs = (m[4] ?? '').split(',').map((c) => c.trim()).filter(Boolean)
    const dev = configs.length > 0 && configs.every((c) => /test/i.test(c))
    collector.add({ name: `${m[1]}:${m[2]}`, version: m[3]!, line: i + 1, scope: configs.length === 0 ? undefined : dev ? 'dev' : 'prod' })
  }
  return { components: collector.components(), diagnostics: [...diagnostics, ...collector.diagnostics] }
}
