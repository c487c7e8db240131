import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, bool, describe, isObj, isUnknown, num } from './lib/values.js'

const MIN_LENGTH = 12
const CLASSES = ['RequireUppercase', 'RequireLowercase', 'RequireNumbers', 'RequireSymbols'] as const

/** Passwords of a pool's users are long and mix character classes. */
export default defineCheck({
  id: 'aws/cognito-user-pool-password-policy',
  title: 'Cognito user pool requires passwords of 12+ characters with all character classes',
  severity: 'medium',
  resourceKinds: ['aws:cognito:user-pool'],
  rationale:
    'Short or single-class passwords fall to guessing and credential stuffing, and each guessed password opens a patient\'s or clinician\'s view of health records. Cognito\'s default policy is 8 characters; a policy written without the Require* flags turns the character rules off.',
  remediation: {
    text: 'Set MinimumLength to at least 12 (14 or more for staff pools) and require upper case, lower case, numbers and symbols; add password-reuse prevention (Essentials plan) and MFA.',
    cloudformation: 'Policies: { PasswordPolicy: { MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 3 } }',
    terraform: 'password_policy { minimum_length = 14  require_uppercase = true  require_lowercase = true  require_numbers = true  require_symbols = true }',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.308(a)(5)(ii)(D)', '164.312(d)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: { prowler: ['cognito_user_pool_password_policy_minimum_length_14', 'cognito_user_pool_password_policy_uppercase', 'cognito_user_pool_password_policy_lowercase', 'cognito_user_pool_password_policy_number', 'cognito_user_pool_password_policy_symbol'] },
  evaluate(pool) {
    const policy = at(pool.props, 'Policies.PasswordPolicy')
    if (isUnknown(pool.props['Policies']) || isUnknown(policy)) return manual(`Cognito user pool ${pool.name} takes its password policy from a value unknown at scan time.`, { path: 'Policies' })
    if (!isObj(policy)) return fail(`Cognito user pool ${pool.name} uses the default password policy (minimum length 8 < ${MIN_LENGTH}).`, { ...(pool.props['Policies'] !== undefined ? { path: 'Policies' } : {}), evidence: { minimumLength: 8 } })
    const gaps: string[] = []
    const unknown: string[] = []
    const lenValue = policy['MinimumLength']
    const len = num(lenValue)
    if (isUnknown(lenValue)) unknown.push('MinimumLength')
    else if ((len ?? 8) < MIN_LENGTH) gaps.push(`minimum length ${len ?? '8 (default)'} < ${MIN_LENGTH}`)
    for (const c of CLASSES) {
      const v = bool(policy[c], false)
      if (v === undefined) unknown.push(c)
      else if (!v) gaps.push(`${c} off`)
    }
    if (gaps.length) return fail(`Cognito user pool ${pool.name} password policy falls short: ${gaps.join('; ')}.`, { path: 'Policies.PasswordPolicy', evidence: { gaps } })
    if (unknown.length) return manual(`Cognito user pool ${pool.name} takes password policy settings ${unknown.join(', ')} from values unknown at scan time (${describe(policy[unknown[0]!])}).`, { path: 'Policies.PasswordPolicy' })
    return pass(`Cognito user pool ${pool.name} requires passwords of at least ${len} characters with upper and lower case, numbers and symbols.`)
  },
})
