import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'

/** Shared file systems of scanned documents and images are encrypted at rest. */
export default defineCheck({
  id: 'aws/efs-encrypted',
  title: 'EFS file system is encrypted at rest',
  severity: 'high',
  resourceKinds: ['aws:efs:file-system'],
  rationale:
    'Encrypted defaults to false for file systems created through CloudFormation or the API (the console turns it on), and it can only be chosen at creation: an unencrypted file system keeps scanned referrals, images and exports in the clear and must be copied to a new one to fix.',
  remediation: {
    text: 'Create the file system with Encrypted: true and a customer managed KMS key, then copy the data over (AWS DataSync) and switch mounts.',
    cloudformation: 'Encrypted: true\nKmsKeyId: !Ref FilesKey',
    terraform: 'encrypted = true\nkms_key_id = aws_kms_key.files.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)', '164.310(d)(1)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['EFS_ENCRYPTED_CHECK'], cdkNag: ['HIPAA.Security-EFSEncrypted'], prowler: ['efs_encryption_at_rest_enabled'] },
  evaluate: (fs) => judgeBool(fs, { path: 'Encrypted', want: true, fallback: false, good: 'is encrypted at rest', bad: 'is not encrypted at rest', defaultNote: 'Encrypted defaults to false' }),
})
