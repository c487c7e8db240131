import { isExpression } from '../config.js'
import { boolish, compact, nested, nonBlank, nonEmpty, tagList } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own, unlessNumber } from './common.js'

/** Instance metadata options (IMDSv2 is `HttpTokens: required`). */
export function metadataOptions(r: TfReader, attr = 'metadata_options'): Record<string, unknown> | undefined {
  const m = r.block(attr)
  return m
    ? nested({
        HttpTokens: nonBlank(m.get('http_tokens')),
        HttpEndpoint: nonBlank(m.get('http_endpoint')),
        HttpPutResponseHopLimit: unlessNumber(m.get('http_put_response_hop_limit'), 0),
        InstanceMetadataTags: nonBlank(m.get('instance_metadata_tags')),
        HttpProtocolIpv6: nonBlank(m.get('http_protocol_ipv6')),
      })
    : undefined
}

/**
 * EBS settings of a block device; launch templates write booleans as strings. CloudFormation's
 * three block-device shapes differ: an instance's has no throughput, a launch configuration's no
 * key id.
 */
export function ebs(b: TfReader, kind: 'instance' | 'launch-template' | 'launch-configuration'): Record<string, unknown> {
  return compact({
    Encrypted: boolish(b.get('encrypted')),
    KmsKeyId: kind === 'launch-configuration' ? undefined : nonBlank(b.ref('kms_key_id')),
    VolumeSize: unlessNumber(b.get('volume_size'), 0),
    VolumeType: nonBlank(b.get('volume_type')),
    Iops: unlessNumber(b.get('iops'), 0),
    Throughput: kind === 'instance' ? undefined : unlessNumber(b.get('throughput'), 0),
    DeleteOnTermination: boolish(b.get('delete_on_termination')),
    SnapshotId: nonBlank(b.get('snapshot_id')),
  })
}

/** The root device's name, which Terraform leaves to the AMI: unknown until the instance exists. */
export function rootDeviceName(b: TfReader): unknown {
  return nonBlank(b.get('device_name')) ?? { 'Fn::GetAtt': [b.res.address, [...b.path, 'device_name'].join('.')] }
}

/**
 * User data in CloudFormation's shape, which is base64: `user_data_base64` as it is, and plain
 * `user_data` as a template writes it, `{ Fn::Base64: script }`. A plan and a state hold only the
 * SHA-1 of a plain script (the provider hashes it), so the script comes from the configuration
 * when it is written there as a constant; a script rendered by an expression (`templatefile`,
 * interpolation) is unknown, never absent.
 */
export function userData(r: TfReader): unknown {
  const b64 = nonBlank(r.get('user_data_base64'))
  if (b64 !== undefined) return b64
  const v = r.get('user_data')
  if (typeof v !== 'string' || !/^[0-9a-f]{40}$/.test(v)) return v === undefined || v === '' ? undefined : { 'Fn::Base64': v }
  const expr = r.res.config?.expressions['user_data']
  const written = isExpression(expr) && typeof expr.constant_value === 'string' ? expr.constant_value : undefined
  return { 'Fn::Base64': written ?? { 'Fn::GetAtt': [r.res.address, 'UserData'] } }
}

