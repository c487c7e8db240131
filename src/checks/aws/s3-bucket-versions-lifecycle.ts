import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, bool, describe, isObj, isUnknown, list } from './lib/values.js'

const NONCURRENT_ACTIONS = ['NoncurrentVersionExpiration', 'NoncurrentVersionExpirationInDays', 'NoncurrentVersionTransitions', 'NoncurrentVersionTransition']

function versioned(bucket: Resource): boolean {
  const status = at(bucket.props, 'VersioningConfiguration.Status')
  return status === 'Enabled' || status === 'Suspended' || bool(bucket.props['ObjectLockEnabled']) === true
}

/** Old object versions in a versioned bucket are expired or archived by a lifecycle rule, not kept forever. */
export default defineCheck({
  id: 'aws/s3-bucket-versions-lifecycle',
  title: 'Versioned S3 bucket manages noncurrent versions with a lifecycle rule',
  severity: 'low',
  resourceKinds: ['aws:s3:bucket'],
  rationale:
    'In a versioned bucket a "deleted" patient document stays as a noncurrent version until a lifecycle rule removes it, so PHI outlives its retention period and the disposal the organization documented never happens; costs grow with every overwrite.',
  remediation: {
    text: 'Add an enabled lifecycle rule with NoncurrentVersionExpiration (and optionally NoncurrentVersionTransitions to colder storage) matching your retention schedule.',
    cloudformation: 'LifecycleConfiguration: { Rules: [ { Id: noncurrent, Status: Enabled, NoncurrentVersionExpiration: { NoncurrentDays: 2190 } } ] }',
    terraform: 'resource "aws_s3_bucket_lifecycle_configuration" "b" { bucket = aws_s3_bucket.b.id  rule { id = "noncurrent"  status = "Enabled"  filter {}  noncurrent_version_expiration { noncurrent_days = 2190 } } }',
  },
  controls: { csf: ['PR.DS-3', 'PR.IP-6'], hipaa: ['164.310(d)(2)(i)', '164.310(d)(2)(ii)'], ferpa: ['FERPA-DATA-DESTRUCTION'] },
  references: { awsConfig: ['S3_VERSION_LIFECYCLE_POLICY_CHECK'], prowler: ['s3_bucket_lifecycle_enabled'] },
  appliesTo: versioned,
  evaluate(bucket) {
    const rulesValue = at(bucket.props, 'LifecycleConfiguration.Rules')
    if (isUnknown(bucket.props['LifecycleConfiguration']) || isUnknown(rulesValue)) return manual(`S3 bucket ${bucket.name} takes its lifecycle rules from ${describe(rulesValue ?? bucket.props['LifecycleConfiguration'])}, unknown at scan time.`, { path: 'LifecycleConfiguration' })
    const rules = list(rulesValue).filter(isObj)
    if (rules.some((r) => isUnknown(r['Status']))) return manual(`S3 bucket ${bucket.name} takes a lifecycle rule status from a value unknown at scan time.`, { path: 'LifecycleConfiguration.Rules' })
    const enabled = rules.filter((r) => r['Status'] === 'Enabled')
    const noncurrent = enabled.filter((r) => NONCURRENT_ACTIONS.some((k) => r[k] !== undefined))
    if (noncurrent.length) return pass(`S3 bucket ${bucket.name} expires or archives noncurrent versions (rule ${noncurrent.map((r) => describe(r['Id'] ?? '(unnamed)')).join(', ')}).`)
    if (enabled.length) return fail(`S3 bucket ${bucket.name} is versioned, but none of its ${enabled.length} enabled lifecycle rule${enabled.length === 1 ? '' : 's'} handles noncurrent versions.`, { path: 'LifecycleConfiguration.Rules' })
    return fail(`S3 bucket ${bucket.name} is versioned but has no enabled lifecycle rule, so noncurrent versions are kept forever.`, { path: 'LifecycleConfiguration', evidence: { rules: rules.length } })
  },
})
