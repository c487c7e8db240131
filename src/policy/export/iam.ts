/**
 * Least-privilege IAM policy documents for Lambda functions from the AWS API calls observed
 * for them (`set.apiCalls`, e.g. from CloudTrail): one `<name>.iam.json` per function, one
 * statement per service and resource set, actions sorted, resources exactly the observed ARNs
 * (`*` only when the observed resource is `*`).
 *
 * One infrastructure allowance is added, named as such: writing the function's own CloudWatch
 * Logs group (`PhiwallInfraLambdaLogs`), which the Lambda runtime needs and CloudTrail does not
 * show; it is added only when the function's ARN — the inventory's (identity.resourceId), else the
 * one its CloudTrail records show (`functionArn`: the execution-role session's region, account and
 * function name) — gives the region and account, otherwise a note says to keep the basic
 * execution policy.
 */
import type { ExportResult, ExportedFile, ObservedApiCall, PolicySet, WorkloadPolicy } from '../types.js'
import { Notes, inactiveNote, isActive, safeSegment, sortBy, sortFiles, sortedWorkloads, uniquePaths, uniqueSorted } from './shared.js'

export interface IamStatement {
  Sid: string
  Effect: 'Allow'
  Action: string[]
  Resource: string[]
}

export interface IamPolicyDocument {
  Version: '2012-10-17'
  Statement: IamStatement[]
}

const SERVICE = /^[a-z0-9][a-z0-9-]*$/
const ACTION = /^[A-Za-z][A-Za-z0-9]*$/
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:\S+$/
const LAMBDA_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/
/** Managed policies may hold 6,144 characters, whitespace not counted. */
export const MANAGED_POLICY_LIMIT = 6144

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('')
}

/** Observed actions and their resources, validated; problems become notes. */
function observedActions(id: string, calls: ObservedApiCall[], notes: Notes): Map<string, { service: string; action: string; resources: Set<string> }> {
  const byAction = new Map<string, { service: string; action: string; resources: Set<string> }>()
  for (const call of calls) {
    const name = `${call.service}:${call.action}`
    if (!SERVICE.test(call.service) || !ACTION.test(call.action)) {
      notes.add(id, `observed API call ${JSON.stringify(name)} is not a valid IAM action; not granted`)
      continue
    }
    const resources = (call.resources ?? []).filter((r) => {
      if (r === '*' || ARN.test(r)) return true
      notes.add(id, `${name}: resource ${JSON.stringify(r)} is not an ARN; not granted`)
      return false
    })
    if (resources.length === 0) {
      notes.add(id, `${name}: observed without a usable resource; not granted (check the CloudTrail records for its resources)`)
      continue
    }
    const entry = byAction.get(name) ?? { service: call.service, action: call.action, resources: new Set<string>() }
    for (const r of resources) entry.resources.add(r)
    byAction.set(name, entry)
  }
  return byAction
}

/** One statement per service and identical resource set. */
export function iamStatements(id: string, calls: ObservedApiCall[], notes: Notes): IamStatement[] {
  const byAction = observedActions(id, calls, notes)
  const groups = new Map<string, { service: string; resources: string[]; actions: string[] }>()
  for (const [name, entry] of byAction) {
    const resources = entry.resources.has('*') ? ['*'] : uniqueSorted(entry.resources)
    const key = `${entry.service}\u0000${resources.join('\u0000')}`
    const g = groups.get(key) ?? { service: entry.service, resources, actions: [] }
    g.actions.push(name)
    groups.set(key, g)
  }
  const statements: IamStatement[] = []
  const perService = new Map<string, number>()
  for (const g of sortBy(groups.values(), (x) => `${x.service}\u0000${uniqueSorted(x.actions)[0]}\u0000${x.resources.join(',')}`)) {
    const n = (perService.get(g.service) ?? 0) + 1
    perService.set(g.service, n)
    statements.push({ Sid: `${pascal(g.service)}${n > 1 ? n : ''}`, Effect: 'Allow', Action: uniqueSorted(g.actions), Resource: g.resources })
  }
  return statements
}

/** The function's own log group, from its ARN (the inventory's, else the one CloudTrail showed); undefined when neither is known. */
function lambdaLogsStatement(wp: WorkloadPolicy, calls: ObservedApiCall[]): IamStatement | undefined {
  const m = LAMBDA_ARN.exec(wp.identity.resourceId ?? '') ?? LAMBDA_ARN.exec(calls.find((c) => c.functionArn !== undefined)?.functionArn ?? '')
  if (!m) return undefined
  const [, partition, region, account, fn] = m
  const group = `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${fn}`
  return { Sid: 'PhiwallInfraLambdaLogs', Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [group, `${group}:*`] }
}

export function policySize(doc: IamPolicyDocument): number {
  return JSON.stringify(doc).replace(/\s+/g, '').length
}

export function exportIam(set: PolicySet): ExportResult {
  const notes = new Notes()
  const built: { wp: WorkloadPolicy; content: string }[] = []
  for (const wp of sortedWorkloads(set)) {
    const id = wp.identity.id
    const calls = Object.prototype.hasOwnProperty.call(set.apiCalls, id) ? (set.apiCalls[id] ?? []) : []
    if (wp.identity.kind !== 'function') {
      if (calls.length > 0) notes.add(id, `API calls observed for a ${wp.identity.kind}: the IAM exporter covers Lambda functions only; not exported`)
      continue
    }
    if (!isActive(wp.mode)) {
      notes.add(id, inactiveNote(wp.mode))
      continue
    }
    if (calls.length === 0) {
      notes.add(id, 'no API calls observed; keep the current role and collect CloudTrail')
      continue
    }
    const statements = iamStatements(id, calls, notes)
    if (statements.length === 0) {
      notes.add(id, 'no usable API calls observed; keep the current role and collect CloudTrail')
      continue
    }
    const logs = lambdaLogsStatement(wp, calls)
    if (logs) statements.push(logs)
    else notes.add(id, "the function's ARN is unknown (neither the inventory nor its CloudTrail records give its region and account), so its CloudWatch Logs permissions could not be scoped: keep AWSLambdaBasicExecutionRole attached")
    if ((wp.identity.securityGroups ?? []).length > 0) {
      notes.add(id, 'the function has security groups, so it is attached to a VPC: keep AWSLambdaVPCAccessExecutionRole (its network-interface actions cannot be scoped below Resource *)')
    }
    notes.add(id, `least privilege from ${calls.length} observed call record(s): actions the observation window did not see (monthly jobs, error paths) are not granted`)
    if (wp.mode === 'alert') notes.add(id, "mode 'alert': IAM has no audit mode; attaching this policy enforces it (check it against CloudTrail or IAM Access Analyzer first)")
    const doc: IamPolicyDocument = { Version: '2012-10-17', Statement: statements }
    if (policySize(doc) > MANAGED_POLICY_LIMIT) notes.add(id, `the policy has ${policySize(doc)} characters, more than a managed policy may hold (${MANAGED_POLICY_LIMIT}); split it or use an inline role policy (10,240)`)
    built.push({ wp, content: `${JSON.stringify(doc, null, 2)}\n` })
  }
  const paths = uniquePaths(built.map((b) => ({ key: b.wp.identity.id, path: `${safeSegment(b.wp.identity.name)}.iam.json` })))
  const files: ExportedFile[] = built.map((b) => ({ path: paths.get(b.wp.identity.id)!, content: b.content, workloads: [b.wp.identity.id] }))
  return { format: 'iam', files: sortFiles(files), notes: notes.list() }
}

