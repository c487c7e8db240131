import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { daysSince, userCredentials } from './lib/iam-credentials.js'

const MAX_IDLE_DAYS = 90

/** Passwords and access keys that nobody uses are removed before someone else uses them. */
export default defineCheck({
  id: 'aws/iam-user-unused-credentials',
  title: 'IAM user has no password or access key unused for 90 days',
  severity: 'medium',
  resourceKinds: ['aws:iam:user'],
  rationale:
    'Credentials left behind by people who changed roles or left, and keys of retired integrations, keep their access to PHI while nobody watches them; their use by an attacker looks like nothing was ever wrong. Removing credentials unused for 90 days (the HIPAA conformance pack default) is part of termination and access-modification procedures. Needs the credential report of a live snapshot; template users are not judged.',
  remediation: {
    text: 'Remove the console password and deactivate (then delete) access keys not used in 90 days; delete users nobody needs. Never-used credentials count from their creation.',
    cli: 'aws iam delete-login-profile --user-name USER ; aws iam update-access-key --user-name USER --access-key-id KEY_ID --status Inactive',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-4'], hipaa: ['164.308(a)(3)(ii)(C)', '164.308(a)(4)(ii)(C)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  references: { awsConfig: ['IAM_USER_UNUSED_CREDENTIALS_CHECK'], prowler: ['iam_user_accesskey_unused', 'iam_user_console_access_unused'] },
  appliesTo: (user) => user.props['PhiWallCredentials'] !== undefined,
  evaluate(user, ctx) {
    const c = userCredentials(user)
    if (c.state === 'invalid') return manual(`IAM user ${user.name} has credential-report data PhiWall cannot read (${c.issue}); check its credentials in the IAM console.`, { path: 'PhiWallCredentials' })
    if (c.state === 'absent') return pass(`IAM user ${user.name} has no credential report.`)
    const { creds } = c
    const results: CheckResult[] = []
    const idle = (used: string | null | undefined, since: string | null | undefined): { days: number; never: boolean } | undefined => {
      const ref = used ?? since
      if (!ref) return undefined
      return { days: daysSince(ref, ctx.now), never: !used }
    }
    if (creds.PasswordEnabled) {
      const i = idle(creds.PasswordLastUsed, creds.PasswordLastChanged)
      if (!i) results.push(manual(`IAM user ${user.name} has a console password with no recorded use or creation date; check when it was last used.`))
      else if (i.days > MAX_IDLE_DAYS) results.push(fail(`IAM user ${user.name} has a console password ${i.never ? `never used in the ${i.days} days since it was set` : `last used ${i.days} days ago`}.`, { evidence: { credential: 'password', idleDays: i.days, neverUsed: i.never } }))
    }
    creds.AccessKeys.forEach((k, n) => {
      if (!k.Active) return
      const i = idle(k.LastUsed, k.LastRotated)
      if (!i) results.push(manual(`IAM user ${user.name} has active access key ${n + 1} with no recorded use or creation date; check when it was last used.`))
      else if (i.days > MAX_IDLE_DAYS) results.push(fail(`IAM user ${user.name} has active access key ${n + 1} ${i.never ? `never used in the ${i.days} days since it was created` : `last used ${i.days} days ago`}.`, { evidence: { credential: `access key ${n + 1}`, idleDays: i.days, neverUsed: i.never } }))
    })
    return results.length ? results : pass(`IAM user ${user.name} has no credentials unused for more than ${MAX_IDLE_DAYS} days.`)
  },
})
