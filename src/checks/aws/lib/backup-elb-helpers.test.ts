import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { InventoryView } from '../../../inventory/index.js'
import type { Resource } from '../../../model/index.js'
import { scan } from '../../../scan/index.js'
import { ALL_CHECKS } from '../../index.js'
import type { CheckContext } from '../../types.js'
import { scheduleIntervalHours } from '../backup-plan-min-frequency-retention.js'
import { tls12Policy } from '../elb-tls-policy.js'
import { selectionCovers } from './backup.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = (check: string, file: string): string => path.join(here, '..', 'testdata', check, file)

function resource(over: Partial<Resource> & Pick<Resource, 'type' | 'sourceId'>): Resource {
  return {
    id: `${over.type}#${over.sourceId}`,
    kind: 'k',
    provider: 'aws',
    name: over.sourceId,
    origin: 'cloudformation',
    environment: 'prod',
    labels: {},
    holdsPhi: 'unknown',
    evidence: { phi: [], environment: [] },
    location: { file: 't.yaml', line: 1 },
    props: {},
    propLines: {},
    stack: 't.yaml',
    dependsOn: [],
    ...over,
  }
}

function ctxOf(resources: Resource[]): CheckContext {
  return { view: new InventoryView({ resources, edges: [] }), now: new Date('2026-11-23T00:00:00Z'), params: {} }
}

describe('AWS Backup selection matching', () => {
  const table = resource({ type: 'AWS::DynamoDB::Table', sourceId: 'Patients', props: { TableName: 'clinic-prod-patients' }, labels: { 'backup-plan': 'daily' } })
  const generated = resource({ type: 'AWS::DynamoDB::Table', sourceId: 'Notes' })
  const db = resource({ type: 'AWS::RDS::DBInstance', sourceId: 'Ehr', props: { DBInstanceIdentifier: 'clinic-prod-ehr' } })
  const sel = (bs: Record<string, unknown>): Resource => resource({ type: 'AWS::Backup::BackupSelection', sourceId: 'Sel', props: { BackupSelection: bs } })
  const ctx = ctxOf([table, generated, db])

  it('matches ARN patterns against declared names and leaves generated names undecided', () => {
    const s = sel({ Resources: ['arn:aws:dynamodb:*:*:table/clinic-prod-*'] })
    expect(selectionCovers(s, table, ctx)).toBe('yes')
    expect(selectionCovers(s, generated, ctx)).toBe('unknown')
    expect(selectionCovers(s, db, ctx)).toBe('no')
    expect(selectionCovers(sel({ Resources: ['arn:aws:dynamodb:*:*:table/*'] }), generated, ctx)).toBe('yes')
    expect(selectionCovers(sel({ Resources: ['*'] }), db, ctx)).toBe('yes')
  })

  it('treats pseudo parameters in Fn::Sub as wildcards and other parameters as unknown', () => {
    expect(selectionCovers(sel({ Resources: [{ 'Fn::Sub': 'arn:aws:rds:${AWS::Region}:${AWS::AccountId}:db:clinic-prod-ehr' }] }), db, ctx)).toBe('yes')
    expect(selectionCovers(sel({ Resources: [{ Ref: 'SomeParameter' }] }), db, ctx)).toBe('unknown')
  })

  it('ORs ListOfTags with Resources, ANDs Conditions and subtracts NotResources', () => {
    expect(selectionCovers(sel({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup-plan', ConditionValue: 'daily' }] }), table, ctx)).toBe('yes')
    expect(selectionCovers(sel({ ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'backup-plan', ConditionValue: 'weekly' }] }), table, ctx)).toBe('no')
    const cond = { Resources: ['*'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup-plan', ConditionValue: 'daily' }] } }
    expect(selectionCovers(sel(cond), table, ctx)).toBe('yes')
    expect(selectionCovers(sel(cond), db, ctx)).toBe('no')
    expect(selectionCovers(sel({ Resources: ['*'], NotResources: ['arn:aws:rds:*:*:db:*'] }), db, ctx)).toBe('no')
  })
})

describe('backup schedule frequency', () => {
  it('reads cron and rate expressions', () => {
    expect(scheduleIntervalHours('cron(0 5 ? * * *)')).toBe(24)
    expect(scheduleIntervalHours('cron(0 */6 * * ? *)')).toBe(24)
    expect(scheduleIntervalHours('cron(0 5 ? * SUN *)')).toBe(168)
    expect(scheduleIntervalHours('cron(0 5 1 * ? *)')).toBeGreaterThan(24)
    expect(scheduleIntervalHours('rate(12 hours)')).toBe(12)
    expect(scheduleIntervalHours('rate(7 days)')).toBe(168)
    expect(scheduleIntervalHours('daily')).toBeUndefined()
  })
})

describe('ELB TLS policies', () => {
  it('accepts TLS 1.2+ policy families only', () => {
    expect(tls12Policy('ELBSecurityPolicy-TLS13-1-2-2021-06')).toBe(true)
    expect(tls12Policy('ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09')).toBe(true)
    expect(tls12Policy('ELBSecurityPolicy-TLS-1-2-Ext-2018-06')).toBe(true)
    expect(tls12Policy('ELBSecurityPolicy-FS-1-2-Res-2020-10')).toBe(true)
    expect(tls12Policy('ELBSecurityPolicy-2016-08')).toBe(false)
    expect(tls12Policy('ELBSecurityPolicy-TLS13-1-1-2021-06')).toBe(false)
    expect(tls12Policy('ELBSecurityPolicy-TLS-1-1-2017-01')).toBe(false)
  })
})

describe('branches the catalog fixtures do not cover', () => {
  const cases: [string, string, 'pass' | 'fail' | 'manual'][] = [
    ['dynamodb-in-backup-plan', 'manual-param.yaml', 'manual'],
    ['rds-instance-public-access', 'manual-subnet-group.yaml', 'manual'],
    ['rds-storage-encrypted', 'manual-snapshot.yaml', 'manual'],
    ['ec2-ebs-encrypted', 'manual-default.yaml', 'manual'],
  ]
  it.each(cases)('%s %s gives %s', async (check, file, status) => {
    const c = ALL_CHECKS.find((x) => x.id === `aws/${check}`)!
    const r = await scan([fixture(check, file)], { checks: [c], now: new Date('2026-11-23T00:00:00Z') })
    expect(r.files[0]?.status).toBe('ok')
    const mine = r.findings.filter((f) => f.checkId === c.id)
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.map((f) => f.status)).toEqual(mine.map(() => status))
  })

  it('never puts a credential value in CodeBuild findings', async () => {
    const c = ALL_CHECKS.find((x) => x.id === 'aws/codebuild-envvar-no-aws-credentials')!
    const r = await scan([fixture('codebuild-envvar-no-aws-credentials', 'fail.yaml')], { checks: [c] })
    const text = JSON.stringify(r.findings)
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE')
    expect(text).not.toContain('wJalrXUtnFEMI')
  })
})
