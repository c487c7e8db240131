import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { at, isObj, list } from './values.js'

/** Buckets whose server access logs a bucket receives (`LoggingConfiguration.DestinationBucketName`). */
export function accessLogSources(bucket: Resource, ctx: CheckContext): Resource[] {
  return ctx.view.edgesOf(bucket, 'in', ['writes']).flatMap((e) => {
    const from = ctx.view.get(e.from)
    return from && from.type === 'AWS::S3::Bucket' && e.evidence === 'server access logs' ? [from] : []
  })
}

/** CloudTrail trails that deliver log files to a bucket. */
export function trailSources(bucket: Resource, ctx: CheckContext): Resource[] {
  return ctx.view.related(bucket, { direction: 'in', kinds: ['writes'], types: ['AWS::CloudTrail::Trail'] })
}

const LOG_WORD = /^(audit|audits|auditing|log|logs|logging|cloudtrail|trail|trails|accesslogs|accesslog)$/i
const PURPOSE_TAG = /^(purpose|role|usage|use|type|function|name|data[-_]?type|category|content)$/i

function words(s: string): string[] {
  return s.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean)
}

/** Why a bucket looks like an audit or log bucket by its name or tags, if it does. */
export function logBucketByName(bucket: Resource): string | undefined {
  for (const n of new Set([bucket.name, bucket.sourceId])) if (words(n).some((w) => LOG_WORD.test(w))) return `name ${n}`
  for (const [k, v] of Object.entries(bucket.labels)) if (PURPOSE_TAG.test(k) && words(v).some((w) => LOG_WORD.test(w))) return `tag ${k}=${v}`
  return undefined
}

/** The Object Ownership setting of a bucket: written, the S3 default for new buckets, or not set on a live bucket. */
export function objectOwnership(bucket: Resource): { value: unknown; source: 'explicit' | 'default' | 'absent' } {
  const rules = list(at(bucket.props, 'OwnershipControls.Rules'))
  const rule = rules.find((r) => isObj(r) && r['ObjectOwnership'] !== undefined)
  if (isObj(rule)) return { value: rule['ObjectOwnership'], source: 'explicit' }
  // since April 2023 new buckets get BucketOwnerEnforced (ACLs disabled) unless told otherwise;
  // a live bucket without ownership controls predates that and still honours ACLs
  if (bucket.origin === 'aws-snapshot') return { value: 'ObjectWriter', source: 'absent' }
  return { value: 'BucketOwnerEnforced', source: 'default' }
}
