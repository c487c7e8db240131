import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { IdentityResolver, cidrBucket, normalizeIp, podBaseName } from './resolve.js'
import { processIdentity } from './context.js'
import { isInternetPeer, isPrivateAddress } from './internet.js'
import { EdgeAggregator } from './aggregate.js'
import { peerKey, type Peer } from './types.js'

describe('cidrBucket', () => {
  it('buckets IPv4 by /24 and classifies scope', () => {
    expect(cidrBucket('10.1.2.3')).toEqual({ kind: 'cidr', cidr: '10.1.2.3/32', scope: 'private' })
    expect(cidrBucket('52.94.0.10')).toEqual({ kind: 'cidr', cidr: '52.94.0.0/24', scope: 'public' })
    expect(cidrBucket('127.0.0.1').scope).toBe('local')
    expect(cidrBucket('169.254.169.254').scope).toBe('local')
    expect(cidrBucket('100.64.3.4').scope).toBe('private')
  })
  it('buckets IPv6 by /64 and folds IPv4-mapped addresses', () => {
    expect(cidrBucket('2600:1f18:abcd:1234:5678::9')).toEqual({ kind: 'cidr', cidr: '2600:1f18:abcd:1234::/64', scope: 'public' })
    expect(cidrBucket('fd00:1:2:3::4')).toEqual({ kind: 'cidr', cidr: 'fd00:1:2:3::4/128', scope: 'private' })
    expect(cidrBucket('::ffff:10.9.8.7')).toEqual({ kind: 'cidr', cidr: '10.9.8.7/32', scope: 'private' })
    expect(normalizeIp('::ffff:10.9.8.7')).toBe('10.9.8.7')
    expect(normalizeIp('not an ip')).toBeUndefined()
  })
  it('never throws and always yields a CIDR', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()), (s) => {
        const p = cidrBucket(s)
        expect(p.kind).toBe('cidr')
      }),
    )
  })
})

describe('podBaseName', () => {
  it('strips ReplicaSet, StatefulSet and DaemonSet suffixes', () => {
    expect(podBaseName('frontend-7d9f8c6b5-x2x9z')).toBe('frontend')
    expect(podBaseName('patients-db-0')).toBe('patients-db')
    expect(podBaseName('node-exporter-k2m4x')).toBe('node-exporter')
    expect(podBaseName('standalone')).toBe('standalone')
    expect(podBaseName('web-server-exporter')).toBe('web-server-exporter')
  })
})

