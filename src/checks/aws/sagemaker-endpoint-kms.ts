import { defineCheck, fail, pass } from '../define-check.js'
import { present, subject } from './lib/judge.js'
import { describe } from './lib/values.js'

/** Storage attached to model-serving instances, which sees inference requests about patients, is encrypted with a KMS key. */
export default defineCheck({
  id: 'aws/sagemaker-endpoint-kms',
  title: 'SageMaker endpoint configuration encrypts storage with a KMS key',
  severity: 'medium',
  resourceKinds: ['aws:sagemaker:endpoint-config'],
  rationale:
    'Inference endpoints receive patient features and may cache or log them on the ML storage volume. Without KmsKeyId that volume uses a key the account cannot restrict or audit. (Instance types with local NVMe storage encrypt it with a hardware key and do not accept KmsKeyId.)',
  remediation: {
    text: 'Set KmsKeyId on the endpoint configuration (and on DataCaptureConfig if request capture is on).',
    cloudformation: 'KmsKeyId: !Ref MlDataKey',
    terraform: 'kms_key_arn = aws_kms_key.ml_data.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED'], cdkNag: ['HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured'], prowler: ['sagemaker_endpoint_config_kms_encryption_enabled'] },
  evaluate(cfg) {
    const key = cfg.props['KmsKeyId']
    return present(key) !== false ? pass(`${subject(cfg)} encrypts storage with KMS key ${describe(key)}.`) : fail(`${subject(cfg)} does not encrypt storage with a KMS key.`)
  },
})
