import { parse, TomlError } from 'smol-toml'
import type { Diagnostic } from '../../model/index.js'
import { asRecord, invalid } from './common.js'

/** A `[[package]]` table of a TOML lockfile with the line of its header. */
export interface TomlPackage {
  table: Record<string, unknown>
  line: number | undefined
}

/** Lines of every `[[package]]` header, in document order. */
function packageHeaderLines(text: string): number[] {
  const out: number[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) if (/^\s*\[\[\s*package\s*\]\]\s*(#.*)?\r?$/.test(lines[i]!)) out.push(i + 1)
  return out
}

function parseSafe(text: string): { value?: Record<string, unknown>; error?: { message: string; line?: number } } {
  try {
    return { value: parse(text) as Record<string, unknown> }
  } catch (e) {
    if (e instanceof TomlError) return { error: { message: e.message.split('\n')[0] ?? 'syntax error', line: e.line } }
    return { error: { message: e instanceof Error ? e.message : 'syntax error' } }
  }
}

/**
 * Reads a TOML lockfile (poetry.lock, uv.lock, Cargo.lock) into its top-level table and its
 * `[[package]]` tables with their header lines. On a syntax error the file is read again one
 * `[[package]]` section at a time, so the packages around the damage still come back.
 */
export function readTomlLock(file: string, text: string, diagnostics: Diagnostic[]): { doc: Record<string, unknown>; packages: TomlPackage[] } {
  const headers = packageHeaderLines(text)
  const whole = parseSafe(text)
  if (whole.value) {
    const list = Array.isArray(whole.value['package']) ? (whole.value['package'] as unknown[]) : []
    const packages: TomlPackage[] = []
    list.forEach((p, i) => {
      const table = asRecord(p)
      if (table) packages.push({ table, line: headers[i] })
    })
    return { doc: whole.value, packages }
  }
  const err = whole.error!
  diagnostics.push(invalid(file, `TOML syntax error: ${err.message.slice(0, 200)}`, err.line))
  // recover: the preamble and each [[package]] section on its own
  const lines = text.split('\n')
  const packages: TomlPackage[] = []
  const preamble = parseSafe(lines.slice(0, (headers[0] ?? lines.length + 1) - 1).join('\n'))
  headers.forEach((start, i) => {
    const end = (headers[i + 1] ?? lines.length + 1) - 1
    const chunk = parseSafe(lines.slice(start - 1, end).join('\n'))
    const table = chunk.value && Array.isArray(chunk.value['package']) ? asRecord((chunk.value['package'] as unknown[])[0]) : undefined
    if (table) packages.push({ table, line: start })
  })
  return { doc: preamble.value ?? {}, packages }
}

/** Parse a sibling manifest in TOML, or undefined when absent or broken. */
export function readTomlManifest(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined
  return parseSafe(text).value
}
