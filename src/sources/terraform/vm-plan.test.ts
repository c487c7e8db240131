import { describe, expect, it } from 'vitest'
import { buildInventory } from '../../inventory/index.js'
import type { Edge } from '../../model/index.js'
import type { SourceResource } from '../types.js'
import { userData } from './converters/ec2.js'
import { cfnShapeProblems } from './testdata/cfn-shape.js'
import { fixtureText, readFixture, resourceLine } from './testdata/load.js'
import type { TfReader } from './types.js'

const text = fixtureText('clinic-vm-plan.json')
const doc = readFixture('clinic-vm-plan.json', text)
const res = (sourceId: string): SourceResource => {
  const r = doc.resources.find((x) => x.sourceId === sourceId)
  if (!r) throw new Error(`no resource ${sourceId}`)
  return r
}
const props = (sourceId: string): Record<string, unknown> => res(sourceId).properties
const ref = (address: string): unknown => ({ Ref: address })
const getAtt = (address: string, attr: string): unknown => ({ 'Fn::GetAtt': [address, attr] })

describe('readTerraformPlan: clinic VM tier (Terraform 1.11, AWS provider 5.100, a real `terraform show -json`)', () => {
  it('reads every resource type of the plan without a diagnostic', () => {
    expect(doc.diagnostics).toEqual([])
    expect(doc.context).toEqual({ region: 'us-east-1', stage: 'prod' })
  })

  it('converts the instance: metadata options, public address choice, profile, key, volumes, user data', () => {
    expect(props('aws_instance.hl7')).toMatchObject({
      ImageId: 'ami-0f3c7d07486cad139',
      KeyName: 'clinic-vendor-support',
      SubnetId: 'subnet-0aa11bb22cc33dd44',
      SecurityGroupIds: [ref('aws_security_group.hl7')],
      NetworkInterfaces: [{ DeviceIndex: '0', AssociatePublicIpAddress: false, SubnetId: 'subnet-0aa11bb22cc33dd44', GroupSet: [ref('aws_security_group.hl7')] }],
      IamInstanceProfile: ref('aws_iam_instance_profile.hl7'),
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
      Monitoring: true,
      DisableApiTermination: true,
      BlockDeviceMappings: [{ DeviceName: getAtt('aws_instance.hl7', 'root_block_device.0.device_name'), Ebs: { Encrypted: true, KmsKeyId: getAtt('aws_kms_key.ebs', 'Arn'), VolumeSize: 40, VolumeType: 'gp3' } }],
    })
    // the plan holds only the SHA-1 of a plain script: the script comes from the configuration, in CloudFormation's Fn::Base64 form
    const planned = JSON.parse(text) as { planned_values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } } }
    expect(planned.planned_values.root_module.resources.find((r) => r.address === 'aws_instance.hl7')?.values['user_data']).toMatch(/^[0-9a-f]{40}$/)
    expect(props('aws_instance.hl7')['UserData']).toEqual({ 'Fn::Base64': '#!/bin/bash\nset -euo pipefail\ndnf -y install java-17-amazon-corretto-headless\nsystemctl enable --now mcservice\n' })
    // no user data at all: nothing, not an unknown
    expect(props('aws_instance.jump')).not.toHaveProperty('UserData')
    // the root device (name known after apply) and an ebs_block_device
    expect(props('aws_instance.jump')['BlockDeviceMappings']).toEqual([
      { DeviceName: getAtt('aws_instance.jump', 'root_block_device.0.device_name'), Ebs: { Encrypted: true, DeleteOnTermination: true } },
      { DeviceName: '/dev/sdg', Ebs: { Encrypted: false, VolumeSize: 20, VolumeType: 'gp3', DeleteOnTermination: true } },
    ])
    expect(props('aws_instance.jump')['KeyName']).toBe('clinic-vendor-support')
  })

  it('keeps a script the configuration renders (templatefile, interpolation) unknown, never absent', () => {
    const reader = (config: Record<string, unknown> | undefined): TfReader =>
      ({
        res: { address: 'aws_instance.x', ...(config ? { config: { expressions: config, dependsOn: [] } } : {}) },
        get: (a: string) => (a === 'user_data' ? 'e3cf5b39bc793e8151d1893fb3992ebdad89c0d2' : undefined),
      }) as unknown as TfReader
    expect(userData(reader({ user_data: { references: ['var.db_host'] } }))).toEqual({ 'Fn::Base64': getAtt('aws_instance.x', 'UserData') })
    expect(userData(reader(undefined))).toEqual({ 'Fn::Base64': getAtt('aws_instance.x', 'UserData') })
    expect(userData(reader({ user_data: { constant_value: '#!/bin/sh\n' } }))).toEqual({ 'Fn::Base64': '#!/bin/sh\n' })
  })

  it('converts the launch template (base64 user data, string booleans, interface, instance tags) and the group that uses it', () => {
    const data = props('aws_launch_template.reporting')['LaunchTemplateData'] as Record<string, unknown>
    expect(data).toMatchObject({
      IamInstanceProfile: { Name: ref('aws_iam_instance_profile.reporting') },
      MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      Monitoring: { Enabled: false },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 50, VolumeType: 'gp3', KmsKeyId: getAtt('aws_kms_key.ebs', 'Arn') } }],
      NetworkInterfaces: [{ AssociatePublicIpAddress: true, DeviceIndex: 0, Groups: [ref('aws_security_group.reporting')], DeleteOnTermination: true }],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'clinic-reporting-worker' }, { Key: 'Patch Group', Value: 'clinic-reporting' }] }],
    })
    expect(Buffer.from(data['UserData'] as string, 'base64').toString('utf8')).toMatch(/^#!\/bin\/bash\nexport REPORT_DB_PASSWORD=/)
    expect(props('aws_autoscaling_group.reporting')).toMatchObject({
      LaunchTemplate: { LaunchTemplateId: ref('aws_launch_template.reporting'), Version: '$Latest' },
      VPCZoneIdentifier: ['subnet-0aa11bb22cc33dd44', 'subnet-0ee55ff66aa77bb88'],
      HealthCheckType: 'EC2',
      Tags: [{ Key: 'data-classification', Value: 'phi', PropagateAtLaunch: 'true' }],
    })
  })

  it('merges the separate ingress rules into their groups, and associates the Elastic IP and the key pair', () => {
    expect(props('aws_security_group.hl7')['SecurityGroupIngress']).toContainEqual({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Description: 'Engine vendor support', CidrIp: '0.0.0.0/0' })
    expect(props('aws_security_group.reporting')['SecurityGroupIngress']).toEqual([{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, Description: 'Report requests from the interface engine', SourceSecurityGroupId: ref('aws_security_group.hl7') }])
    expect(props('aws_eip_association.jump')).toEqual({ AllocationId: ref('aws_eip.jump'), InstanceId: ref('aws_instance.jump') })
    expect(res('aws_key_pair.vendor')).toMatchObject({ type: 'AWS::EC2::KeyPair', properties: { KeyName: 'clinic-vendor-support' } })
    expect(props('aws_ebs_volume.hl7_data')).toMatchObject({ Encrypted: true, KmsKeyId: getAtt('aws_kms_key.ebs', 'Arn'), Size: 200, VolumeType: 'gp3' })
    expect(props('aws_volume_attachment.hl7_data')).toEqual({ Device: '/dev/sdf', InstanceId: ref('aws_instance.hl7'), VolumeId: ref('aws_ebs_volume.hl7_data') })
  })

  it('keeps the tag condition that narrows a backup selection of every resource', () => {
    expect(props('aws_backup_selection.tagged')['BackupSelection']).toEqual({
      SelectionName: 'daily-35d-tagged',
      IamRoleArn: getAtt('aws_iam_role.backup', 'Arn'),
      Resources: ['*'],
      Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: 'daily-35d' }] },
    })
  })

  it('converts Patch Manager, maintenance windows, State Manager, service settings and DLM policies', () => {
    expect(props('aws_ssm_patch_baseline.al2023')).toMatchObject({
      Name: 'clinic-al2023-security',
      OperatingSystem: 'AMAZON_LINUX_2023',
      // aws_ssm_patch_group and aws_ssm_default_patch_baseline configure the baseline
      PatchGroups: ['clinic-prod-linux'],
      DefaultBaseline: true,
      ApprovalRules: { PatchRules: [{ ApproveAfterDays: 7, ComplianceLevel: 'CRITICAL', PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Security'] }, { Key: 'SEVERITY', Values: ['Critical', 'Important'] }] } }] },
    })
    expect(res('aws_ssm_patch_baseline.al2023').propLines['PatchGroups']).toBe(resourceLine(text, 'aws_ssm_patch_group.prod_linux'))
    expect(props('aws_ssm_maintenance_window_target.prod_linux')).toEqual({ WindowId: ref('aws_ssm_maintenance_window.sunday'), ResourceType: 'INSTANCE', Name: 'clinic-prod-linux', Targets: [{ Key: 'tag:Patch Group', Values: ['clinic-prod-linux'] }] })
    expect(props('aws_ssm_maintenance_window_task.patch')).toMatchObject({
      TaskType: 'RUN_COMMAND',
      TaskArn: 'AWS-RunPatchBaseline',
      Targets: [{ Key: 'WindowTargetIds', Values: [ref('aws_ssm_maintenance_window_target.prod_linux')] }],
      TaskInvocationParameters: { MaintenanceWindowRunCommandParameters: { Parameters: { Operation: ['Install'] }, TimeoutSeconds: 3600 } },
    })
    expect(props('aws_ssm_association.inventory')).toMatchObject({ Name: 'AWS-GatherSoftwareInventory', ScheduleExpression: 'rate(1 day)', Targets: [{ Key: 'tag:Patch Group', Values: ['clinic-prod-linux'] }] })
    expect(props('aws_ssm_service_setting.automation_logs')).toEqual({ SettingId: '/ssm/automation/customer-script-log-destination', SettingValue: 'CloudWatch' })
    expect(props('aws_dlm_lifecycle_policy.hl7_hourly')).toMatchObject({
      State: 'ENABLED',
      ExecutionRoleArn: getAtt('aws_iam_role.dlm', 'Arn'),
      PolicyDetails: { PolicyType: 'EBS_SNAPSHOT_MANAGEMENT', ResourceTypes: ['VOLUME'], TargetTags: [{ Key: 'snapshot', Value: 'hourly' }], Schedules: [{ Name: 'hourly-48', CopyTags: true, CreateRule: { Interval: 1, IntervalUnit: 'HOURS' }, RetainRule: { Count: 48 } }] },
    })
  })

  it('gives resources that conform to the CloudFormation resource specification', () => {
    const problems = doc.resources.filter((r) => !r.type.startsWith('PhiWall::')).flatMap((r) => cfnShapeProblems(r.type, r.properties).map((p) => `${r.sourceId}: ${p}`))
    expect(problems).toEqual([])
  }, 120_000)

  it('links instances to profiles, volumes and groups, and profiles to roles, in the inventory', () => {
    const inv = buildInventory([doc])
    const byId = new Map(inv.resources.map((r) => [r.id, r]))
    const edge = (from: string, to: string, kind: Edge['kind']): Edge | undefined => inv.edges.find((e) => byId.get(e.from)?.sourceId === from && byId.get(e.to)?.sourceId === to && e.kind === kind)
    expect(edge('aws_iam_instance_profile.hl7', 'aws_instance.hl7', 'attached')).toBeDefined()
    expect(edge('aws_iam_instance_profile.hl7', 'aws_iam_role.hl7', 'attached')).toBeDefined()
    expect(edge('aws_ebs_volume.hl7_data', 'aws_instance.hl7', 'attached')).toBeDefined()
    expect(edge('aws_instance.hl7', 'aws_security_group.hl7', 'placed-in')).toBeDefined()
    expect(inv.resources.find((r) => r.sourceId === 'aws_instance.hl7')?.holdsPhi).toBe('yes')
    expect(inv.resources.find((r) => r.sourceId === 'aws_autoscaling_group.reporting')?.holdsPhi).toBe('yes')
  })
})
