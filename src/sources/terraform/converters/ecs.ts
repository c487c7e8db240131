import { isIntrinsic } from '../../cloudformation/index.js'
import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import { safeSet } from '../../located/index.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Keys of container definitions whose values are free-form maps, not property objects. */
const MAP_KEYS = new Set(['options', 'dockerLabels', 'driverOpts', 'labels'])

/**
 * A container definition as the ECS API writes it (`readonlyRootFilesystem`, `logConfiguration`)
 * in CloudFormation's spelling (`ReadonlyRootFilesystem`, `LogConfiguration`): the same names with
 * a capital first letter; map values (log driver options, Docker labels) keep their keys.
 */
export function containerShape(v: unknown, depth = 0): unknown {
  if (depth > 20) return v
  if (Array.isArray(v)) return v.map((x) => containerShape(x, depth + 1))
  if (!isObj(v)) return v
  const out: Obj = {}
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue
    safeSet(out, k.charAt(0).toUpperCase() + k.slice(1), MAP_KEYS.has(k) ? x : containerShape(x, depth + 1))
  }
  return out
}

/** ECS task definitions (container definitions from their JSON), clusters and services. */
export const ECS_CONVERTERS: Record<string, TfConverter> = {
  aws_ecs_task_definition: (r) => {
    const defs = r.json('container_definitions')
    const platform = r.block('runtime_platform')
    const storage = r.block('ephemeral_storage')
    return [
      own(
        r,
        'AWS::ECS::TaskDefinition',
        {
          Family: r.get('family'),
          ContainerDefinitions: Array.isArray(defs) ? containerShape(defs) : isObj(defs) && isIntrinsic(defs) ? defs : undefined,
          NetworkMode: nonBlank(r.get('network_mode')),
          RequiresCompatibilities: nonEmpty(r.get('requires_compatibilities')),
          Cpu: nonBlank(r.get('cpu')),
          Memory: nonBlank(r.get('memory')),
          ExecutionRoleArn: nonBlank(r.ref('execution_role_arn')),
          TaskRoleArn: nonBlank(r.ref('task_role_arn')),
          PidMode: nonBlank(r.get('pid_mode')),
          IpcMode: nonBlank(r.get('ipc_mode')),
          RuntimePlatform: platform ? nested({ OperatingSystemFamily: nonBlank(platform.get('operating_system_family')), CpuArchitecture: nonBlank(platform.get('cpu_architecture')) }) : undefined,
          EphemeralStorage: storage ? nested({ SizeInGiB: storage.get('size_in_gib') }) : undefined,
          Volumes: nonEmpty(
            r.blocks('volume').map((v) => {
              const efs = v.block('efs_volume_configuration')
              const auth = efs?.block('authorization_config')
              const docker = v.block('docker_volume_configuration')
              return compact({
                Name: v.get('name'),
                Host: nonBlank(v.get('host_path')) !== undefined ? { SourcePath: v.get('host_path') } : undefined,
                EFSVolumeConfiguration: efs
                  ? compact({
                      FilesystemId: efs.ref('file_system_id'),
                      RootDirectory: nonBlank(efs.get('root_directory')),
                      TransitEncryption: nonBlank(efs.get('transit_encryption')),
                      TransitEncryptionPort: efs.get('transit_encryption_port') || undefined,
                      AuthorizationConfig: auth ? nested({ AccessPointId: nonBlank(auth.ref('access_point_id')), IAM: nonBlank(auth.get('iam')) }) : undefined,
                    })
                  : undefined,
                DockerVolumeConfiguration: docker
                  ? nested({ Scope: nonBlank(docker.get('scope')), Autoprovision: docker.get('autoprovision'), Driver: nonBlank(docker.get('driver')), DriverOpts: nonEmpty(docker.get('driver_opts')), Labels: docker.get('labels') })
                  : undefined,
              })
            }),
          ),
          Tags: r.tags(),
        },
        { lines: { Volumes: 'volume' } },
      ),
    ]
  },
  aws_ecs_cluster: (r) => {
    const exec = r.block('configuration')?.block('execute_command_configuration')
    const log = exec?.block('log_configuration')
    return [
      own(r, 'AWS::ECS::Cluster', {
        ClusterName: r.get('name'),
        ClusterSettings: nonEmpty(r.blocks('setting').map((s) => compact({ Name: s.get('name'), Value: s.get('value') }))),
        Configuration: exec
          ? {
              ExecuteCommandConfiguration: compact({
                KmsKeyId: nonBlank(exec.ref('kms_key_id')),
                Logging: nonBlank(exec.get('logging')),
                LogConfiguration: log
                  ? nested({
                      CloudWatchEncryptionEnabled: log.get('cloud_watch_encryption_enabled'),
                      CloudWatchLogGroupName: nonBlank(log.ref('cloud_watch_log_group_name')),
                      S3BucketName: nonBlank(log.ref('s3_bucket_name')),
                      S3EncryptionEnabled: log.get('s3_bucket_encryption_enabled'),
                      S3KeyPrefix: nonBlank(log.get('s3_key_prefix')),
                    })
                  : undefined,
              }),
            }
          : undefined,
        Tags: r.tags(),
      }),
    ]
  },
  aws_ecs_service: (r) => {
    const net = r.block('network_configuration')
    const publicIp = net?.get('assign_public_ip')
    return [
      own(r, 'AWS::ECS::Service', {
        ServiceName: r.get('name'),
        Cluster: nonBlank(r.ref('cluster')),
        TaskDefinition: nonBlank(r.ref('task_definition')),
        DesiredCount: r.get('desired_count'),
        LaunchType: nonBlank(r.get('launch_type')),
        PlatformVersion: nonBlank(r.get('platform_version')),
        EnableExecuteCommand: r.get('enable_execute_command'),
        PropagateTags: nonBlank(r.get('propagate_tags')),
        NetworkConfiguration: net
          ? {
              AwsvpcConfiguration: compact({
                AssignPublicIp: publicIp === true ? 'ENABLED' : publicIp === false ? 'DISABLED' : publicIp,
                SecurityGroups: nonEmpty(net.refList('security_groups')),
                Subnets: nonEmpty(net.refList('subnets')),
              }),
            }
          : undefined,
        LoadBalancers: nonEmpty(r.blocks('load_balancer').map((l) => compact({ TargetGroupArn: nonBlank(l.ref('target_group_arn')), LoadBalancerName: nonBlank(l.ref('elb_name')), ContainerName: l.get('container_name'), ContainerPort: l.get('container_port') }))),
        Tags: r.tags(),
      }),
    ]
  },
}
