import { nonBlank } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** KMS keys (the key policy as an object; absent means the default key policy) and aliases. */
export const KMS_CONVERTERS: Record<string, TfConverter> = {
  aws_kms_key: (r) => [
    own(
      r,
      'AWS::KMS::Key',
      {
        Description: nonBlank(r.get('description')),
        KeyPolicy: r.json('policy'),
        EnableKeyRotation: r.get('enable_key_rotation'),
        RotationPeriodInDays: r.get('enable_key_rotation') === true ? r.get('rotation_period_in_days') : undefined,
        KeySpec: r.get('customer_master_key_spec'),
        KeyUsage: r.get('key_usage'),
        MultiRegion: r.get('multi_region'),
        Enabled: r.get('is_enabled'),
        PendingWindowInDays: r.get('deletion_window_in_days'),
        BypassPolicyLockoutSafetyCheck: r.get('bypass_policy_lockout_safety_check') === true ? true : undefined,
        Origin: r.get('custom_key_store_id') ? 'AWS_CLOUDHSM' : undefined,
        Tags: r.tags(),
      },
      { lines: { KeyPolicy: 'policy', KeySpec: 'customer_master_key_spec', Enabled: 'is_enabled', PendingWindowInDays: 'deletion_window_in_days' } },
    ),
  ],
  aws_kms_alias: (r) => [own(r, 'AWS::KMS::Alias', { AliasName: r.get('name'), TargetKeyId: r.ref('target_key_id') })],
}
