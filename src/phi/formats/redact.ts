import { createHmac } from 'node:crypto'
import type { Detector, PhiType } from '../types.js'
import { readTextFile, UnreadableText } from './read.js'
import { detectRead } from './scan.js'
import type { ReadResult } from './types.js'

/** Options of {@link redact}. */
export interface RedactOptions {
  detect: Detector
  /** HMAC key: the same key gives the same pseudonyms across files and runs. */
  key: Buffer | string
  /** `'pseudonym'` (default): `[NAME-7f3a9c]`; `'type'`: `[NAME]`. */
  format?: 'type' | 'pseudonym'
  /** The file's name: with its content it picks the reader (`.csv`, `.hl7`, `.json`…), as `phi scan` does. */
  name?: string
}

/**
 * A text `redact` will not rewrite: it cannot be read the way its format needs (JSON nested
 * deeper than the reader's limit), and a plain-text pass would miss the identifiers its fields
 * name. The message names no value.
 */
export class RedactRefused extends Error {}

/** What {@link redact} returns. */
export interface RedactResult {
  text: string
  replaced: number
  byType: Partial<Record<PhiType, number>>
}

const COMPACT_TYPES = new Set<PhiType>(['SSN', 'PHONE', 'FAX', 'MRN', 'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'OTHER_ID', 'IP'])

/** The normal form of a value for pseudonyms: NFKC, lower case, single spaces; identifiers without punctuation (`123-45-6789` = `123 45 6789`). */
export function normaliseValue(type: PhiType, value: string): string {
  const v = value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
  return COMPACT_TYPES.has(type) ? v.replace(/[^\p{L}\p{N}]/gu, '') : v
}

/** `[TYPE-xxxxxx]`: the first 6 hex digits of HMAC-SHA256(key, type NUL normalised value). */
export function pseudonym(type: PhiType, value: string, key: Buffer | string): string {
  const h = createHmac('sha256', key).update(`${type}\u0000${normaliseValue(type, value)}`).digest('hex').slice(0, 6)
  return `[${type}-${h}]`
}

/**
 * Replaces every identifier the detector finds by a pseudonym (or its type). The text is read like
 * a file (its format from `options.name` and the content: JSON, HL7, CSV, SQL, log, text), so
 * detection is field-aware, as in `phi scan`; text that cannot be read so throws {@link RedactRefused}; overlapping hits are merged into one replacement (the earliest hit's type). Pure: no I/O.
 */
export function redact(text: string, options: RedactOptions): RedactResult {
  let read: ReadResult
  try {
    read = readTextFile(options.name ?? '', text)
  } catch (e) {
    if (!(e instanceof UnreadableText)) throw e
    throw new RedactRefused(`${e.message}: it cannot be read field by field, and a plain-text pass could miss the identifiers its fields name`)
  }
  const { hits } = detectRead(read, options.detect)
  hits.sort((a, b) => a.start - b.start || b.end - a.end)
  // overlapping hits are merged into one replacement of the earliest hit's type: dropping the later
  // one would leave its tail in clear (`617-555-0100 03` and `03/14/1961` left `/14/1961`)
  const kept: { start: number; end: number; type: PhiType; value: string }[] = []
  for (const h of hits) {
    if (h.end <= h.start) continue
    const last = kept[kept.length - 1]
    if (last && h.start < last.end) {
      if (h.end > last.end) {
        last.end = h.end
        last.value = text.slice(last.start, last.end)
      }
      continue
    }
    kept.push({ start: h.start, end: h.end, type: h.hit.type, value: h.value })
  }
  const byType: Partial<Record<PhiType, number>> = {}
  const parts: string[] = []
  let cursor = 0
  for (const h of kept) {
    parts.push(text.slice(cursor, h.start))
    const t = h.type
    parts.push(options.format === 'type' ? `[${t}]` : pseudonym(t, h.value, options.key))
    byType[t] = (byType[t] ?? 0) + 1
    cursor = h.end
  }
  parts.push(text.slice(cursor))
  return { text: parts.join(''), replaced: kept.length, byType }
}
