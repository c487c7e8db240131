import { defineCheck, fail, manual, pass } from '../define-check.js'
import { bool, describe } from './lib/values.js'

/** The root user's second factor is a hardware device, not an app on a phone that can be cloned or lost with the phone. */
export default defineCheck({
  id: 'aws/iam-root-hardware-mfa',
  title: 'Account root user uses a hardware MFA device',
  severity: 'high',
  resourceKinds: ['aws:account:root-user'],
  rationale:
    'A virtual MFA seed lives on a phone or in a password manager, where malware, backups or a lost device can expose it; for the one identity that controls every PHI store in the account, a dedicated FIDO2 security key or hardware TOTP token kept under dual control is the stronger second factor and resists phishing.',
  remediation: {
    text: 'Register a FIDO2 security key (or hardware TOTP token) for the root user, remove the virtual device, and keep the key in a safe with documented custody.',
    cli: 'Console (signed in as root): Security credentials → Assign MFA device → Passkey or security key / Hardware TOTP token.',
  },
  controls: { csf: ['PR.AC-1', 'PR.AC-7'], hipaa: ['164.312(d)', '164.312(a)(1)'], ferpa: ['FERPA-AUTHENTICATION'] },
  references: { awsConfig: ['ROOT_ACCOUNT_HARDWARE_MFA_ENABLED'], prowler: ['iam_root_hardware_mfa_enabled'] },
  evaluate(root) {
    const who = root.account ? `Account ${root.account} root user` : `Root user ${root.name}`
    const mfa = bool(root.props['MfaEnabled'])
    const hw = bool(root.props['HardwareMfaEnabled'])
    if (hw === undefined) return manual(`${who} hardware MFA state is ${describe(root.props['HardwareMfaEnabled'])}, not known from this input.`, { path: 'HardwareMfaEnabled' })
    if (hw) return pass(`${who} uses a hardware MFA device.`)
    return fail(mfa ? `${who} uses virtual MFA, not a hardware MFA device.` : `${who} has no MFA device at all, hardware or virtual.`, { path: 'HardwareMfaEnabled', evidence: { mfaEnabled: mfa, hardwareMfaEnabled: false } })
  },
})
