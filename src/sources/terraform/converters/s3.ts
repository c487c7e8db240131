import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverted, TfConverter, TfReader } from '../types.js'
import { flag, generated, mergeInto, own } from './common.js'

const BUCKET = 'AWS::S3::Bucket'

function sseRules(rules: TfReader[]): unknown[] {
  return rules.map((rule) => {
    const d = rule.block('apply_server_side_encryption_by_default')
    return compact({
      ServerSideEncryptionByDefault: d ? nested({ SSEAlgorithm: d.get('sse_algorithm'), KMSMasterKeyID: nonBlank(d.ref('kms_master_key_id')) }) : undefined,
      BucketKeyEnabled: rule.get('bucket_key_enabled'),
    })
  })
}

/** The bucket a split configuration resource configures: a reference, else its name. */
const bucketTarget = (r: TfReader): unknown => r.ref('bucket')

const CANNED: Record<string, string> = {
  private: 'Private',
  'public-read': 'PublicRead',
  'public-read-write': 'PublicReadWrite',
  'authenticated-read': 'AuthenticatedRead',
  'log-delivery-write': 'LogDeliveryWrite',
  'bucket-owner-read': 'BucketOwnerRead',
  'bucket-owner-full-control': 'BucketOwnerFullControl',
  'aws-exec-read': 'AwsExecRead',
}

function aclName(acl: unknown): unknown {
  return typeof acl === 'string' ? (acl ? CANNED[acl] ?? acl : undefined) : acl
}

/**
 * The canned ACL equivalent of explicit grants, as far as public access goes: CloudFormation has
 * only canned ACLs, and what the checks judge is whether everyone (or every AWS account) is granted.
 */
function aclFromGrants(grants: { uri: unknown; permission: unknown }[]): unknown {
  if (!grants.length) return undefined
  // a grant known only after apply may be to anyone
  const unknown = grants.flatMap((g) => [g.uri, g.permission]).find((v) => v !== null && typeof v === 'object')
  if (unknown !== undefined) return unknown
  const to = (group: string): string[] => grants.filter((g) => typeof g.uri === 'string' && g.uri.endsWith(`/global/${group}`)).map((g) => String(g.permission))
  const all = to('AllUsers')
  if (all.some((p) => p === 'WRITE' || p === 'FULL_CONTROL')) return 'PublicReadWrite'
  if (all.length) return 'PublicRead'
  if (to('AuthenticatedUsers').length) return 'AuthenticatedRead'
  if (grants.some((g) => typeof g.uri === 'string' && g.uri.endsWith('/s3/LogDelivery'))) return 'LogDeliveryWrite'
  return 'Private'
}

function grantsOf(list: TfReader[]): { uri: unknown; permission: unknown }[] {
  return list.map((g) => {
    const grantee = g.block('grantee')
    return { uri: grantee ? grantee.get('uri') : g.get('uri'), permission: g.get('permission') ?? (g.get('permissions') as unknown[] | undefined)?.join(',') }
  })
}

/** `events` list of a notification → one CloudFormation configuration per event. */
function notifications(list: TfReader[], arnAttr: string, key: 'Function' | 'Queue' | 'Topic'): unknown[] | undefined {
  const out: unknown[] = []
  for (const n of list) {
    const events = n.get('events')
    const filterRules = [
      ...(typeof n.get('filter_prefix') === 'string' && n.get('filter_prefix') ? [{ Name: 'prefix', Value: n.get('filter_prefix') }] : []),
      ...(typeof n.get('filter_suffix') === 'string' && n.get('filter_suffix') ? [{ Name: 'suffix', Value: n.get('filter_suffix') }] : []),
    ]
    for (const event of Array.isArray(events) ? events : [events]) {
      out.push(compact({ Event: event, [key]: n.ref(arnAttr), Filter: filterRules.length ? { S3Key: { Rules: filterRules } } : undefined }))
    }
  }
  return nonEmpty(out)
}

function lifecycleRules(rules: TfReader[]): unknown[] {
  return rules.map((rule) => {
    const filter = rule.block('filter')
    const exp = rule.block('expiration')
    const nce = rule.block('noncurrent_version_expiration')
    const abort = rule.block('abort_incomplete_multipart_upload')
    return compact({
      Id: nonBlank(rule.get('id')),
      Status: rule.get('status') ?? (rule.get('enabled') === false ? 'Disabled' : rule.get('enabled') === true ? 'Enabled' : undefined),
      Prefix: nonBlank(filter?.get('prefix') ?? rule.get('prefix')),
      ExpirationInDays: exp?.get('days') || undefined,
      NoncurrentVersionExpiration: nce ? nested({ NoncurrentDays: nce.get('noncurrent_days') ?? nce.get('days') }) : undefined,
      AbortIncompleteMultipartUpload: abort ? nested({ DaysAfterInitiation: abort.get('days_after_initiation') }) : rule.get('abort_incomplete_multipart_upload_days') ? { DaysAfterInitiation: rule.get('abort_incomplete_multipart_upload_days') } : undefined,
      Transitions: nonEmpty(rule.blocks('transition').map((t) => compact({ StorageClass: t.get('storage_class'), TransitionInDays: t.get('days') ?? undefined, TransitionDate: nonBlank(t.get('date')) }))),
    })
  })
}

