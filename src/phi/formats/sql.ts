import type { ReadResult, StructuralHealth, TextUnit } from './types.js'

/** Table names that hold clinical data: each of their rows counts as health information. */
export const CLINICAL_TABLE = /diagnos|condition|medication|prescri|encounter|lab_?result|observation|procedure|allerg|immuni[sz]|claim|admission|clinical|vital|problem|treatment|patient_?visit/i

const IDENT = String.raw`(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][\w$]*)`
const QNAME = String.raw`${IDENT}(?:\s*\.\s*${IDENT})*`

function unquoteIdent(s: string): string {
  const parts = s.split('.').map((p) => p.trim().replace(/^["`[]|["`\]]$/g, ''))
  return parts[parts.length - 1] ?? s
}

function splitColumns(list: string): string[] {
  return list.split(',').map((c) => unquoteIdent(c.trim()))
}

/** Does the text look like a SQL dump (INSERT … VALUES or PostgreSQL COPY … FROM stdin)? */
export function looksLikeSql(text: string): boolean {
  const head = text.slice(0, 65536)
  return /\bINSERT\s+INTO\s/i.test(head) || /^COPY\s+\S+.*FROM\s+stdin;/im.test(head) || /^(?:CREATE\s+TABLE|--\s*(?:PostgreSQL|MySQL) (?:database )?dump)/im.test(head)
}

const COPY_ESC: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v', N: '' }

/**
 * Reads a SQL dump: `INSERT INTO t [(cols)] VALUES (…), (…);` (column names from the list, else
 * from an earlier `CREATE TABLE t (…)`, else `column<n>`; strings `'…'` with `''` and backslash
 * escapes) and PostgreSQL `COPY t (cols) FROM stdin;` blocks (tab-separated, `\N` null, backslash
 * escapes, ended by `\.`). Each non-null value is a unit with field = its column name and
 * `kind: 'cell'`; each tuple or COPY line is a record. Rows of clinical tables ({@link CLINICAL_TABLE})
 * count as health information.
 */
export function readSql(text: string): ReadResult {
  const units: TextUnit[] = []
  const health: StructuralHealth[] = []
  const tables = new Map<string, string[]>()
  let record = 0
  const createRe = new RegExp(String.raw`CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QNAME})\s*\(`, 'gi')
  for (let m = createRe.exec(text); m; m = createRe.exec(text)) {
    // columns: first identifier of each top-level comma-separated definition
    let depth = 1
    let i = m.index + m[0].length
    let part = ''
    const cols: string[] = []
    for (; i < text.length && depth > 0; i++) {
      const c = text[i]!
      if (c === '(') depth++
      else if (c === ')') depth--
      if ((c === ',' && depth === 1) || depth === 0) {
        const id = new RegExp(`^\\s*(${IDENT})`).exec(part)
        if (id && !/^(PRIMARY|UNIQUE|CONSTRAINT|FOREIGN|KEY|INDEX|CHECK)$/i.test(id[1]!)) cols.push(unquoteIdent(id[1]!))
        part = ''
      } else part += c
    }
    tables.set(unquoteIdent(m[1]!).toLowerCase(), cols)
  }
  const insertRe = new RegExp(String.raw`INSERT\s+(?:IGNORE\s+)?INTO\s+(${QNAME})\s*(?:\(([^)]*)\))?\s*VALUES\s*`, 'gi')
  for (let m = insertRe.exec(text); m; m = insertRe.exec(text)) {
    const table = unquoteIdent(m[1]!)
    const cols = m[2] !== undefined ? splitColumns(m[2]) : (tables.get(table.toLowerCase()) ?? [])
    const clinical = CLINICAL_TABLE.test(table)
    let i = m.index + m[0].length
    const n = text.length
    // tuples
    for (;;) {
      while (i < n && /\s/.test(text[i]!)) i++
      if (text[i] !== '(') break
      i++
      let col = 0
      for (;;) {
        while (i < n && /\s/.test(text[i]!)) i++
        if (i >= n) break
        const field = cols[col] ?? `column${col + 1}`
        if (text[i] === "'") {
          const start = i + 1
          const chars: string[] = []
          const map: number[] = []
          let escaped = false
          let j = start
          while (j < n) {
            const c = text[j]!
            if (c === "'" && text[j + 1] === "'") {
              map.push(j)
              chars.push("'")
              j += 2
              escaped = true
            } else if (c === "'") break
            else if (c === '\\' && j + 1 < n) {
              map.push(j)
              const e = text[j + 1]!
              chars.push(e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e)
              j += 2
              escaped = true
            } else {
              map.push(j)
              chars.push(c)
              j++
            }
          }
          map.push(j)
          const value = chars.join('')
          if (value.trim() !== '') {
            const u: TextUnit = { value, offset: start, field, kind: 'cell', record }
            if (escaped) u.map = map
            units.push(u)
          }
          i = j + 1
        } else {
          const v = text.slice(i, unquotedEnd(text, i))
          const value = v.trim()
          if (value !== '' && !/^(NULL|TRUE|FALSE|DEFAULT)$/i.test(value)) units.push({ value, offset: i + (v.length - v.trimStart().length), field, kind: 'cell', record })
          i += v.length
        }
        while (i < n && /\s/.test(text[i]!)) i++
        if (text[i] === ',') {
          i++
          col++
          continue
        }
        if (text[i] === ')') i++
        break
      }
      if (clinical) health.push({ record, cue: 'sql:clinical-table' })
      record++
      while (i < n && /\s/.test(text[i]!)) i++
      if (text[i] === ',') {
        i++
        continue
      }
      break
    }
    insertRe.lastIndex = Math.max(insertRe.lastIndex, i)
  }
  const copyRe = new RegExp(String.raw`^COPY\s+(${QNAME})\s*(?:\(([^)]*)\))?\s+FROM\s+stdin[^\n]*;[ \t]*\r?\n`, 'gim')
  for (let m = copyRe.exec(text); m; m = copyRe.exec(text)) {
    const table = unquoteIdent(m[1]!)
    const cols = m[2] !== undefined ? splitColumns(m[2]) : (tables.get(table.toLowerCase()) ?? [])
    const clinical = CLINICAL_TABLE.test(table)
    let i = m.index + m[0].length
    while (i < text.length) {
      let end = text.indexOf('\n', i)
      if (end < 0) end = text.length
      let lineEnd = end
      if (text[lineEnd - 1] === '\r') lineEnd--
      const line = text.slice(i, lineEnd)
      if (line === '\\.') {
        i = end + 1
        break
      }
      let col = 0
      let s = i
      for (;;) {
        let t = text.indexOf('\t', s)
        if (t < 0 || t > lineEnd) t = lineEnd
        const raw = text.slice(s, t)
        if (raw !== '\\N' && raw.trim() !== '') {
          const field = cols[col] ?? `column${col + 1}`
          const u: TextUnit = { value: raw, offset: s, field, kind: 'cell', record }
          if (raw.includes('\\')) {
            const chars: string[] = []
            const map: number[] = []
            for (let k = 0; k < raw.length; k++) {
              map.push(s + k)
              if (raw[k] === '\\' && k + 1 < raw.length) {
                chars.push(COPY_ESC[raw[k + 1]!] ?? raw[k + 1]!)
                k++
              } else chars.push(raw[k]!)
            }
            map.push(s + raw.length)
            u.value = chars.join('')
            u.map = map
          }
          units.push(u)
        }
        if (t >= lineEnd) break
        s = t + 1
        col++
      }
      if (clinical) health.push({ record, cue: 'sql:clinical-table' })
      record++
      i = end + 1
    }
    copyRe.lastIndex = i
  }
  return { format: 'sql', units, health }
}

/**
 * Where an unquoted value of a VALUES tuple ends: at a comma or the closing parenthesis of the tuple,
 * not inside a function call's parentheses or a quoted string in it (`NOW()`,
 * `TO_DATE('1961-03-14', 'YYYY-MM-DD')`), so the rest of the row is still read. At most 4 KiB.
 */
function unquotedEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + 4096)
  let depth = 0
  let j = from
  while (j < limit) {
    const c = text.charCodeAt(j)
    if (c === 39) {
      // a quoted string inside the expression: '' and \' do not end it
      j++
      while (j < limit) {
        const q = text.charCodeAt(j)
        if (q === 92) j += 2
        else if (q === 39 && text.charCodeAt(j + 1) === 39) j += 2
        else if (q === 39) break
        else j++
      }
      j++
      continue
    }
    if (c === 40) depth++
    else if (c === 41) {
      if (depth === 0) break
      depth--
    } else if (c === 44 && depth === 0) break
    j++
  }
  return Math.min(j, limit)
}
