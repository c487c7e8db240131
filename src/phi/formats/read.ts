import { readCsv, sniffDelimiter } from './csv.js'
import { readHl7, looksLikeHl7 } from './hl7.js'
import { readJson, JsonScanError } from './json.js'
import { readSql, looksLikeSql } from './sql.js'
import { readText } from './text.js'
import type { PhiFormat, ReadResult } from './types.js'

function extOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase()
  const dot = base.lastIndexOf('.')
  return dot < 0 ? '' : base.slice(dot + 1)
}

function looksDelimited(text: string): boolean {
  const lines = text.slice(0, 16384).split(/\r?\n/).filter((l) => l !== '').slice(0, 6)
  if (lines.length < 2) return false
  const d = sniffDelimiter(text)
  const counts = lines.slice(0, -1).map((l) => l.split(d).length)
  return counts[0]! >= 3 && counts.every((c) => c === counts[0])
}

/** The text format of a file, from its name and first bytes. */
export function sniffTextFormat(file: string, text: string): PhiFormat {
  const ext = extOf(file)
  const head = text.slice(0, 512).trimStart()
  if (ext === 'hl7' || looksLikeHl7(text)) return 'hl7'
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson'
  if (ext === 'json' || head.startsWith('{') || head.startsWith('[')) return 'json'
  if (ext === 'csv') return 'csv'
  if (ext === 'tsv' || ext === 'tab') return 'tsv'
  if (ext === 'sql' || looksLikeSql(text)) return 'sql'
  if (ext !== 'log' && ext !== 'txt' && looksDelimited(text)) return 'csv'
  return 'text'
}

/** A text file that cannot be read as its format would want; the message names no value. */
export class UnreadableText extends Error {}

/**
 * Reads a text file with the reader its name and content call for (`format` forces one). JSON
 * that is not one document is tried as NDJSON, then read as text (with a note); JSON nested
 * deeper than the limit throws {@link UnreadableText}.
 */
export function readTextFile(file: string, text: string, format: PhiFormat = sniffTextFormat(file, text)): ReadResult {
  switch (format) {
    case 'hl7':
      return readHl7(text)
    case 'csv':
      return readCsv(text, sniffDelimiter(text) === '\t' ? ',' : sniffDelimiter(text))
    case 'tsv':
      return readCsv(text, '\t')
    case 'sql':
      return readSql(text)
    case 'json':
    case 'fhir':
    case 'ndjson': {
      const attempts = format === 'ndjson' ? [true] : [false, true]
      for (const nd of attempts) {
        try {
          return readJson(text, nd)
        } catch (e) {
          if (!(e instanceof JsonScanError)) throw e
          if (e.message.startsWith('nested deeper')) throw new UnreadableText(`JSON ${e.message}`)
        }
      }
      const r = readText(text)
      r.note = 'not valid JSON; read as text'
      return r
    }
    default:
      return readText(text)
  }
}
