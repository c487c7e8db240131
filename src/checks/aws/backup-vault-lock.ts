import { actionMatches, statementsOf, type PolicyStatement } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { describe, isObj, isUnknown, num } from './lib/values.js'

/** The actions AWS Config expects a vault policy to deny so recovery points survive a compromised admin. */
const PROTECTED_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle', 'backup:PutBackupVaultAccessPolicy']

function everyone(p: unknown): boolean {
  return p === '*' || (isObj(p) && (p['AWS'] === '*' || (Array.isArray(p['AWS']) && p['AWS'].includes('*'))))
}

function denies(st: PolicyStatement, action: string): boolean {
  if (st.effect !== 'Deny' || !everyone(st.principal)) return false
  if (st.actions.length) return st.actions.some((a) => actionMatches(a, action))
  return st.notActions.length > 0 && !st.notActions.some((a) => actionMatches(a, action))
}

/** Recovery points of PHI cannot be deleted or shortened by someone who gains backup permissions. */
export default defineCheck({
  id: 'aws/backup-vault-lock',
  title: 'Backup vault prevents manual deletion of recovery points',
  severity: 'high',
  resourceKinds: ['aws:backup:backup-vault'],
  rationale:
    'Ransomware operators and malicious insiders delete backups before encrypting production data. A vault lock, or a vault access policy that denies backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle and backup:PutBackupVaultAccessPolicy to everyone, keeps recovery points of ePHI available even to a compromised administrator.',
  remediation: {
    text: 'Add LockConfiguration (compliance mode, with ChangeableForDays) to the vault, or an AccessPolicy denying the deletion actions to every principal.',
    cloudformation:
      'LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 }  # or AccessPolicy: { Statement: [ { Effect: Deny, Principal: "*", Action: [backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle, backup:PutBackupVaultAccessPolicy], Resource: "*" } ] }',
    terraform: 'resource "aws_backup_vault_lock_configuration" "phi" { backup_vault_name = aws_backup_vault.phi.name  min_retention_days = 35  changeable_for_days = 3 }',
  },
  controls: { csf: ['PR.IP-4', 'PR.DS-1'], hipaa: ['164.308(a)(7)(ii)(A)', '164.312(c)(1)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED'] },
  evaluate(vault) {
    const lock = vault.props['LockConfiguration']
    if (isUnknown(lock)) return manual(`${subject(vault)} takes LockConfiguration from ${describe(lock)}, unknown at scan time.`, { path: 'LockConfiguration' })
    if (isObj(lock)) {
      const mode = num(lock['ChangeableForDays']) !== undefined ? 'compliance mode' : 'governance mode'
      return pass(`${subject(vault)} has a vault lock (${mode}, minimum retention ${describe(lock['MinRetentionDays'])} days).`, { lock: mode })
    }
    const policy = vault.props['AccessPolicy']
    if (isUnknown(policy)) return manual(`${subject(vault)} takes AccessPolicy from ${describe(policy)}, unknown at scan time.`, { path: 'AccessPolicy' })
    const statements = statementsOf(policy)
    const missing = PROTECTED_ACTIONS.filter((a) => !statements.some((st) => denies(st, a)))
    if (!missing.length) return pass(`${subject(vault)} access policy denies deleting recovery points, shortening their lifecycle and replacing the policy.`)
    return fail(
      policy === undefined
        ? `${subject(vault)} has no vault lock and no access policy denying deletion of recovery points.`
        : `${subject(vault)} has no vault lock, and its access policy does not deny ${missing.join(', ')} to every principal.`,
      { path: policy === undefined ? '' : 'AccessPolicy', evidence: { missing } },
    )
  },
})