/** EC2 instances, launch templates, EBS volumes and their attachments, key pairs. */
export const EC2_CONVERTERS: Record<string, TfConverter> = {
  aws_instance: (r) => {
    const credit = r.block('credit_specification')
    const lt = r.block('launch_template')
    const publicIp = r.get('associate_public_ip_address')
    const subnet = nonBlank(r.ref('subnet_id'))
    const groups = nonEmpty(r.refList('vpc_security_group_ids'))
    return [
      own(
        r,
        'AWS::EC2::Instance',
        {
          ImageId: nonBlank(r.get('ami')),
          InstanceType: nonBlank(r.get('instance_type')),
          KeyName: nonBlank(r.get('key_name')),
          SubnetId: subnet,
          SecurityGroupIds: groups,
          SecurityGroups: nonEmpty(r.get('security_groups')),
          // the public address choice lives on the primary interface in CloudFormation
          NetworkInterfaces: publicIp !== undefined ? [compact({ DeviceIndex: '0', AssociatePublicIpAddress: publicIp, SubnetId: subnet, GroupSet: groups })] : undefined,
          IamInstanceProfile: nonBlank(r.ref('iam_instance_profile')),
          MetadataOptions: metadataOptions(r),
          Monitoring: r.get('monitoring'),
          EbsOptimized: r.get('ebs_optimized'),
          DisableApiTermination: r.get('disable_api_termination'),
          SourceDestCheck: r.get('source_dest_check'),
          Tenancy: nonBlank(r.get('tenancy')),
          PrivateIpAddress: nonBlank(r.get('private_ip')),
          UserData: userData(r),
          CreditSpecification: credit ? nested({ CPUCredits: nonBlank(credit.get('cpu_credits')) }) : undefined,
          LaunchTemplate: lt ? nested({ LaunchTemplateId: nonBlank(lt.ref('id')), LaunchTemplateName: nonBlank(lt.ref('name')), Version: lt.getOr('version', '$Default') }) : undefined,
          BlockDeviceMappings: nonEmpty([
            ...r.blocks('root_block_device').map((b) => ({ DeviceName: rootDeviceName(b), Ebs: ebs(b, 'instance') })),
            ...r.blocks('ebs_block_device').map((b) => compact({ DeviceName: b.get('device_name'), Ebs: ebs(b, 'instance') })),
          ]),
          Tags: r.tags(),
        },
        { lines: { ImageId: 'ami', BlockDeviceMappings: 'root_block_device', SecurityGroupIds: 'vpc_security_group_ids', NetworkInterfaces: 'associate_public_ip_address', PrivateIpAddress: 'private_ip' } },
      ),
    ]
  },
  aws_launch_template: (r) => {
    const profile = r.block('iam_instance_profile')
    const monitoring = r.block('monitoring')
    const tags = r.tags()
    return [
      own(
        r,
        'AWS::EC2::LaunchTemplate',
        {
          LaunchTemplateName: r.get('name'),
          LaunchTemplateData: compact({
            ImageId: nonBlank(r.get('image_id')),
            InstanceType: nonBlank(r.get('instance_type')),
            KeyName: nonBlank(r.get('key_name')),
            UserData: nonBlank(r.get('user_data')),
            EbsOptimized: boolish(r.get('ebs_optimized')),
            DisableApiTermination: r.get('disable_api_termination'),
            IamInstanceProfile: profile ? nested({ Arn: nonBlank(profile.ref('arn')), Name: nonBlank(profile.ref('name')) }) : undefined,
            SecurityGroupIds: nonEmpty(r.refList('vpc_security_group_ids')),
            SecurityGroups: nonEmpty(r.get('security_group_names')),
            MetadataOptions: metadataOptions(r),
            Monitoring: monitoring ? nested({ Enabled: monitoring.get('enabled') }) : undefined,
            BlockDeviceMappings: nonEmpty(
              r.blocks('block_device_mappings').map((b) => {
                const e = b.block('ebs')
                return compact({ DeviceName: b.get('device_name'), NoDevice: nonBlank(b.get('no_device')), VirtualName: nonBlank(b.get('virtual_name')), Ebs: e ? ebs(e, 'launch-template') : undefined })
              }),
            ),
            NetworkInterfaces: nonEmpty(
              r.blocks('network_interfaces').map((n) =>
                compact({
                  AssociatePublicIpAddress: boolish(n.get('associate_public_ip_address')),
                  DeviceIndex: n.get('device_index'),
                  SubnetId: nonBlank(n.ref('subnet_id')),
                  Groups: nonEmpty(n.refList('security_groups')),
                  DeleteOnTermination: boolish(n.get('delete_on_termination')),
                  Description: nonBlank(n.get('description')),
                  NetworkInterfaceId: nonBlank(n.ref('network_interface_id')),
                }),
              ),
            ),
            TagSpecifications: nonEmpty(r.blocks('tag_specifications').map((t) => compact({ ResourceType: t.get('resource_type'), Tags: tagList(t.get('tags')) }))),
          }),
          TagSpecifications: tags ? [{ ResourceType: 'launch-template', Tags: tags }] : undefined,
        },
        { lines: { LaunchTemplateData: 'metadata_options' } },
      ),
    ]
  },
  aws_ebs_volume: (r) => [
    own(r, 'AWS::EC2::Volume', {
      AvailabilityZone: r.get('availability_zone'),
      Encrypted: r.get('encrypted'),
      KmsKeyId: nonBlank(r.ref('kms_key_id')),
      Size: unlessNumber(r.get('size'), 0),
      VolumeType: nonBlank(r.get('type')),
      Iops: unlessNumber(r.get('iops'), 0),
      Throughput: unlessNumber(r.get('throughput'), 0),
      SnapshotId: nonBlank(r.get('snapshot_id')),
      MultiAttachEnabled: r.get('multi_attach_enabled'),
      Tags: r.tags(),
    }),
  ],
  aws_volume_attachment: (r) => [own(r, 'AWS::EC2::VolumeAttachment', { Device: r.get('device_name'), InstanceId: r.ref('instance_id'), VolumeId: r.ref('volume_id') })],
  // an imported public key: instances naming it accept the matching private key for SSH
  aws_key_pair: (r) => [own(r, 'AWS::EC2::KeyPair', { KeyName: r.get('key_name'), PublicKeyMaterial: nonBlank(r.get('public_key')), Tags: r.tags() })],
}
