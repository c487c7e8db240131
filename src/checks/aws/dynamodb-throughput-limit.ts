import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { isObj, list, num, str } from './lib/values.js'

/** Provisioned read and write capacity of a table, its global secondary indexes included; 0 on demand. */
function provisioned(t: Resource): { read: number; write: number } {
  if (str(t.props['BillingMode']) === 'PAY_PER_REQUEST') return { read: 0, write: 0 }
  let read = 0
  let write = 0
  const add = (p: unknown): void => {
    if (!isObj(p)) return
    read += num(p['ReadCapacityUnits']) ?? 0
    write += num(p['WriteCapacityUnits']) ?? 0
  }
  add(t.props['ProvisionedThroughput'])
  for (const g of list(t.props['GlobalSecondaryIndexes'])) if (isObj(g)) add(g['ProvisionedThroughput'])
  return { read, write }
}

function tablesOfRegion(settings: Resource, ctx: CheckContext): Resource[] {
  const region = str(settings.props['Region'])
  return ctx.view.ofType('AWS::DynamoDB::Table').filter((t) => t.origin === 'aws-snapshot' && t.region === region && t.account === settings.account)
}

const pct = /^(?:[1-9]\d?|100)$/

/** The account's provisioned DynamoDB throughput in a region stays below the share of its limit the organisation allows. */
export default defineCheck({
  id: 'aws/dynamodb-throughput-limit',
  title: "Provisioned DynamoDB throughput is below the account's limit",
  severity: 'low',
  resourceKinds: ['aws:account:region-settings'],
  rationale:
    "DynamoDB refuses to raise a table's provisioned capacity once the account's per-Region limit is reached. Close to the limit, the next scale-up — an intake surge, a claims backfill, an auto-scaling step — fails, and requests to PHI tables are throttled: an availability failure of ePHI systems, which HIPAA's contingency plan covers.",
  remediation: {
    text: "Request a higher account limit (Service Quotas: DynamoDB 'Account-level read/write throughput limit'), move spiky tables to on-demand capacity, or lower over-provisioned tables.",
    cli: 'aws dynamodb describe-limits\naws service-quotas request-service-quota-increase --service-code dynamodb --quota-code L-F98FE922 --desired-value <rcu>',
  },
  controls: { csf: ['PR.DS-4'], hipaa: ['164.308(a)(7)(ii)(B)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['DYNAMODB_THROUGHPUT_LIMIT_CHECK'] },
  parameters: {
    accountRCUThresholdPercentage: { description: "Share of the account's read capacity limit provisioned tables may use (AWS Config's accountRCUThresholdPercentage).", default: '80', pattern: pct, form: 'a percentage, 1 to 100' },
    accountWCUThresholdPercentage: { description: "Share of the account's write capacity limit provisioned tables may use (AWS Config's accountWCUThresholdPercentage).", default: '80', pattern: pct, form: 'a percentage, 1 to 100' },
  },
  // the limits are in an account snapshot (dynamodb:DescribeLimits)
  appliesTo: (r) => num(r.props['DynamoDbAccountMaxReadCapacityUnits']) !== undefined || num(r.props['DynamoDbAccountMaxWriteCapacityUnits']) !== undefined,
  evaluate(settings, ctx) {
    if (settings.props['DynamoDbTablesRead'] === false) return manual(`Region ${str(settings.props['Region']) ?? settings.name}: the collector could not read every DynamoDB table, so the provisioned throughput cannot be added up.`)
    const tables = tablesOfRegion(settings, ctx)
    const used = tables.map(provisioned).reduce((a, b) => ({ read: a.read + b.read, write: a.write + b.write }), { read: 0, write: 0 })
    const region = str(settings.props['Region']) ?? settings.name
    const over: string[] = []
    const parts: string[] = []
    for (const [kind, units, limitKey, param] of [
      ['read', used.read, 'DynamoDbAccountMaxReadCapacityUnits', 'accountRCUThresholdPercentage'],
      ['write', used.write, 'DynamoDbAccountMaxWriteCapacityUnits', 'accountWCUThresholdPercentage'],
    ] as const) {
      const limit = num(settings.props[limitKey])
      if (limit === undefined || limit <= 0) continue
      const share = (units / limit) * 100
      const allowed = Number(ctx.params[param] ?? 80)
      const text = `${units} of ${limit} ${kind} capacity units (${share.toFixed(1)} %, ${allowed} % allowed)`
      parts.push(text)
      if (share > allowed) over.push(text)
    }
    if (over.length) return fail(`Region ${region}: provisioned DynamoDB tables use ${over.join(' and ')} of the account's limit.`, { evidence: { tables: tables.length, read: used.read, write: used.write } })
    return pass(`Region ${region}: provisioned DynamoDB tables use ${parts.join(' and ')} of the account's limit.`, { tables: tables.length })
  },
})
