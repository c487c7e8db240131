/**
 * AWS SAM policy templates: the name a function's `Policies` uses, the parameters it takes and
 * the statements SAM expands it to. Written from the SAM "Policy template list" for the templates
 * healthcare workloads use; an unknown template name is reported and judged `manual`.
 * Resource patterns use `${Param}` for template parameters and `${AWS::…}` pseudo parameters.
 */
export interface PolicyTemplate {
  statements: { actions: string[]; resources: string[] }[]
}

const ddbTable = 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}'
const s3Bucket = 'arn:${AWS::Partition}:s3:::${BucketName}'
const sqsQueue = 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}'
const snsTopic = 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}'
const kinesisStream = 'arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${StreamName}'
const kmsKey = 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}'
const any = '*'

export const SAM_POLICY_TEMPLATES: Record<string, PolicyTemplate> = {
  DynamoDBCrudPolicy: {
    statements: [
      {
        actions: ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem'],
        resources: [ddbTable, `${ddbTable}/index/*`],
      },
    ],
  },
  DynamoDBReadPolicy: {
    statements: [{ actions: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable'], resources: [ddbTable, `${ddbTable}/index/*`] }],
  },
  DynamoDBWritePolicy: {
    statements: [{ actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'], resources: [ddbTable, `${ddbTable}/index/*`] }],
  },
  DynamoDBReconfigurePolicy: { statements: [{ actions: ['dynamodb:UpdateTable'], resources: [ddbTable] }] },
  DynamoDBStreamReadPolicy: {
    statements: [
      { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [`${ddbTable}/stream/\${StreamName}`] },
      { actions: ['dynamodb:ListStreams'], resources: [`${ddbTable}/stream/*`] },
    ],
  },
  DynamoDBBackupFullAccessPolicy: {
    statements: [
      { actions: ['dynamodb:CreateBackup', 'dynamodb:DescribeContinuousBackups'], resources: [ddbTable] },
      { actions: ['dynamodb:DeleteBackup', 'dynamodb:DescribeBackup', 'dynamodb:ListBackups'], resources: [`${ddbTable}/backup/*`] },
    ],
  },
  DynamoDBRestoreFromBackupPolicy: {
    statements: [
      { actions: ['dynamodb:RestoreTableFromBackup'], resources: [`${ddbTable}/backup/*`] },
      { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem'], resources: [ddbTable] },
    ],
  },
  S3ReadPolicy: {
    statements: [{ actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:GetLifecycleConfiguration'], resources: [s3Bucket, `${s3Bucket}/*`] }],
  },
  S3WritePolicy: {
    statements: [{ actions: ['s3:PutObject', 's3:PutObjectAcl', 's3:PutLifecycleConfiguration'], resources: [s3Bucket, `${s3Bucket}/*`] }],
  },
  S3CrudPolicy: {
    statements: [
      {
        actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration', 's3:DeleteObject'],
        resources: [s3Bucket, `${s3Bucket}/*`],
      },
    ],
  },
  S3FullAccessPolicy: {
    statements: [
      {
        actions: ['s3:GetObject', 's3:GetObjectAcl', 's3:GetObjectVersion', 's3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject', 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
        resources: [`${s3Bucket}/*`],
      },
      { actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'], resources: [s3Bucket] },
    ],
  },
  SQSPollerPolicy: {
    statements: [{ actions: ['sqs:ChangeMessageVisibility', 'sqs:ChangeMessageVisibilityBatch', 'sqs:DeleteMessage', 'sqs:DeleteMessageBatch', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resources: [sqsQueue] }],
  },
  SQSSendMessagePolicy: { statements: [{ actions: ['sqs:SendMessage*'], resources: [sqsQueue] }] },
  SNSPublishMessagePolicy: { statements: [{ actions: ['sns:Publish'], resources: [snsTopic] }] },
  SNSCrudPolicy: {
    statements: [{ actions: ['sns:ListSubscriptionsByTopic', 'sns:CreateTopic', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Publish'], resources: [`${snsTopic}*`] }],
  },
  KinesisStreamReadPolicy: {
    statements: [
      { actions: ['kinesis:ListStreams', 'kinesis:DescribeLimits'], resources: ['arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*'] },
      { actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator'], resources: [kinesisStream] },
    ],
  },
  KinesisCrudPolicy: {
    statements: [
      {
        actions: ['kinesis:AddTagsToStream', 'kinesis:CreateStream', 'kinesis:DecreaseStreamRetentionPeriod', 'kinesis:DeleteStream', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:IncreaseStreamRetentionPeriod', 'kinesis:ListTagsForStream', 'kinesis:MergeShards', 'kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:SplitShard', 'kinesis:RemoveTagsFromStream'],
        resources: [kinesisStream],
      },
    ],
  },
  KMSDecryptPolicy: { statements: [{ actions: ['kms:Decrypt'], resources: [kmsKey] }] },
  KMSEncryptPolicy: { statements: [{ actions: ['kms:Encrypt'], resources: [kmsKey] }] },
  LambdaInvokePolicy: { statements: [{ actions: ['lambda:InvokeFunction'], resources: ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*'] }] },
  StepFunctionsExecutionPolicy: { statements: [{ actions: ['states:StartExecution'], resources: ['arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}'] }] },
  EventBridgePutEventsPolicy: { statements: [{ actions: ['events:PutEvents'], resources: ['arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}'] }] },
  SSMParameterReadPolicy: {
    statements: [
      { actions: ['ssm:DescribeParameters'], resources: [any] },
      { actions: ['ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'], resources: ['arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}'] },
    ],
  },
  SSMParameterWithSlashPrefixReadPolicy: {
    statements: [
      { actions: ['ssm:DescribeParameters'], resources: [any] },
      { actions: ['ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParametersByPath'], resources: ['arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ParameterName}'] },
    ],
  },
  AWSSecretsManagerGetSecretValuePolicy: { statements: [{ actions: ['secretsmanager:GetSecretValue'], resources: ['${SecretArn}'] }] },
  AWSSecretsManagerRotationPolicy: {
    statements: [
      {
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        resources: ['arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*'],
      },
      { actions: ['secretsmanager:GetRandomPassword'], resources: [any] },
    ],
  },
  SESCrudPolicy: {
    statements: [{ actions: ['ses:GetIdentityVerificationAttributes', 'ses:SendEmail', 'ses:SendRawEmail', 'ses:VerifyEmailIdentity'], resources: ['arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}'] }],
  },
  SESSendBouncePolicy: { statements: [{ actions: ['ses:SendBounce'], resources: ['arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}'] }] },
  SESBulkTemplatedCrudPolicy: {
    statements: [{ actions: ['ses:GetIdentityVerificationAttributes', 'ses:SendEmail', 'ses:SendRawEmail', 'ses:SendTemplatedEmail', 'ses:SendBulkTemplatedEmail', 'ses:VerifyEmailIdentity'], resources: ['arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}'] }],
  },
  FirehoseWritePolicy: { statements: [{ actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: ['arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${DeliveryStreamName}'] }] },
  FirehoseCrudPolicy: {
    statements: [{ actions: ['firehose:CreateDeliveryStream', 'firehose:DeleteDeliveryStream', 'firehose:DescribeDeliveryStream', 'firehose:PutRecord', 'firehose:PutRecordBatch', 'firehose:UpdateDestination'], resources: ['arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${DeliveryStreamName}'] }],
  },
  VPCAccessPolicy: { statements: [{ actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DetachNetworkInterface'], resources: [any] }] },
  CloudWatchPutMetricPolicy: { statements: [{ actions: ['cloudwatch:PutMetricData'], resources: [any] }] },
  CloudWatchDescribeAlarmHistoryPolicy: { statements: [{ actions: ['cloudwatch:DescribeAlarmHistory'], resources: [any] }] },
  CloudWatchDashboardPolicy: { statements: [{ actions: ['cloudwatch:GetDashboard', 'cloudwatch:ListDashboards', 'cloudwatch:PutDashboard', 'cloudwatch:ListMetrics'], resources: [any] }] },
  FilterLogEventsPolicy: { statements: [{ actions: ['logs:FilterLogEvents'], resources: ['arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroupName}:log-stream:*'] }] },
  EC2DescribePolicy: { statements: [{ actions: ['ec2:DescribeRegions', 'ec2:DescribeInstances'], resources: [any] }] },
  AMIDescribePolicy: { statements: [{ actions: ['ec2:DescribeImages'], resources: ['arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:image/*'] }] },
  CloudFormationDescribeStacksPolicy: { statements: [{ actions: ['cloudformation:DescribeStacks'], resources: ['arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*'] }] },
  CodePipelineLambdaExecutionPolicy: { statements: [{ actions: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'], resources: [any] }] },
  RekognitionDetectOnlyPolicy: { statements: [{ actions: ['rekognition:DetectFaces', 'rekognition:DetectLabels', 'rekognition:DetectModerationLabels', 'rekognition:DetectText'], resources: [any] }] },
  ComprehendBasicAccessPolicy: {
    statements: [{ actions: ['comprehend:BatchDetectKeyPhrases', 'comprehend:DetectDominantLanguage', 'comprehend:DetectEntities', 'comprehend:BatchDetectEntities', 'comprehend:DetectKeyPhrases', 'comprehend:DetectSentiment', 'comprehend:BatchDetectDominantLanguage', 'comprehend:BatchDetectSentiment'], resources: [any] }],
  },
  TextractPolicy: { statements: [{ actions: ['textract:*'], resources: [any] }] },
  TextractDetectAnalyzePolicy: { statements: [{ actions: ['textract:DetectDocumentText', 'textract:StartDocumentTextDetection', 'textract:StartDocumentAnalysis', 'textract:AnalyzeDocument'], resources: [any] }] },
  TranslateFullAccessPolicy: { statements: [{ actions: ['translate:*'], resources: [any] }] },
  AthenaQueryPolicy: {
    statements: [
      { actions: ['athena:ListWorkGroups', 'athena:GetExecutionEngine', 'athena:GetExecutionEngines', 'athena:GetNamespace', 'athena:GetCatalogs', 'athena:GetNamespaces', 'athena:GetTables', 'athena:GetTable'], resources: [any] },
      {
        actions: ['athena:StartQueryExecution', 'athena:GetQueryResults', 'athena:DeleteNamedQuery', 'athena:GetNamedQuery', 'athena:ListQueryExecutions', 'athena:StopQueryExecution', 'athena:GetQueryResultsStream', 'athena:ListNamedQueries', 'athena:CreateNamedQuery', 'athena:GetQueryExecution', 'athena:BatchGetNamedQuery', 'athena:BatchGetQueryExecution', 'athena:GetWorkGroup'],
        resources: ['arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${WorkGroupName}'],
      },
    ],
  },
  CostExplorerReadOnlyPolicy: { statements: [{ actions: ['ce:GetCostAndUsage', 'ce:GetDimensionValues', 'ce:GetReservationCoverage', 'ce:GetReservationPurchaseRecommendation', 'ce:GetReservationUtilization', 'ce:GetTags'], resources: [any] }] },
  OrganizationsListAccountsPolicy: { statements: [{ actions: ['organizations:ListAccounts'], resources: [any] }] },
  ElasticsearchHttpPostPolicy: { statements: [{ actions: ['es:ESHttpPost', 'es:ESHttpPut'], resources: ['arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/${DomainName}/*'] }] },
  EKSDescribePolicy: { statements: [{ actions: ['eks:DescribeCluster', 'eks:ListClusters'], resources: [any] }] },
  AcmGetCertificatePolicy: { statements: [{ actions: ['acm:GetCertificate'], resources: ['${CertificateArn}'] }] },
  Route53ChangeResourceRecordSetsPolicy: { statements: [{ actions: ['route53:ChangeResourceRecordSets'], resources: ['arn:${AWS::Partition}:route53:::hostedzone/${HostedZoneId}'] }] },
  MobileAnalyticsWriteOnlyAccessPolicy: { statements: [{ actions: ['mobileanalytics:PutEvents'], resources: [any] }] },
  PinpointEndpointAccessPolicy: { statements: [{ actions: ['mobiletargeting:GetEndpoint', 'mobiletargeting:UpdateEndpoint', 'mobiletargeting:UpdateEndpointsBatch'], resources: ['arn:${AWS::Partition}:mobiletargeting:${AWS::Region}:${AWS::AccountId}:apps/${PinpointApplicationId}/endpoints/*'] }] },
  SageMakerCreateEndpointPolicy: { statements: [{ actions: ['sagemaker:CreateEndpoint'], resources: ['arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/${EndpointName}'] }] },
  SageMakerCreateEndpointConfigPolicy: { statements: [{ actions: ['sagemaker:CreateEndpointConfig'], resources: ['arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint-config/${EndpointConfigName}'] }] },
  ServerlessRepoReadWriteAccessPolicy: {
    statements: [{ actions: ['serverlessrepo:CreateApplication', 'serverlessrepo:CreateApplicationVersion', 'serverlessrepo:UpdateApplication', 'serverlessrepo:GetApplication', 'serverlessrepo:ListApplications', 'serverlessrepo:ListApplicationVersions', 'serverlessrepo:ListApplicationDependencies'], resources: ['arn:${AWS::Partition}:serverlessrepo:${AWS::Region}:${AWS::AccountId}:applications/*'] }],
  },
  EcsRunTaskPolicy: { statements: [{ actions: ['ecs:RunTask'], resources: ['arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${TaskDefinition}'] }] },
  EFSWriteAccessPolicy: {
    statements: [{ actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], resources: ['arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${FileSystem}'] }],
  },
}
