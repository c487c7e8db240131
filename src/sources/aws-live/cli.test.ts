import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../cli/main.js'
import type { Finding } from '../../model/index.js'
import { snapshotSchema } from '../aws-snapshot/index.js'
import { loadRecordings, replay, type RecordedCall } from './testdata/replay.js'

const DIR = fileURLToPath(new URL('./testdata/clinic-prod', import.meta.url))

let tmp: string
let restore: () => void = () => undefined
let stdout: string
let stderr: string

/** The recording without its waits (report generation, a throttled read): the CLI sleeps for real. */
async function mock(edit?: (r: Record<string, RecordedCall[]>) => void): Promise<void> {
  const r = loadRecordings(DIR)
  r['iam'] = r['iam']!.map((c) => (c.command === 'GenerateCredentialReport' ? { command: c.command, output: { State: 'COMPLETE' } } : c))
  r['cloudcontrol'] = r['cloudcontrol']!.map((c) => (c.responses ? { ...c, responses: c.responses.slice(-1) } : c))
  edit?.(r)
  ;({ restore } = await replay(r))
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-collect-'))
  stdout = ''
  stderr = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true))
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true))
})
afterEach(() => {
  vi.restoreAllMocks()
  restore()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('phiwall collect aws', () => {
  it('writes a 0600 snapshot that phiwall scan reads, and reports partial failures', async () => {
    await mock()
    const out = path.join(tmp, 'clinic-prod.json')
    const code = await main(['collect', 'aws', '--regions', 'us-east-1,us-west-2', '--out', out])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Snapshot of account 123456789012 \(clinic-prod\) in us-east-1, us-west-2: \d+ resources, 7 kinds of call failed/)
    expect(stderr).toContain('Reading account 123456789012 (clinic-prod) in us-east-1, us-west-2; read-only calls.')
    expect(stderr).toContain('failed: cloudcontrol:ListResources AWS::ElastiCache::ReplicationGroup in us-east-1 (UnsupportedActionException)')
    if (process.platform !== 'win32') expect(fs.statSync(out).mode & 0o777).toBe(0o600)
    const snap = snapshotSchema.parse(JSON.parse(fs.readFileSync(out, 'utf8')))
    expect(snap.accountAlias).toBe('clinic-prod')

    stdout = ''
    const scanCode = await main(['scan', out, '--format', 'json', '--fail-on', 'none', '--no-progress', '--only', 'aws/lambda-function-public-access'])
    expect(scanCode).toBe(0)
    const result = JSON.parse(stdout) as { findings: Finding[]; files: { status: string; format: string }[] }
    expect(result.files).toEqual([expect.objectContaining({ status: 'ok', format: 'aws-snapshot' })])
    expect(result.findings.filter((f) => f.status === 'fail').map((f) => f.message).sort()).toEqual([
      'Lambda function intake-api can be invoked by any AWS account (permission intake-api/partner-invoke grants Principal "*" with no source condition).',
      'Lambda function report-export can be invoked by anyone through its unauthenticated function URL (permission report-export/FunctionURLAllowPublicAccess).',
    ])
  })

  it('takes the account alias from --alias', async () => {
    await mock()
    const out = path.join(tmp, 'snap.json')
    expect(await main(['collect', 'aws', '--regions', 'us-east-1', '--alias', 'clinic-staging', '--out', out])).toBe(0)
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).accountAlias).toBe('clinic-staging')
  })

  it('exits 2 with the credentials remediation when there are no credentials', async () => {
    await mock((r) => {
      r['sts'] = [{ command: 'GetCallerIdentity', error: { name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' } }]
    })
    const out = path.join(tmp, 'snap.json')
    expect(await main(['collect', 'aws', '--regions', 'us-east-1', '--profile', 'clinic-prod', '--out', out])).toBe(2)
    expect(stderr).toContain('[PW_ERR_AWS_CREDENTIALS]')
    expect(stderr).toContain('for profile clinic-prod')
    expect(stderr).toMatch(/aws configure/)
    expect(fs.existsSync(out)).toBe(false)
  })

  it('exits 2 when every call was refused', async () => {
    await mock((r) => {
      const denied = { error: { name: 'AccessDeniedException', message: 'not authorized' } }
      for (const service of Object.keys(r)) if (service !== 'sts') r[service] = [{ command: r[service]![0]!.command, ...denied }]
      for (const [service, commands] of Object.entries({
        cloudcontrol: ['GetResource'],
        iam: ['ListAccountAliases', 'GetAccountPasswordPolicy', 'GetAccountSummary', 'GenerateCredentialReport', 'ListVirtualMFADevices'],
        s3: ['ListBuckets'],
        ec2: ['GetEbsEncryptionByDefault', 'GetEbsDefaultKmsKeyId'],
        guardduty: ['ListDetectors'],
        securityhub: ['DescribeHub'],
        config: ['DescribeConfigurationRecorders', 'DescribeConfigurationRecorderStatus'],
        cloudtrail: ['DescribeTrails'],
      })) {
        r[service] = [...(r[service] ?? []), ...commands.map((command) => ({ command, ...denied }))]
      }
    })
    const out = path.join(tmp, 'snap.json')
    expect(await main(['collect', 'aws', '--regions', 'us-east-1', '--out', out])).toBe(2)
    expect(stdout).toContain(': 0 resources,')
    expect(stderr).toContain('the account could not be read: every call failed [PW_ERR_AWS_API]')
  })

  it('documents its options', async () => {
    expect(await main(['collect', 'aws', '--help'])).toBe(0)
    for (const option of ['--profile', '--regions', '--out', '--alias']) expect(stdout).toContain(option)
  })

  it('rejects a bad region list as a usage error', async () => {
    await mock()
    expect(await main(['collect', 'aws', '--regions', 'us-east-1,not a region', '--out', path.join(tmp, 's.json')])).toBe(2)
    expect(stderr).toContain('[PW_ERR_USAGE]')
  })
})
