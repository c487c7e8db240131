import { statementsOf } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { iamPolicyDocuments } from './lib/iam.js'

/** No identity policy grants every action on every resource. */
export default defineCheck({
  id: 'aws/iam-policy-no-admin-access',
  title: 'IAM policy does not grant full administrative access ("Action": "*" on "Resource": "*")',
  severity: 'critical',
  resourceKinds: ['aws:iam:role', 'aws:iam:policy', 'aws:iam:managed-policy', 'aws:iam:user', 'aws:iam:group'],
  rationale: 'A principal with "*" on "*" can read every PHI store, disable logging, and create new credentials; compromise of one function or user becomes compromise of the account.',
  remediation: {
    text: 'Replace the statement with the specific actions and resources the principal uses (PhiWall\'s inventory shows which stores each workload touches).',
    cloudformation: '{ Effect: Allow, Action: [dynamodb:GetItem, dynamodb:PutItem], Resource: !GetAtt PatientsTable.Arn }',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { awsConfig: ['IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS'], cdkNag: ['HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess'], prowler: ['iam_customer_attached_policy_no_administrative_privileges', 'iam_inline_policy_no_administrative_privileges'] },
  evaluate(r) {
    const results: CheckResult[] = []
    for (const doc of iamPolicyDocuments(r)) {
      for (const st of statementsOf(doc.document)) {
        if (st.effect !== 'Allow') continue
        const allActions = st.actions.includes('*') || (st.actions.length === 0 && st.notActions.length > 0)
        const allResources = st.resources.includes('*') || (st.resources.length === 0 && st.notResources.length > 0)
        if (allActions && allResources) {
          results.push(fail(`${kindLabel(r.type)} ${r.name} grants "*" on "*" in ${doc.label}.`, { path: doc.path, evidence: { policy: doc.label, sid: st.sid } }))
        }
      }
    }
    return results.length ? results : pass(`${kindLabel(r.type)} ${r.name} grants no full administrative access.`)
  },
})

function kindLabel(type: string): string {
  return { 'AWS::IAM::Role': 'IAM role', 'AWS::IAM::User': 'IAM user', 'AWS::IAM::Group': 'IAM group', 'AWS::IAM::Policy': 'IAM policy', 'AWS::IAM::ManagedPolicy': 'IAM managed policy' }[type] ?? type
}
