import type { Resource } from '../../../model/index.js'
import { fail, manual, pass } from '../../define-check.js'
import type { CheckContext, CheckResult } from '../../types.js'
import { subject } from './judge.js'
import { at, isObj, isUnknown, list, str } from './values.js'

/** Tri-state answer: covered, not covered, or not decidable from what was scanned. */
export type Tri = 'yes' | 'no' | 'unknown'

const or = (a: Tri, b: Tri): Tri => (a === 'yes' || b === 'yes' ? 'yes' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'no')
const and = (a: Tri, b: Tri): Tri => (a === 'no' || b === 'no' ? 'no' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes')
const not = (a: Tri): Tri => (a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'unknown')

/** How AWS Backup names a resource type in ARNs: service, resource prefix, and the property holding the name. */
const ARN_SHAPES: Record<string, { service: string; prefix: string; nameProp?: string }> = {
  'AWS::DynamoDB::Table': { service: 'dynamodb', prefix: 'table/', nameProp: 'TableName' },
  'AWS::DynamoDB::GlobalTable': { service: 'dynamodb', prefix: 'table/', nameProp: 'TableName' },
  'AWS::RDS::DBInstance': { service: 'rds', prefix: 'db:', nameProp: 'DBInstanceIdentifier' },
  'AWS::RDS::DBCluster': { service: 'rds', prefix: 'cluster:', nameProp: 'DBClusterIdentifier' },
  'AWS::EC2::Volume': { service: 'ec2', prefix: 'volume/' },
  'AWS::EC2::Instance': { service: 'ec2', prefix: 'instance/' },
  'AWS::EFS::FileSystem': { service: 'elasticfilesystem', prefix: 'file-system/' },
}

const PSEUDO = /\$\{AWS::(Region|AccountId|Partition|URLSuffix)\}/g

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
}

/** Does an ARN pattern (with `*` wildcards) select the resource? */
function patternSelects(pattern: string, r: Resource): Tri {
  if (pattern === '*') return 'yes'
  const shape = ARN_SHAPES[r.type]
  if (!shape) return 'no'
  const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/.exec(pattern)
  if (!m) return 'no'
  const [, , service, region, account, resource] = m
  if (!glob(service!).test(shape.service)) return 'no'
  // a template is deployed to an account and region unknown at scan time: only a live ARN can rule them out
  if (r.region && !glob(region!).test(r.region)) return 'no'
  if (r.account && !glob(account!).test(r.account)) return 'no'
  const live = r.arn ? /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.*)$/.exec(r.arn)?.[1] : undefined
  const declared = shape.nameProp ? str(r.props[shape.nameProp]) : undefined
  const own = live ?? (declared && !isUnknown(declared) ? `${shape.prefix}${declared}` : undefined)
  const re = glob(resource!)
  if (own) return re.test(own) ? 'yes' : 'no'
  // the name is generated at deploy time: a pattern that selects every name of the type covers it,
  // one that names another resource type does not, and anything narrower cannot be decided
  if (re.test(`${shape.prefix}phiwall-probe-a`) && re.test(`${shape.prefix}zz0-other-name`)) return 'yes'
  return resource!.startsWith(shape.prefix) || resource!.startsWith('*') ? 'unknown' : 'no'
}

/** Does one entry of `Resources` / `NotResources` select the resource? */
function entrySelects(entry: unknown, sel: Resource, r: Resource, ctx: CheckContext): Tri {
  if (ctx.view.refs(entry, sel).includes(r)) return 'yes'
  let s: string | undefined = typeof entry === 'string' ? entry : undefined
  if (!s && isObj(entry) && typeof entry['Fn::Sub'] === 'string') {
    const sub = (entry['Fn::Sub'] as string).replace(PSEUDO, '*')
    // other variables are references (handled above) or parameters unknown at scan time
    if (/\$\{[^}]+\}/.test(sub)) return ctx.view.refs(entry, sel).length ? 'no' : 'unknown'
    s = sub
  }
  if (s === undefined) return ctx.view.refs(entry, sel).length ? 'no' : 'unknown'
  return patternSelects(s, r)
}

