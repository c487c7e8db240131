import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe, isUnknown } from './lib/values.js'

/** Symmetric customer managed keys get new key material automatically. */
export default defineCheck({
  id: 'aws/kms-key-rotation',
  title: 'Symmetric KMS key rotates its key material automatically',
  severity: 'medium',
  resourceKinds: ['aws:kms:key'],
  rationale:
    'Automatic rotation replaces the key material of a symmetric key every year (or a chosen period) while keeping old material for decryption, limiting how much PHI is protected by any one piece of material and meeting cryptoperiod expectations (NIST SP 800-57). Asymmetric, HMAC, imported-material and custom key store keys cannot rotate automatically and pass with a note; rotate those by creating new keys.',
  remediation: {
    text: 'Turn on automatic rotation for symmetric encryption keys (optionally with RotationPeriodInDays between 90 and 2560).',
    cloudformation: 'EnableKeyRotation: true\nRotationPeriodInDays: 365',
    terraform: 'resource "aws_kms_key" "k" { … enable_key_rotation = true  rotation_period_in_days = 365 }',
    cli: 'aws kms enable-key-rotation --key-id KEY_ID --rotation-period-in-days 365',
  },
  controls: { csf: ['PR.DS-1', 'PR.AC-1'], hipaa: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { prowler: ['kms_cmk_rotation_enabled'] },
  evaluate(key) {
    const spec = String(key.props['KeySpec'] ?? 'SYMMETRIC_DEFAULT')
    const usage = String(key.props['KeyUsage'] ?? 'ENCRYPT_DECRYPT')
    const origin = String(key.props['Origin'] ?? 'AWS_KMS')
    if (isUnknown(key.props['KeySpec']) || isUnknown(key.props['KeyUsage']) || isUnknown(key.props['Origin'])) return manual(`KMS key ${key.name} takes its key spec, usage or origin from a value unknown at scan time.`, { path: 'KeySpec' })
    if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT') return pass(`KMS key ${key.name} has key spec ${spec} and usage ${usage}, which KMS cannot rotate automatically; rotate it by replacing the key.`, { rotatable: false, keySpec: spec, keyUsage: usage })
    if (origin !== 'AWS_KMS') return pass(`KMS key ${key.name} has key material of origin ${origin}, which KMS cannot rotate automatically; rotate it manually.`, { rotatable: false, origin })
    const v = key.props['EnableKeyRotation']
    const on = bool(v, false)
    if (on === undefined) return manual(`KMS key ${key.name} takes EnableKeyRotation from ${describe(v)}, unknown at scan time.`, { path: 'EnableKeyRotation' })
    if (on) {
      const period = key.props['RotationPeriodInDays']
      return pass(`KMS key ${key.name} rotates its key material every ${period === undefined ? '365' : describe(period)} days.`)
    }
    return fail(`KMS key ${key.name} is a symmetric encryption key without automatic rotation.`, { ...(v !== undefined ? { path: 'EnableKeyRotation' } : {}), evidence: { enableKeyRotation: v ?? 'not set (false)' } })
  },
})
