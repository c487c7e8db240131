import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildInventory } from '../../inventory/index.js'
import { collect } from '../../sources/index.js'
import { evaluateChecks } from '../evaluate.js'
import check from './acm-certificate-expiry.js'

const NOW = new Date('2026-11-23T00:00:00Z')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-acm-'))
let n = 0

/** The check's results on one certificate of a CloudFormation template with these properties. */
async function judge(props: Record<string, unknown>): Promise<{ status: string; message: string }[]> {
  const file = path.join(dir, `t${n++}.json`)
  fs.writeFileSync(file, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Parameters: { Method: { Type: 'String' } }, Resources: { Cert: { Type: 'AWS::CertificateManager::Certificate', Properties: props } } }, null, 2))
  const collected = await collect([file], {})
  return evaluateChecks(buildInventory(collected.documents, {}), [check], { now: NOW }).map((f) => ({ status: f.status, message: f.message }))
}

const live = (c: Record<string, unknown>) => judge({ DomainName: 'portal.clinic.example', PhiWallCertificate: c })

describe('aws/acm-certificate-expiry', async () => {
  it('fails an expired certificate, and one within 14 days of expiry, saying why it did not renew', async () => {
    expect((await live({ Type: 'AMAZON_ISSUED', NotAfter: '2026-11-22T23:59:59Z' }))[0]).toMatchObject({ status: 'fail', message: expect.stringContaining('expired on 2026-11-22') })
    expect((await live({ Type: 'AMAZON_ISSUED', NotAfter: '2026-12-06T00:00:00Z', InUse: true }))[0]).toMatchObject({ status: 'fail', message: expect.stringMatching(/in 13 days: ACM has not managed to renew it .* It is in use\.$/) })
    expect((await live({ Type: 'IMPORTED', NotAfter: '2026-11-24T12:00:00Z' }))[0]).toMatchObject({ status: 'fail', message: expect.stringContaining('in 1 day: an imported certificate') })
  })

  it('passes a certificate 14 days or more from expiry, and says who renews it', async () => {
    expect((await live({ Type: 'AMAZON_ISSUED', NotAfter: '2026-12-07T00:00:00Z' }))[0]).toMatchObject({ status: 'pass', message: expect.stringContaining('in 14 days; ACM renews it') })
    expect((await live({ Type: 'IMPORTED', NotAfter: '2027-05-01T00:00:00Z' }))[0]).toMatchObject({ status: 'pass', message: expect.stringContaining('someone must import its renewal') })
  })

  it('judges a template certificate by whether ACM renews it alone', async () => {
    expect((await judge({ DomainName: 'a.example', ValidationMethod: 'DNS' }))[0]!.status).toBe('pass')
    expect((await judge({ DomainName: 'a.example', CertificateAuthorityArn: 'arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/x' }))[0]!.status).toBe('pass')
    expect((await judge({ DomainName: 'a.example', ValidationMethod: 'EMAIL' }))[0]).toMatchObject({ status: 'manual', message: expect.stringContaining('approves the renewal email') })
    // CloudFormation validates by email when ValidationMethod is not set
    expect((await judge({ DomainName: 'a.example' }))[0]).toMatchObject({ status: 'manual', message: expect.stringContaining('the default when ValidationMethod is not set') })
    expect((await judge({ DomainName: 'a.example', ValidationMethod: { Ref: 'Method' } }))[0]!.status).toBe('manual')
  })

  it('does not read a malformed expiry date as any date', async () => {
    expect((await live({ Type: 'IMPORTED', NotAfter: 'next year' }))[0]).toMatchObject({ status: 'manual', message: expect.stringContaining('not a date') })
  })
})
