import { defineCheck, fail, manual, pass } from '../define-check.js'
import { userCredentials } from './lib/iam-credentials.js'

/** Every IAM user who can sign in to the console has an MFA device. */
export default defineCheck({
  id: 'aws/iam-user-mfa',
  title: 'IAM user with a console password has MFA active',
  severity: 'high',
  resourceKinds: ['aws:iam:user'],
  rationale:
    'A console password alone falls to phishing, reuse and guessing; with it an attacker browses S3, DynamoDB and CloudWatch Logs holding PHI exactly as the user could. MFA stops stolen passwords from being enough. Users without a console password cannot sign in to the console, and MFA would not protect their access keys (see the access key checks). Templates cannot show MFA devices or passwords added later, so template users are reported for manual review; a live snapshot (credential report) gives the answer.',
  remediation: {
    text: 'Assign an MFA device (a FIDO2 security key or authenticator app) to every user with a console password, and deny actions without aws:MultiFactorAuthPresent; better, replace IAM users with IAM Identity Center, which enforces MFA centrally.',
    cli: 'aws iam list-mfa-devices --user-name USER   # then: aws iam enable-mfa-device …  or create a passkey in the console',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.312(d)', '164.312(a)(1)', '164.308(a)(5)(ii)(D)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: { awsConfig: ['IAM_USER_MFA_ENABLED', 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS'], prowler: ['iam_user_mfa_enabled_console_access'] },
  evaluate(user) {
    const c = userCredentials(user)
    if (c.state === 'invalid') return manual(`IAM user ${user.name} has credential-report data PhiWall cannot read (${c.issue}); check MFA in the IAM console.`, { path: 'PhiWallCredentials' })
    if (c.state === 'absent') {
      if (user.props['LoginProfile'] !== undefined) {
        return manual(`IAM user ${user.name} gets a console password from this template (LoginProfile), and a template cannot show MFA devices; confirm with aws iam list-mfa-devices --user-name ${user.name}, or scan a live snapshot.`, { path: 'LoginProfile' })
      }
      return manual(`IAM user ${user.name} has no console password in this template, but a template cannot show whether one was added later or whether an MFA device is assigned; confirm with aws iam get-login-profile and aws iam list-mfa-devices --user-name ${user.name}, or scan a live snapshot.`, { evidence: { consoleAccessInTemplate: false } })
    }
    const { creds } = c
    if (!creds.PasswordEnabled) return pass(`IAM user ${user.name} has no console password, so console MFA does not apply.`, { consoleAccess: false })
    if (creds.MfaActive) return pass(`IAM user ${user.name} has a console password and MFA active.`)
    return fail(`IAM user ${user.name} can sign in to the console with a password and has no MFA device.`, { evidence: { passwordEnabled: true, mfaActive: false } })
  },
})
