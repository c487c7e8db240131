import { principalIsPublic, statementAllows, statementsOf, type PolicyStatement } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { describe, isObj, isUnknown, list } from './lib/values.js'

const ASSUME = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML']
// condition keys that tie a public principal to a known caller
const NARROWING = new Set(['sts:externalid', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:userid'])

/** Condition keys of a statement with a value that is not a bare wildcard. */
function conditionKeys(st: PolicyStatement): string[] {
  const out: string[] = []
  for (const kv of Object.values(st.condition ?? {})) {
    if (!isObj(kv)) continue
    for (const [k, v] of Object.entries(kv)) if (!list(v).every((x) => x === '*')) out.push(k.toLowerCase())
  }
  return out
}

/** Web identity providers a statement trusts (`Principal: { Federated: … }`), as strings. */
function federated(st: PolicyStatement): string[] {
  return isObj(st.principal) ? list(st.principal['Federated']).map((f) => (typeof f === 'string' ? f : describe(f))) : []
}

/** A role can be assumed only by the principals it names, never by any AWS account or any web identity. */
export default defineCheck({
  id: 'aws/iam-role-trust-no-public',
  title: 'IAM role trust policy does not let any AWS account or any web identity assume the role',
  severity: 'critical',
  resourceKinds: ['aws:iam:role'],
  rationale:
    'A trust policy with Principal "*" (or AWS "*") lets every AWS account in the world call sts:AssumeRole on the role unless a condition such as sts:ExternalId, aws:PrincipalOrgID or aws:SourceAccount ties it to a known caller. Likewise a role trusting GitHub Actions without a token subject condition can be assumed from any repository, and one trusting Cognito identity pools without an audience condition from any identity pool. Whatever the role can reach — PHI stores included — is then open.',
  remediation: {
    text: 'Name the trusted principal (account, role or service) explicitly; for third parties add sts:ExternalId; for organization-wide roles add aws:PrincipalOrgID; for GitHub OIDC require token.actions.githubusercontent.com:sub to match the repository and branch; for Cognito require cognito-identity.amazonaws.com:aud to be your identity pool.',
    cloudformation: '{ Effect: Allow, Principal: { AWS: arn:aws:iam::111122223333:root }, Action: sts:AssumeRole, Condition: { StringEquals: { sts:ExternalId: clinic-billing-vendor-7f3a } } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.AC-3', 'PR.AC-7'], hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)', '164.312(d)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-AUTHENTICATION'] },
  references: { prowler: ['iam_role_github_oidc_trust_subject_restricted'] },
  evaluate(role) {
    const doc = role.props['AssumeRolePolicyDocument']
    if (isUnknown(doc)) return manual(`IAM role ${role.name} takes its trust policy from ${describe(doc)}, unknown at scan time.`, { path: 'AssumeRolePolicyDocument' })
    const results: CheckResult[] = []
    for (const st of statementsOf(doc)) {
      if (!ASSUME.some((a) => statementAllows(st, a))) continue
      const keys = conditionKeys(st)
      const sid = st.sid ? ` (statement ${st.sid})` : ''
      if (principalIsPublic(st.principal)) {
        if (keys.some((k) => NARROWING.has(k))) continue
        results.push(fail(`IAM role ${role.name} can be assumed by any AWS principal: its trust policy allows Principal "*" with no external ID, organization or source-account condition${sid}.`, { path: 'AssumeRolePolicyDocument', evidence: { sid: st.sid, conditionKeys: keys } }))
        continue
      }
      for (const provider of federated(st)) {
        if (/saml-provider\//.test(provider)) continue
        if (/token\.actions\.githubusercontent\.com/.test(provider)) {
          if (!keys.includes('token.actions.githubusercontent.com:sub')) results.push(fail(`IAM role ${role.name} trusts GitHub Actions OIDC without a token.actions.githubusercontent.com:sub condition, so a workflow in any repository can assume it${sid}.`, { path: 'AssumeRolePolicyDocument', evidence: { provider, conditionKeys: keys } }))
        } else if (provider === 'cognito-identity.amazonaws.com') {
          if (!keys.includes('cognito-identity.amazonaws.com:aud')) results.push(fail(`IAM role ${role.name} trusts Cognito identity pools without a cognito-identity.amazonaws.com:aud condition, so identities of any pool can assume it${sid}.`, { path: 'AssumeRolePolicyDocument', evidence: { provider, conditionKeys: keys } }))
        } else if (statementAllows(st, 'sts:AssumeRoleWithWebIdentity') && !keys.some((k) => /:(aud|sub|amr)$/.test(k))) {
          results.push(fail(`IAM role ${role.name} trusts web identity provider ${provider} with no audience or subject condition, so any identity it issues can assume the role${sid}.`, { path: 'AssumeRolePolicyDocument', evidence: { provider, conditionKeys: keys } }))
        }
      }
    }
    return results.length ? results : pass(`IAM role ${role.name} can be assumed only by the principals its trust policy names.`)
  },
})
