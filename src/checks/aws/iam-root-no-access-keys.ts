import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe } from './lib/values.js'

/** The root user has no access keys: nothing long-lived and unrestrictable can act as root from a script. */
export default defineCheck({
  id: 'aws/iam-root-no-access-keys',
  title: 'Account root user has no access keys',
  severity: 'critical',
  resourceKinds: ['aws:account:root-user'],
  rationale:
    'A root access key works without MFA, cannot be restricted by any IAM policy or permissions boundary, and grants full control of the account — every PHI store, every log, every backup. One leaked in a script, a CI variable or a laptop is a complete breach.',
  remediation: {
    text: 'Delete the root user\'s access keys (after moving any automation to a role with the permissions it needs).',
    cli: 'Console (signed in as root): Security credentials → Access keys → Delete.',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-4'], hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)', '164.312(d)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-AUTHENTICATION'] },
  references: { awsConfig: ['IAM_ROOT_ACCESS_KEY_CHECK'], prowler: ['iam_no_root_access_key'] },
  evaluate(root) {
    const who = root.account ? `Account ${root.account} root user` : `Root user ${root.name}`
    const v = bool(root.props['AccessKeysPresent'])
    if (v === undefined) return manual(`${who} access key state is ${describe(root.props['AccessKeysPresent'])}, not known from this input.`, { path: 'AccessKeysPresent' })
    return v ? fail(`${who} has access keys, which act as root without MFA.`, { path: 'AccessKeysPresent' }) : pass(`${who} has no access keys.`)
  },
})
