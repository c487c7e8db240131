import { defineCheck, fail, manual, pass } from '../define-check.js'
import { describe, isUnknown, list } from './lib/values.js'

/** Users of a pool that signs people in to PHI sign in with a second factor. */
export default defineCheck({
  id: 'aws/cognito-user-pool-mfa',
  title: 'Cognito user pool requires MFA',
  severity: 'medium',
  resourceKinds: ['aws:cognito:user-pool'],
  rationale:
    'A user pool is the front door to the patient portal or clinician app: with passwords alone, phished or reused credentials give direct access to patient records. MfaConfiguration ON makes every user present a second factor; OPTIONAL leaves it to each user, so most accounts stay password-only; OFF (the default) allows none.',
  remediation: {
    text: 'Set MfaConfiguration to ON with software tokens (TOTP) or email/SMS as a fallback; if some users cannot enrol yet, use OPTIONAL only with threat protection (adaptive authentication) enforcing MFA on risky sign-ins, and plan the move to ON.',
    cloudformation: 'MfaConfiguration: "ON"\nEnabledMfas: [SOFTWARE_TOKEN_MFA]',
    terraform: 'resource "aws_cognito_user_pool" "p" { … mfa_configuration = "ON"  software_token_mfa_configuration { enabled = true } }',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.312(d)', '164.312(a)(1)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: { prowler: ['cognito_user_pool_mfa_enabled'] },
  evaluate(pool) {
    const v = pool.props['MfaConfiguration']
    if (isUnknown(v)) return manual(`Cognito user pool ${pool.name} takes MfaConfiguration from ${describe(v)}, unknown at scan time.`, { path: 'MfaConfiguration' })
    const mode = String(v ?? 'OFF').toUpperCase()
    const factors = list(pool.props['EnabledMfas']).map(String)
    if (mode === 'ON') return pass(`Cognito user pool ${pool.name} requires MFA${factors.length ? ` (${factors.join(', ')})` : ''}.`, { mfa: 'ON', factors })
    if (mode === 'OPTIONAL') return fail(`Cognito user pool ${pool.name} makes MFA optional, so users who do not enrol sign in with a password alone.`, { path: 'MfaConfiguration', evidence: { mfa: 'OPTIONAL' } })
    return fail(`Cognito user pool ${pool.name} has MFA off${v === undefined ? ' (the default)' : ''}.`, { ...(v !== undefined ? { path: 'MfaConfiguration' } : {}), evidence: { mfa: mode } })
  },
})
