import { compact, nested, nonBlank, nonEmpty, tagList } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own, unlessNumber } from './common.js'

/** A `schedule` block of a policy in CloudFormation's `Schedules` shape. */
function schedule(s: TfReader): Record<string, unknown> {
  const create = s.block('create_rule')
  const retain = s.block('retain_rule')
  return compact({
    Name: nonBlank(s.get('name')),
    CopyTags: s.get('copy_tags'),
    CreateRule: create
      ? nested({
          Interval: unlessNumber(create.get('interval'), 0),
          IntervalUnit: nonBlank(create.get('interval_unit')),
          Times: nonEmpty(create.get('times')),
          CronExpression: nonBlank(create.get('cron_expression')),
          Location: nonBlank(create.get('location')),
        })
      : undefined,
    RetainRule: retain ? nested({ Count: unlessNumber(retain.get('count'), 0), Interval: unlessNumber(retain.get('interval'), 0), IntervalUnit: nonBlank(retain.get('interval_unit')) }) : undefined,
    TagsToAdd: tagList(s.get('tags_to_add')),
    VariableTags: tagList(s.get('variable_tags')),
  })
}

/** Amazon Data Lifecycle Manager policies: scheduled EBS snapshots of tagged volumes or instances. */
export const DLM_CONVERTERS: Record<string, TfConverter> = {
  aws_dlm_lifecycle_policy: (r) => {
    const d = r.block('policy_details')
    const params = d?.block('parameters')
    return [
      own(
        r,
        'AWS::DLM::LifecyclePolicy',
        {
          Description: r.get('description'),
          ExecutionRoleArn: r.ref('execution_role_arn'),
          State: r.getOr('state', 'ENABLED'),
          PolicyDetails: d
            ? compact({
                PolicyType: d.getOr('policy_type', 'EBS_SNAPSHOT_MANAGEMENT'),
                ResourceTypes: nonEmpty(d.get('resource_types')),
                ResourceLocations: nonEmpty(d.get('resource_locations')),
                TargetTags: tagList(d.get('target_tags')),
                Schedules: nonEmpty(d.blocks('schedule').map(schedule)),
                Parameters: params ? nested({ ExcludeBootVolume: params.get('exclude_boot_volume'), NoReboot: params.get('no_reboot') }) : undefined,
              })
            : undefined,
          Tags: r.tags(),
        },
        { lines: { PolicyDetails: 'policy_details', ExecutionRoleArn: 'execution_role_arn' } },
      ),
    ]
  },
}
