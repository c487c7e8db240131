import { defineCheck, fail, pass } from '../define-check.js'
import { publicStatements } from './lib/resource-policy.js'

/** No topic policy lets anyone publish to or subscribe to a topic. */
export default defineCheck({
  id: 'aws/sns-topic-policy-no-public',
  title: 'SNS topic policy does not allow access by everyone',
  severity: 'critical',
  resourceKinds: ['aws:sns:topic'],
  rationale: 'A topic policy granting Principal "*" without a source condition lets any AWS account subscribe and receive every notification — appointment reminders, lab-result alerts — or publish forged ones.',
  remediation: {
    text: 'Name the principals that may publish or subscribe, or restrict with aws:SourceAccount / aws:SourceArn / aws:PrincipalOrgID conditions.',
    cloudformation: '{ Effect: Allow, Principal: { Service: events.amazonaws.com }, Action: sns:Publish, Resource: !Ref Topic, Condition: { ArnEquals: { "aws:SourceArn": !GetAtt Rule.Arn } } }',
  },
  controls: { csf: ['PR.AC-4', 'PR.DS-5', 'PR.PT-3'], hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL'] },
  references: { prowler: ['sns_topics_not_publicly_accessible'] },
  evaluate(topic, ctx) {
    const open = publicStatements(topic, ctx, 'AWS::SNS::TopicPolicy', ['sns:Publish', 'sns:Subscribe', 'sns:Receive', 'sns:SetTopicAttributes', 'sns:AddPermission'])
    if (open.length === 0) return pass(`SNS topic ${topic.name} is not open to everyone.`)
    const o = open[0]!
    return fail(`SNS topic ${topic.name} lets everyone call ${o.statement.actions.join(', ')} (policy ${o.policy.name}).`, { evidence: { policy: o.policy.id, actions: o.statement.actions } })
  },
})
