import { defineCheck, fail, manual, pass } from '../define-check.js'
import { regionSettingsFor, subject } from './lib/judge.js'
import { describeSharing, sharingOf } from './lib/sharing.js'

/** No EBS snapshot can be restored by anyone with an AWS account. */
export default defineCheck({
  id: 'aws/ebs-snapshot-not-public',
  title: 'EBS snapshot is not public',
  severity: 'critical',
  resourceKinds: ['aws:ec2:snapshot'],
  rationale:
    'A public snapshot (createVolumePermission group all) can be copied into any AWS account and attached as a disk: every file on the volume — database files, HL7 message stores, application logs, keys left on disk — is readable by whoever finds it. Public snapshots are searchable by account and are found by scanners. Encryption does not save an unencrypted snapshot; an encrypted one cannot be made public, which is why this is judged on the sharing itself.',
  remediation: {
    text: 'Remove the public permission; share with named accounts only (and copy the snapshot with a customer managed KMS key that grants those accounts), or use AWS Backup cross-account copies.',
    cli: 'aws ec2 modify-snapshot-attribute --snapshot-id <snap> --attribute createVolumePermission --operation-type remove --group-names all',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-4', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.308(a)(3)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-DATA-BACKUP'] },
  references: { awsConfig: ['EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK'], prowler: ['ec2_ebs_public_snapshot'] },
  evaluate(snap, ctx) {
    const sharing = sharingOf(snap)
    if (!sharing) return manual(`${subject(snap)}: the scan does not record who may create volumes from it (the collector's DescribeSnapshotAttribute call failed or the source cannot say).`)
    const phi = snap.holdsPhi === 'yes' ? ' It holds PHI.' : ''
    // with block public access for snapshots set to block all sharing, EC2 keeps the permission but
    // does not honour it: not public now, public again the moment the block is turned off
    if (sharing.public && regionSettingsFor(snap, ctx)?.props['EbsSnapshotBlockPublicAccess'] === 'block-all-sharing') {
      return manual(`${subject(snap)} carries a public create-volume permission that the Region's block public access for snapshots (block-all-sharing) overrides; remove the permission, or turning the block off makes it public.${phi}`, { path: 'PhiWallSharedWith' })
    }
    if (sharing.public) return fail(`${subject(snap)} is public: any AWS account can create a volume from it.${phi}`, { path: 'PhiWallSharedWith', evidence: { sharedWith: 'all', accounts: sharing.accounts.length } })
    return pass(`${subject(snap)} ${describeSharing(sharing)}.`, { accounts: sharing.accounts.length })
  },
})
