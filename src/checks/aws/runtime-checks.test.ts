import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { scan } from '../../scan/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const NOW = new Date('2026-11-23T00:00:00Z')
const run = async (check: string, fixture: string, params?: Record<string, string>) =>
  (await scan([path.join(here, 'testdata', check, fixture)], { only: [`aws/${check}`], now: NOW, vulnerabilities: false, ...(params ? { checkParams: { [`aws/${check}`]: params } } : {}) })).findings.map((f) => f.status)

describe('checks on what an account snapshot records at collection time', () => {
  it('ec2-stopped-instance: the allowed days are a parameter', async () => {
    expect(await run('ec2-stopped-instance', 'pass.json')).toEqual(['pass', 'pass'])
    // stopped 22 days: over a 21-day allowance, within 22
    expect(await run('ec2-stopped-instance', 'pass.json', { allowedDays: '21' })).toEqual(['pass', 'fail'])
    expect(await run('ec2-stopped-instance', 'pass.json', { allowedDays: '22' })).toEqual(['pass', 'pass'])
    expect(await run('ec2-stopped-instance', 'fail.json', { allowedDays: '365' })).toEqual(['pass'])
  })

  it('dynamodb-throughput-limit: GSIs count, on-demand tables do not, thresholds are parameters', async () => {
    expect(await run('dynamodb-throughput-limit', 'fail.json')).toEqual(['fail'])
    expect(await run('dynamodb-throughput-limit', 'fail.json', { accountRCUThresholdPercentage: '95' })).toEqual(['pass'])
    expect(await run('dynamodb-throughput-limit', 'fail.json', { accountRCUThresholdPercentage: '95', accountWCUThresholdPercentage: '50' })).toEqual(['fail'])
    expect(await run('dynamodb-throughput-limit', 'pass.json', { accountRCUThresholdPercentage: '5' })).toEqual(['pass'])
    expect(await run('dynamodb-throughput-limit', 'pass.json', { accountRCUThresholdPercentage: '4' })).toEqual(['fail'])
  })
})
