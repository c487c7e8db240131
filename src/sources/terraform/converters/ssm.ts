import { maskValue } from '../../../model/index.js'
import { compact, nested, nonBlank, nonEmpty, parseJsonOrYaml } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { mergeInto, own, unlessNumber } from './common.js'

/** `targets` blocks (`key` = `tag:Patch Group`, `InstanceIds`, `WindowTargetIds`…) as CloudFormation `Targets`. */
function targets(r: TfReader): unknown {
  return nonEmpty(r.blocks('targets').map((t) => compact({ Key: t.get('key'), Values: t.refList('values') })))
}

/**
 * Document parameters: CloudFormation takes a list of strings per name. Terraform writes a map of
 * strings (`parameters`, where a list is comma-separated text) or `parameter { name, values }` blocks.
 */
function documentParameters(r: TfReader, style: 'map' | 'blocks'): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  if (style === 'map') {
    const m = r.get('parameters')
    if (m && typeof m === 'object' && !Array.isArray(m)) for (const [k, v] of Object.entries(m)) out[k] = typeof v === 'string' ? [v] : v
  } else {
    for (const p of r.blocks('parameter')) {
      const name = p.get('name')
      if (typeof name === 'string') out[name] = p.get('values')
    }
  }
  return Object.keys(out).length ? out : undefined
}

/**
 * Who a document is shared with, from `permissions = { type = "Share", account_ids = "All" }` (ids
 * comma-separated; `All` is public), as the collector records it (`PhiWallSharedWith`). Without a
 * `permissions` map the plan does not manage the sharing: undefined, not "not shared".
 */
function documentSharing(r: TfReader): string[] | undefined {
  const p = r.get('permissions')
  if (!p || typeof p !== 'object' || Array.isArray(p)) return undefined
  const perm = p as Record<string, unknown>
  if (typeof perm['type'] === 'string' && perm['type'].toLowerCase() !== 'share') return undefined
  const ids = perm['account_ids']
  // a value known only after apply (another resource's account id) says nothing about the sharing
  if (r.isUnknown('permissions') || (typeof ids !== 'string' && !(Array.isArray(ids) && ids.every((x) => typeof x === 'string')))) return undefined
  const list = typeof ids === 'string' ? ids.split(',') : (ids as string[])
  return [...new Set(list.map((x) => x.trim()).filter(Boolean).map((x) => (x.toLowerCase() === 'all' ? 'all' : x)))].sort()
}

/** Patch filters (`global_filter`, `patch_filter`) as a CloudFormation `PatchFilterGroup`. */
function patchFilters(blocks: TfReader[]): Record<string, unknown> | undefined {
  const filters = blocks.map((f) => compact({ Key: f.get('key'), Values: f.get('values') }))
  return filters.length ? { PatchFilters: filters } : undefined
}

/**
 * SSM documents (content parsed from JSON or YAML), parameters (a SecureString's value only masked;
 * tags a map), State Manager associations, Patch Manager baselines and groups, maintenance windows
 * with their targets and tasks, and service settings.
 */
