import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scan } from '../../scan/index.js'
import { checkParamsProblem } from '../evaluate.js'
import { ALL_CHECKS } from '../index.js'
import check from './igw-authorized-vpc.js'

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata/igw-authorized-vpc/fail.yaml')
const run = async (authorizedVpcIds?: string) => {
  const r = await scan([fixture], { checks: [check], ...(authorizedVpcIds === undefined ? {} : { checkParams: { [check.id]: { authorizedVpcIds } } }) })
  return r.findings.map((f) => ({ status: f.status, message: f.message }))
}

describe('aws/igw-authorized-vpc', () => {
  it('fails a gateway on a VPC off the list, naming the PHI workloads in it; passes the listed one; ignores VPN gateways', async () => {
    const f = await run('EgressVpc')
    expect(f.map((x) => x.status).sort()).toEqual(['fail', 'pass'])
    expect(f.find((x) => x.status === 'fail')!.message).toBe('Internet gateway ClaimsGateway is attached to VPC ClaimsVpc, which is not on the list of 1 authorized VPC. PHI workloads run in it (aws:lambda:function ClaimsWorker).')
  })

  it('matches the list by logical id, Name tag or id', async () => {
    expect((await run('claims-processing, shared-egress')).map((x) => x.status)).toEqual(['pass', 'pass'])
    expect((await run('vpc-0123456789abcdef0')).map((x) => x.status)).toEqual(['fail', 'fail'])
  })

  it('lists every attached gateway for review when no list is given, as AWS Config without the parameter', async () => {
    const f = await run()
    expect(f.map((x) => x.status)).toEqual(['manual', 'manual'])
    expect(f[1]!.message).toContain('--check-param aws/igw-authorized-vpc.authorizedVpcIds=')
  })

  it('refuses parameters that do not exist or have the wrong form', () => {
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/igw-authorized-vpc': { authorizedVpcIds: 'vpc-1,vpc-2' } })).toBeUndefined()
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/igw-authorized-vpcs': { authorizedVpcIds: 'vpc-1' } })).toBe('No check aws/igw-authorized-vpcs.')
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/igw-authorized-vpc': { vpcIds: 'vpc-1' } })).toBe('Check aws/igw-authorized-vpc has no parameter vpcIds (it has: authorizedVpcIds).')
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/s3-bucket-versioning': { x: '1' } })).toBe('Check aws/s3-bucket-versioning has no parameter x (it takes none).')
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/acm-certificate-expiry': { daysToExpiration: '0' } })).toMatch(/takes a whole number of days, 1 to 9999; got "0"/)
    expect(checkParamsProblem(ALL_CHECKS, { 'aws/igw-authorized-vpc': { authorizedVpcIds: 'vpc-1;rm -rf' } })).toMatch(/takes VPC ids or names/)
  })
})
