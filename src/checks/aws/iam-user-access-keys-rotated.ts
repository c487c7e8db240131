import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { daysSince, userCredentials } from './lib/iam-credentials.js'
import { describe } from './lib/values.js'

const MAX_AGE_DAYS = 90

/** Long-lived access keys are replaced at least every 90 days, so a leaked key stops working. */
export default defineCheck({
  id: 'aws/iam-user-access-keys-rotated',
  title: 'IAM user access keys are rotated within 90 days',
  severity: 'medium',
  resourceKinds: ['aws:iam:user', 'aws:iam:access-key'],
  rationale:
    'Access keys never expire on their own; a key copied into a laptop, a CI log or a repository years ago still opens every PHI store the user can reach. Rotating within 90 days (the HIPAA conformance pack default) bounds how long a leaked key is useful. Templates cannot show a key\'s age: keys created by a template are reported for manual review; a live snapshot (credential report) gives the answer.',
  remediation: {
    text: 'Create a new key, move the workload to it, deactivate and then delete the old one — or better, replace the user and its keys with a role (IAM Roles Anywhere, OIDC federation, instance or task roles).',
    cloudformation: 'AWS::IAM::AccessKey: bump the Serial property to issue a new key, then remove the old resource.',
    cli: 'aws iam create-access-key --user-name USER && aws iam update-access-key --user-name USER --access-key-id OLD_KEY_ID --status Inactive',
  },
  controls: { csf: ['PR.AC-1'], hipaa: ['164.308(a)(5)(ii)(D)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: { awsConfig: ['ACCESS_KEYS_ROTATED'], prowler: ['iam_rotate_access_key_90_days'] },
  appliesTo: (r) => r.type === 'AWS::IAM::AccessKey' || r.props['PhiWallCredentials'] !== undefined,
  evaluate(r, ctx) {
    if (r.type === 'AWS::IAM::AccessKey') {
      const user = ctx.view.refs(r.props['UserName'], r).find((x) => x.type === 'AWS::IAM::User')
      const who = user ? user.name : describe(r.props['UserName'])
      if (String(r.props['Status'] ?? 'Active') === 'Inactive') return pass(`IAM access key ${r.sourceId} of user ${who} is inactive.`)
      return manual(`IAM access key ${r.sourceId} of user ${who} is created by this template; PhiWall cannot see its age. Rotate it within ${MAX_AGE_DAYS} days (change Serial) or scan a live snapshot.`, { path: 'UserName' })
    }
    const c = userCredentials(r)
    if (c.state === 'invalid') return manual(`IAM user ${r.name} has credential-report data PhiWall cannot read (${c.issue}); check its access keys in the IAM console.`, { path: 'PhiWallCredentials' })
    if (c.state === 'absent') return pass(`IAM user ${r.name} has no credential report.`)
    const active = c.creds.AccessKeys.map((k, i) => ({ ...k, n: i + 1 })).filter((k) => k.Active)
    if (active.length === 0) return pass(`IAM user ${r.name} has no active access keys.`)
    const results: CheckResult[] = []
    for (const k of active) {
      if (!k.LastRotated) {
        results.push(manual(`IAM user ${r.name} has active access key ${k.n} with no recorded creation date; check its age.`))
        continue
      }
      const age = daysSince(k.LastRotated, ctx.now)
      if (age > MAX_AGE_DAYS) results.push(fail(`IAM user ${r.name} has active access key ${k.n} that was last rotated ${age} days ago (more than ${MAX_AGE_DAYS}).`, { evidence: { key: k.n, ageDays: age, lastRotated: k.LastRotated } }))
    }
    return results.length ? results : pass(`IAM user ${r.name} has ${active.length} active access key${active.length === 1 ? '' : 's'}, all rotated within ${MAX_AGE_DAYS} days.`)
  },
})
