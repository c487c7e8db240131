import { defineCheck, fail, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { attachedPolicyStatements, deniesInsecureTransport } from './lib/policy-docs.js'

/** Messages are published to topics only over TLS. */
export default defineCheck({
  id: 'aws/sns-topic-ssl-only',
  title: 'SNS topic policy denies publishing without TLS',
  severity: 'medium',
  resourceKinds: ['aws:sns:topic'],
  rationale:
    'SNS accepts Publish over plain HTTP unless the topic policy refuses it. A misconfigured publisher then sends notifications that may name patients and appointments unencrypted over the network.',
  remediation: {
    text: 'Attach a topic policy that denies sns:Publish to every principal when aws:SecureTransport is false.',
    cloudformation: 'PolicyDocument: { Statement: [ { Effect: Deny, Principal: "*", Action: "sns:Publish", Resource: !Ref Topic, Condition: { Bool: { "aws:SecureTransport": false } } } ] }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  evaluate(topic, ctx) {
    const statements = attachedPolicyStatements(topic, ctx, 'AWS::SNS::TopicPolicy')
    const deny = statements.find(({ statement }) => deniesInsecureTransport(statement, 'sns'))
    if (deny) return pass(`${subject(topic)} denies publishing without TLS (policy ${deny.policy.name}).`)
    return fail(
      statements.length ? `${subject(topic)} has a topic policy, but none of its statements denies requests without TLS.` : `${subject(topic)} has no topic policy denying requests without TLS.`,
      { evidence: { policies: [...new Set(statements.map((s) => s.policy.id))] } },
    )
  },
})
