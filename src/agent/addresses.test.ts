import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { canonicalIp, hostAddresses, isLocalIp, localAddressSet, type InterfaceTable } from './addresses.js'

const a = (address: string, internal = false): NetworkInterfaceInfo =>
  (address.includes(':')
    ? { address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal, cidr: `${address}/64`, scopeid: 0 }
    : { address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` }) as NetworkInterfaceInfo

describe('hostAddresses', () => {
  it('a normal host: every non-loopback interface address but link-local ones', () => {
    const t: InterfaceTable = {
      lo: [a('127.0.0.1', true), a('::1', true)],
      eth0: [a('192.0.2.2'), a('fd00::2'), a('fe80::fc:ff:fe00:1')],
      docker0: [a('172.17.0.1'), a('169.254.3.3')],
    }
    expect(hostAddresses(t)).toEqual(['172.17.0.1', '192.0.2.2', 'fd00::2'])
  })

  it('only loopback interfaces (a test namespace): every address that is not 127.0.0.0/8 or ::1', () => {
    // a service address bound to lo, and a veth with only its link-local address
    const t: InterfaceTable = { lo: [a('127.0.0.1', true), a('::1', true), a('10.96.0.10', true)], veth0: [a('fe80::1')] }
    expect(hostAddresses(t)).toEqual(['10.96.0.10', 'fe80::1'])
    expect(hostAddresses({ lo: [a('127.0.0.1', true), a('::1', true)] })).toEqual([])
  })

  it('scoped link-local addresses lose the zone; duplicates fold', () => {
    expect(hostAddresses({ a: [a('fe80::1%eth0')], b: [a('fe80::1')] })).toEqual(['fe80::1'])
  })
})

describe('local addresses', () => {
  it('include loopback and every interface address; 127.0.0.0/8 is always local', () => {
    const set = localAddressSet({ eth0: [a('192.0.2.2'), a('FD00::2')] })
    expect([...set].sort()).toEqual(['127.0.0.1', '192.0.2.2', '::1', 'fd00::2'])
    expect(isLocalIp('127.0.0.53', set)).toBe(true)
    expect(isLocalIp('192.0.2.3', set)).toBe(false)
  })

  it('canonicalIp', () => {
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1')
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1')
    expect(canonicalIp('::ffff:192.0.2.1')).toBe('192.0.2.1')
    expect(canonicalIp('0:0:0:0:0:ffff:c000:0201')).toBe('192.0.2.1')
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1%eth0')
    expect(canonicalIp('not-an-ip')).toBeUndefined()
  })
})
