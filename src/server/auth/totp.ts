import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import { randomChars, sha256 } from './secrets.js'

const ISSUER = 'PhiWall'
const PERIOD = 30

function totpOf(secretBase32: string, username: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) })
}

/** A new TOTP secret (20 random bytes, base32) with its otpauth:// URL and a QR code of it as SVG. */
export async function newTotpEnrolment(username: string): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  const secret = new Secret({ size: 20 }).base32
  const otpauthUrl = totpOf(secret, username).toString()
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg' })
  return { secret, otpauthUrl, qrSvg }
}

/**
 * The time step a 6-digit `code` belongs to (±1 step around `now`), or null when it is wrong or
 * was already used: a step at or before `lastStep` is a replay.
 */
export function checkTotp(secretBase32: string, code: string, now: Date, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const timestamp = now.getTime()
  const delta = totpOf(secretBase32, 'x').validate({ token: code, timestamp, window: 1 })
  if (delta === null) return null
  const step = Math.floor(timestamp / 1000 / PERIOD) + delta
  if (lastStep !== null && step <= lastStep) return null
  return step
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** Ten recovery codes `xxxx-xxxx-xxxx` (about 59 bits each). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => [0, 1, 2].map(() => randomChars(4, RECOVERY_ALPHABET)).join('-'))
}

/** What the database keeps of a recovery code: SHA-256 of user id and the normalised code. */
export function recoveryCodeHash(userId: string, code: string): string {
  const normal = code.trim().toLowerCase().replace(/[\s-]/g, '')
  return sha256(`phiwall-recovery:${userId}:${normal}`)
}
