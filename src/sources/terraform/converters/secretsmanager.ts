import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverted, TfConverter, TfReader } from '../types.js'
import { generated, own } from './common.js'

function rotationRules(b: TfReader | undefined): Record<string, unknown> | undefined {
  return b ? nested({ AutomaticallyAfterDays: b.get('automatically_after_days') || undefined, ScheduleExpression: nonBlank(b.get('schedule_expression')), Duration: nonBlank(b.get('duration')) }) : undefined
}

/** Secrets (never their values), rotation schedules and resource policies. */
export const SECRETSMANAGER_CONVERTERS: Record<string, TfConverter> = {
  aws_secretsmanager_secret: (r) => {
    const out: TfConverted[] = [
      own(r, 'AWS::SecretsManager::Secret', {
        Name: r.get('name'),
        Description: nonBlank(r.get('description')),
        KmsKeyId: nonBlank(r.ref('kms_key_id')),
        ReplicaRegions: nonEmpty(r.blocks('replica').map((x) => compact({ Region: x.get('region'), KmsKeyId: nonBlank(x.ref('kms_key_id')) }))),
        Tags: r.tags(),
      }),
    ]
    // provider v4 could rotate from the secret itself
    const lambda = nonBlank(r.ref('rotation_lambda_arn'))
    if (lambda !== undefined) out.push(generated(r, 'rotation', 'AWS::SecretsManager::RotationSchedule', { SecretId: { Ref: r.res.address }, RotationLambdaARN: lambda, RotationRules: rotationRules(r.block('rotation_rules')) }))
    const policy = r.json('policy')
    if (policy !== undefined && policy !== '') out.push(generated(r, 'policy', 'AWS::SecretsManager::ResourcePolicy', { SecretId: { Ref: r.res.address }, ResourcePolicy: policy }, { inlineOf: r.res.address }))
    return out
  },
  aws_secretsmanager_secret_rotation: (r) => [
    own(r, 'AWS::SecretsManager::RotationSchedule', {
      SecretId: r.ref('secret_id'),
      RotationLambdaARN: nonBlank(r.ref('rotation_lambda_arn')),
      RotationRules: rotationRules(r.block('rotation_rules')),
      RotateImmediatelyOnUpdate: r.get('rotate_immediately'),
    }),
  ],
  aws_secretsmanager_secret_policy: (r) => [own(r, 'AWS::SecretsManager::ResourcePolicy', { SecretId: r.ref('secret_arn'), ResourcePolicy: r.json('policy'), BlockPublicPolicy: r.get('block_public_policy') })],
}
