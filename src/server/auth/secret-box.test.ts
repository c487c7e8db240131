import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openSecret, sealSecret } from './secret-box.js'

describe('secret box (TOTP seeds at rest)', () => {
  const key = randomBytes(32)
  const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

  it('round-trips, with a fresh IV each time, and hides the seed', () => {
    const a = sealSecret(key, 'user-1', seed)
    const b = sealSecret(key, 'user-1', seed)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/)
    expect(a).not.toContain(seed)
    expect(openSecret(key, 'user-1', a)).toBe(seed)
  })

  it('refuses another key, another user, an altered value and a plain seed', () => {
    const sealed = sealSecret(key, 'user-1', seed)
    expect(() => openSecret(randomBytes(32), 'user-1', sealed)).toThrow(/PHIWALL_SECRET_KEY/)
    expect(() => openSecret(key, 'user-2', sealed)).toThrow(/cannot be opened/)
    const parts = sealed.split(':')
    parts[2] = parts[2]!.startsWith('A') ? `B${parts[2]!.slice(1)}` : `A${parts[2]!.slice(1)}`
    expect(() => openSecret(key, 'user-1', parts.join(':'))).toThrow(/cannot be opened/)
    expect(() => openSecret(key, 'user-1', seed)).toThrow(/cannot be opened/)
  })

  it('never puts the seed in its error message', () => {
    try {
      openSecret(key, 'user-1', seed)
    } catch (e) {
      expect((e as Error).message).not.toContain(seed)
    }
  })
})
