import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { own } from './common.js'

function source(s: TfReader, secondary = false): Record<string, unknown> {
  const auth = s.block('auth')
  return compact({
    Type: s.get('type'),
    Location: nonBlank(s.get('location')),
    BuildSpec: nonBlank(s.get('buildspec')),
    GitCloneDepth: s.get('git_clone_depth') || undefined,
    InsecureSsl: s.get('insecure_ssl'),
    ReportBuildStatus: s.get('report_build_status'),
    SourceIdentifier: secondary ? nonBlank(s.get('source_identifier')) : undefined,
    Auth: auth ? nested({ Type: auth.get('type'), Resource: nonBlank(auth.ref('resource')) }) : undefined,
  })
}

function artifacts(a: TfReader): Record<string, unknown> {
  return compact({
    Type: a.get('type'),
    Location: nonBlank(a.get('location')),
    EncryptionDisabled: a.get('encryption_disabled'),
    Name: nonBlank(a.get('name')),
    Packaging: nonBlank(a.get('packaging')),
    Path: nonBlank(a.get('path')),
    NamespaceType: nonBlank(a.get('namespace_type')),
    ArtifactIdentifier: nonBlank(a.get('artifact_identifier')),
  })
}

/** CodeBuild projects: environment (privileged mode, plaintext variables), artifact and log encryption, VPC. */
export const CODEBUILD_CONVERTERS: Record<string, TfConverter> = {
  aws_codebuild_project: (r) => {
    const env = r.block('environment')
    const logs = r.block('logs_config')
    const cw = logs?.block('cloudwatch_logs')
    const s3 = logs?.block('s3_logs')
    const vpc = r.block('vpc_config')
    const src = r.block('source')
    const art = r.block('artifacts')
    return [
      own(
        r,
        'AWS::CodeBuild::Project',
        {
          Name: r.get('name'),
          Description: nonBlank(r.get('description')),
          ServiceRole: r.ref('service_role'),
          EncryptionKey: nonBlank(r.ref('encryption_key')),
          TimeoutInMinutes: r.get('build_timeout'),
          QueuedTimeoutInMinutes: r.get('queued_timeout'),
          Source: src ? source(src) : undefined,
          SecondarySources: nonEmpty(r.blocks('secondary_sources').map((x) => source(x, true))),
          Artifacts: art ? artifacts(art) : { Type: 'NO_ARTIFACTS' },
          SecondaryArtifacts: nonEmpty(r.blocks('secondary_artifacts').map(artifacts)),
          Environment: env
            ? compact({
                Type: env.get('type'),
                Image: env.get('image'),
                ComputeType: env.get('compute_type'),
                PrivilegedMode: env.get('privileged_mode'),
                ImagePullCredentialsType: nonBlank(env.get('image_pull_credentials_type')),
                Certificate: nonBlank(env.get('certificate')),
                EnvironmentVariables: nonEmpty(env.blocks('environment_variable').map((v) => compact({ Name: v.get('name'), Value: v.get('value'), Type: v.get('type') }))),
              })
            : undefined,
          LogsConfig: logs
            ? nested({
                CloudWatchLogs: cw ? nested({ Status: cw.get('status'), GroupName: nonBlank(cw.ref('group_name')), StreamName: nonBlank(cw.get('stream_name')) }) : undefined,
                S3Logs: s3 ? nested({ Status: s3.get('status'), Location: nonBlank(s3.get('location')), EncryptionDisabled: s3.get('encryption_disabled') }) : undefined,
              })
            : undefined,
          VpcConfig: vpc ? nested({ VpcId: vpc.ref('vpc_id'), Subnets: nonEmpty(vpc.refList('subnets')), SecurityGroupIds: nonEmpty(vpc.refList('security_group_ids')) }) : undefined,
          Tags: r.tags(),
        },
        { lines: { TimeoutInMinutes: 'build_timeout', QueuedTimeoutInMinutes: 'queued_timeout', LogsConfig: 'logs_config' } },
      ),
    ]
  },
}