function tagEquals(r: Resource, key: unknown, value: unknown, like: boolean): Tri {
  if (isUnknown(key) || isUnknown(value) || typeof key !== 'string' || typeof value !== 'string') return 'unknown'
  const k = key.replace(/^aws:ResourceTag\//, '')
  const v = r.labels[k]
  if (v === undefined) return 'no'
  return (like ? glob(value).test(v) : v === value) ? 'yes' : 'no'
}

/** Does one `AWS::Backup::BackupSelection` select the resource? */
export function selectionCovers(sel: Resource, r: Resource, ctx: CheckContext): Tri {
  const bs = sel.props['BackupSelection']
  if (!isObj(bs)) return isUnknown(bs) ? 'unknown' : 'no'
  let base: Tri = 'no'
  for (const e of list(bs['Resources'])) base = or(base, entrySelects(e, sel, r, ctx))
  // ListOfTags: any one tag condition selects (OR)
  for (const t of list(bs['ListOfTags'])) if (isObj(t)) base = or(base, tagEquals(r, t['ConditionKey'], t['ConditionValue'], false))
  if (base === 'no') return 'no'
  // Conditions narrow the selection: every condition must hold (AND)
  const cond = bs['Conditions']
  if (isObj(cond)) {
    for (const [op, items] of Object.entries(cond)) {
      for (const c of list(items)) {
        if (!isObj(c)) continue
        const like = /Like$/.test(op)
        const t = tagEquals(r, c['ConditionKey'], c['ConditionValue'], like)
        base = and(base, /^StringNot/.test(op) ? not(t) : t)
      }
    }
  }
  for (const e of list(bs['NotResources'])) if (entrySelects(e, sel, r, ctx) === 'yes') return 'no'
  return base
}

/** What protects a resource: the selection (or setting) that covers it, or why that is unknown. */
export interface BackupCoverage {
  state: Tri
  by?: string
  unknownBy?: string[]
}

/** Coverage of a resource by every backup selection in the inventory (and EFS automatic backups). */
export function backupCoverage(r: Resource, ctx: CheckContext, depth = 0): BackupCoverage {
  if (r.type === 'AWS::EFS::FileSystem' && String(at(r.props, 'BackupPolicy.Status') ?? '').toUpperCase() === 'ENABLED') {
    return { state: 'yes', by: 'EFS automatic backups (BackupPolicy ENABLED)' }
  }
  const unknownBy: string[] = []
  for (const sel of ctx.view.ofType('AWS::Backup::BackupSelection')) {
    const s = selectionCovers(sel, r, ctx)
    if (s === 'yes') return { state: 'yes', by: `backup selection ${sel.name}` }
    if (s === 'unknown') unknownBy.push(sel.name)
  }
  // backing up an instance snapshots the volumes attached to it
  if (r.type === 'AWS::EC2::Volume' && depth === 0) {
    for (const inst of ctx.view.related(r, { direction: 'out', kinds: ['attached'], types: ['AWS::EC2::Instance'] })) {
      const c = backupCoverage(inst, ctx, 1)
      if (c.state === 'yes') return { state: 'yes', by: `instance ${inst.name} (${c.by ?? 'backup plan'})` }
      if (c.state === 'unknown') unknownBy.push(`instance ${inst.name}`)
    }
  }
  return unknownBy.length ? { state: 'unknown', unknownBy } : { state: 'no' }
}

/** The result of a `*-in-backup-plan` check for one resource. */
export function backupPlanResult(r: Resource, ctx: CheckContext): CheckResult {
  const c = backupCoverage(r, ctx)
  if (c.state === 'yes') return pass(`${subject(r)} is protected by ${c.by}.`)
  if (c.state === 'unknown') {
    return manual(`${subject(r)} may be selected by ${c.unknownBy!.join(', ')}, whose resource list or tags are unknown at scan time.`, { evidence: { selections: c.unknownBy } })
  }
  const selections = ctx.view.ofType('AWS::Backup::BackupSelection').length
  return fail(
    selections
      ? `${subject(r)} is not selected by any of the ${selections} AWS Backup selection${selections > 1 ? 's' : ''} scanned.`
      : `${subject(r)} is not in any AWS Backup plan: no backup selection was found in the scanned inputs.`,
    { evidence: { selectionsScanned: selections, tags: Object.keys(r.labels).slice(0, 10) } },
  )
}
