import { compact, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { mergeInto, own, regionOf } from './common.js'

function fieldSelector(f: TfReader): Record<string, unknown> {
  return compact({
    Field: f.get('field'),
    Equals: nonEmpty(f.get('equals')),
    NotEquals: nonEmpty(f.get('not_equals')),
    StartsWith: nonEmpty(f.get('starts_with')),
    NotStartsWith: nonEmpty(f.get('not_starts_with')),
    EndsWith: nonEmpty(f.get('ends_with')),
    NotEndsWith: nonEmpty(f.get('not_ends_with')),
  })
}

/** CloudTrail trails: multi-region, log file validation, encryption, CloudWatch Logs delivery and event selectors. */
export const CLOUDTRAIL_CONVERTERS: Record<string, TfConverter> = {
  aws_cloudtrail: (r) => [
    // a logging trail logs its Region, or every Region: the Region settings the plan declares say so
    ...(r.getOr('enable_logging', true) === true
      ? [mergeInto('PhiWall::AWS::RegionSettings', undefined, { CloudTrailLogging: true }, { all: true, ...(r.get('is_multi_region_trail') === true ? {} : { match: { Region: regionOf(r) } }) })]
      : []),
    own(
      r,
      'AWS::CloudTrail::Trail',
      {
        TrailName: r.get('name'),
        S3BucketName: r.ref('s3_bucket_name'),
        S3KeyPrefix: nonBlank(r.get('s3_key_prefix')),
        // Terraform starts logging unless told not to; CloudFormation requires the flag
        IsLogging: r.getOr('enable_logging', true),
        IsMultiRegionTrail: r.get('is_multi_region_trail'),
        IncludeGlobalServiceEvents: r.get('include_global_service_events'),
        IsOrganizationTrail: r.get('is_organization_trail'),
        EnableLogFileValidation: r.get('enable_log_file_validation'),
        KMSKeyId: nonBlank(r.ref('kms_key_id')),
        CloudWatchLogsLogGroupArn: nonBlank(r.ref('cloud_watch_logs_group_arn')),
        CloudWatchLogsRoleArn: nonBlank(r.ref('cloud_watch_logs_role_arn')),
        SnsTopicName: nonBlank(r.ref('sns_topic_name')),
        EventSelectors: nonEmpty(
          r.blocks('event_selector').map((s) =>
            compact({
              ReadWriteType: s.get('read_write_type'),
              IncludeManagementEvents: s.get('include_management_events'),
              ExcludeManagementEventSources: nonEmpty(s.get('exclude_management_event_sources')),
              DataResources: nonEmpty(s.blocks('data_resource').map((d) => compact({ Type: d.get('type'), Values: d.refList('values') }))),
            }),
          ),
        ),
        AdvancedEventSelectors: nonEmpty(r.blocks('advanced_event_selector').map((s) => compact({ Name: nonBlank(s.get('name')), FieldSelectors: s.blocks('field_selector').map(fieldSelector) }))),
        InsightSelectors: nonEmpty(r.blocks('insight_selector').map((s) => compact({ InsightType: s.get('insight_type') }))),
        Tags: r.tags(),
      },
      { lines: { IsLogging: 'enable_logging', KMSKeyId: 'kms_key_id', CloudWatchLogsLogGroupArn: 'cloud_watch_logs_group_arn', TrailName: 'name', EventSelectors: 'event_selector' } },
    ),
  ],
}
