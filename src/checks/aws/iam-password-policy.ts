import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe, isUnknown, num } from './lib/values.js'

/** The requirements of the HIPAA conformance pack's iam-password-policy rule (its default parameters). */
const REQUIRED = { MinimumPasswordLength: 14, MaxPasswordAge: 90, PasswordReusePrevention: 24 }
const FLAGS = ['RequireSymbols', 'RequireNumbers', 'RequireUppercaseCharacters', 'RequireLowercaseCharacters'] as const

/** Console passwords of IAM users are long, varied, not reused and replaced regularly. */
export default defineCheck({
  id: 'aws/iam-password-policy',
  title: 'Account IAM password policy meets the HIPAA conformance pack requirements',
  severity: 'medium',
  resourceKinds: ['aws:account:password-policy'],
  rationale:
    'Without a password policy IAM accepts eight-character passwords that never expire and may be reused; those fall quickly to guessing and credential stuffing and open the console to PHI. The AWS HIPAA conformance pack asks for at least 14 characters with symbols, numbers, upper and lower case, expiry within 90 days and no reuse of the last 24.',
  remediation: {
    text: 'Set the account password policy (and prefer federated sign-in through IAM Identity Center so IAM user passwords are rare).',
    terraform: 'resource "aws_iam_account_password_policy" "this" { minimum_password_length = 14  require_symbols = true  require_numbers = true  require_uppercase_characters = true  require_lowercase_characters = true  max_password_age = 90  password_reuse_prevention = 24  allow_users_to_change_password = true }',
    cli: 'aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --max-password-age 90 --password-reuse-prevention 24 --allow-users-to-change-password',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.308(a)(5)(ii)(D)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: {
    awsConfig: ['IAM_PASSWORD_POLICY'],
    prowler: ['iam_password_policy_minimum_length_14', 'iam_password_policy_symbol', 'iam_password_policy_number', 'iam_password_policy_uppercase', 'iam_password_policy_lowercase', 'iam_password_policy_expires_passwords_within_90_days_or_less', 'iam_password_policy_reuse_24'],
  },
  evaluate(pp) {
    const who = pp.account ? `Account ${pp.account}` : `Account password policy ${pp.name}`
    const configured = bool(pp.props['Configured'], true)
    if (configured === undefined) return manual(`${who} password policy state is ${describe(pp.props['Configured'])}, unknown at scan time.`, { path: 'Configured' })
    if (!configured) return fail(`${who} has no IAM password policy, so IAM accepts short passwords that never expire.`, { path: 'Configured' })
    const gaps: string[] = []
    const unknown: string[] = []
    let firstPath: string | undefined
    const gap = (key: string, text: string): void => {
      gaps.push(text)
      firstPath ??= key
    }
    const numeric = (key: keyof typeof REQUIRED): number | undefined => {
      const v = pp.props[key]
      if (isUnknown(v)) unknown.push(key)
      return num(v)
    }
    const len = numeric('MinimumPasswordLength')
    if (!unknown.includes('MinimumPasswordLength') && (len ?? 8) < REQUIRED.MinimumPasswordLength) gap('MinimumPasswordLength', `minimum length ${len ?? '8 (default)'} < ${REQUIRED.MinimumPasswordLength}`)
    for (const f of FLAGS) {
      const v = bool(pp.props[f], false)
      if (v === undefined) unknown.push(f)
      else if (!v) gap(f, `${f} off`)
    }
    const age = numeric('MaxPasswordAge')
    if (!unknown.includes('MaxPasswordAge') && (age === undefined || age === 0 || age > REQUIRED.MaxPasswordAge)) gap('MaxPasswordAge', age === undefined || age === 0 ? 'passwords never expire' : `passwords expire after ${age} days > ${REQUIRED.MaxPasswordAge}`)
    const reuse = numeric('PasswordReusePrevention')
    if (!unknown.includes('PasswordReusePrevention') && (reuse ?? 0) < REQUIRED.PasswordReusePrevention) gap('PasswordReusePrevention', `reuse prevention ${reuse ?? 'off'} < ${REQUIRED.PasswordReusePrevention}`)
    if (gaps.length) return fail(`${who} IAM password policy falls short: ${gaps.join('; ')}.`, { ...(firstPath ? { path: firstPath } : {}), evidence: { gaps } })
    if (unknown.length) return manual(`${who} IAM password policy takes ${unknown.join(', ')} from values unknown at scan time.`, { path: unknown[0] })
    return pass(`${who} IAM password policy meets the conformance pack requirements (length ${len}, all character classes, expiry ${age} days, reuse prevention ${reuse}).`)
  },
})
