import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { corsOf, own, unlessNumber } from './common.js'

function destination(d: TfReader | undefined, attr: string): Record<string, unknown> | undefined {
  const b = d?.block(attr)
  return b ? nested({ Destination: b.ref('destination') }) : undefined
}

/** Lambda functions, their URLs, permissions, event source mappings and asynchronous invocation settings. */
export const LAMBDA_CONVERTERS: Record<string, TfConverter> = {
  aws_lambda_function: (r) => {
    // CloudFormation requires Code; a local `filename` package has no CloudFormation spelling
    const code = compact({ S3Bucket: nonBlank(r.ref('s3_bucket')), S3Key: nonBlank(r.get('s3_key')), S3ObjectVersion: nonBlank(r.get('s3_object_version')), ImageUri: nonBlank(r.get('image_uri')) })
    const env = r.block('environment')
    const vpc = r.block('vpc_config')
    const dlq = r.block('dead_letter_config')
    const tracing = r.block('tracing_config')
    const logging = r.block('logging_config')
    const image = r.block('image_config')
    const storage = r.block('ephemeral_storage')
    const snap = r.block('snap_start')
    const fn = own(
        r,
        'AWS::Lambda::Function',
        {
          FunctionName: r.get('function_name'),
          Description: nonBlank(r.get('description')),
          Role: r.ref('role'),
          Runtime: nonBlank(r.get('runtime')),
          Handler: nonBlank(r.get('handler')),
          PackageType: r.get('package_type'),
          Architectures: nonEmpty(r.get('architectures')),
          CodeSigningConfigArn: nonBlank(r.ref('code_signing_config_arn')),
          MemorySize: r.get('memory_size'),
          Timeout: r.get('timeout'),
          Environment: env ? nested({ Variables: env.get('variables') }) : undefined,
          KmsKeyArn: nonBlank(r.ref('kms_key_arn')),
          TracingConfig: tracing ? nested({ Mode: tracing.get('mode') }) : undefined,
          VpcConfig: vpc ? nested({ SubnetIds: nonEmpty(vpc.refList('subnet_ids')), SecurityGroupIds: nonEmpty(vpc.refList('security_group_ids')), Ipv6AllowedForDualStack: vpc.get('ipv6_allowed_for_dual_stack') }) : undefined,
          DeadLetterConfig: dlq ? nested({ TargetArn: dlq.ref('target_arn') }) : undefined,
          ReservedConcurrentExecutions: unlessNumber(r.get('reserved_concurrent_executions'), -1),
          Layers: nonEmpty(r.get('layers')),
          EphemeralStorage: storage ? nested({ Size: storage.get('size') }) : undefined,
          FileSystemConfigs: nonEmpty(r.blocks('file_system_config').map((f) => compact({ Arn: f.ref('arn'), LocalMountPath: f.get('local_mount_path') }))),
          ImageConfig: image ? nested({ Command: image.get('command'), EntryPoint: image.get('entry_point'), WorkingDirectory: nonBlank(image.get('working_directory')) }) : undefined,
          LoggingConfig: logging
            ? nested({ LogFormat: logging.get('log_format'), LogGroup: nonBlank(logging.ref('log_group')), ApplicationLogLevel: nonBlank(logging.get('application_log_level')), SystemLogLevel: nonBlank(logging.get('system_log_level')) })
            : undefined,
          SnapStart: snap ? nested({ ApplyOn: snap.get('apply_on') }) : undefined,
          Tags: r.tags(),
        },
        { lines: { Environment: 'environment', VpcConfig: 'vpc_config', TracingConfig: 'tracing_config', DeadLetterConfig: 'dead_letter_config', Role: 'role', KmsKeyArn: 'kms_key_arn', Code: 'filename' } },
      )
    fn.properties['Code'] = code
    return [fn]
  },
  aws_lambda_function_url: (r) => {
    const cors = r.block('cors')
    return [
      own(r, 'AWS::Lambda::Url', {
        TargetFunctionArn: r.ref('function_name'),
        Qualifier: nonBlank(r.get('qualifier')),
        AuthType: r.get('authorization_type'),
        InvokeMode: r.get('invoke_mode'),
        Cors: cors
          ? corsOf(cors)
          : undefined,
      }),
    ]
  },
  aws_lambda_permission: (r) => [
    own(r, 'AWS::Lambda::Permission', {
      Action: r.get('action'),
      FunctionName: r.ref('function_name'),
      Principal: r.get('principal'),
      SourceArn: nonBlank(r.ref('source_arn')),
      SourceAccount: nonBlank(r.get('source_account')),
      PrincipalOrgID: nonBlank(r.get('principal_org_id')),
      EventSourceToken: nonBlank(r.get('event_source_token')),
      FunctionUrlAuthType: nonBlank(r.get('function_url_auth_type')),
    }),
  ],
  aws_lambda_event_source_mapping: (r) => {
    const dest = r.block('destination_config')
    const filter = r.block('filter_criteria')
    const scaling = r.block('scaling_config')
    return [
      own(r, 'AWS::Lambda::EventSourceMapping', {
        FunctionName: r.ref('function_name'),
        EventSourceArn: nonBlank(r.ref('event_source_arn')),
        Enabled: r.get('enabled'),
        BatchSize: r.get('batch_size'),
        StartingPosition: nonBlank(r.get('starting_position')),
        MaximumBatchingWindowInSeconds: r.get('maximum_batching_window_in_seconds'),
        MaximumRetryAttempts: r.get('maximum_retry_attempts'),
        MaximumRecordAgeInSeconds: r.get('maximum_record_age_in_seconds'),
        BisectBatchOnFunctionError: r.get('bisect_batch_on_function_error'),
        ParallelizationFactor: r.get('parallelization_factor'),
        TumblingWindowInSeconds: r.get('tumbling_window_in_seconds'),
        FunctionResponseTypes: nonEmpty(r.get('function_response_types')),
        Queues: nonEmpty(r.get('queues')),
        KmsKeyArn: nonBlank(r.ref('kms_key_arn')),
        DestinationConfig: dest ? nested({ OnFailure: destination(dest, 'on_failure') }) : undefined,
        FilterCriteria: filter ? nested({ Filters: nonEmpty(filter.blocks('filter').map((f) => compact({ Pattern: f.get('pattern') }))) }) : undefined,
        ScalingConfig: scaling ? nested({ MaximumConcurrency: scaling.get('maximum_concurrency') }) : undefined,
        SourceAccessConfigurations: nonEmpty(r.blocks('source_access_configuration').map((s) => compact({ Type: s.get('type'), URI: s.ref('uri') }))),
      }),
    ]
  },
  aws_lambda_function_event_invoke_config: (r) => {
    const dest = r.block('destination_config')
    return [
      own(r, 'AWS::Lambda::EventInvokeConfig', {
        FunctionName: r.ref('function_name'),
        // CloudFormation requires a qualifier; Terraform's unset one is the unpublished version
        Qualifier: nonBlank(r.get('qualifier')) ?? '$LATEST',
        MaximumEventAgeInSeconds: r.get('maximum_event_age_in_seconds'),
        MaximumRetryAttempts: r.get('maximum_retry_attempts'),
        DestinationConfig: dest ? nested({ OnSuccess: destination(dest, 'on_success'), OnFailure: destination(dest, 'on_failure') }) : undefined,
      }),
    ]
  },
  aws_lambda_alias: (r) => [own(r, 'AWS::Lambda::Alias', { Name: r.get('name'), FunctionName: r.ref('function_name'), FunctionVersion: r.get('function_version'), Description: nonBlank(r.get('description')) })],
}
