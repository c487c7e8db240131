import { compact, nested, nonBlank } from '../reader.js'
import type { TfConverter } from '../types.js'
import { mergeInto, own } from './common.js'

/** EventBridge rules, with their targets merged in as CloudFormation lists them, and event buses. */
export const EVENTS_CONVERTERS: Record<string, TfConverter> = {
  aws_cloudwatch_event_rule: (r) => {
    const state = r.get('state')
    const enabled = r.get('is_enabled')
    return [
      own(
        r,
        'AWS::Events::Rule',
        {
          Name: r.get('name'),
          Description: nonBlank(r.get('description')),
          EventBusName: nonBlank(r.ref('event_bus_name')),
          EventPattern: nonBlank(r.json('event_pattern')),
          ScheduleExpression: nonBlank(r.get('schedule_expression')),
          // provider v5 has `state`; v4 had `is_enabled`
          State: nonBlank(state) ?? (enabled === true ? 'ENABLED' : enabled === false ? 'DISABLED' : enabled),
          RoleArn: nonBlank(r.ref('role_arn')),
          Tags: r.tags(),
        },
        { lines: { State: 'state' } },
      ),
    ]
  },
  aws_cloudwatch_event_target: (r) => {
    const dlq = r.block('dead_letter_config')
    const retry = r.block('retry_policy')
    const sqs = r.block('sqs_target')
    const target = compact({
      Id: r.get('target_id'),
      Arn: r.ref('arn'),
      RoleArn: nonBlank(r.ref('role_arn')),
      Input: nonBlank(r.get('input')),
      InputPath: nonBlank(r.get('input_path')),
      DeadLetterConfig: dlq ? nested({ Arn: nonBlank(dlq.ref('arn')) }) : undefined,
      RetryPolicy: retry ? nested({ MaximumEventAgeInSeconds: retry.get('maximum_event_age_in_seconds'), MaximumRetryAttempts: retry.get('maximum_retry_attempts') }) : undefined,
      SqsParameters: sqs ? nested({ MessageGroupId: sqs.get('message_group_id') }) : undefined,
    })
    const rule = r.ref('rule')
    const bus = nonBlank(r.get('event_bus_name'))
    return [
      mergeInto('AWS::Events::Rule', rule, { Targets: [target] }, {
        append: ['Targets'],
        ...(typeof rule === 'string' && bus !== undefined && bus !== 'default' ? { match: { EventBusName: bus } } : {}),
      }),
    ]
  },
  aws_cloudwatch_event_bus: (r) => [own(r, 'AWS::Events::EventBus', { Name: r.get('name'), EventSourceName: nonBlank(r.get('event_source_name')), KmsKeyIdentifier: nonBlank(r.ref('kms_key_identifier')), Tags: r.tags() })],
}
