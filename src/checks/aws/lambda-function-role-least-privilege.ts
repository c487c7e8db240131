import { actionMatches } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { allResourcesEntry, isResourceStarOnly, isServiceWildcard, mayWrite, scopingConditionKeys } from './lib/iam-actions.js'
import { ADMIN_MANAGED_POLICIES, managedPolicyName } from './lib/iam.js'
import { describe, list } from './lib/values.js'

// reads that return stored data (records, objects, secrets), as opposed to metadata
const DATA_READS = ['s3:GetObject', 's3:GetObjectVersion', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect', 'secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'sqs:ReceiveMessage', 'kinesis:GetRecords', 'rds-data:ExecuteStatement', 'es:ESHttpGet', 'es:ESHttpPost']
// AWS managed policies that grant a whole service (or more) on every resource
const BROAD_MANAGED = /(FullAccess|ReadWrite|_FullAccess)$/

/** A function's execution role grants only the actions it needs, on the resources it uses. */
export default defineCheck({
  id: 'aws/lambda-function-role-least-privilege',
  title: 'Lambda function role grants no wildcard actions and no write or data access on all resources',
  severity: 'high',
  resourceKinds: ['aws:lambda:function'],
  rationale:
    'Whoever gets code running in a function — an injection bug, a compromised dependency — acts with its role. "*" actions, service-wide wildcards (dynamodb:*, s3:*) and writes or data reads on "Resource": "*" turn one vulnerable function into access to every table, bucket and secret in the account, including PHI stores the function never uses.',
  remediation: {
    text: 'List the specific actions the function calls and scope them to the ARNs of the resources it uses (SAM policy templates such as DynamoDBCrudPolicy and S3ReadPolicy do this). Replace AWS managed *FullAccess policies with scoped statements. Actions that only work on "*" (X-Ray, CloudWatch PutMetricData, VPC network interfaces) are accepted.',
    cloudformation: 'Policies: [ { DynamoDBCrudPolicy: { TableName: !Ref PatientsTable } }, { S3ReadPolicy: { BucketName: !Ref IntakeBucket } } ]',
    terraform: 'data "aws_iam_policy_document" "fn" { statement { actions = ["dynamodb:GetItem", "dynamodb:PutItem"]  resources = [aws_dynamodb_table.patients.arn] } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.PT-3'], hipaa: ['164.308(a)(3)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  evaluate(fn, ctx) {
    const role = ctx.view.refs(fn.props['Role'], fn).find((r) => r.type === 'AWS::IAM::Role')
    if (!role) return manual(`Lambda function ${fn.name} uses role ${describe(fn.props['Role'])}, which is not in the scanned files; review its policies.`, { path: 'Role' })
    const results: CheckResult[] = []
    for (const { statement: st, via } of ctx.view.workloadStatements(fn)) {
      if (st.effect !== 'Allow') continue
      const problems: string[] = []
      const allRes = allResourcesEntry(st)
      const scoped = scopingConditionKeys(st).length > 0
      if (st.actions.includes('*')) problems.push(`every action ("*")${allRes ? ` on ${allRes === '*' ? 'every resource' : allRes}` : ''}`)
      else if (st.actions.length === 0 && st.notActions.length) problems.push(`every action except ${st.notActions.join(', ')} (NotAction)`)
      else {
        const wild = st.actions.filter(isServiceWildcard)
        if (wild.length) problems.push(`all actions of ${wild.join(', ')}`)
        if (allRes && !scoped) {
          const writes = st.actions.filter((a) => !isServiceWildcard(a) && mayWrite(a) && !isResourceStarOnly(a))
          if (writes.length) problems.push(`${writes.join(', ')} on ${allRes === '*' ? 'all resources ("*")' : allRes}`)
          const reads = st.actions.filter((a) => !isServiceWildcard(a) && !mayWrite(a) && DATA_READS.some((d) => actionMatches(a, d)))
          if (reads.length) problems.push(`data reads ${reads.join(', ')} on ${allRes === '*' ? 'all resources ("*")' : allRes}`)
        }
      }
      if (problems.length) {
        results.push(fail(`Lambda function ${fn.name} is granted ${problems.join('; ')} by ${via}${st.sid ? ` (statement ${st.sid})` : ''}.`, { evidence: { role: role.id, via, sid: st.sid, actions: st.actions.slice(0, 10), resources: st.resources.map(describe).slice(0, 5) } }))
      }
    }
    list(role.props['ManagedPolicyArns']).forEach((arn) => {
      const name = managedPolicyName(arn)
      if (name && (ADMIN_MANAGED_POLICIES.includes(name) || BROAD_MANAGED.test(name))) {
        results.push(fail(`Lambda function ${fn.name} is granted AWS managed policy ${name} by role ${role.name}, which covers whole services on every resource.`, { evidence: { role: role.id, managedPolicy: name } }))
      }
    })
    return results.length ? results : pass(`Lambda function ${fn.name} has a scoped role (${role.name}): no wildcard actions and no write or data access on all resources.`, { role: role.id })
  },
})
