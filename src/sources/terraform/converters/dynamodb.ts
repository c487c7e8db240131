import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own } from './common.js'

function keySchema(hash: unknown, range: unknown): unknown[] {
  return [...(hash ? [{ AttributeName: hash, KeyType: 'HASH' }] : []), ...(range ? [{ AttributeName: range, KeyType: 'RANGE' }] : [])]
}

function projection(i: TfReader): Record<string, unknown> | undefined {
  return nested({ ProjectionType: i.get('projection_type'), NonKeyAttributes: nonEmpty(i.get('non_key_attributes')) })
}

/** DynamoDB tables: keys, billing, point-in-time recovery, encryption, streams, TTL and indexes. */
export const DYNAMODB_CONVERTERS: Record<string, TfConverter> = {
  aws_dynamodb_table: (r) => {
    const pitr = r.block('point_in_time_recovery')
    const sse = r.block('server_side_encryption')
    const ttl = r.block('ttl')
    const provisioned = r.get('billing_mode') !== 'PAY_PER_REQUEST'
    const throughput = (x: TfReader): Record<string, unknown> | undefined => (provisioned ? nested({ ReadCapacityUnits: x.get('read_capacity'), WriteCapacityUnits: x.get('write_capacity') }) : undefined)
    // `enabled = false` is encryption with an AWS owned key; `true` without a key is the AWS managed key
    const sseEnabled = sse?.get('enabled')
    return [
      own(
        r,
        'AWS::DynamoDB::Table',
        {
          TableName: r.get('name'),
          BillingMode: r.get('billing_mode'),
          KeySchema: keySchema(r.get('hash_key'), r.get('range_key')),
          AttributeDefinitions: nonEmpty(r.blocks('attribute').map((a) => compact({ AttributeName: a.get('name'), AttributeType: a.get('type') }))),
          ProvisionedThroughput: throughput(r),
          PointInTimeRecoverySpecification: pitr ? nested({ PointInTimeRecoveryEnabled: pitr.get('enabled'), RecoveryPeriodInDays: pitr.get('recovery_period_in_days') }) : undefined,
          SSESpecification: sse
            ? compact({ SSEEnabled: sseEnabled ?? false, SSEType: sseEnabled === true ? 'KMS' : undefined, KMSMasterKeyId: sseEnabled === false ? undefined : nonBlank(sse.ref('kms_key_arn')) })
            : undefined,
          StreamSpecification: r.get('stream_enabled') === true ? nested({ StreamViewType: r.get('stream_view_type') }) : undefined,
          TimeToLiveSpecification: ttl && ttl.get('enabled') !== undefined ? compact({ AttributeName: nonBlank(ttl.get('attribute_name')), Enabled: ttl.get('enabled') }) : undefined,
          GlobalSecondaryIndexes: nonEmpty(
            r.blocks('global_secondary_index').map((i) => compact({ IndexName: i.get('name'), KeySchema: keySchema(i.get('hash_key'), i.get('range_key')), Projection: projection(i), ProvisionedThroughput: throughput(i) })),
          ),
          LocalSecondaryIndexes: nonEmpty(r.blocks('local_secondary_index').map((i) => compact({ IndexName: i.get('name'), KeySchema: keySchema(r.get('hash_key'), i.get('range_key')), Projection: projection(i) }))),
          DeletionProtectionEnabled: r.get('deletion_protection_enabled'),
          TableClass: nonBlank(r.get('table_class')),
          Tags: r.tags(),
        },
        { lines: { PointInTimeRecoverySpecification: 'point_in_time_recovery', SSESpecification: 'server_side_encryption', KeySchema: 'hash_key', TimeToLiveSpecification: 'ttl' } },
      ),
    ]
  },
}