export const SSM_CONVERTERS: Record<string, TfConverter> = {
  aws_ssm_document: (r) => {
    const content = r.isUnknown('content') ? r.json('content') : parseJsonOrYaml(r.raw('content'), true)
    return [
      own(r, 'AWS::SSM::Document', {
        Name: r.get('name'),
        DocumentType: r.get('document_type'),
        DocumentFormat: r.get('document_format'),
        Content: content,
        TargetType: nonBlank(r.get('target_type')),
        VersionName: nonBlank(r.get('version_name')),
        Tags: r.tags(),
        PhiWallSharedWith: documentSharing(r),
      }),
    ]
  },
  // State Manager: a document applied to instances on a schedule (AWS-RunPatchBaseline, AWS-UpdateSSMAgent, …)
  aws_ssm_association: (r) => {
    const out = r.block('output_location')
    return [
      own(
        r,
        'AWS::SSM::Association',
        {
          Name: r.ref('name'),
          AssociationName: nonBlank(r.get('association_name')),
          DocumentVersion: nonBlank(r.get('document_version')),
          InstanceId: nonBlank(r.ref('instance_id')),
          Parameters: documentParameters(r, 'map'),
          ScheduleExpression: nonBlank(r.get('schedule_expression')),
          Targets: targets(r),
          ComplianceSeverity: nonBlank(r.get('compliance_severity')),
          MaxConcurrency: nonBlank(r.get('max_concurrency')),
          MaxErrors: nonBlank(r.get('max_errors')),
          ApplyOnlyAtCronInterval: r.get('apply_only_at_cron_interval'),
          AutomationTargetParameterName: nonBlank(r.get('automation_target_parameter_name')),
          SyncCompliance: nonBlank(r.get('sync_compliance')),
          WaitForSuccessTimeoutSeconds: r.get('wait_for_success_timeout_seconds'),
          OutputLocation: out ? nested({ S3Location: nested({ OutputS3BucketName: nonBlank(out.ref('s3_bucket_name')), OutputS3KeyPrefix: nonBlank(out.get('s3_key_prefix')), OutputS3Region: nonBlank(out.get('s3_region')) }) }) : undefined,
          Tags: r.tags(),
        },
        { lines: { Targets: 'targets', Parameters: 'parameters', Name: 'name' } },
      ),
    ]
  },
  aws_ssm_patch_baseline: (r) => [
    own(
      r,
      'AWS::SSM::PatchBaseline',
      {
        Name: r.get('name'),
        Description: nonBlank(r.get('description')),
        OperatingSystem: nonBlank(r.get('operating_system')),
        ApprovedPatches: nonEmpty(r.get('approved_patches')),
        ApprovedPatchesComplianceLevel: nonBlank(r.get('approved_patches_compliance_level')),
        ApprovedPatchesEnableNonSecurity: r.get('approved_patches_enable_non_security'),
        RejectedPatches: nonEmpty(r.get('rejected_patches')),
        RejectedPatchesAction: nonBlank(r.get('rejected_patches_action')),
        AvailableSecurityUpdatesComplianceStatus: nonBlank(r.get('available_security_updates_compliance_status')),
        GlobalFilters: patchFilters(r.blocks('global_filter')),
        ApprovalRules: nested({
          PatchRules: nonEmpty(
            r.blocks('approval_rule').map((a) =>
              compact({
                ApproveAfterDays: a.get('approve_after_days'),
                ApproveUntilDate: nonBlank(a.get('approve_until_date')),
                ComplianceLevel: nonBlank(a.get('compliance_level')),
                EnableNonSecurity: a.get('enable_non_security'),
                PatchFilterGroup: patchFilters(a.blocks('patch_filter')),
              }),
            ),
          ),
        }),
        Sources: nonEmpty(r.blocks('source').map((x) => compact({ Name: x.get('name'), Configuration: x.get('configuration'), Products: x.get('products') }))),
        Tags: r.tags(),
      },
      { lines: { ApprovalRules: 'approval_rule', GlobalFilters: 'global_filter' } },
    ),
  ],
  // a patch group is registered with a baseline: CloudFormation lists the groups on the baseline
  aws_ssm_patch_group: (r) => [mergeInto('AWS::SSM::PatchBaseline', r.ref('baseline_id'), { PatchGroups: [r.get('patch_group')] }, { append: ['PatchGroups'] })],
  aws_ssm_default_patch_baseline: (r) => [mergeInto('AWS::SSM::PatchBaseline', r.ref('baseline_id'), { DefaultBaseline: true })],
  aws_ssm_maintenance_window: (r) => [
    own(r, 'AWS::SSM::MaintenanceWindow', {
      Name: r.get('name'),
      Description: nonBlank(r.get('description')),
      Schedule: r.get('schedule'),
      ScheduleTimezone: nonBlank(r.get('schedule_timezone')),
      ScheduleOffset: unlessNumber(r.get('schedule_offset'), 0),
      Duration: r.get('duration'),
      Cutoff: r.get('cutoff'),
      AllowUnassociatedTargets: r.get('allow_unassociated_targets'),
      StartDate: nonBlank(r.get('start_date')),
      EndDate: nonBlank(r.get('end_date')),
      Tags: r.tags(),
    }),
  ],
  aws_ssm_maintenance_window_target: (r) => [
    own(
      r,
      'AWS::SSM::MaintenanceWindowTarget',
      {
        WindowId: r.ref('window_id'),
        ResourceType: r.get('resource_type'),
        Targets: targets(r),
        Name: nonBlank(r.get('name')),
        Description: nonBlank(r.get('description')),
        OwnerInformation: nonBlank(r.get('owner_information')),
      },
      { lines: { Targets: 'targets' } },
    ),
  ],
  aws_ssm_maintenance_window_task: (r) => {
    const params = r.block('task_invocation_parameters')
    const run = params?.block('run_command_parameters')
    const automation = params?.block('automation_parameters')
    return [
      own(
        r,
        'AWS::SSM::MaintenanceWindowTask',
        {
          WindowId: r.ref('window_id'),
          TaskType: r.get('task_type'),
          TaskArn: r.ref('task_arn'),
          ServiceRoleArn: nonBlank(r.ref('service_role_arn')),
          Priority: r.getOr('priority', 1),
          MaxConcurrency: nonBlank(r.get('max_concurrency')),
          MaxErrors: nonBlank(r.get('max_errors')),
          CutoffBehavior: nonBlank(r.get('cutoff_behavior')),
          Name: nonBlank(r.get('name')),
          Description: nonBlank(r.get('description')),
          Targets: targets(r),
          TaskInvocationParameters: nested({
            MaintenanceWindowRunCommandParameters: run
              ? compact({
                  Comment: nonBlank(run.get('comment')),
                  DocumentHash: nonBlank(run.get('document_hash')),
                  DocumentHashType: nonBlank(run.get('document_hash_type')),
                  DocumentVersion: nonBlank(run.get('document_version')),
                  OutputS3BucketName: nonBlank(run.ref('output_s3_bucket')),
                  OutputS3KeyPrefix: nonBlank(run.get('output_s3_key_prefix')),
                  Parameters: documentParameters(run, 'blocks'),
                  ServiceRoleArn: nonBlank(run.ref('service_role_arn')),
                  TimeoutSeconds: run.get('timeout_seconds'),
                })
              : undefined,
            MaintenanceWindowAutomationParameters: automation ? compact({ DocumentVersion: nonBlank(automation.get('document_version')), Parameters: documentParameters(automation, 'blocks') }) : undefined,
          }),
        },
        { lines: { Targets: 'targets', TaskInvocationParameters: 'task_invocation_parameters' } },
      ),
    ]
  },
  // account settings such as Default Host Management (`/ssm/managed-instance/default-ec2-instance-management-role`)
  aws_ssm_service_setting: (r) => [own(r, 'AWS::SSM::ServiceSetting', { SettingId: r.get('setting_id'), SettingValue: r.ref('setting_value') })],
  aws_ssm_parameter: (r) => {
    const type = r.get('type')
    const value = r.get('value') ?? r.get('insecure_value')
    return [
      own(r, 'AWS::SSM::Parameter', {
        Name: r.get('name'),
        Type: type,
        Value: type === 'SecureString' && typeof value === 'string' ? maskValue(value) : value,
        Description: nonBlank(r.get('description')),
        Tier: nonBlank(r.get('tier')),
        DataType: nonBlank(r.get('data_type')),
        AllowedPattern: nonBlank(r.get('allowed_pattern')),
        Tags: r.tagMap(),
      }),
    ]
  },
}
