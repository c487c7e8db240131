import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { selectionCovers } from './lib/backup.js'
import { ebsJudgements } from './lib/ec2.js'
import { subject } from './lib/judge.js'
import { storageEncryption } from './lib/rds.js'

/**
 * Resource types whose recovery points inherit the source's encryption: AWS Backup snapshots
 * them with the service's own snapshot mechanism, so an unencrypted database or volume yields
 * an unencrypted recovery point whatever key the vault has. (DynamoDB, EFS and S3 recovery
 * points are always encrypted with the vault key.)
 */
const INHERITING = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::EC2::Volume', 'AWS::EC2::Instance']

/** Every recovery point AWS Backup creates for PHI stores is encrypted. */
export default defineCheck({
  id: 'aws/backup-recovery-point-encrypted',
  title: 'Backup selection creates only encrypted recovery points',
  severity: 'high',
  resourceKinds: ['aws:backup:backup-selection'],
  rationale:
    'Backups of RDS, Aurora, EBS and EC2 are snapshots that keep the encryption of their source: a plan that selects an unencrypted database or volume stores unencrypted copies of ePHI in the vault, and every copy to another Region or account spreads them. The vault key does not apply to these types, so the check follows the selection to its resources.',
  remediation: {
    text: 'Encrypt the selected databases and volumes (restore an encrypted copy from a snapshot copied with a KMS key, then switch over), or remove unencrypted resources from the selection until they are migrated.',
    cloudformation: 'StorageEncrypted: true  # RDS / Aurora;  Encrypted: true  # EBS volumes and BlockDeviceMappings',
  },
  controls: { csf: ['PR.DS-1', 'PR.IP-4'], hipaa: ['164.312(a)(2)(iv)', '164.308(a)(7)(ii)(A)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION', 'FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['BACKUP_RECOVERY_POINT_ENCRYPTED'], prowler: ['backup_recovery_point_encrypted'] },
  evaluate(sel, ctx) {
    const results: CheckResult[] = []
    let selected = 0
    for (const type of INHERITING) {
      for (const r of ctx.view.ofType(type)) {
        if (r.type === 'AWS::EC2::Instance' && r.origin === 'aws-snapshot') continue
        if (selectionCovers(sel, r, ctx) !== 'yes') continue
        selected++
        if (r.type.startsWith('AWS::RDS::')) {
          const e = storageEncryption(r, ctx)
          if (e.state === 'no') results.push(fail(`${subject(sel)} backs up ${subject(r)}, which ${e.reason}; its recovery points are unencrypted.`, { path: 'BackupSelection', evidence: { resource: r.id } }))
          else if (e.state === 'unknown') results.push(manual(`${subject(sel)} backs up ${subject(r)}, which ${e.reason}.`, { path: 'BackupSelection', evidence: { resource: r.id } }))
          continue
        }
        const js = ebsJudgements(r, ctx)
        const bad = js.filter((j) => j.state === 'no')
        if (bad.length) results.push(fail(`${subject(sel)} backs up ${subject(r)}, whose ${bad.map((j) => `${j.what} ${j.reason}`).join('; ')}; its recovery points are unencrypted.`, { path: 'BackupSelection', evidence: { resource: r.id } }))
        else if (js.some((j) => j.state === 'unknown')) results.push(manual(`${subject(sel)} backs up ${subject(r)}, whose ${js.filter((j) => j.state === 'unknown').map((j) => `${j.what} ${j.reason}`).join('; ')}.`, { path: 'BackupSelection', evidence: { resource: r.id } }))
      }
    }
    if (results.length) return results
    return pass(
      selected
        ? `${subject(sel)} selects ${selected} database${selected > 1 ? 's' : ''} or volume${selected > 1 ? 's' : ''}, all encrypted.`
        : `${subject(sel)} selects no RDS, EBS or EC2 resource in the scan; other recovery points are encrypted with the vault key.`,
      { selected },
    )
  },
})
