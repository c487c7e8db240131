import { defineCheck, fail, pass } from '../define-check.js'
import { publicStatements } from './lib/resource-policy.js'

/** No queue policy lets anyone send, read or delete messages. */
export default defineCheck({
  id: 'aws/sqs-queue-policy-no-public',
  title: 'SQS queue policy does not allow access by everyone',
  severity: 'critical',
  resourceKinds: ['aws:sqs:queue'],
  rationale: 'A queue policy granting Principal "*" without a source condition lets any AWS account read patient messages from the queue, or inject forged ones into the processing pipeline.',
  remediation: {
    text: 'Name the principals that may use the queue (roles, or a service with aws:SourceArn / aws:SourceAccount), or add an aws:PrincipalOrgID condition.',
    cloudformation: '{ Effect: Allow, Principal: { Service: sns.amazonaws.com }, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn, Condition: { ArnEquals: { "aws:SourceArn": !Ref Topic } } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-5', 'PR.PT-3'], hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['sqs_queues_not_publicly_accessible'] },
  evaluate(queue, ctx) {
    const open = publicStatements(queue, ctx, 'AWS::SQS::QueuePolicy', ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue', 'sqs:SetQueueAttributes'])
    if (open.length === 0) return pass(`SQS queue ${queue.name} is not open to everyone.`)
    const o = open[0]!
    return fail(`SQS queue ${queue.name} lets everyone call ${o.statement.actions.join(', ')} (policy ${o.policy.name}).`, { evidence: { policy: o.policy.id, actions: o.statement.actions } })
  },
})
