import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { PhiwallError } from '../../model/index.js'

const VERSION = 'v1'

/**
 * Seals a secret the server must read back (a TOTP seed) with AES-256-GCM under the server's key;
 * `context` (the user id) is bound as additional data, so a sealed value cannot be moved to another
 * user. Result: `v1:<iv>:<ciphertext>:<tag>` (base64url).
 */
export function sealSecret(key: Buffer, context: string, plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return [VERSION, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':')
}

/** Opens a value of {@link sealSecret}; a wrong key, context or altered value is `PW_ERR_SERVER_CONFIG`. */
export function openSecret(key: Buffer, context: string, sealed: string): string {
  const [version, iv, ct, tag] = sealed.split(':')
  try {
    if (version !== VERSION || !iv || !ct || !tag) throw new Error('not sealed')
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    throw new PhiwallError('PW_ERR_SERVER_CONFIG', 'A stored TOTP secret cannot be opened with this server\'s secret key: start the server with the key it was enrolled under (PHIWALL_SECRET_KEY or the key file), or have an admin reset the user\'s second factor.')
  }
}
