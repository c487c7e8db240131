import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PhiHit } from '../types.js'
import { hit, readCtx } from './context.js'
import { detectUrls, hasFullV6Run } from './web.js'

/** URLs as the detector first found them: one scan of the whole text. */
function plainUrls(text: string, log: boolean): PhiHit[] {
  const out: PhiHit[] = []
  const local = /^(?:(?:https?|ftp):\/\/)?(?:[^@/]*@)?(?:localhost|127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|\[?::1\]?|[^/:]*\.(?:local|internal|svc|cluster\.local|localdomain)(?=[:/]|$))/i
  const re = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'`{}|\\^\]]+/gi
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let v = m[0]
    while (/[.,;:!?)]$/.test(v) && !(v.endsWith(')') && v.includes('('))) v = v.slice(0, -1)
    if (v.length < 8) continue
    const isLocal = local.test(v)
    if (isLocal && log) continue
    out.push(hit('URL', m.index, m.index + v.length, isLocal ? 0.4 : 0.9, 'url'))
  }
  return out
}

const PATTERN = /:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:/

describe('hasFullV6Run', () => {
  it('finds four hex groups between colons', () => {
    expect(hasFullV6Run('addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toBe(true)
    expect(hasFullV6Run('12:30:45 and a:b:c')).toBe(false)
    expect(hasFullV6Run('x:12345:1:2:3:')).toBe(false)
  })

  it('answers as the pattern does on random text', () => {
    const unit = fc.constantFrom(...':0aF9gx. \n'.split(''), '::', 'db8:', '12345', 'ffff', ':0:')
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        expect(hasFullV6Run(text)).toBe(PATTERN.test(text))
      }),
      { numRuns: 5000 },
    )
  })
})

describe('detectUrls', () => {
  it('finds URLs where the cue-word scan saw http, ftp or www, and in text without digits', () => {
    const text = 'see https://portal.example.org/p/8071288?next=http://x.example.com, WWW.Example.com and ftp://10.0.0.1/a'
    expect(detectUrls(text, readCtx(undefined)).map((h) => text.slice(h.start, h.end))).toEqual([
      'https://portal.example.org/p/8071288?next=http://x.example.com',
      'WWW.Example.com',
      'ftp://10.0.0.1/a',
    ])
    expect(detectUrls('see https://portal.example.org/a', readCtx(undefined)).length).toBe(1)
  })

  it('equals the whole-text scan on random text', () => {
    const unit = fc.constantFrom(
      ...'ab1 .:/,)(\n'.split(''), 'http', 'https://', 'HTTP://', 'ftp://', 'www.', 'WWW.', 'example.com', 'localhost', '10.0.0.1', 'a/c', 'f:', 'mr12', 'y/o', 'patient',
    )
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), fc.boolean(), (parts, log) => {
        const text = parts.join('')
        expect(detectUrls(text, readCtx(log ? { kind: 'log' } : undefined))).toEqual(plainUrls(text, log))
      }),
      { numRuns: 5000 },
    )
  })
})
