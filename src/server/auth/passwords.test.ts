import { describe, expect, it } from 'vitest'
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js'
import { checkTotp, newRecoveryCodes, newTotpEnrolment, recoveryCodeHash } from './totp.js'
import { TOTP, Secret } from 'otpauth'

describe('password policy', () => {
  it.each([
    ['short', 'Tr0ub4dor&3', /at least 12/],
    ['the username', 'Erin.Engineer1', null],
    ['equal to username (any case)', 'ERIN.ENGINEER', /username/],
    ['a common password', 'Password1234', /most common/],
    ['a common long password', 'qwerty123456', /most common/],
    ['one character repeated', 'aaaaaaaaaaaaaa', /too few different/],
    ['too long', 'x'.repeat(257) + 'abcd', /at most 256/],
  ])('judges %s', (_what, pw, expected) => {
    const got = checkPasswordPolicy(pw, 'erin.engineer')
    if (expected === null) expect(got).toBeNull()
    else expect(got).toMatch(expected)
  })

  it('accepts a long passphrase', () => {
    expect(checkPasswordPolicy('correct horse battery staple at dawn', 'erin.engineer')).toBeNull()
  })
})

describe('argon2id hashing', () => {
  it('produces a $argon2id$ PHC string with the configured cost and verifies it', async () => {
    const h = await hashPassword('clinic-intake-2026-rotation')
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(h).not.toContain('clinic-intake')
    expect(await verifyPassword(h, 'clinic-intake-2026-rotation')).toBe(true)
    expect(await verifyPassword(h, 'clinic-intake-2026-rotatioN')).toBe(false)
    // unknown user: verified against a dummy hash, always false
    expect(await verifyPassword(null, 'clinic-intake-2026-rotation')).toBe(false)
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false)
  })
})

describe('TOTP and recovery codes', () => {
  it('enrols with a 20-byte secret and an SVG QR code, and accepts a code once (±1 step)', async () => {
    const e = await newTotpEnrolment('erin.engineer')
    expect(Secret.fromBase32(e.secret).bytes).toHaveLength(20)
    expect(e.otpauthUrl).toMatch(/^otpauth:\/\/totp\/PhiWall:erin\.engineer\?/)
    expect(e.otpauthUrl).toContain('issuer=PhiWall')
    expect(e.otpauthUrl).toContain('digits=6')
    expect(e.otpauthUrl).toContain('period=30')
    expect(e.qrSvg).toMatch(/^(<svg|<\?xml)/)
    const now = new Date('2026-12-07T09:00:10.000Z')
    const secret = Secret.fromBase32(e.secret)
    const code = TOTP.generate({ secret, timestamp: now.getTime() })
    const step = checkTotp(e.secret, code, now, null)
    expect(step).toBe(Math.floor(now.getTime() / 30_000))
    expect(checkTotp(e.secret, code, now, step)).toBeNull() // replay
    const previous = TOTP.generate({ secret, timestamp: now.getTime() - 30_000 })
    expect(checkTotp(e.secret, previous, now, null)).toBe(step! - 1)
    const old = TOTP.generate({ secret, timestamp: now.getTime() - 90_000 })
    if (old !== code && old !== previous) expect(checkTotp(e.secret, old, now, null)).toBeNull()
    expect(checkTotp(e.secret, '12345', now, null)).toBeNull()
  })

  it('makes 10 distinct recovery codes xxxx-xxxx-xxxx, hashed per user', () => {
    const codes = newRecoveryCodes()
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const c of codes) expect(c).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/)
    expect(recoveryCodeHash('u1', codes[0]!)).toBe(recoveryCodeHash('u1', ` ${codes[0]!.toUpperCase()} `))
    expect(recoveryCodeHash('u1', codes[0]!)).not.toBe(recoveryCodeHash('u2', codes[0]!))
    expect(recoveryCodeHash('u1', codes[0]!)).toMatch(/^[0-9a-f]{64}$/)
  })
})
