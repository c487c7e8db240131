import { compact, nested, nonBlank, nonEmpty, numString } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own, unlessNumber } from './common.js'
import { ebs, metadataOptions, rootDeviceName, userData } from './ec2.js'

function launchTemplateSpec(lt: TfReader | undefined): Record<string, unknown> | undefined {
  if (!lt) return undefined
  return nested({ LaunchTemplateId: nonBlank(lt.ref('id') ?? lt.ref('launch_template_id')), LaunchTemplateName: nonBlank(lt.ref('name') ?? lt.ref('launch_template_name')), Version: lt.getOr('version', '$Default') })
}

/** Launch configurations, Auto Scaling groups and Application Auto Scaling targets and policies. */
export const AUTOSCALING_CONVERTERS: Record<string, TfConverter> = {
  aws_launch_configuration: (r) => [
    own(
      r,
      'AWS::AutoScaling::LaunchConfiguration',
      {
        LaunchConfigurationName: r.get('name'),
        ImageId: r.get('image_id'),
        InstanceType: r.get('instance_type'),
        KeyName: nonBlank(r.get('key_name')),
        IamInstanceProfile: nonBlank(r.ref('iam_instance_profile')),
        SecurityGroups: nonEmpty(r.refList('security_groups')),
        AssociatePublicIpAddress: r.get('associate_public_ip_address'),
        UserData: userData(r),
        InstanceMonitoring: r.get('enable_monitoring'),
        EbsOptimized: r.get('ebs_optimized'),
        PlacementTenancy: nonBlank(r.get('placement_tenancy')),
        MetadataOptions: metadataOptions(r),
        BlockDeviceMappings: nonEmpty([
          ...r.blocks('root_block_device').map((b) => ({ DeviceName: rootDeviceName(b), Ebs: ebs(b, 'launch-configuration') })),
          ...r.blocks('ebs_block_device').map((b) => compact({ DeviceName: b.get('device_name'), Ebs: ebs(b, 'launch-configuration') })),
        ]),
      },
      { lines: { InstanceMonitoring: 'enable_monitoring', BlockDeviceMappings: 'root_block_device' } },
    ),
  ],
  aws_autoscaling_group: (r) => {
    const mixed = r.block('mixed_instances_policy')?.block('launch_template')?.block('launch_template_specification')
    const tags = r.blocks('tag').map((t) => compact({ Key: t.get('key'), Value: t.get('value'), PropagateAtLaunch: String(t.get('propagate_at_launch') ?? true) }))
    return [
      own(
        r,
        'AWS::AutoScaling::AutoScalingGroup',
        {
          AutoScalingGroupName: r.get('name'),
          MinSize: numString(r.get('min_size')),
          MaxSize: numString(r.get('max_size')),
          DesiredCapacity: numString(r.get('desired_capacity')),
          LaunchConfigurationName: nonBlank(r.ref('launch_configuration')),
          LaunchTemplate: launchTemplateSpec(r.block('launch_template')),
          MixedInstancesPolicy: mixed ? { LaunchTemplate: { LaunchTemplateSpecification: launchTemplateSpec(mixed) } } : undefined,
          VPCZoneIdentifier: nonEmpty(r.refList('vpc_zone_identifier')),
          AvailabilityZones: nonEmpty(r.get('availability_zones')),
          TargetGroupARNs: nonEmpty(r.refList('target_group_arns')),
          LoadBalancerNames: nonEmpty(r.refList('load_balancers')),
          HealthCheckType: nonBlank(r.get('health_check_type')),
          HealthCheckGracePeriod: r.get('health_check_grace_period'),
          CapacityRebalance: r.get('capacity_rebalance'),
          Tags: nonEmpty(tags),
        },
        { lines: { Tags: 'tag', LaunchConfigurationName: 'launch_configuration', VPCZoneIdentifier: 'vpc_zone_identifier', TargetGroupARNs: 'target_group_arns' } },
      ),
    ]
  },
  aws_appautoscaling_target: (r) => [
    own(r, 'AWS::ApplicationAutoScaling::ScalableTarget', {
      MaxCapacity: r.get('max_capacity'),
      MinCapacity: r.get('min_capacity'),
      ResourceId: r.get('resource_id'),
      ScalableDimension: r.get('scalable_dimension'),
      ServiceNamespace: r.get('service_namespace'),
      RoleARN: nonBlank(r.ref('role_arn')),
    }),
  ],
  aws_appautoscaling_policy: (r) => {
    const tt = r.block('target_tracking_scaling_policy_configuration')
    const predefined = tt?.block('predefined_metric_specification')
    return [
      own(r, 'AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyName: r.get('name'),
        PolicyType: r.get('policy_type'),
        ResourceId: r.get('resource_id'),
        ScalableDimension: r.get('scalable_dimension'),
        ServiceNamespace: r.get('service_namespace'),
        TargetTrackingScalingPolicyConfiguration: tt
          ? compact({
              TargetValue: tt.get('target_value'),
              DisableScaleIn: tt.get('disable_scale_in'),
              ScaleInCooldown: unlessNumber(tt.get('scale_in_cooldown'), 0),
              ScaleOutCooldown: unlessNumber(tt.get('scale_out_cooldown'), 0),
              PredefinedMetricSpecification: predefined ? nested({ PredefinedMetricType: predefined.get('predefined_metric_type'), ResourceLabel: nonBlank(predefined.get('resource_label')) }) : undefined,
            })
          : undefined,
      }),
    ]
  },
}
