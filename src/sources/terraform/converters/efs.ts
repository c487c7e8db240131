import { compact, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter } from '../types.js'
import { mergeInto, own } from './common.js'

const FS = 'AWS::EFS::FileSystem'

/** EFS file systems (tags are `FileSystemTags` in CloudFormation), backup policies, file system policies and mount targets. */
export const EFS_CONVERTERS: Record<string, TfConverter> = {
  aws_efs_file_system: (r) => {
    const protection = r.block('protection')
    return [
      own(
        r,
        FS,
        {
          Encrypted: r.get('encrypted'),
          KmsKeyId: nonBlank(r.ref('kms_key_id')),
          PerformanceMode: nonBlank(r.get('performance_mode')),
          ThroughputMode: nonBlank(r.get('throughput_mode')),
          ProvisionedThroughputInMibps: r.get('throughput_mode') === 'provisioned' ? r.get('provisioned_throughput_in_mibps') : undefined,
          AvailabilityZoneName: nonBlank(r.get('availability_zone_name')),
          LifecyclePolicies: nonEmpty(
            r.blocks('lifecycle_policy').map((p) => compact({ TransitionToIA: nonBlank(p.get('transition_to_ia')), TransitionToPrimaryStorageClass: nonBlank(p.get('transition_to_primary_storage_class')), TransitionToArchive: nonBlank(p.get('transition_to_archive')) })),
          ),
          FileSystemProtection: protection ? compact({ ReplicationOverwriteProtection: nonBlank(protection.get('replication_overwrite')) }) : undefined,
          FileSystemTags: r.tags(),
        },
        { lines: { FileSystemTags: 'tags' } },
      ),
    ]
  },
  aws_efs_backup_policy: (r) => [mergeInto(FS, r.ref('file_system_id'), { BackupPolicy: { Status: r.block('backup_policy')?.get('status') } })],
  aws_efs_file_system_policy: (r) => [mergeInto(FS, r.ref('file_system_id'), { FileSystemPolicy: r.json('policy'), BypassPolicyLockoutSafetyCheck: r.get('bypass_policy_lockout_safety_check') === true ? true : undefined })],
  aws_efs_mount_target: (r) => [own(r, 'AWS::EFS::MountTarget', { FileSystemId: r.ref('file_system_id'), SubnetId: r.ref('subnet_id'), SecurityGroups: r.refList('security_groups'), IpAddress: nonBlank(r.get('ip_address')) })],
}
