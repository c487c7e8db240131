import { FieldError } from '../router.js'

/** An opaque keyset cursor: the sort values of the last row of a page, base64url JSON. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url')
}

/**
 * The sort values of a cursor, checked against the kinds the list sorts on (`n` number, `s` string);
 * anything else is 400 naming `cursor`.
 */
export function decodeCursor(cursor: string | undefined, kinds: ('n' | 's')[]): (string | number)[] | null {
  if (cursor === undefined || cursor === '') return null
  let values: unknown
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    values = null
  }
  if (!Array.isArray(values) || values.length !== kinds.length || values.some((v, i) => (kinds[i] === 'n' ? typeof v !== 'number' || !Number.isFinite(v) : typeof v !== 'string'))) {
    throw new FieldError('cursor', 'cursor: not a cursor of this list; pass nextCursor from the previous page unchanged.')
  }
  return values as (string | number)[]
}

/** An ISO string of a timestamp column (Date from both drivers, or text). */
export function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString()
  return new Date(String(v)).toISOString()
}

/** {@link iso}, null kept. */
export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v)
}
