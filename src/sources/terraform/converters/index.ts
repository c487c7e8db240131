import type { TfConverter } from '../types.js'
import { ACCOUNT_CONVERTERS } from './account.js'
import { ACM_CONVERTERS } from './acm.js'
import { APIGATEWAY_CONVERTERS } from './apigateway.js'
import { APIGATEWAYV2_CONVERTERS } from './apigatewayv2.js'
import { AUTOSCALING_CONVERTERS } from './autoscaling.js'
import { BACKUP_CONVERTERS } from './backup.js'
import { CLOUDTRAIL_CONVERTERS } from './cloudtrail.js'
import { CLOUDWATCH_CONVERTERS } from './cloudwatch.js'
import { CODEBUILD_CONVERTERS } from './codebuild.js'
import { COGNITO_CONVERTERS } from './cognito.js'
import { DLM_CONVERTERS } from './dlm.js'
import { DMS_CONVERTERS } from './dms.js'
import { DYNAMODB_CONVERTERS } from './dynamodb.js'
import { EC2_CONVERTERS } from './ec2.js'
import { ECS_CONVERTERS } from './ecs.js'
import { EFS_CONVERTERS } from './efs.js'
import { ELASTICACHE_CONVERTERS } from './elasticache.js'
import { ELASTICBEANSTALK_CONVERTERS } from './elasticbeanstalk.js'
import { ELB_CONVERTERS } from './elb.js'
import { EMR_CONVERTERS } from './emr.js'
import { EVENTS_CONVERTERS } from './events.js'
import { GUARDDUTY_CONVERTERS } from './guardduty.js'
import { IAM_CONVERTERS } from './iam.js'
import { KINESIS_CONVERTERS } from './kinesis.js'
import { KMS_CONVERTERS } from './kms.js'
import { LAMBDA_CONVERTERS } from './lambda.js'
import { OPENSEARCH_CONVERTERS } from './opensearch.js'
import { RDS_CONVERTERS } from './rds.js'
import { REDSHIFT_CONVERTERS } from './redshift.js'
import { S3_CONVERTERS } from './s3.js'
import { SAGEMAKER_CONVERTERS } from './sagemaker.js'
import { SECRETSMANAGER_CONVERTERS } from './secretsmanager.js'
import { SECURITYHUB_CONVERTERS } from './securityhub.js'
import { SFN_CONVERTERS } from './sfn.js'
import { SNS_CONVERTERS } from './sns.js'
import { SQS_CONVERTERS } from './sqs.js'
import { SSM_CONVERTERS } from './ssm.js'
import { VPC_CONVERTERS } from './vpc.js'
import { WAFV2_CONVERTERS } from './wafv2.js'

/** Terraform resource type → converter to CloudFormation shape. Registered by one line per service file. */
export const CONVERTERS: Record<string, TfConverter> = {
  ...ACCOUNT_CONVERTERS,
  ...ACM_CONVERTERS,
  ...APIGATEWAY_CONVERTERS,
  ...APIGATEWAYV2_CONVERTERS,
  ...AUTOSCALING_CONVERTERS,
  ...BACKUP_CONVERTERS,
  ...CLOUDTRAIL_CONVERTERS,
  ...CLOUDWATCH_CONVERTERS,
  ...CODEBUILD_CONVERTERS,
  ...COGNITO_CONVERTERS,
  ...DLM_CONVERTERS,
  ...DMS_CONVERTERS,
  ...DYNAMODB_CONVERTERS,
  ...EC2_CONVERTERS,
  ...ECS_CONVERTERS,
  ...EFS_CONVERTERS,
  ...ELASTICACHE_CONVERTERS,
  ...ELASTICBEANSTALK_CONVERTERS,
  ...ELB_CONVERTERS,
  ...EMR_CONVERTERS,
  ...EVENTS_CONVERTERS,
  ...GUARDDUTY_CONVERTERS,
  ...IAM_CONVERTERS,
  ...KINESIS_CONVERTERS,
  ...KMS_CONVERTERS,
  ...LAMBDA_CONVERTERS,
  ...OPENSEARCH_CONVERTERS,
  ...RDS_CONVERTERS,
  ...REDSHIFT_CONVERTERS,
  ...S3_CONVERTERS,
  ...SAGEMAKER_CONVERTERS,
  ...SECRETSMANAGER_CONVERTERS,
  ...SECURITYHUB_CONVERTERS,
  ...SFN_CONVERTERS,
  ...SNS_CONVERTERS,
  ...SQS_CONVERTERS,
  ...SSM_CONVERTERS,
  ...VPC_CONVERTERS,
  ...WAFV2_CONVERTERS,
}
