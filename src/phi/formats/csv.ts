import { pushAll } from '../../model/index.js'
import type { ReadResult, TextUnit } from './types.js'

/** Guess the delimiter of a delimited file from its first line: tab, comma, semicolon or pipe. */
export function sniffDelimiter(text: string): string {
  const nl = text.indexOf('\n')
  const first = text.slice(0, nl < 0 ? Math.min(text.length, 4096) : Math.min(nl, 4096))
  let best = ','
  let bestCount = 0
  for (const d of ['\t', ',', ';', '|']) {
    const n = first.split(d).length - 1
    if (n > bestCount) {
      best = d
      bestCount = n
    }
  }
  return best
}

/** A header row names columns: every non-empty cell is a short name (letters first, no `@`, no long digit runs). */
export function looksLikeHeader(cells: string[]): boolean {
  return cells.every((c) => c === '' || (c.length <= 64 && /^[A-Za-z_#"][\w .\-/()#?"]*$/.test(c) && !/\d{3}/.test(c)))
}

/**
 * A header cell as a name unit: scanned (a first row of data can pass for a header), and withheld
 * from `field` if it holds an identifier.
 */
function asName(u: TextUnit): TextUnit {
  const n: TextUnit = { value: u.value, offset: u.offset, kind: 'cell', record: -1, name: true }
  if (u.map) n.map = u.map
  return n
}

/**
 * Reads CSV/TSV (RFC 4180: quoted cells with `""` and embedded newlines; CRLF or LF rows). The first
 * row names the columns when it looks like a header ({@link looksLikeHeader}; else every row is
 * data and columns are `column<n>`): each later cell is a unit with `field` = its column name, `kind: 'cell'`
 * and `record` = its row (0 = first data row). Header cells are name units (`name`, record -1).
 */
export function readCsv(text: string, delimiter = sniffDelimiter(text)): ReadResult {
  const units: TextUnit[] = []
  const header: string[] = []
  const first: TextUnit[] = []
  let headerless = false
  const d = delimiter.charCodeAt(0)
  let row = 0
  let col = 0
  let i = 0
  const n = text.length
  while (i <= n) {
    // one cell
    let value: string
    let offset: number
    let map: number[] | undefined
    if (text.charCodeAt(i) === 34) {
      let j = text.indexOf('"', i + 1)
      let escaped = false
      while (j >= 0 && text.charCodeAt(j + 1) === 34) {
        escaped = true
        j = text.indexOf('"', j + 2)
      }
      if (j < 0) j = n
      offset = i + 1
      if (!escaped) value = text.slice(offset, j)
      else {
        const chars: string[] = []
        map = []
        for (let k = offset; k < j; k++) {
          map.push(k)
          chars.push(text[k]!)
          if (text.charCodeAt(k) === 34) k++
        }
        map.push(j)
        value = chars.join('')
      }
      j++ // closing quote
      const stray = j
      while (j < n && text.charCodeAt(j) !== d && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++ // stray characters after the quote
      if (j > stray) {
        // not RFC 4180 (`""555-12-3456`): the cell is read as written, quotes and all, so nothing
        // after the quote escapes detection (and redaction)
        value = text.slice(i, j)
        offset = i
        map = undefined
      }
      i = j
    } else {
      let j = i
      while (j < n) {
        const c = text.charCodeAt(j)
        if (c === d || c === 10 || c === 13) break
        j++
      }
      value = text.slice(i, j)
      offset = i
      i = j
    }
    if (row === 0) {
      header.push(value.trim())
      const u: TextUnit = { value, offset, field: `column${col + 1}`, kind: 'cell', record: 0 }
      if (map) u.map = map
      if (value.trim() !== '') first.push(u)
    } else if (value.trim() !== '') {
      const u: TextUnit = { value, offset, field: headerless ? `column${col + 1}` : (header[col] ?? `column${col + 1}`), kind: 'cell', record: headerless ? row : row - 1 }
      if (map) u.map = map
      units.push(u)
    }
    if (i >= n) break
    const c = text.charCodeAt(i)
    if (c === d) {
      col++
      i++
    } else {
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1
      if (row === 0 && !looksLikeHeader(header)) {
        headerless = true
        pushAll(units, first)
      } else if (row === 0) pushAll(units, first.map(asName))
      row++
      col = 0
      if (i >= n) break
    }
  }
  if (row === 0 && !headerless) pushAll(units, looksLikeHeader(header) ? first.map(asName) : first)
  return { format: delimiter === '\t' ? 'tsv' : 'csv', units, health: [] }
}
