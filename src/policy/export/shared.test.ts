import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Notes, cidrOrAddress, isLabelKey, isLabelValue, isLinkLocal, isLoopback, k8sObjectName, labelProblem, parseCidr, portProblem, safeSegment, sortCidrs, uniquePaths } from './shared.js'

describe('parseCidr', () => {
  it('canonicalises IPv4 and clears host bits', () => {
    expect(parseCidr('10.0.1.17/24')?.text).toBe('10.0.1.0/24')
    expect(parseCidr('10.0.1.17')?.text).toBe('10.0.1.17/32')
    expect(parseCidr('0.0.0.0/0')?.text).toBe('0.0.0.0/0')
    expect(parseCidr(' 192.168.7.1/32 ')?.text).toBe('192.168.7.1/32')
  })

  it('canonicalises IPv6 to RFC 5952 text', () => {
    expect(parseCidr('2001:DB8:0:0:0:0:0:1')?.text).toBe('2001:db8::1/128')
    expect(parseCidr('2001:db8:0:0:1:0:0:1/128')?.text).toBe('2001:db8::1:0:0:1/128')
    expect(parseCidr('2001:db8:abcd:12:ffff::/56')?.text).toBe('2001:db8:abcd::/56')
    expect(parseCidr('::/0')?.text).toBe('::/0')
    expect(parseCidr('::1')?.text).toBe('::1/128')
    expect(parseCidr('fe80::1:2:3:4/10')?.text).toBe('fe80::/10')
    expect(parseCidr('::ffff:10.0.0.1')?.text).toBe('::ffff:a00:1/128')
  })

  it('rejects what is not an address or prefix', () => {
    for (const bad of ['', '10.0.0', '10.0.0.256', '10.0.0.1/33', '2001:db8::/129', 'api.stripe.com', '10.0.0.1/-1', '10.0.0.1/8/8', 'fe80::1%eth0']) expect(parseCidr(bad), bad).toBeUndefined()
  })

  it('round-trips any IPv4 or IPv6 prefix to a fixed point', () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })), fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 }))), ([addr, prefix]) => {
        const c = parseCidr(`${addr}/${prefix}`)
        expect(c).toBeDefined()
        expect(parseCidr(c!.text)?.text).toBe(c!.text)
        expect(c!.prefix).toBe(prefix)
      }),
    )
  })

  it('knows loopback and link-local, and writes host prefixes as bare addresses', () => {
    expect(isLoopback(parseCidr('127.0.0.53')!)).toBe(true)
    expect(isLoopback(parseCidr('::1')!)).toBe(true)
    expect(isLoopback(parseCidr('10.0.0.1')!)).toBe(false)
    expect(isLinkLocal(parseCidr('169.254.169.253')!)).toBe(true)
    expect(isLinkLocal(parseCidr('fe80::1')!)).toBe(true)
    expect(isLinkLocal(parseCidr('10.0.0.2')!)).toBe(false)
    expect(cidrOrAddress(parseCidr('10.0.0.2/32')!)).toBe('10.0.0.2')
    expect(cidrOrAddress(parseCidr('10.0.0.0/8')!)).toBe('10.0.0.0/8')
    expect(sortCidrs(['2001:db8::1', '10.0.0.9', '10.0.0.10', '9.0.0.0/8'].map((a) => parseCidr(a)!)).map((c) => c.text)).toEqual(['9.0.0.0/8', '10.0.0.9/32', '10.0.0.10/32', '2001:db8::1/128'])
  })
})

describe('Kubernetes syntax', () => {
  it('accepts and rejects label keys and values as the API server does', () => {
    expect(isLabelKey('app.kubernetes.io/name')).toBe(true)
    expect(isLabelKey('k8s-app')).toBe(true)
    expect(isLabelKey('app')).toBe(true)
    expect(isLabelKey('/name')).toBe(false)
    expect(isLabelKey('Example.com/name')).toBe(false)
    expect(isLabelKey('-app')).toBe(false)
    expect(isLabelKey('a'.repeat(64))).toBe(false)
    expect(isLabelValue('')).toBe(true)
    expect(isLabelValue('intake-api')).toBe(true)
    expect(isLabelValue('has space')).toBe(false)
    expect(isLabelValue('x'.repeat(64))).toBe(false)
    expect(labelProblem({})).toMatch(/no labels/)
    expect(labelProblem({ app: 'ok' })).toBeUndefined()
    expect(labelProblem({ app: 'not ok!' })).toMatch(/invalid value/)
  })

  it('names objects phiwall-<name> as DNS-1123 subdomains', () => {
    expect(k8sObjectName('intake-api')).toBe('phiwall-intake-api')
    expect(k8sObjectName('Intake_API')).toBe('phiwall-intake-api')
    const long = k8sObjectName('x'.repeat(400))
    expect(long.length).toBeLessThanOrEqual(253)
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
  })
})

describe('ports, paths and notes', () => {
  it('rejects ports outside 1-65535 and inverted ranges', () => {
    expect(portProblem({ port: 0, protocol: 'tcp' })).toMatch(/not a port/)
    expect(portProblem({ port: 65536, protocol: 'udp' })).toMatch(/not a port/)
    expect(portProblem({ port: 1024, endPort: 1000, protocol: 'tcp' })).toMatch(/below/)
    expect(portProblem({ port: 1024, endPort: 65535, protocol: 'tcp' })).toBeUndefined()
    expect(portProblem({ port: 0, protocol: 'icmp' })).toBeUndefined()
  })

  it('keeps file names inside the output directory and unique', () => {
    expect(safeSegment('../../etc/passwd')).not.toContain('/')
    expect(safeSegment('..')).not.toBe('..')
    expect(safeSegment('')).toMatch(/^_[0-9a-f]{8}$/)
    const paths = uniquePaths([
      { key: 'a', path: 'clinic/x_y.networkpolicy.yaml' },
      { key: 'b', path: 'clinic/x_y.networkpolicy.yaml' },
      { key: 'c', path: 'clinic/z.networkpolicy.yaml' },
    ])
    expect(new Set(paths.values()).size).toBe(3)
    expect(paths.get('c')).toBe('clinic/z.networkpolicy.yaml')
    expect(paths.get('a')).toMatch(/^clinic\/x_y-[0-9a-f]{8}\.networkpolicy\.yaml$/)
  })

  it('sorts and de-duplicates notes', () => {
    const n = new Notes()
    n.add('b', 'two')
    n.add('a', 'z')
    n.add('b', 'one')
    n.add('a', 'z')
    expect(n.list()).toEqual([
      { workload: 'a', message: 'z' },
      { workload: 'b', message: 'one' },
      { workload: 'b', message: 'two' },
    ])
  })
})
