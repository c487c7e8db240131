import type { TfConverter } from '../types.js'
import { own, regionSettings, unlessNumber } from './common.js'

/**
 * Account-level settings Terraform can declare and CloudFormation cannot: the IAM password
 * policy, the account's S3 Block Public Access, EBS encryption by default and the AWS Config
 * recorder, as PhiWall's synthetic types (one resource each; regional settings one per region).
 */
export const ACCOUNT_CONVERTERS: Record<string, TfConverter> = {
  aws_iam_account_password_policy: (r) => [
    own(r, 'PhiWall::AWS::PasswordPolicy', {
      Configured: true,
      MinimumPasswordLength: r.getOr('minimum_password_length', 6),
      RequireSymbols: r.getOr('require_symbols', false),
      RequireNumbers: r.getOr('require_numbers', false),
      RequireUppercaseCharacters: r.getOr('require_uppercase_characters', false),
      RequireLowercaseCharacters: r.getOr('require_lowercase_characters', false),
      AllowUsersToChangePassword: r.getOr('allow_users_to_change_password', true),
      // 0 / unset: passwords never expire, reuse is not prevented (the IAM API's own defaults)
      MaxPasswordAge: unlessNumber(r.get('max_password_age'), 0),
      PasswordReusePrevention: unlessNumber(r.get('password_reuse_prevention'), 0),
      HardExpiry: r.getOr('hard_expiry', false),
    }),
  ],
  aws_s3_account_public_access_block: (r) => [
    own(r, 'PhiWall::AWS::S3PublicAccessBlock', {
      Configured: true,
      BlockPublicAcls: r.getOr('block_public_acls', false),
      IgnorePublicAcls: r.getOr('ignore_public_acls', false),
      BlockPublicPolicy: r.getOr('block_public_policy', false),
      RestrictPublicBuckets: r.getOr('restrict_public_buckets', false),
    }),
  ],
  aws_ebs_encryption_by_default: (r) => [regionSettings(r, { EbsEncryptionByDefault: r.getOr('enabled', true) })],
  aws_ebs_default_kms_key: (r) => [regionSettings(r, { EbsDefaultKmsKeyId: r.ref('key_arn') })],
  aws_config_configuration_recorder: (r) => {
    const group = r.block('recording_group')
    return [regionSettings(r, { ConfigRecorderAllSupported: group ? group.getOr('all_supported', true) : true })]
  },
  aws_config_configuration_recorder_status: (r) => [regionSettings(r, { ConfigRecorderRecording: r.get('is_enabled') })],
}
