import { compact, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own, unlessNumber } from './common.js'

function dimensions(map: unknown): unknown[] | undefined {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return undefined
  const out = Object.entries(map as Record<string, unknown>).map(([Name, Value]) => ({ Name, Value }))
  return out.length ? out : undefined
}

function metricQuery(q: TfReader): Record<string, unknown> {
  const m = q.block('metric')
  return compact({
    Id: q.get('id'),
    Expression: nonBlank(q.get('expression')),
    Label: nonBlank(q.get('label')),
    ReturnData: q.get('return_data'),
    Period: q.get('period') || undefined,
    AccountId: nonBlank(q.get('account_id')),
    MetricStat: m
      ? compact({
          Metric: compact({ MetricName: m.get('metric_name'), Namespace: m.get('namespace'), Dimensions: dimensions(m.get('dimensions')) }),
          Period: m.get('period'),
          Stat: m.get('stat'),
          Unit: nonBlank(m.get('unit')),
        })
      : undefined,
  })
}

/** CloudWatch log groups (retention, encryption), metric filters, subscription filters and alarms. */
export const CLOUDWATCH_CONVERTERS: Record<string, TfConverter> = {
  aws_cloudwatch_log_group: (r) => [
    own(
      r,
      'AWS::Logs::LogGroup',
      {
        LogGroupName: r.get('name'),
        // 0 is "never expire", which CloudFormation says by leaving the property out
        RetentionInDays: unlessNumber(r.get('retention_in_days'), 0),
        KmsKeyId: nonBlank(r.ref('kms_key_id')),
        LogGroupClass: nonBlank(r.get('log_group_class')),
        Tags: r.tags(),
      },
      { lines: { LogGroupName: 'name' } },
    ),
  ],
  aws_cloudwatch_log_metric_filter: (r) => [
    own(r, 'AWS::Logs::MetricFilter', {
      FilterName: r.get('name'),
      LogGroupName: r.ref('log_group_name'),
      FilterPattern: r.get('pattern') ?? '',
      MetricTransformations: r.blocks('metric_transformation').map((t) =>
        compact({ MetricName: t.get('name'), MetricNamespace: t.get('namespace'), MetricValue: t.get('value'), DefaultValue: t.get('default_value') === '' || t.get('default_value') === undefined ? undefined : Number(t.get('default_value')), Unit: nonBlank(t.get('unit')) }),
      ),
    }),
  ],
  aws_cloudwatch_log_subscription_filter: (r) => [
    own(r, 'AWS::Logs::SubscriptionFilter', { FilterName: r.get('name'), LogGroupName: r.ref('log_group_name'), FilterPattern: r.get('filter_pattern') ?? '', DestinationArn: r.ref('destination_arn'), RoleArn: nonBlank(r.ref('role_arn')), Distribution: nonBlank(r.get('distribution')) }),
  ],
  aws_cloudwatch_metric_alarm: (r) => {
    const queries = r.blocks('metric_query')
    return [
      own(
        r,
        'AWS::CloudWatch::Alarm',
        {
          AlarmName: r.get('alarm_name'),
          AlarmDescription: nonBlank(r.get('alarm_description')),
          ActionsEnabled: r.get('actions_enabled'),
          AlarmActions: nonEmpty(r.refList('alarm_actions')),
          OKActions: nonEmpty(r.refList('ok_actions')),
          InsufficientDataActions: nonEmpty(r.refList('insufficient_data_actions')),
          ComparisonOperator: r.get('comparison_operator'),
          EvaluationPeriods: r.get('evaluation_periods'),
          DatapointsToAlarm: r.get('datapoints_to_alarm'),
          Threshold: r.get('threshold'),
          ThresholdMetricId: nonBlank(r.get('threshold_metric_id')),
          TreatMissingData: nonBlank(r.get('treat_missing_data')),
          MetricName: queries.length ? undefined : nonBlank(r.get('metric_name')),
          Namespace: queries.length ? undefined : nonBlank(r.get('namespace')),
          Statistic: nonBlank(r.get('statistic')),
          ExtendedStatistic: nonBlank(r.get('extended_statistic')),
          Period: queries.length ? undefined : r.get('period') || undefined,
          Unit: nonBlank(r.get('unit')),
          Dimensions: dimensions(r.get('dimensions')),
          Metrics: nonEmpty(queries.map(metricQuery)),
        },
        { lines: { OKActions: 'ok_actions' } },
      ),
    ]
  },
  aws_cloudwatch_dashboard: (r) => [own(r, 'AWS::CloudWatch::Dashboard', { DashboardName: r.get('dashboard_name'), DashboardBody: r.get('dashboard_body') })],
}
