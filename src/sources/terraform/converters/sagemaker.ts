import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** SageMaker notebook instances (internet access, root access, encryption) and endpoint configurations. */
export const SAGEMAKER_CONVERTERS: Record<string, TfConverter> = {
  aws_sagemaker_notebook_instance: (r) => {
    const imds = r.block('instance_metadata_service_configuration')
    return [
      own(
        r,
        'AWS::SageMaker::NotebookInstance',
        {
          NotebookInstanceName: r.get('name'),
          InstanceType: r.get('instance_type'),
          RoleArn: r.ref('role_arn'),
          KmsKeyId: nonBlank(r.ref('kms_key_id')),
          DirectInternetAccess: r.get('direct_internet_access'),
          RootAccess: r.get('root_access'),
          SubnetId: nonBlank(r.ref('subnet_id')),
          SecurityGroupIds: nonEmpty(r.refList('security_groups')),
          VolumeSizeInGB: r.get('volume_size'),
          PlatformIdentifier: nonBlank(r.get('platform_identifier')),
          LifecycleConfigName: nonBlank(r.ref('lifecycle_config_name')),
          DefaultCodeRepository: nonBlank(r.get('default_code_repository')),
          InstanceMetadataServiceConfiguration: imds ? nested({ MinimumInstanceMetadataServiceVersion: imds.get('minimum_instance_metadata_service_version') }) : undefined,
          Tags: r.tags(),
        },
        { lines: { SecurityGroupIds: 'security_groups', VolumeSizeInGB: 'volume_size', NotebookInstanceName: 'name' } },
      ),
    ]
  },
  aws_sagemaker_endpoint_configuration: (r) => {
    const capture = r.block('data_capture_config')
    return [
      own(
        r,
        'AWS::SageMaker::EndpointConfig',
        {
          EndpointConfigName: r.get('name'),
          KmsKeyId: nonBlank(r.ref('kms_key_arn')),
          ProductionVariants: r.blocks('production_variants').map((v) =>
            compact({ VariantName: v.get('variant_name'), ModelName: v.ref('model_name'), InitialInstanceCount: v.get('initial_instance_count'), InstanceType: nonBlank(v.get('instance_type')), InitialVariantWeight: v.get('initial_variant_weight') }),
          ),
          DataCaptureConfig: capture
            ? compact({
                EnableCapture: capture.get('enable_capture'),
                InitialSamplingPercentage: capture.get('initial_sampling_percentage'),
                DestinationS3Uri: capture.get('destination_s3_uri'),
                KmsKeyId: nonBlank(capture.ref('kms_key_id')),
                CaptureOptions: capture.blocks('capture_options').map((o) => compact({ CaptureMode: o.get('capture_mode') })),
              })
            : undefined,
          Tags: r.tags(),
        },
        { lines: { KmsKeyId: 'kms_key_arn', EndpointConfigName: 'name' } },
      ),
    ]
  },
}
