import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalIp } from './addresses.js'
import { canonicalIpText, IpText, parseIpv4, parseIpv6 } from './iptext.js'

const b = (s: string): Buffer => Buffer.from(s, 'latin1')
const v6 = (s: string): number[] | undefined => {
  const out = new Uint8Array(16)
  return parseIpv6(b(s), 0, s.length, out) ? [...out] : undefined
}

describe('parseIpv4', () => {
  it('dotted quads without leading zeros, as net.isIPv4', () => {
    expect(parseIpv4(b('127.0.0.1'), 0, 9)).toBe(0x7f000001)
    expect(parseIpv4(b('255.255.255.255'), 0, 15)).toBe(0xffffffff)
    expect(parseIpv4(b('x10.0.0.5y'), 1, 9)).toBe(0x0a000005)
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '01.2.3.4', '256.0.0.1', '1..2.3', '1.2.3.4 ', '1.2.3.', '1234.1.1.1', 'a.b.c.d']) expect(parseIpv4(b(bad), 0, bad.length)).toBe(-1)
  })
})

describe('parseIpv6', () => {
  it('groups, one `::` for one or more groups, an IPv4 tail', () => {
    expect(v6('::')).toEqual(Array(16).fill(0))
    expect(v6('::1')).toEqual([...Array(15).fill(0), 1])
    expect(v6('2001:DB8::ff00:42:8329')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29])
    expect(v6('::ffff:10.0.0.5')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 5])
    expect(v6('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0])
    for (const bad of ['', ':', ':::', '1:2', '1::2::3', '1:2:3:4:5:6:7:8:9', '1::2:3:4:5:6:7:8', '12345::', '::g', '1:', ':1', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', 'fe80::1%eth0']) {
      expect(v6(bad), bad).toBeUndefined()
    }
  })
})

describe('IpText', () => {
  it('gives canonicalIp’s text, the same string object for a repeated address', () => {
    const ips = new IpText()
    const a = ips.text(b('x10.1.2.3'), 1, 9)
    expect(a).toBe('10.1.2.3')
    expect(ips.text(b('10.1.2.3'), 0, 8)).toBe(a)
    expect(ips.text(b('2001:DB8:0:0:0:0:0:1'), 0, 20)).toBe('2001:db8::1')
    expect(ips.text(b('::ffff:192.0.2.1'), 0, 16)).toBe('192.0.2.1')
    expect(ips.text(b('fe80::1%eth0'), 0, 12)).toBe('fe80::1%eth0')
    expect(ips.text(b('10.1.2'), 0, 6)).toBeUndefined()
    expect(ips.text(b('host'), 0, 4)).toBeUndefined()
    expect(ips.text(b(''), 0, 0)).toBeUndefined()
  })

  it('a full cache starts over without changing any answer', () => {
    const ips = new IpText()
    for (let i = 0; i < 20_000; i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
      expect(ips.text(b(ip), 0, ip.length)).toBe(ip)
      const six = `2001:db8::${(i + 1).toString(16)}`
      expect(ips.text(b(six), 0, six.length)).toBe(six)
    }
  })

  it('agrees with canonicalIp (net.isIP and the URL parser) on addresses and near-addresses', () => {
    const near = fc.stringMatching(/^[0-9a-fA-F:.%]{0,45}$/)
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.ipV4().map((a) => `::ffff:${a}`), near, fc.string({ maxLength: 20 })), (s) => {
        expect(canonicalIpText(s)).toBe(canonicalIp(s))
      }),
      { numRuns: 5000 },
    )
  })
})
