import { defineCheck, fail, manual, pass } from '../define-check.js'
import { describe } from './lib/values.js'

/** No key that encrypts PHI is on its way to deletion, which would make that data unreadable for good. */
export default defineCheck({
  id: 'aws/kms-key-not-pending-deletion',
  title: 'KMS key is not scheduled for deletion',
  severity: 'high',
  resourceKinds: ['aws:kms:key'],
  rationale:
    'Once a KMS key is deleted, everything encrypted with it — tables, buckets, backups, snapshots of patient data — can never be decrypted again. A key in PendingDeletion can still be saved during its waiting period (7–30 days); after that the loss is permanent, so a scheduled deletion must be deliberate and confirmed. Templates describe keys to create: PendingWindowInDays only sets the waiting period for a future deletion, so template keys pass; the state comes from a live snapshot.',
  remediation: {
    text: 'If the deletion is not intended, cancel it and re-enable the key; if it is, confirm first (CloudTrail Decrypt events, a CloudWatch alarm on attempts to use the key) that nothing still needs it.',
    cli: 'aws kms cancel-key-deletion --key-id KEY_ID && aws kms enable-key --key-id KEY_ID',
  },
  controls: { csf: ['PR.DS-4', 'PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP', 'FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['KMS_CMK_NOT_SCHEDULED_FOR_DELETION'], prowler: ['kms_cmk_not_deleted_unintentionally'] },
  evaluate(key) {
    if (key.origin !== 'aws-snapshot') return pass(`KMS key ${key.name} is declared by this template; a deletion window (PendingWindowInDays) is not a scheduled deletion.`, { source: 'template' })
    const state = key.props['KeyState']
    if (state === undefined) return manual(`KMS key ${key.name} has no recorded key state in the snapshot; check it with aws kms describe-key.`)
    if (state === 'PendingDeletion' || state === 'PendingReplicaDeletion') {
      const date = key.props['DeletionDate']
      return fail(`KMS key ${key.name} is scheduled for deletion${typeof date === 'string' ? ` on ${date.slice(0, 10)}` : ''}; data encrypted with it becomes unreadable after that.`, { path: 'KeyState', evidence: { keyState: state, deletionDate: date } })
    }
    return pass(`KMS key ${key.name} is not scheduled for deletion (state ${describe(state)}).`, { keyState: state })
  },
})
