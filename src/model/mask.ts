import { createHash } from 'node:crypto'

/**
 * A masked form of a sensitive value for reports and logs: its length and a short, salted
 * fingerprint (so two findings about the same secret can be matched) — never the value itself.
 *
 * @example
 * maskValue('AKIAIOSFODNN7EXAMPLE') // '****(20 chars, fp 5b1e0c2a)'
 */
export function maskValue(value: string, salt = 'phiwall'): string {
  const fp = createHash('sha256').update(`${salt}\u0000${value}`).digest('hex').slice(0, 8)
  return `****(${value.length} chars, fp ${fp})`
}
