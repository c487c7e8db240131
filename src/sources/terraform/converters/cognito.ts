import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** Cognito user pools: MFA, password policy, advanced security, recovery and deletion protection. */
export const COGNITO_CONVERTERS: Record<string, TfConverter> = {
  aws_cognito_user_pool: (r) => {
    const pw = r.block('password_policy')
    const addOns = r.block('user_pool_add_ons')
    const admin = r.block('admin_create_user_config')
    const recovery = r.block('account_recovery_setting')
    const sms = r.block('sms_configuration')
    const email = r.block('email_configuration')
    const device = r.block('device_configuration')
    const totp = r.block('software_token_mfa_configuration')
    const mfa = r.get('mfa_configuration')
    const enabledMfas = [...(totp?.get('enabled') === true ? ['SOFTWARE_TOKEN_MFA'] : []), ...(sms && mfa !== 'OFF' ? ['SMS_MFA'] : [])]
    return [
      own(
        r,
        'AWS::Cognito::UserPool',
        {
          UserPoolName: r.get('name'),
          MfaConfiguration: mfa,
          EnabledMfas: nonEmpty(enabledMfas),
          Policies: pw
            ? {
                PasswordPolicy: compact({
                  MinimumLength: pw.get('minimum_length'),
                  RequireLowercase: pw.get('require_lowercase'),
                  RequireNumbers: pw.get('require_numbers'),
                  RequireSymbols: pw.get('require_symbols'),
                  RequireUppercase: pw.get('require_uppercase'),
                  TemporaryPasswordValidityDays: pw.get('temporary_password_validity_days'),
                  PasswordHistorySize: pw.get('password_history_size') || undefined,
                }),
              }
            : undefined,
          UserPoolAddOns: addOns ? nested({ AdvancedSecurityMode: addOns.get('advanced_security_mode') }) : undefined,
          AdminCreateUserConfig: admin ? nested({ AllowAdminCreateUserOnly: admin.get('allow_admin_create_user_only') }) : undefined,
          AccountRecoverySetting: recovery ? nested({ RecoveryMechanisms: nonEmpty(recovery.blocks('recovery_mechanism').map((m) => compact({ Name: m.get('name'), Priority: m.get('priority') }))) }) : undefined,
          AutoVerifiedAttributes: nonEmpty(r.get('auto_verified_attributes')),
          UsernameAttributes: nonEmpty(r.get('username_attributes')),
          AliasAttributes: nonEmpty(r.get('alias_attributes')),
          DeletionProtection: nonBlank(r.get('deletion_protection')),
          SmsConfiguration: sms ? nested({ ExternalId: nonBlank(sms.get('external_id')), SnsCallerArn: sms.ref('sns_caller_arn'), SnsRegion: nonBlank(sms.get('sns_region')) }) : undefined,
          EmailConfiguration: email ? nested({ EmailSendingAccount: nonBlank(email.get('email_sending_account')), SourceArn: nonBlank(email.ref('source_arn')), From: nonBlank(email.get('from_email_address')), ReplyToEmailAddress: nonBlank(email.get('reply_to_email_address')) }) : undefined,
          DeviceConfiguration: device ? nested({ ChallengeRequiredOnNewDevice: device.get('challenge_required_on_new_device'), DeviceOnlyRememberedOnUserPrompt: device.get('device_only_remembered_on_user_prompt') }) : undefined,
          UserPoolTier: nonBlank(r.get('user_pool_tier')),
          UserPoolTags: r.tagMap(),
        },
        { lines: { UserPoolName: 'name', MfaConfiguration: 'mfa_configuration', Policies: 'password_policy', UserPoolTags: 'tags' } },
      ),
    ]
  },
}
