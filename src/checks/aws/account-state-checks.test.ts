import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { scan } from '../../scan/index.js'
import { checkParamsProblem, evaluateChecks } from '../evaluate.js'
import { ALL_CHECKS } from '../index.js'
import { buildInventory } from '../../inventory/index.js'

const NOW = new Date('2026-11-23T00:00:00Z')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-acctstate-'))
let n = 0
const res = (type: string, identifier: string, properties: Record<string, unknown>) => ({ type, identifier, region: 'us-east-1', properties })

/** Results of one check on an account snapshot of these resources. */
async function judge(check: string, resources: unknown[], checkParams?: Record<string, string>): Promise<{ status: string; message: string }[]> {
  const file = path.join(dir, `s${n++}.json`)
  fs.writeFileSync(file, JSON.stringify({ kind: 'phiwall-aws-snapshot', schemaVersion: 1, collectedAt: '2026-11-20T10:00:00Z', account: '111122223333', regions: ['us-east-1'], resources, errors: [] }, null, 2))
  const r = await scan([file], { only: [check], now: NOW, vulnerabilities: false, ...(checkParams ? { checkParams: { [check]: checkParams } } : {}) })
  return r.findings.map((f) => ({ status: f.status, message: f.message }))
}

describe('checks on account state: the edges a real account has', () => {
  it('acm-certificate-expiry: a certificate never issued has nothing to expire; an ineligible one is not "renewed by ACM"', async () => {
    const cert = (c: Record<string, unknown>) => [res('AWS::CertificateManager::Certificate', 'arn:aws:acm:us-east-1:111122223333:certificate/x', { DomainName: 'fhir.clinic.example', PhiWallCertificate: c })]
    expect(await judge('aws/acm-certificate-expiry', cert({ Type: 'AMAZON_ISSUED', Status: 'PENDING_VALIDATION' }))).toEqual([{ status: 'pass', message: 'ACM certificate fhir.clinic.example is pending validation: it was never issued, so nothing can expire.' }])
    expect((await judge('aws/acm-certificate-expiry', cert({ Type: 'AMAZON_ISSUED', Status: 'ISSUED' })))[0]!.status).toBe('manual')
    expect((await judge('aws/acm-certificate-expiry', cert({ Type: 'AMAZON_ISSUED', Status: 'ISSUED', NotAfter: '2027-03-01T00:00:00Z', RenewalEligibility: 'INELIGIBLE' })))[0]!.message).toContain('ACM will not renew it')
  })

  it('ebs-snapshot-not-public: a public permission the Region blocks is for review, not a pass or a breach', async () => {
    const snap = res('AWS::EC2::Snapshot', 'snap-0b7e4c2a9d1f63058', { SnapshotId: 'snap-0b7e4c2a9d1f63058', PhiWallSharedWith: ['all'] })
    const settings = (state: string) => res('PhiWall::AWS::RegionSettings', 'us-east-1', { Region: 'us-east-1', EbsSnapshotBlockPublicAccess: state })
    expect((await judge('aws/ebs-snapshot-not-public', [snap, settings('block-all-sharing')]))[0]).toMatchObject({ status: 'manual', message: expect.stringContaining('block-all-sharing') })
    // blocking only new sharing leaves existing public snapshots public
    expect((await judge('aws/ebs-snapshot-not-public', [snap, settings('block-new-sharing')]))[0]!.status).toBe('fail')
  })

  it('vpn-two-tunnels-up: a VPN still being set up is for review', async () => {
    const vpn = (state: string, tunnels: unknown[]) => [res('AWS::EC2::VPNConnection', 'vpn-0a', { Type: 'ipsec.1', State: state, PhiWallTunnels: tunnels })]
    expect((await judge('aws/vpn-two-tunnels-up', vpn('pending', [])))[0]!.status).toBe('manual')
    expect((await judge('aws/vpn-two-tunnels-up', vpn('available', [])))[0]!.status).toBe('manual')
    expect((await judge('aws/vpn-two-tunnels-up', vpn('available', [{ Status: 'UP' }, { Status: 'DOWN' }])))[0]!.status).toBe('fail')
  })

  it('ec2-stopped-instance: over the allowance by hours is over it', async () => {
    const inst = (since: string) => [res('AWS::EC2::Instance', 'i-0a', { InstanceId: 'i-0a', PhiWallState: { Name: 'stopped', Since: since } })]
    // 30 days and 23 hours before NOW
    expect((await judge('aws/ec2-stopped-instance', inst('2026-10-23T01:00:00Z')))[0]!.status).toBe('fail')
    expect((await judge('aws/ec2-stopped-instance', inst('2026-10-24T01:00:00Z')))[0]!.status).toBe('pass')
    expect((await judge('aws/ec2-stopped-instance', [res('AWS::EC2::Instance', 'i-0b', { InstanceId: 'i-0b', PhiWallState: { Name: 'stopping' } })]))[0]!.status).toBe('pass')
  })

  it('ec2-managed-by-ssm: judges running instances only', async () => {
    const inst = (state: string) => [res('AWS::EC2::Instance', 'i-0a', { InstanceId: 'i-0a', PhiWallState: { Name: state }, PhiWallSsm: { Managed: false } })]
    expect(await judge('aws/ec2-managed-by-ssm', inst('stopped'))).toEqual([])
    expect(await judge('aws/ec2-managed-by-ssm', inst('pending'))).toEqual([])
    expect((await judge('aws/ec2-managed-by-ssm', inst('running')))[0]!.status).toBe('fail')
  })

  it('ssm-document-not-public: a document of an account snapshot whose sharing is unknown is for review', async () => {
    expect((await judge('aws/ssm-document-not-public', [res('AWS::SSM::Document', 'runbook', { Name: 'runbook' })]))[0]!.status).toBe('manual')
  })

  it('igw-authorized-vpc: a live VPC is authorized by its id, never by a Name tag anyone can set', async () => {
    const rs = [res('AWS::EC2::VPC', 'vpc-0123456789abcdef0', { VpcId: 'vpc-0123456789abcdef0', Tags: [{ Key: 'Name', Value: 'shared-egress' }] }), res('AWS::EC2::VPCGatewayAttachment', 'IGW|vpc-0123456789abcdef0', { InternetGatewayId: 'igw-0d', VpcId: 'vpc-0123456789abcdef0' })]
    expect((await judge('aws/igw-authorized-vpc', rs, { authorizedVpcIds: 'shared-egress' }))[0]!.status).toBe('fail')
    expect((await judge('aws/igw-authorized-vpc', rs, { authorizedVpcIds: 'vpc-0123456789abcdef0' }))[0]!.status).toBe('pass')
    // names with spaces are accepted (a template's Name tag)
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/igw-authorized-vpc': { authorizedVpcIds: 'Shared Egress, vpc-0a' } })).toBeUndefined()
  })

  it('refuses a parameter that only an object prototype has, and a malformed value even from the library', () => {
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/acm-certificate-expiry': { constructor: '5' } })).toMatch(/has no parameter constructor/)
    const inventory = buildInventory([])
    expect(() => evaluateChecks(inventory, ALL_CHECKS, { checkParams: { 'aws/ec2-stopped-instance': { allowedDays: '30d' } } })).toThrow(/takes a whole number of days/)
  })
})
