import { defineCheck, fail, pass } from '../define-check.js'
import { present, subject } from './lib/judge.js'
import { describe } from './lib/values.js'

/** Data scientists' working copies of patient data on notebook volumes are encrypted with a key the account controls. */
export default defineCheck({
  id: 'aws/sagemaker-notebook-kms',
  title: 'SageMaker notebook instance encrypts its storage with a KMS key',
  severity: 'medium',
  resourceKinds: ['aws:sagemaker:notebook-instance'],
  rationale:
    'Notebook volumes accumulate extracts of clinical data, model features and query results. Without KmsKeyId the volume is encrypted with a key the account cannot restrict or audit, so nothing limits who can decrypt the copies of PHI data scientists leave behind.',
  remediation: {
    text: 'Set KmsKeyId to a customer managed key on the notebook instance.',
    cloudformation: 'KmsKeyId: !Ref MlDataKey',
    terraform: 'kms_key_id = aws_kms_key.ml_data.arn',
  },
  controls: { csf: ['PR.DS-1'], hipaa: ['164.312(a)(2)(iv)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED'], cdkNag: ['HIPAA.Security-SageMakerNotebookInstanceKMSKeyConfigured'], prowler: ['sagemaker_notebook_instance_encryption_enabled'] },
  evaluate(nb) {
    const key = nb.props['KmsKeyId']
    return present(key) !== false ? pass(`${subject(nb)} encrypts its storage with KMS key ${describe(key)}.`) : fail(`${subject(nb)} does not encrypt its storage with a KMS key.`)
  },
})
