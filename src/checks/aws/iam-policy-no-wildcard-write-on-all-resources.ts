import { statementsOf } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { IAM_POLICY_KINDS, allResourcesEntry, iamKindLabel, isResourceStarOnly, isServiceWildcard, mayWrite, scopingConditionKeys } from './lib/iam-actions.js'
import { iamPolicyDocuments } from './lib/iam.js'
import { describe } from './lib/values.js'

/** Identity policies grant neither whole services nor changes on every resource. */
export default defineCheck({
  id: 'aws/iam-policy-no-wildcard-write-on-all-resources',
  title: 'IAM policy grants no full service access and no write or permission changes on all resources',
  severity: 'high',
  resourceKinds: IAM_POLICY_KINDS,
  rationale:
    'A statement like "dynamodb:*" or "s3:PutObject" on "Resource": "*" lets the principal delete or overwrite every table or bucket in the account — PHI stores included — and permission-management actions on "*" (PutBucketPolicy, CreateGrant, iam:Put*) let it grant itself or others more. AWS Config flags any statement that allows a whole service. Full "*" on "*" is reported by aws/iam-policy-no-admin-access.',
  remediation: {
    text: 'Replace service wildcards with the actions the principal calls, and scope write and permission-management actions to specific resource ARNs (or narrow them with resource-tag, account or service conditions). Actions that AWS supports only on "*" (X-Ray, CloudWatch PutMetricData, Lambda VPC network interfaces) are accepted.',
    cloudformation: '{ Effect: Allow, Action: [dynamodb:PutItem, dynamodb:UpdateItem], Resource: !GetAtt AppointmentsTable.Arn }',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)', '164.312(c)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { awsConfig: ['IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS'], cdkNag: ['HIPAA.Security-IAMPolicyNoStatementsWithFullAccess'] },
  evaluate(r) {
    const results: CheckResult[] = []
    const label = `${iamKindLabel(r.type)} ${r.name}`
    for (const doc of iamPolicyDocuments(r)) {
      for (const st of statementsOf(doc.document)) {
        if (st.effect !== 'Allow') continue
        const allRes = allResourcesEntry(st)
        const resText = allRes === '*' ? 'all resources ("*")' : allRes === 'NotResource' ? 'all resources but those in NotResource' : allRes
        const everything = st.actions.includes('*') || (st.actions.length === 0 && st.notActions.length > 0)
        // "*" on "*" (and NotAction on "*") is full administrative access: another check reports it
        if (everything && allRes) continue
        const problems: string[] = []
        if (st.actions.includes('*')) problems.push(`every action on ${st.resources.map(describe).join(', ')}`)
        else if (st.actions.length === 0 && st.notActions.length) problems.push(`every action except ${st.notActions.join(', ')} on ${st.resources.map(describe).join(', ')}`)
        else {
          const wild = st.actions.filter(isServiceWildcard)
          if (wild.length) problems.push(`full access to ${wild.map((w) => w.split(':')[0]).join(', ')} (${wild.join(', ')})`)
          if (allRes && scopingConditionKeys(st).length === 0) {
            const writes = st.actions.filter((a) => !isServiceWildcard(a) && mayWrite(a) && !isResourceStarOnly(a))
            if (writes.length) problems.push(`${writes.join(', ')} on ${resText}`)
          }
        }
        if (problems.length) results.push(fail(`${label} grants ${problems.join('; ')} in ${doc.label}${st.sid ? ` (statement ${st.sid})` : ''}.`, { path: doc.path, evidence: { policy: doc.label, sid: st.sid, actions: st.actions.slice(0, 10) } }))
      }
    }
    return results.length ? results : pass(`${label} grants no full service access and no write or permission changes on all resources.`)
  },
})
