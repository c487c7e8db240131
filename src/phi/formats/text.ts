import { isPersonField } from '../names/index.js'
import { scanJson, formatPath, JsonScanError } from './json.js'
import type { ReadResult, TextUnit } from './types.js'

/** Lines longer than this are scanned in windows by the scan (see `scan.ts`). */
export const MAX_LINE = 1 << 20

const LOG_LINE = /^\s*(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?\d{2}\/[A-Z][a-z]{2}\/\d{4}:|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\{"|\[?(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\]?\b|START RequestId:|END RequestId:|REPORT RequestId:|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3} )/

/** Does a line look like a log record (timestamp, level, JSON object, Lambda or access-log prefix)? */
export function isLogLine(line: string): boolean {
  return LOG_LINE.test(line)
}

const KV = /(?<=^|[\s,;{(|])([A-Za-z_][\w.-]{0,63})(?:=|: ?)(?!\/\/)(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([^\s,;"'|)}]+))/g

/** The rest of a phone number after `(NPA`: `) 492-7005`, `)222-8929`. */
const PHONE_REST = /^\) ?\d{3}[-. ]\d{4}(?![\w-])/

/**
 * The rest of an unquoted name after its first word, in a person field (`patient=John Smith`,
 * `patient=John Q. Public`, `signed_by=Smith, John`): up to three more capitalised words, each
 * after a space (or one comma and a space), none of them the next key (`John Status=ok`).
 */
const NAME_REST = /^(?:,? [\p{Lu}][\p{L}\p{M}'’-]*\.?(?![\p{L}\p{M}\d_=:.-])){1,3}/u

/**
 * Splits one log line into units: `key=value` / `key: value` / `key="quoted value"` pairs become
 * units with `field` = key, an embedded JSON object (from the first `{`) becomes units with its key
 * paths as fields, and the text between becomes free units. All `kind: 'log'`, record = `record`.
 */
export function logLineUnits(text: string, start: number, end: number, record: number): TextUnit[] {
  const out: TextUnit[] = []
  const line = text.slice(start, end)
  let cursor = 0
  const free = (a: number, b: number): void => {
    const v = line.slice(a, b)
    if (v.trim() !== '') out.push({ value: v, offset: start + a, kind: 'log', record })
  }
  // embedded JSON
  let jsonFrom = -1
  let jsonTo = -1
  const brace = line.indexOf('{')
  if (brace >= 0) {
    const found: TextUnit[] = []
    try {
      const after = scanJson(
        text,
        (v) => {
          const u: TextUnit = { value: v.value, offset: v.offset, field: formatPath(v.path), kind: 'log', record }
          if (v.map) u.map = v.map
          found.push(u)
        },
        start + brace,
        64,
      )
      if (after <= end) {
        jsonFrom = brace
        jsonTo = after - start
        for (const u of found) out.push(u)
      }
    } catch (e) {
      if (!(e instanceof JsonScanError)) throw e
    }
  }
  const kvText = (a: number, b: number): void => {
    KV.lastIndex = 0
    const seg = line.slice(a, b)
    let last = 0
    for (let m = KV.exec(seg); m; m = KV.exec(seg)) {
      const key = m[1]!
      let val = m[2] ?? m[3] ?? m[4] ?? ''
      const valStart = m.index + m[0].length - val.length - (m[2] !== undefined || m[3] !== undefined ? 1 : 0)
      let end = m.index + m[0].length
      if (m[4] !== undefined && /^(?:\+?1[-. ]?)?\(\d{3}$/.test(val)) {
        // an unquoted US phone with its area code in parentheses: `phone=(404) 492-7005`, `phone=(720)222-8929`
        const more = PHONE_REST.exec(seg.slice(end, end + 13))
        if (more) {
          val += more[0]
          end += more[0].length
          KV.lastIndex = end
        }
      }
      if (m[4] !== undefined && /^\p{Lu}[\p{L}\p{M}'’-]*\.?$/u.test(val) && isPersonField(key)) {
        const more = NAME_REST.exec(seg.slice(end, end + 120))
        if (more) {
          val += more[0]
          end += more[0].length
          KV.lastIndex = end
        }
      }
      free(a + last, a + m.index)
      if (val.trim() !== '') out.push({ value: val, offset: start + a + valStart, field: key, kind: 'log', record })
      last = end
    }
    free(a + last, b)
  }
  if (jsonFrom >= 0) {
    kvText(cursor, jsonFrom)
    cursor = jsonTo
  }
  kvText(cursor, line.length)
  return out
}

/**
 * Reads plain text or a log. A file is a log when most of its first non-empty lines look like log
 * records ({@link isLogLine}); each log line is then a record of `kind: 'log'` units
 * ({@link logLineUnits}). Other text is one record (a clinical note is about one patient) of
 * line units of `kind: 'text'`.
 */
export function readText(text: string): ReadResult {
  const units: TextUnit[] = []
  const lines: [number, number][] = []
  let i = 0
  while (i < text.length) {
    let end = i
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++
    lines.push([i, end])
    i = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1)
  }
  const sample = lines.filter(([a, b]) => b > a && text.slice(a, Math.min(b, a + 200)).trim() !== '').slice(0, 50)
  const logLike = sample.filter(([a, b]) => isLogLine(text.slice(a, Math.min(b, a + 200)))).length
  const isLog = sample.length > 0 && logLike * 2 >= sample.length
  lines.forEach(([a, b], idx) => {
    if (b <= a) return
    if (isLog) for (const u of logLineUnits(text, a, b, idx)) units.push(u)
    else if (text.slice(a, b).trim() !== '') units.push({ value: text.slice(a, b), offset: a, kind: 'text', record: 0 })
  })
  return { format: isLog ? 'log' : 'text', units, health: [] }
}
