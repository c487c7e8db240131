import { block, blocks, compact, policyDoc, tagList } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'

function sseRules(rules: Record<string, unknown>[]): unknown[] {
  return rules.map((rule) => {
    const d = block(rule['apply_server_side_encryption_by_default']) ?? {}
    return compact({
      ServerSideEncryptionByDefault: compact({ SSEAlgorithm: d['sse_algorithm'], KMSMasterKeyID: d['kms_master_key_id'] || undefined }),
      BucketKeyEnabled: rule['bucket_key_enabled'] ?? undefined,
    })
  })
}

const bucketTarget = (r: TfReader): unknown => r.refTo('bucket') ?? r.raw('bucket')

/** aws_s3_bucket and the split bucket-configuration resources of AWS provider v4+. */
export const S3_CONVERTERS: Record<string, TfConverter> = {
  aws_s3_bucket: (r) => {
    const v = r.res.values
    const props: Record<string, unknown> = compact({ BucketName: r.get('bucket'), Tags: tagList(v['tags']) })
    // provider v3 inline blocks
    const versioning = block(v['versioning'])
    if (versioning) props['VersioningConfiguration'] = { Status: versioning['enabled'] ? 'Enabled' : 'Suspended' }
    const sse = block(v['server_side_encryption_configuration'])
    if (sse) props['BucketEncryption'] = { ServerSideEncryptionConfiguration: sseRules(blocks(sse['rule'])) }
    const logging = block(v['logging'])
    if (logging) props['LoggingConfiguration'] = compact({ DestinationBucketName: logging['target_bucket'], LogFilePrefix: logging['target_prefix'] })
    if (typeof v['acl'] === 'string') props['AccessControl'] = aclName(v['acl'])
    if (v['object_lock_enabled'] === true || block(v['object_lock_configuration'])?.['object_lock_enabled'] === 'Enabled') props['ObjectLockEnabled'] = true
    if (typeof v['policy'] === 'string' && v['policy']) {
      return [
        { sourceId: r.res.address, type: 'AWS::S3::Bucket', properties: props },
        { sourceId: `${r.res.address}#policy`, type: 'AWS::S3::BucketPolicy', properties: { Bucket: { Ref: r.res.address }, PolicyDocument: policyDoc(v['policy']) }, generatedFrom: r.res.address },
      ]
    }
    return [{ sourceId: r.res.address, type: 'AWS::S3::Bucket', properties: props }]
  },
  aws_s3_bucket_versioning: (r) => {
    const cfg = block(r.raw('versioning_configuration')) ?? {}
    return [{ mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) }, properties: { VersioningConfiguration: { Status: cfg['status'] === 'Enabled' ? 'Enabled' : 'Suspended' } } }]
  },
  aws_s3_bucket_server_side_encryption_configuration: (r) => [
    { mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) }, properties: { BucketEncryption: { ServerSideEncryptionConfiguration: sseRules(blocks(r.raw('rule'))) } } },
  ],
  aws_s3_bucket_public_access_block: (r) => [
    {
      mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) },
      properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: r.raw('block_public_acls') ?? false,
          BlockPublicPolicy: r.raw('block_public_policy') ?? false,
          IgnorePublicAcls: r.raw('ignore_public_acls') ?? false,
          RestrictPublicBuckets: r.raw('restrict_public_buckets') ?? false,
        },
      },
    },
  ],
  aws_s3_bucket_logging: (r) => [
    { mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) }, properties: { LoggingConfiguration: compact({ DestinationBucketName: r.get('target_bucket'), LogFilePrefix: r.raw('target_prefix') }) } },
  ],
  aws_s3_bucket_acl: (r) => [{ mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) }, properties: compact({ AccessControl: typeof r.raw('acl') === 'string' ? aclName(r.raw('acl') as string) : undefined }) }],
  aws_s3_bucket_ownership_controls: (r) => {
    const rule = block(r.raw('rule')) ?? {}
    return [{ mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) }, properties: { OwnershipControls: { Rules: [{ ObjectOwnership: rule['object_ownership'] }] } } }]
  },
  aws_s3_bucket_object_lock_configuration: (r) => {
    const rule = block(r.raw('rule'))
    const ret = rule ? block(rule['default_retention']) : undefined
    return [
      {
        mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) },
        properties: {
          ObjectLockEnabled: true,
          ObjectLockConfiguration: compact({ ObjectLockEnabled: 'Enabled', Rule: ret ? { DefaultRetention: compact({ Mode: ret['mode'], Days: ret['days'] ?? undefined, Years: ret['years'] ?? undefined }) } : undefined }),
        },
      },
    ]
  },
  aws_s3_bucket_lifecycle_configuration: (r) => [
    {
      mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) },
      properties: {
        LifecycleConfiguration: {
          Rules: blocks(r.raw('rule')).map((rule) =>
            compact({
              Id: rule['id'],
              Status: rule['status'],
              NoncurrentVersionExpiration: block(rule['noncurrent_version_expiration']) ? { NoncurrentDays: block(rule['noncurrent_version_expiration'])!['noncurrent_days'] } : undefined,
              ExpirationInDays: block(rule['expiration'])?.['days'] ?? undefined,
            }),
          ),
        },
      },
    },
  ],
  aws_s3_bucket_replication_configuration: (r) => [
    { mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) }, properties: { ReplicationConfiguration: { Role: r.get('role'), Rules: blocks(r.raw('rule')).map((x) => compact({ Id: x['id'], Status: x['status'] })) } } },
  ],
  aws_s3_bucket_notification: (r) => [
    {
      mergeInto: { type: 'AWS::S3::Bucket', target: bucketTarget(r) },
      properties: {
        NotificationConfiguration: compact({
          LambdaConfigurations: blocks(r.raw('lambda_function')).map((x) => ({ Event: (x['events'] as unknown[] | undefined)?.[0], Function: x['lambda_function_arn'] })),
          QueueConfigurations: blocks(r.raw('queue')).map((x) => ({ Event: (x['events'] as unknown[] | undefined)?.[0], Queue: x['queue_arn'] })),
          TopicConfigurations: blocks(r.raw('topic')).map((x) => ({ Event: (x['events'] as unknown[] | undefined)?.[0], Topic: x['topic_arn'] })),
          EventBridgeConfiguration: r.raw('eventbridge') === true ? { EventBridgeEnabled: true } : undefined,
        }),
      },
    },
  ],
  aws_s3_bucket_policy: (r) => [
    { sourceId: r.res.address, type: 'AWS::S3::BucketPolicy', properties: { Bucket: r.refTo('bucket') ?? r.raw('bucket'), PolicyDocument: policyDoc(r.raw('policy')) } },
  ],
}

function aclName(acl: string): string {
  const map: Record<string, string> = {
    private: 'Private',
    'public-read': 'PublicRead',
    'public-read-write': 'PublicReadWrite',
    'authenticated-read': 'AuthenticatedRead',
    'log-delivery-write': 'LogDeliveryWrite',
    'bucket-owner-read': 'BucketOwnerRead',
    'bucket-owner-full-control': 'BucketOwnerFullControl',
    'aws-exec-read': 'AwsExecRead',
  }
  return map[acl] ?? acl
}
