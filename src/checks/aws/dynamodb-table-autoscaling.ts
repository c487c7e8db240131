import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { subject } from './lib/judge.js'
import { describe, isObj, list, str } from './lib/values.js'

/** The ResourceId of a scalable target as a string, with references written as `${Name}`. */
function flatten(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (!isObj(v)) return undefined
  if (typeof v['Fn::Sub'] === 'string') return v['Fn::Sub']
  if (Array.isArray(v['Fn::Sub']) && typeof v['Fn::Sub'][0] === 'string') return v['Fn::Sub'][0]
  const j = v['Fn::Join']
  if (Array.isArray(j) && typeof j[0] === 'string' && Array.isArray(j[1])) return j[1].map((p) => flatten(p) ?? (isObj(p) && typeof p['Ref'] === 'string' ? `\${${p['Ref']}}` : '${?}')).join(j[0])
  if (typeof v['Ref'] === 'string') return `\${${v['Ref']}}`
  return undefined
}

/** Dimensions (`table:ReadCapacityUnits`, `index/<name>:WriteCapacityUnits`) that have a scalable target. */
function scaledDimensions(table: Resource, ctx: CheckContext): Set<string> {
  const out = new Set<string>()
  for (const st of ctx.view.ofType('AWS::ApplicationAutoScaling::ScalableTarget')) {
    if (str(st.props['ServiceNamespace']) !== 'dynamodb') continue
    const rid = st.props['ResourceId']
    const flat = flatten(rid)
    const byRef = ctx.view.refs(rid, st).includes(table)
    const m = flat ? /^table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(flat) : null
    if (!byRef && !(m && (m[1] === table.name || m[1] === table.sourceId))) continue
    const dim = str(st.props['ScalableDimension'])?.replace(/^dynamodb:/, '')
    if (!dim) continue
    const unit = dim.split(':')[1]
    out.add(m?.[2] ? `index/${m[2]}:${unit}` : `table:${unit}`)
  }
  return out
}

/** Provisioned tables follow demand instead of throttling clinicians when traffic spikes. */
export default defineCheck({
  id: 'aws/dynamodb-table-autoscaling',
  title: 'Provisioned DynamoDB table scales its capacity automatically',
  severity: 'low',
  resourceKinds: ['aws:dynamodb:table'],
  rationale:
    'A table with fixed provisioned capacity throttles reads and writes once traffic exceeds it: during a surge (a clinic opening, a batch import) requests for patient records fail, which is an availability failure of ePHI. On-demand billing or Application Auto Scaling on the table and each global secondary index keeps capacity in step with load.',
  remediation: {
    text: 'Use BillingMode PAY_PER_REQUEST, or add Application Auto Scaling targets and target-tracking policies for read and write capacity of the table and every global secondary index.',
    cloudformation:
      'ReadTarget: { Type: AWS::ApplicationAutoScaling::ScalableTarget, Properties: { ServiceNamespace: dynamodb, ResourceId: !Sub "table/${PatientsTable}", ScalableDimension: "dynamodb:table:ReadCapacityUnits", MinCapacity: 5, MaxCapacity: 200 } }',
    terraform: 'billing_mode = "PAY_PER_REQUEST"',
  },
  controls: { csf: ['PR.DS-4', 'PR.PT-5'], hipaa: ['164.308(a)(7)(ii)(C)', '164.308(a)(7)(ii)(B)'], ferpa: ['FERPA-DATA-BACKUP', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['DYNAMODB_AUTOSCALING_ENABLED'], cdkNag: ['HIPAA.Security-DynamoDBAutoScalingEnabled'], prowler: ['dynamodb_table_autoscaling_enabled'] },
  evaluate(table, ctx) {
    const mode = table.props['BillingMode']
    const m = mode === undefined ? 'PROVISIONED' : str(mode)?.toUpperCase()
    if (m === undefined) return manual(`${subject(table)} takes BillingMode from ${describe(mode)}, unknown at scan time.`, { path: 'BillingMode' })
    if (m === 'PAY_PER_REQUEST') return pass(`${subject(table)} uses on-demand capacity.`)
    const scaled = scaledDimensions(table, ctx)
    const needed = ['table:ReadCapacityUnits', 'table:WriteCapacityUnits']
    for (const gsi of list(table.props['GlobalSecondaryIndexes'])) {
      const name = isObj(gsi) ? str(gsi['IndexName']) : undefined
      if (name) needed.push(`index/${name}:ReadCapacityUnits`, `index/${name}:WriteCapacityUnits`)
    }
    const missing = needed.filter((d) => !scaled.has(d))
    if (!missing.length) return pass(`${subject(table)} has auto scaling on read and write capacity of the table and its indexes.`)
    return fail(`${subject(table)} uses provisioned capacity without auto scaling for ${missing.map((d) => d.replace(':', ' ')).join(', ')}.`, {
      path: mode === undefined ? 'ProvisionedThroughput' : 'BillingMode',
      evidence: { missing },
    })
  },
})
