import { nonBlank } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** Kinesis data streams: encryption, retention and capacity mode. */
export const KINESIS_CONVERTERS: Record<string, TfConverter> = {
  aws_kinesis_stream: (r) => {
    const type = r.get('encryption_type')
    const mode = r.block('stream_mode_details')
    return [
      own(
        r,
        'AWS::Kinesis::Stream',
        {
          Name: r.get('name'),
          ShardCount: mode?.get('stream_mode') === 'ON_DEMAND' ? undefined : r.get('shard_count') || undefined,
          RetentionPeriodHours: r.get('retention_period'),
          // "NONE" is what CloudFormation says by leaving StreamEncryption out
          StreamEncryption: type === 'KMS' || (type !== undefined && typeof type === 'object') ? { EncryptionType: type, KeyId: nonBlank(r.ref('kms_key_id')) ?? 'alias/aws/kinesis' } : undefined,
          StreamModeDetails: mode ? { StreamMode: mode.get('stream_mode') } : undefined,
          Tags: r.tags(),
        },
        { lines: { StreamEncryption: 'encryption_type', RetentionPeriodHours: 'retention_period' } },
      ),
    ]
  },
}
