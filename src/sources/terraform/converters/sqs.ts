import { isIntrinsic } from '../../cloudformation/index.js'
import { intrinsicFor, nonBlank } from '../reader.js'
import type { TfConverted, TfConverter, TfReader } from '../types.js'
import { generated, own } from './common.js'

/**
 * `redrive_policy` parsed; when it is known only after apply (the dead-letter queue is new) it
 * still names the queue, so the inventory links the two.
 */
function redrive(r: TfReader, attr: string): unknown {
  const v = r.json(attr)
  if (v === undefined || v === '') return undefined
  if (v !== null && typeof v === 'object' && isIntrinsic(v)) {
    const dlq = r.targets(attr).find((t) => t.type === 'aws_sqs_queue' && t.mode === 'managed')
    return dlq ? { deadLetterTargetArn: intrinsicFor(dlq) } : v
  }
  return v
}

/** SQS queues (with their `policy` as a queue policy) and queue policies. */
export const SQS_CONVERTERS: Record<string, TfConverter> = {
  aws_sqs_queue: (r) => {
    const out: TfConverted[] = [
      own(
        r,
        'AWS::SQS::Queue',
        {
          QueueName: r.get('name'),
          FifoQueue: r.get('fifo_queue') === true ? true : undefined,
          ContentBasedDeduplication: r.get('fifo_queue') === true ? r.get('content_based_deduplication') : undefined,
          KmsMasterKeyId: nonBlank(r.ref('kms_master_key_id')),
          KmsDataKeyReusePeriodSeconds: nonBlank(r.ref('kms_master_key_id')) !== undefined ? r.get('kms_data_key_reuse_period_seconds') : undefined,
          SqsManagedSseEnabled: r.get('sqs_managed_sse_enabled'),
          DelaySeconds: r.get('delay_seconds'),
          MaximumMessageSize: r.get('max_message_size'),
          MessageRetentionPeriod: r.get('message_retention_seconds'),
          ReceiveMessageWaitTimeSeconds: r.get('receive_wait_time_seconds'),
          VisibilityTimeout: r.get('visibility_timeout_seconds'),
          RedrivePolicy: redrive(r, 'redrive_policy'),
          RedriveAllowPolicy: nonBlank(r.json('redrive_allow_policy')),
          Tags: r.tags(),
        },
        { lines: { KmsMasterKeyId: 'kms_master_key_id', RedrivePolicy: 'redrive_policy', MessageRetentionPeriod: 'message_retention_seconds' } },
      ),
    ]
    const policy = r.json('policy')
    if (policy !== undefined && policy !== '') {
      out.push(generated(r, 'policy', 'AWS::SQS::QueuePolicy', { Queues: [{ Ref: r.res.address }], PolicyDocument: policy }, { inlineOf: r.res.address, lines: { PolicyDocument: 'policy' } }))
    }
    return out
  },
  aws_sqs_queue_policy: (r) => [own(r, 'AWS::SQS::QueuePolicy', { Queues: [r.ref('queue_url')], PolicyDocument: r.json('policy') }, { lines: { Queues: 'queue_url', PolicyDocument: 'policy' } })],
}
