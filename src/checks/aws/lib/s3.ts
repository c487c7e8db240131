import type { Resource } from '../../../model/index.js'
import { actionMatches, conditionNarrowsPrincipal, principalIsPublic, type PolicyStatement } from '../../../inventory/index.js'
import type { CheckContext } from '../../types.js'
import { attachedPolicyStatements } from './policy-docs.js'
import { bool, isObj } from './values.js'

/** The four Block Public Access settings of a bucket, as they take effect. */
export interface BucketPublicAccessBlock {
  blockPublicAcls: boolean | undefined
  ignorePublicAcls: boolean | undefined
  blockPublicPolicy: boolean | undefined
  restrictPublicBuckets: boolean | undefined
  /** `explicit`: written; `default`: absent in a template, so S3's default for new buckets (all on since April 2023) applies; `absent`: not set on a live bucket. */
  source: 'explicit' | 'default' | 'absent'
}

/** Effective Block Public Access of a bucket. */
export function publicAccessBlock(bucket: Resource): BucketPublicAccessBlock {
  const c = bucket.props['PublicAccessBlockConfiguration']
  if (isObj(c)) {
    return {
      blockPublicAcls: bool(c['BlockPublicAcls'], false),
      ignorePublicAcls: bool(c['IgnorePublicAcls'], false),
      blockPublicPolicy: bool(c['BlockPublicPolicy'], false),
      restrictPublicBuckets: bool(c['RestrictPublicBuckets'], false),
      source: 'explicit',
    }
  }
  // New buckets get all four settings on unless a template turns them off (S3, April 2023).
  // A live bucket without the configuration has none of them.
  const live = bucket.origin === 'aws-snapshot'
  return { blockPublicAcls: !live, ignorePublicAcls: !live, blockPublicPolicy: !live, restrictPublicBuckets: !live, source: live ? 'absent' : 'default' }
}

/** Statements of the bucket policies attached to a bucket. */
export function bucketPolicyStatements(bucket: Resource, ctx: CheckContext): { statement: PolicyStatement; policy: Resource }[] {
  return attachedPolicyStatements(bucket, ctx, 'AWS::S3::BucketPolicy')
}

/** Public statements of a bucket's policies that allow one of the actions. */
export function publicGrants(bucket: Resource, ctx: CheckContext, actions: string[]): { statement: PolicyStatement; policy: Resource }[] {
  return bucketPolicyStatements(bucket, ctx).filter(({ statement }) => {
    if (statement.effect !== 'Allow' || !principalIsPublic(statement.principal)) return false
    if (conditionNarrowsPrincipal(statement.condition)) return false
    return statement.actions.some((pattern) => actions.some((a) => actionMatches(pattern, a)))
  })
}

/** Does a bucket's canned ACL grant everyone (or every AWS account) access? */
export function publicAcl(bucket: Resource): 'read' | 'write' | 'authenticated' | undefined {
  const acl = bucket.props['AccessControl']
  if (acl === 'PublicReadWrite') return 'write'
  if (acl === 'PublicRead') return 'read'
  if (acl === 'AuthenticatedRead') return 'authenticated'
  return undefined
}