describe('IdentityResolver', () => {
  it('resolves addresses, ENIs and CIDRs from the address book, external names from DNS, the rest to buckets', () => {
    const r = new IdentityResolver({
      identities: [{ id: 'aws:lambda:intake', kind: 'function', name: 'intake' }],
      addresses: [
        { eni: 'eni-0abc', workload: 'intake' },
        { ip: '10.0.5.0/24', workload: 'legacy-subnet' },
        { ip: '10.0.1.9', workload: 'aws:ec2:hl7' },
      ],
    })
    expect(r.address('10.0.0.7', 'eni-0abc').peer).toEqual({ kind: 'identity', id: 'aws:lambda:intake' })
    expect(r.address('10.0.5.77').peer).toEqual({ kind: 'identity', id: 'addr:legacy-subnet' })
    expect(r.address('10.0.1.9').peer).toEqual({ kind: 'identity', id: 'aws:ec2:hl7' })
    expect(r.address('52.94.0.10')).toMatchObject({ resolved: false, peer: { kind: 'cidr', cidr: '52.94.0.0/24' } })
    r.learnDns('API.Stripe.com.', ['52.94.0.10'])
    expect(r.address('52.94.0.10')).toMatchObject({ resolved: true, peer: { kind: 'fqdn', fqdn: 'api.stripe.com' } })
    expect(r.unresolved).toBe(1)
    expect(r.dns()).toEqual({ 'api.stripe.com': ['52.94.0.10'] })
  })

  it('names Kubernetes endpoints by owner, inventory labels, app label or pod name; reserved identities become entities', () => {
    const r = new IdentityResolver({ identities: [{ id: 'k8s:clinic/intake-api', kind: 'k8s-workload', name: 'intake-api', namespace: 'clinic', labels: { 'app.kubernetes.io/name': 'intake' } }] })
    expect(r.k8sEndpoint({ namespace: 'clinic', labels: ['k8s:app.kubernetes.io/name=intake', 'k8s:pod-template-hash=abc123'], podName: 'intake-api-5d8f7c9b6-q2w3e' }).key).toBe('k8s:clinic/intake-api')
    expect(r.k8sEndpoint({ namespace: 'clinic', labels: ['k8s:app=frontend'] }).key).toBe('k8s:clinic/frontend')
    expect(r.identity('k8s:clinic/frontend')?.labels).toEqual({ app: 'frontend' })
    expect(r.k8sEndpoint({ namespace: 'clinic', labels: [], workloads: [{ name: 'billing', kind: 'Deployment' }] }).key).toBe('k8s:clinic/billing')
    expect(r.k8sEndpoint({ namespace: 'clinic', labels: [], podName: 'patients-db-0' }).key).toBe('k8s:clinic/patients-db')
    expect(r.k8sEndpoint({ labels: ['reserved:kube-apiserver'] }).key).toBe('entity:kube-apiserver')
    expect(r.k8sEndpoint({ labels: ['reserved:world'], ip: '8.8.8.8' }).peer).toEqual({ kind: 'cidr', cidr: '8.8.8.0/24', scope: 'public' })
  })

  it('joins agent hosts and listeners', () => {
    const r = new IdentityResolver()
    r.addHost('vm-1', ['10.20.0.11'])
    r.addListener(['10.20.0.11'], 2575, 'tcp', 'host:vm-1:proc:x')
    expect(r.listenerAt('10.20.0.11', 2575, 'tcp')).toBe('host:vm-1:proc:x')
    expect(r.listenerAt('::ffff:10.20.0.11', 2575, 'tcp')).toBe('host:vm-1:proc:x')
    expect(r.isAgentHost('10.20.0.11')).toBe(true)
    expect(r.address('10.20.0.11').key).toBe('host:vm-1')
    expect(r.hosts()).toEqual({ 'vm-1': ['10.20.0.11'] })
  })
})

describe('EdgeAggregator', () => {
  const a: Peer = { kind: 'identity', id: 'k8s:clinic/a' }
  const b: Peer = { kind: 'identity', id: 'k8s:clinic/b' }
  it('aggregates per (from, to, port, protocol), keeps bounded samples and merges', () => {
    const agg = new EdgeAggregator()
    for (let i = 0; i < 10; i++) agg.observe(a, peerKey(a), b, peerKey(b), 8080, 'tcp', 100, 2, 1000 + i, 2000 + i, i === 3, 'hubble', () => ({ source: 'hubble', line: i + 1 }))
    agg.observe(a, peerKey(a), b, peerKey(b), 9090, 'tcp', 1, 1, 5, 6, false, 'vpc', () => ({ source: 'vpc' }))
    const edges = agg.edges()
    expect(edges).toHaveLength(2)
    expect(edges[0]).toMatchObject({ key: 'k8s:clinic/a|k8s:clinic/b|8080/tcp', count: 10, bytes: 1000, packets: 20, firstSeen: 1000, lastSeen: 2009, dropped: 1 })
    expect(edges[0]!.samples).toHaveLength(3)
    const other = new EdgeAggregator()
    other.merge(edges)
    other.merge(edges)
    expect(other.edges()[0]).toMatchObject({ count: 20, dropped: 2 })
    expect(other.edges()[0]!.samples.length).toBeLessThanOrEqual(3)
  })
})

