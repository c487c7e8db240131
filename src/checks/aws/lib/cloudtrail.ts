import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { bool, isObj, isUnknown, list, str } from './values.js'

/**
 * Is a trail recording? IsLogging is required in CloudFormation, so a template without it
 * deploys no logging trail; other origins that omit it leave the answer unknown.
 */
export function trailLogging(trail: Resource): boolean | undefined {
  const template = trail.origin === 'cloudformation' || trail.origin === 'sam' || trail.origin === 'serverless'
  return bool(trail.props['IsLogging'], template ? false : undefined)
}

/** Is a trail multi-Region and logging? */
export function multiRegionLogging(trail: Resource): boolean | undefined {
  const mr = bool(trail.props['IsMultiRegionTrail'], false)
  const on = trailLogging(trail)
  if (mr === undefined || on === undefined) return undefined
  return mr && on
}

/** Which S3 objects a trail records data events for, and whether reads and writes are both recorded. */
export interface S3DataCoverage {
  /** Every bucket in the account. */
  all: { read: boolean; write: boolean }
  /** Buckets selected by name or reference, with the event kinds recorded. */
  buckets: Map<Resource | string, { read: boolean; write: boolean }>
  /** A selector value PhiWall cannot read (a parameter, an import). */
  unknown: boolean
}

function bucketKey(value: unknown, trail: Resource, ctx: CheckContext): (Resource | string)[] | 'all' | undefined {
  if (typeof value === 'string') {
    if (value === 'arn:aws:s3' || value === 'arn:aws:s3:::' || value === 'arn:aws:s3:::*' || value === 'arn:aws:s3:::*/*') return 'all'
    const m = /^arn:[^:]+:s3:::([^/]+)/.exec(value)
    if (!m) return []
    const named = ctx.view.named(m[1]!, 'AWS::S3::Bucket', trail)
    return named.length ? named : [m[1]!]
  }
  const refs = ctx.view.refs(value, trail).filter((r) => r.type === 'AWS::S3::Bucket')
  if (refs.length) return refs
  return isUnknown(value) ? undefined : []
}

/** S3 object-level (data event) coverage of a trail, from EventSelectors or AdvancedEventSelectors. */
export function s3DataCoverage(trail: Resource, ctx: CheckContext): S3DataCoverage {
  const cov: S3DataCoverage = { all: { read: false, write: false }, buckets: new Map(), unknown: false }
  const mark = (key: (Resource | string)[] | 'all' | undefined, read: boolean, write: boolean): void => {
    if (key === undefined) {
      cov.unknown = true
      return
    }
    const targets = key === 'all' ? [cov.all] : key.map((k) => cov.buckets.get(k) ?? cov.buckets.set(k, { read: false, write: false }).get(k)!)
    for (const t of targets) {
      t.read ||= read
      t.write ||= write
    }
  }
  for (const sel of list(trail.props['EventSelectors'])) {
    if (!isObj(sel)) continue
    const rw = (str(sel['ReadWriteType']) ?? 'All').toLowerCase()
    const read = rw === 'all' || rw === 'readonly'
    const write = rw === 'all' || rw === 'writeonly'
    for (const dr of list(sel['DataResources'])) {
      if (!isObj(dr) || str(dr['Type']) !== 'AWS::S3::Object') continue
      for (const v of list(dr['Values'])) mark(bucketKey(v, trail, ctx), read, write)
    }
  }
  for (const sel of list(trail.props['AdvancedEventSelectors'])) {
    if (!isObj(sel)) continue
    const fields = list(sel['FieldSelectors']).filter(isObj)
    const field = (name: string): Record<string, unknown> | undefined => fields.find((f) => str(f['Field']) === name)
    const cat = field('eventCategory')
    const type = field('resources.type')
    if (!cat || !list(cat['Equals']).includes('Data') || !type || !list(type['Equals']).includes('AWS::S3::Object')) continue
    const ro = field('readOnly')
    const roVals = ro ? list(ro['Equals']).map((x) => String(x).toLowerCase()) : []
    const read = !ro || roVals.includes('true')
    const write = !ro || roVals.includes('false')
    const arn = field('resources.ARN')
    if (!arn) {
      mark('all', read, write)
      continue
    }
    // exclusions (NotStartsWith / NotEquals) still record every other bucket; PhiWall treats them as all but unknown buckets
    const incl = [...list(arn['StartsWith']), ...list(arn['Equals'])]
    if (!incl.length) {
      mark('all', read, write)
      continue
    }
    for (const v of incl) mark(bucketKey(v, trail, ctx), read, write)
  }
  return cov
}