function corsRules(rules: TfReader[]): unknown[] {
  return rules.map((c) =>
    compact({
      Id: nonBlank(c.get('id')),
      AllowedMethods: c.get('allowed_methods'),
      AllowedOrigins: c.get('allowed_origins'),
      AllowedHeaders: nonEmpty(c.get('allowed_headers')),
      ExposedHeaders: nonEmpty(c.get('expose_headers')),
      MaxAge: c.get('max_age_seconds'),
    }),
  )
}

function website(w: TfReader): Record<string, unknown> | undefined {
  const index = w.block('index_document')
  const error = w.block('error_document')
  const redirect = w.block('redirect_all_requests_to')
  return nested({
    IndexDocument: index ? index.get('suffix') : nonBlank(w.get('index_document')),
    ErrorDocument: error ? error.get('key') : nonBlank(w.get('error_document')),
    RedirectAllRequestsTo: redirect
      ? nested({ HostName: redirect.get('host_name'), Protocol: redirect.get('protocol') })
      : typeof w.get('redirect_all_requests_to') === 'string' && w.get('redirect_all_requests_to')
        ? { HostName: w.get('redirect_all_requests_to') }
        : undefined,
  })
}

/** aws_s3_bucket (provider v3 inline settings, and the values v4+ reads back) and the split bucket-configuration resources of v4+. */
export const S3_CONVERTERS: Record<string, TfConverter> = {
  aws_s3_bucket: (r) => {
    const props: Record<string, unknown> = { BucketName: r.get('bucket'), Tags: r.tags() }
    const versioning = r.block('versioning')
    if (versioning) {
      const enabled = flag(versioning.get('enabled'))
      if (enabled !== undefined) props['VersioningConfiguration'] = { Status: enabled === true ? 'Enabled' : enabled === false ? 'Suspended' : enabled }
    }
    const sse = r.block('server_side_encryption_configuration')
    if (sse) props['BucketEncryption'] = { ServerSideEncryptionConfiguration: sseRules(sse.blocks('rule')) }
    const logging = r.block('logging')
    if (logging) props['LoggingConfiguration'] = compact({ DestinationBucketName: logging.ref('target_bucket'), LogFilePrefix: nonBlank(logging.get('target_prefix')) })
    props['AccessControl'] = aclName(r.get('acl')) ?? aclFromGrants(grantsOf(r.blocks('grant')))
    const lock = r.block('object_lock_configuration')
    if (r.get('object_lock_enabled') === true || lock?.get('object_lock_enabled') === 'Enabled') {
      props['ObjectLockEnabled'] = true
      const ret = lock?.block('rule')?.block('default_retention')
      props['ObjectLockConfiguration'] = compact({ ObjectLockEnabled: 'Enabled', Rule: ret ? { DefaultRetention: compact({ Mode: ret.get('mode'), Days: ret.get('days'), Years: ret.get('years') }) } : undefined })
    }
    const web = r.block('website')
    if (web) props['WebsiteConfiguration'] = website(web)
    const lifecycle = r.blocks('lifecycle_rule')
    if (lifecycle.length) props['LifecycleConfiguration'] = { Rules: lifecycleRules(lifecycle) }
    const cors = r.blocks('cors_rule')
    if (cors.length) props['CorsConfiguration'] = { CorsRules: corsRules(cors) }
    const out: TfConverted[] = [own(r, BUCKET, props)]
    const policy = r.json('policy')
    if (policy !== undefined && policy !== '') {
      out.push(generated(r, 'policy', 'AWS::S3::BucketPolicy', { Bucket: { Ref: r.res.address }, PolicyDocument: policy }, { inlineOf: r.res.address, lines: { PolicyDocument: 'policy' } }))
    }
    return out
  },
  aws_s3_bucket_versioning: (r) => {
    const status = r.block('versioning_configuration')?.get('status')
    // "Disabled" is a bucket whose versioning was never turned on: CloudFormation leaves it out
    if (status === 'Disabled' || status === undefined) return [mergeInto(BUCKET, bucketTarget(r), {})]
    return [mergeInto(BUCKET, bucketTarget(r), { VersioningConfiguration: { Status: status } })]
  },
  aws_s3_bucket_server_side_encryption_configuration: (r) => [mergeInto(BUCKET, bucketTarget(r), { BucketEncryption: { ServerSideEncryptionConfiguration: sseRules(r.blocks('rule')) } })],
  aws_s3_bucket_public_access_block: (r) => [
    mergeInto(BUCKET, bucketTarget(r), {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: r.getOr('block_public_acls', false),
        BlockPublicPolicy: r.getOr('block_public_policy', false),
        IgnorePublicAcls: r.getOr('ignore_public_acls', false),
        RestrictPublicBuckets: r.getOr('restrict_public_buckets', false),
      },
    }),
  ],
  aws_s3_bucket_logging: (r) => [mergeInto(BUCKET, bucketTarget(r), { LoggingConfiguration: compact({ DestinationBucketName: r.ref('target_bucket'), LogFilePrefix: nonBlank(r.get('target_prefix')) }) })],
  aws_s3_bucket_acl: (r) => {
    const acp = r.block('access_control_policy')
    const acl = aclName(r.get('acl')) ?? (acp ? aclFromGrants(grantsOf(acp.blocks('grant'))) : undefined)
    return [mergeInto(BUCKET, bucketTarget(r), { AccessControl: acl })]
  },
  aws_s3_bucket_ownership_controls: (r) => [mergeInto(BUCKET, bucketTarget(r), { OwnershipControls: { Rules: r.blocks('rule').map((x) => compact({ ObjectOwnership: x.get('object_ownership') })) } })],
  aws_s3_bucket_object_lock_configuration: (r) => {
    const ret = r.block('rule')?.block('default_retention')
    return [
      mergeInto(BUCKET, bucketTarget(r), {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: compact({ ObjectLockEnabled: 'Enabled', Rule: ret ? { DefaultRetention: compact({ Mode: ret.get('mode'), Days: ret.get('days'), Years: ret.get('years') }) } : undefined }),
      }),
    ]
  },
  aws_s3_bucket_lifecycle_configuration: (r) => [mergeInto(BUCKET, bucketTarget(r), { LifecycleConfiguration: { Rules: lifecycleRules(r.blocks('rule')) } })],
  aws_s3_bucket_replication_configuration: (r) => [
    mergeInto(BUCKET, bucketTarget(r), {
      ReplicationConfiguration: {
        Role: r.ref('role'),
        Rules: r.blocks('rule').map((x) => {
          const dest = x.block('destination')
          const enc = dest?.block('encryption_configuration')
          const dmr = x.block('delete_marker_replication')
          return compact({
            Id: nonBlank(x.get('id')),
            Status: x.get('status'),
            Priority: x.get('priority'),
            Prefix: nonBlank(x.get('prefix')),
            Destination: compact({ Bucket: dest?.ref('bucket'), StorageClass: nonBlank(dest?.get('storage_class')), Account: nonBlank(dest?.get('account')), EncryptionConfiguration: enc ? nested({ ReplicaKmsKeyID: enc.ref('replica_kms_key_id') }) : undefined }),
            DeleteMarkerReplication: dmr ? nested({ Status: dmr.get('status') }) : undefined,
          })
        }),
      },
    }),
  ],
  aws_s3_bucket_notification: (r) => [
    mergeInto(BUCKET, bucketTarget(r), {
      NotificationConfiguration: compact({
        LambdaConfigurations: notifications(r.blocks('lambda_function'), 'lambda_function_arn', 'Function'),
        QueueConfigurations: notifications(r.blocks('queue'), 'queue_arn', 'Queue'),
        TopicConfigurations: notifications(r.blocks('topic'), 'topic_arn', 'Topic'),
        EventBridgeConfiguration: r.get('eventbridge') === true ? { EventBridgeEnabled: true } : undefined,
      }),
    }),
  ],
  aws_s3_bucket_cors_configuration: (r) => [mergeInto(BUCKET, bucketTarget(r), { CorsConfiguration: { CorsRules: corsRules(r.blocks('cors_rule')) } })],
  aws_s3_bucket_website_configuration: (r) => [mergeInto(BUCKET, bucketTarget(r), { WebsiteConfiguration: website(r) })],
  aws_s3_bucket_policy: (r) => [own(r, 'AWS::S3::BucketPolicy', { Bucket: r.ref('bucket'), PolicyDocument: r.json('policy') }, { lines: { PolicyDocument: 'policy' } })],
}
