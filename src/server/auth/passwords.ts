import { hash, verify, type Algorithm } from '@node-rs/argon2'
import { randomChars } from './secrets.js'

/** argon2id parameters (OWASP's minimum recommendation: 19 MiB, 2 passes, 1 lane). */
// `Algorithm` is an ambient const enum (not importable as a value here): 2 is Algorithm.Argon2id
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 }

/** Shortest accepted password. */
export const MIN_PASSWORD_LENGTH = 12
/** Longest accepted password (bounds the hashing work an attacker can ask for). */
export const MAX_PASSWORD_LENGTH = 256

/** Passwords of 12+ characters that lead every breach list; compared lower-case. */
const COMMON_PASSWORDS = new Set([
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password1234!', 'password123!',
  '123456789012', '1234567890123', '12345678901234', '123456123456', '111111111111', '000000000000',
  'qwertyuiopas', 'qwerty123456', 'qwertyuiop123', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'q1w2e3r4t5y6',
  'iloveyou1234', 'letmein12345', 'welcome12345', 'welcome123456', 'changeme1234', 'changeme123!',
  'administrator', 'administrator1', 'admin1234567', 'adminadmin123', 'trustno1trustno1', 'football1234',
  'baseball1234', 'sunshine1234', 'princess1234', 'monkey123456', 'dragon123456', 'master123456',
  'abc123456789', 'abcdefghijkl', 'abcd1234abcd', 'aa1234567890', 'correcthorsebatterystaple', 'phiwall12345',
  'phiwallphiwall', 'hipaa1234567', 'hospital1234', 'healthcare123', 'summer2024!!', 'winter2024!!',
])

/**
 * Why `password` is refused for `username`, or null when it is acceptable: 12–256 characters, not
 * the username, not one of the most common passwords, not one character repeated.
 *
 * @example
 * checkPasswordPolicy('hunter2', 'alice') // 'Passwords need at least 12 characters.'
 */
export function checkPasswordPolicy(password: string, username: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`
  if (password.length > MAX_PASSWORD_LENGTH) return `Passwords have at most ${MAX_PASSWORD_LENGTH} characters.`
  const lower = password.toLowerCase()
  if (lower === username.toLowerCase()) return 'The password must not be the username.'
  if (COMMON_PASSWORDS.has(lower)) return 'This password is on the list of most common passwords; choose another.'
  if (new Set(lower).size < 4) return 'The password repeats too few different characters.'
  return null
}

/** The argon2id hash (PHC string, `$argon2id$…`) of a password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2)
}

let dummy: Promise<string> | undefined

/**
 * Whether `password` matches `passwordHash`. Without a hash (unknown user) it verifies against a
 * dummy hash and returns false, so that both cases take the same time.
 */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) password = password.slice(0, MAX_PASSWORD_LENGTH)
  if (!passwordHash) {
    dummy ??= hashPassword(randomChars(24, 'abcdefghijklmnopqrstuvwxyz0123456789'))
    await verify(await dummy, password).catch(() => false)
    return false
  }
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** Unambiguous characters of generated passwords (no 0/O, 1/l/I). */
const OTP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'

/** A one-time password: 24 random characters (about 139 bits), changed at first sign-in. */
export function generateOneTimePassword(): string {
  return randomChars(24, OTP_ALPHABET)
}