describe('IdentityResolver: named endpoints', () => {
  it('resolves address-book entries of the form fqdn:<name> (interface endpoints, service prefix lists)', () => {
    const r = new IdentityResolver({ addresses: [{ ip: '10.30.1.150', workload: 'fqdn:secretsmanager.us-east-1.amazonaws.com' }, { ip: '52.94.24.0/22', workload: 'fqdn:dynamodb.us-east-1.amazonaws.com' }] })
    expect(r.address('10.30.1.150').peer).toEqual({ kind: 'fqdn', fqdn: 'secretsmanager.us-east-1.amazonaws.com' })
    expect(r.address('52.94.25.7').peer).toEqual({ kind: 'fqdn', fqdn: 'dynamodb.us-east-1.amazonaws.com' })
    expect(r.address('52.94.28.1').resolved).toBe(false)
  })

  it('does not attribute an address to one of two workloads sharing a short name', () => {
    const identities = [
      { id: 'k8s:dev/web', kind: 'k8s-workload' as const, name: 'web', namespace: 'dev' },
      { id: 'k8s:prod/web', kind: 'k8s-workload' as const, name: 'web', namespace: 'prod' },
    ]
    const r = new IdentityResolver({ identities, addresses: [{ ip: '10.0.1.5', workload: 'web' }, { ip: '10.0.1.6', workload: 'k8s:prod/web' }] })
    expect(r.ambiguousNames.get('web')).toEqual(['k8s:dev/web', 'k8s:prod/web'])
    const p = r.address('10.0.1.5').peer
    expect(p.kind === 'identity' ? p.id : p.kind).not.toMatch(/^k8s:/)
    expect(r.address('10.0.1.6').peer).toEqual({ kind: 'identity', id: 'k8s:prod/web' })
  })
})

describe('addresses from the inventory', () => {
  const res = (type: string, name: string, props: Record<string, unknown>, physicalId?: string) =>
    ({ id: `${type}#${name}`, kind: type, type, provider: 'aws', name, sourceId: name, origin: 'aws-snapshot', environment: 'prod', labels: {}, holdsPhi: 'yes', evidence: { phi: [], environment: [] }, location: { file: 'snap.json' }, props, propLines: {}, stack: 'snap.json', dependsOn: [], ...(physicalId ? { physicalId } : {}) }) as unknown as import('../model/index.js').Resource
  it('a Lambda ENI (by its description) and an instance (by its addresses) resolve to their workloads', () => {
    const inv = {
      resources: [
        res('AWS::Lambda::Function', 'clinic-intake-process-prod', {}),
        res('AWS::EC2::Instance', 'hl7-engine', { PrivateIpAddress: '10.40.1.10', PublicIp: '203.0.113.9' }, 'i-0abc1234def567890'),
        res('AWS::EC2::NetworkInterface', 'eni-0a1b2c3d4e5f60718', { Id: 'eni-0a1b2c3d4e5f60718', Description: 'AWS Lambda VPC ENI-clinic-intake-process-prod-3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b', PrivateIpAddress: '10.30.1.25', SecondaryPrivateIpAddresses: ['10.30.1.26'] }),
        res('AWS::EC2::NetworkInterface', 'eni-0ffff', { Id: 'eni-0ffff', Description: 'Interface for NAT Gateway nat-0abc', PrivateIpAddress: '10.30.0.9' }),
      ],
      edges: [],
    }
    const r = new IdentityResolver({ inventory: inv })
    expect(r.address('10.30.1.25').key).toBe('aws:lambda:clinic-intake-process-prod')
    expect(r.address('10.30.1.26').key).toBe('aws:lambda:clinic-intake-process-prod')
    expect(r.address('10.99.0.1', 'eni-0a1b2c3d4e5f60718').key).toBe('aws:lambda:clinic-intake-process-prod')
    expect(r.address('10.40.1.10').key).toBe('aws:ec2:hl7-engine')
    expect(r.address('10.30.0.9').resolved).toBe(false) // a NAT gateway's interface names no workload
    const unknownFn = new IdentityResolver({ addresses: [{ eni: 'eni-0123', workload: 'aws:lambda:billing' }] })
    expect(unknownFn.identity('aws:lambda:billing')).toMatchObject({ kind: 'function', name: 'billing' })
  })
})

