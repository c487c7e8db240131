import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe } from './lib/values.js'

/** The account root user, which no policy can restrict, needs a second factor to sign in. */
export default defineCheck({
  id: 'aws/iam-root-mfa',
  title: 'Account root user has MFA enabled',
  severity: 'critical',
  resourceKinds: ['aws:account:root-user'],
  rationale:
    'The root user can do anything in the account — read every PHI store, delete backups and trails, close the account — and IAM policies cannot limit it. A root password alone (phished, reused, or reset through a compromised mailbox) is enough to take everything.',
  remediation: {
    text: 'Enable MFA on the root user (a FIDO2 security key, ideally two), store the credentials under dual control, and use root only for the few tasks that need it. In an AWS Organization, consider centralized root access, which removes member-account root credentials.',
    cli: 'Console: account menu → Security credentials → Assign MFA device (signed in as root).',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.312(d)', '164.312(a)(1)', '164.308(a)(3)(ii)(A)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: { awsConfig: ['ROOT_ACCOUNT_MFA_ENABLED'], prowler: ['iam_root_mfa_enabled'] },
  evaluate(root) {
    const who = root.account ? `Account ${root.account} root user` : `Root user ${root.name}`
    const v = bool(root.props['MfaEnabled'])
    if (v === undefined) return manual(`${who} MFA state is ${describe(root.props['MfaEnabled'])}, not known from this input.`, { path: 'MfaEnabled' })
    return v ? pass(`${who} has MFA enabled.`) : fail(`${who} has no MFA, so its password alone gives full control of the account.`, { path: 'MfaEnabled' })
  },
})
