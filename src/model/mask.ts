import { createHmac, randomBytes } from 'node:crypto'

let fingerprintKey: Buffer | undefined

/**
 * The key of the fingerprints: `PHIWALL_FINGERPRINT_KEY` when set (for fingerprints that match
 * across runs and machines, e.g. to compare this week's report with last week's), else 32 random
 * bytes drawn once per process. A fingerprint of a fixed, public salt would give the value back:
 * a ZIP code, a date of birth or an SSN has few enough possible values to hash them all.
 */
function key(): Buffer {
  if (!fingerprintKey) {
    const configured = process.env['PHIWALL_FINGERPRINT_KEY']
    fingerprintKey = configured ? Buffer.from(configured, 'utf8') : randomBytes(32)
  }
  return fingerprintKey
}

/** Shortest `PHIWALL_FINGERPRINT_KEY` accepted: a short key can be guessed, and with it every value. */
export const MIN_FINGERPRINT_KEY = 32

/** Is a fingerprint key configured (`PHIWALL_FINGERPRINT_KEY`): do fingerprints match across runs? */
export function fingerprintKeyConfigured(): boolean {
  return !!process.env['PHIWALL_FINGERPRINT_KEY']
}

/** Why the configured `PHIWALL_FINGERPRINT_KEY` is not usable, or undefined (none set, or a good one). */
export function fingerprintKeyProblem(): string | undefined {
  const configured = process.env['PHIWALL_FINGERPRINT_KEY']
  if (configured === undefined || configured === '') return undefined
  if (Buffer.byteLength(configured, 'utf8') < MIN_FINGERPRINT_KEY) return `PHIWALL_FINGERPRINT_KEY is ${Buffer.byteLength(configured, 'utf8')} bytes; it must be at least ${MIN_FINGERPRINT_KEY} (a short key can be guessed, and with it the masked values): e.g. openssl rand -hex 32`
  return undefined
}

/**
 * A masked form of a sensitive value for reports and logs: its length and a short keyed
 * fingerprint (HMAC-SHA-256 under a secret key, so two findings about the same value can be
 * matched, and the value cannot be recovered by hashing candidates) — never the value itself.
 *
 * @example
 * maskValue('AKIAIOSFODNN7EXAMPLE') // '****(20 chars, fp 5b1e0c2a)'
 */
export function maskValue(value: string): string {
  const fp = createHmac('sha256', key()).update(value, 'utf8').digest('hex').slice(0, 8)
  return `****(${value.length} chars, fp ${fp})`
}
