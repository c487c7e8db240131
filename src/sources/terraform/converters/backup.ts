import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { mergeInto, own } from './common.js'

function lifecycle(b: TfReader | undefined): Record<string, unknown> | undefined {
  return b ? nested({ DeleteAfterDays: b.get('delete_after') || undefined, MoveToColdStorageAfterDays: b.get('cold_storage_after') || undefined }) : undefined
}

/** Map tags of types whose CloudFormation tags are a map, undefined when empty. */
function map(v: unknown): unknown {
  return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? undefined : v
}

const CONDITION_KINDS: [string, string][] = [
  ['string_equals', 'StringEquals'],
  ['string_like', 'StringLike'],
  ['string_not_equals', 'StringNotEquals'],
  ['string_not_like', 'StringNotLike'],
]

/**
 * A selection's `condition` blocks: tag conditions that narrow `resources` (all must hold), as
 * CloudFormation's `Conditions`. Dropping them would make `resources = ["*"]` select everything.
 */
function conditions(r: TfReader): Record<string, unknown> | undefined {
  const out: Record<string, unknown[]> = {}
  for (const c of r.blocks('condition')) {
    for (const [tf, cfn] of CONDITION_KINDS) {
      for (const x of c.blocks(tf)) (out[cfn] ??= []).push(compact({ ConditionKey: x.get('key'), ConditionValue: x.get('value') }))
    }
  }
  return Object.keys(out).length ? out : undefined
}

/** AWS Backup plans, selections and vaults (encryption key, lock, access policy). */
export const BACKUP_CONVERTERS: Record<string, TfConverter> = {
  aws_backup_plan: (r) => [
    own(r, 'AWS::Backup::BackupPlan', {
      BackupPlan: compact({
        BackupPlanName: r.get('name'),
        BackupPlanRule: r.blocks('rule').map((x) =>
          compact({
            RuleName: x.get('rule_name'),
            TargetBackupVault: x.ref('target_vault_name'),
            ScheduleExpression: nonBlank(x.get('schedule')),
            ScheduleExpressionTimezone: nonBlank(x.get('schedule_expression_timezone')),
            StartWindowMinutes: x.get('start_window'),
            CompletionWindowMinutes: x.get('completion_window'),
            EnableContinuousBackup: x.get('enable_continuous_backup'),
            Lifecycle: lifecycle(x.block('lifecycle')),
            RecoveryPointTags: map(x.get('recovery_point_tags')),
            CopyActions: nonEmpty(x.blocks('copy_action').map((c) => compact({ DestinationBackupVaultArn: c.ref('destination_vault_arn'), Lifecycle: lifecycle(c.block('lifecycle')) }))),
          }),
        ),
        AdvancedBackupSettings: nonEmpty(r.blocks('advanced_backup_setting').map((a) => compact({ ResourceType: a.get('resource_type'), BackupOptions: a.get('backup_options') }))),
      }),
      BackupPlanTags: r.tagMap(),
    }),
  ],
  aws_backup_selection: (r) => [
    own(r, 'AWS::Backup::BackupSelection', {
      BackupPlanId: r.ref('plan_id'),
      BackupSelection: compact({
        SelectionName: r.get('name'),
        IamRoleArn: r.ref('iam_role_arn'),
        Resources: nonEmpty(r.refList('resources')),
        NotResources: nonEmpty(r.refList('not_resources')),
        ListOfTags: nonEmpty(r.blocks('selection_tag').map((t) => compact({ ConditionType: t.get('type'), ConditionKey: t.get('key'), ConditionValue: t.get('value') }))),
        Conditions: conditions(r),
      }),
    }),
  ],
  aws_backup_vault: (r) => [own(r, 'AWS::Backup::BackupVault', { BackupVaultName: r.get('name'), EncryptionKeyArn: nonBlank(r.ref('kms_key_arn')), BackupVaultTags: r.tagMap() }, { lines: { BackupVaultName: 'name', EncryptionKeyArn: 'kms_key_arn' } })],
  aws_backup_vault_lock_configuration: (r) => [
    mergeInto('AWS::Backup::BackupVault', r.ref('backup_vault_name'), { LockConfiguration: compact({ MinRetentionDays: r.get('min_retention_days'), MaxRetentionDays: r.get('max_retention_days'), ChangeableForDays: r.get('changeable_for_days') }) }),
  ],
  aws_backup_vault_policy: (r) => [mergeInto('AWS::Backup::BackupVault', r.ref('backup_vault_name'), { AccessPolicy: r.json('policy') })],
}
