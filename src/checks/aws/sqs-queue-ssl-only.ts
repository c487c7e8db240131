import { defineCheck, fail, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { attachedPolicyStatements, deniesInsecureTransport } from './lib/policy-docs.js'

/** Messages travel to and from queues only over TLS. */
export default defineCheck({
  id: 'aws/sqs-queue-ssl-only',
  title: 'SQS queue policy denies requests that do not use TLS',
  severity: 'medium',
  resourceKinds: ['aws:sqs:queue'],
  rationale:
    'SQS accepts plain-HTTP requests on its regional endpoint unless the queue policy refuses them. A misconfigured client, proxy or legacy SDK then sends and receives message bodies, which often carry patient identifiers, unencrypted over the network.',
  remediation: {
    text: 'Attach a queue policy with a statement that denies sqs:* to every principal when aws:SecureTransport is false.',
    cloudformation: 'PolicyDocument: { Statement: [ { Effect: Deny, Principal: "*", Action: "sqs:*", Resource: !GetAtt Queue.Arn, Condition: { Bool: { "aws:SecureTransport": false } } } ] }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  evaluate(queue, ctx) {
    const statements = attachedPolicyStatements(queue, ctx, 'AWS::SQS::QueuePolicy')
    const deny = statements.find(({ statement }) => deniesInsecureTransport(statement, 'sqs'))
    if (deny) return pass(`${subject(queue)} denies requests without TLS (policy ${deny.policy.name}).`)
    return fail(
      statements.length ? `${subject(queue)} has a queue policy, but none of its statements denies requests without TLS.` : `${subject(queue)} has no queue policy denying requests without TLS.`,
      { evidence: { policies: [...new Set(statements.map((s) => s.policy.id))] } },
    )
  },
})
