import { compact, nonBlank } from '../reader.js'
import type { TfConverted, TfConverter } from '../types.js'
import { generated, own } from './common.js'

/** Delivery-status logging of a topic, one entry per protocol that has a feedback role. */
function deliveryStatusLogging(get: (attr: string) => unknown): unknown[] | undefined {
  const out: unknown[] = []
  for (const [prefix, protocol] of [
    ['application', 'application'],
    ['firehose', 'firehose'],
    ['http', 'http/s'],
    ['lambda', 'lambda'],
    ['sqs', 'sqs'],
  ] as const) {
    const success = nonBlank(get(`${prefix}_success_feedback_role_arn`))
    const failure = nonBlank(get(`${prefix}_failure_feedback_role_arn`))
    if (success === undefined && failure === undefined) continue
    out.push(compact({ Protocol: protocol, SuccessFeedbackRoleArn: success, FailureFeedbackRoleArn: failure, SuccessFeedbackSampleRate: get(`${prefix}_success_feedback_sample_rate`) !== undefined ? String(get(`${prefix}_success_feedback_sample_rate`)) : undefined }))
  }
  return out.length ? out : undefined
}

/** SNS topics (with their `policy` as a topic policy), topic policies and subscriptions. */
export const SNS_CONVERTERS: Record<string, TfConverter> = {
  aws_sns_topic: (r) => {
    const out: TfConverted[] = [
      own(
        r,
        'AWS::SNS::Topic',
        {
          TopicName: r.get('name'),
          DisplayName: nonBlank(r.get('display_name')),
          KmsMasterKeyId: nonBlank(r.ref('kms_master_key_id')),
          FifoTopic: r.get('fifo_topic') === true ? true : undefined,
          ContentBasedDeduplication: r.get('fifo_topic') === true ? r.get('content_based_deduplication') : undefined,
          TracingConfig: nonBlank(r.get('tracing_config')),
          SignatureVersion: r.get('signature_version') !== undefined ? String(r.get('signature_version')) : undefined,
          DeliveryStatusLogging: deliveryStatusLogging((a) => r.ref(a)),
          Tags: r.tags(),
        },
        { lines: { KmsMasterKeyId: 'kms_master_key_id' } },
      ),
    ]
    const policy = r.json('policy')
    if (policy !== undefined && policy !== '') {
      out.push(generated(r, 'policy', 'AWS::SNS::TopicPolicy', { Topics: [{ Ref: r.res.address }], PolicyDocument: policy }, { inlineOf: r.res.address, lines: { PolicyDocument: 'policy' } }))
    }
    return out
  },
  aws_sns_topic_policy: (r) => [own(r, 'AWS::SNS::TopicPolicy', { Topics: [r.ref('arn')], PolicyDocument: r.json('policy') }, { lines: { Topics: 'arn', PolicyDocument: 'policy' } })],
  aws_sns_topic_subscription: (r) => [
    own(r, 'AWS::SNS::Subscription', {
      TopicArn: r.ref('topic_arn'),
      Protocol: r.get('protocol'),
      Endpoint: r.ref('endpoint'),
      RawMessageDelivery: r.get('raw_message_delivery'),
      FilterPolicy: nonBlank(r.json('filter_policy')),
      FilterPolicyScope: nonBlank(r.get('filter_policy_scope')),
      RedrivePolicy: nonBlank(r.json('redrive_policy')),
      SubscriptionRoleArn: nonBlank(r.ref('subscription_role_arn')),
    }),
  ],
}