describe('agent hosts linked to inventory instances', () => {
  const instance = (name: string, holdsPhi: 'yes' | 'no' | 'unknown', environment: 'prod' | 'dev' = 'prod') => ({
    id: `aws:ec2:${name}`,
    kind: 'vm' as const,
    name,
    resourceId: `aws:ec2:instance:vm/plan.json#${name}`,
    holdsPhi,
    environment,
  })
  const mirth = { pid: 812, exePath: '/opt/mirth/jre/bin/java', exeSha256: 'ab'.repeat(32), uid: 1001 }

  it('by name: a Terraform address, a host name with its domain, `_` read as `-`; the PHI status and environment go to the host and its processes', () => {
    const r = new IdentityResolver({ identities: [instance('aws_instance.hl7_engine', 'yes')] })
    r.addHost('HL7-Engine.clinic.internal', ['10.40.2.15'])
    const p = processIdentity('HL7-Engine.clinic.internal', mirth)
    r.register(p)
    const ids = r.identities()
    expect(ids[p.id]).toMatchObject({ holdsPhi: 'yes', environment: 'prod' })
    expect(ids['host:HL7-Engine.clinic.internal']).toMatchObject({ holdsPhi: 'yes', environment: 'prod', resourceId: 'aws:ec2:instance:vm/plan.json#aws_instance.hl7_engine' })
  })

  it('by address first: the instance an address of the host belongs to, even when another instance has the host name', () => {
    const r = new IdentityResolver({ identities: [instance('reporting', 'no'), instance('hl7-engine', 'yes')], addresses: [{ ip: '10.40.2.15', workload: 'aws:ec2:reporting' }] })
    r.addHost('hl7-engine', ['10.40.2.15'])
    expect(r.identities()['host:hl7-engine']).toMatchObject({ holdsPhi: 'no', resourceId: 'aws:ec2:instance:vm/plan.json#reporting' })
  })

  it('links nothing on an ambiguous or unknown name, and never overrides what a process already has', () => {
    const r = new IdentityResolver({ identities: [instance('app_1', 'yes'), { ...instance('app-1', 'no'), id: 'aws:ec2:app-1b' }] })
    r.addHost('app-1', ['10.0.0.1'])
    r.addHost('other', ['10.0.0.2'])
    const p = processIdentity('other', mirth)
    r.register({ ...p, holdsPhi: 'no' })
    const ids = r.identities()
    expect(ids['host:app-1']!.holdsPhi).toBeUndefined()
    expect(ids[p.id]!.holdsPhi).toBe('no')
  })
})

describe('isInternetPeer', () => {
  const names = { dns: { 'api.vendor.example': ['198.51.100.7'], 'db.corp.example': ['10.1.2.3'], 'mixed.example': ['10.1.2.3', '52.94.1.1'] }, addresses: [{ ip: '10.30.1.150', workload: 'fqdn:secretsmanager.us-east-1.amazonaws.com' }, { ip: '52.94.24.0/22', workload: 'fqdn:dynamodb.us-east-1.amazonaws.com' }] }
  it('a name is on the internet unless a private-use domain or only private addresses say otherwise', () => {
    const f = (fqdn: string) => isInternetPeer({ kind: 'fqdn', fqdn }, names)
    expect(f('api.vendor.example')).toBe(true)
    expect(f('unknown.example')).toBe(true)
    expect(f('mixed.example')).toBe(true)
    expect(f('dynamodb.us-east-1.amazonaws.com')).toBe(true)
    expect(f('db.corp.example')).toBe(false)
    expect(f('secretsmanager.us-east-1.amazonaws.com')).toBe(false)
    expect(f('SecretsManager.us-east-1.amazonaws.com.')).toBe(false)
    expect(f('fhir-bridge.clinic.internal')).toBe(false)
    expect(f('printer.local')).toBe(false)
    expect(f('nas.home.arpa')).toBe(false)
    expect(f('internal.example.com')).toBe(true)
    expect(isInternetPeer({ kind: 'cidr', cidr: '203.0.113.0/24', scope: 'public' }, names)).toBe(true)
    expect(isInternetPeer({ kind: 'cidr', cidr: '10.0.0.1/32', scope: 'private' }, names)).toBe(false)
  })
  it('a CIDR is private only when every address of it is', () => {
    expect(isPrivateAddress('10.0.0.0/8')).toBe(true)
    expect(isPrivateAddress('10.0.0.0/7')).toBe(false)
    expect(isPrivateAddress('192.168.0.0/15')).toBe(false)
    expect(isPrivateAddress('172.16.4.0/24')).toBe(true)
    expect(isPrivateAddress('172.32.0.1')).toBe(false)
    expect(isPrivateAddress('fd00::/8')).toBe(true)
    expect(isPrivateAddress('::ffff:10.1.2.3')).toBe(true)
    expect(isPrivateAddress('2001:db8::1')).toBe(false)
    expect(isPrivateAddress('garbage')).toBe(false)
  })
})
