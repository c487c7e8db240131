import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, describe, isUnknown } from './lib/values.js'

/** The pool blocks sign-ins with leaked credentials and challenges risky sign-ins (Cognito threat protection, enforced). */
export default defineCheck({
  id: 'aws/cognito-user-pool-advanced-security',
  title: 'Cognito user pool enforces threat protection (advanced security)',
  severity: 'low',
  resourceKinds: ['aws:cognito:user-pool'],
  rationale:
    'Threat protection checks each sign-in against known-compromised credentials and risk signals (new device, impossible travel) and can block or require MFA for risky ones; in AUDIT mode it only records them, and OFF it does nothing, so credential-stuffing against the patient portal goes unchallenged. It needs the Plus feature plan.',
  remediation: {
    text: 'Use the Plus feature plan and set AdvancedSecurityMode to ENFORCED, with adaptive authentication actions (MFA or block) for medium and high risk and compromised-credential blocking.',
    cloudformation: 'UserPoolTier: PLUS\nUserPoolAddOns: { AdvancedSecurityMode: ENFORCED }',
    terraform: 'user_pool_add_ons { advanced_security_mode = "ENFORCED" }',
  },
  controls: { csf: ['PR.AC-7', 'DE.CM-1', 'DE.CM-3'], hipaa: ['164.312(d)', '164.308(a)(5)(ii)(C)'], ferpa: ['FERPA-AUTHENTICATION', 'FERPA-FIREWALLS-IDPS'] },
  references: { prowler: ['cognito_user_pool_advanced_security_enabled'] },
  evaluate(pool) {
    const v = at(pool.props, 'UserPoolAddOns.AdvancedSecurityMode')
    if (isUnknown(v)) return manual(`Cognito user pool ${pool.name} takes AdvancedSecurityMode from ${describe(v)}, unknown at scan time.`, { path: 'UserPoolAddOns.AdvancedSecurityMode' })
    const mode = String(v ?? 'OFF').toUpperCase()
    const tier = typeof pool.props['UserPoolTier'] === 'string' ? pool.props['UserPoolTier'].toUpperCase() : undefined
    if (mode === 'ENFORCED') return pass(`Cognito user pool ${pool.name} enforces threat protection.`)
    const note = tier && tier !== 'PLUS' ? ` (feature plan ${tier}; threat protection needs PLUS)` : ''
    if (mode === 'AUDIT') return fail(`Cognito user pool ${pool.name} runs threat protection in AUDIT mode only, so risky sign-ins are recorded, not stopped${note}.`, { path: 'UserPoolAddOns.AdvancedSecurityMode', evidence: { mode, tier } })
    return fail(`Cognito user pool ${pool.name} has threat protection off${note}.`, { ...(v !== undefined ? { path: 'UserPoolAddOns.AdvancedSecurityMode' } : {}), evidence: { mode, tier } })
  },
})
