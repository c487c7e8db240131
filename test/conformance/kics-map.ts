/**
 * KICS query → PhiWall check map for the KICS conformance test (kics.test.ts).
 *
 * Each entry names a KICS query folder (relative to the corpus's `kics/` directory), the PhiWall
 * check(s) that judge the same security property on the same resource kind, and whether the two
 * are `full` or `partial` equivalents. Every fixture result on which PhiWall and KICS disagree is
 * listed under `exceptions` with what PhiWall does instead and why; the test asserts that
 * behaviour, so an exception that stops being true fails the test as much as a new disagreement.
 *
 * Reasons were decided from the CloudFormation resource reference and the AWS service
 * documentation (defaults for new resources, what a property really does), not from either tool.
 */

/** What PhiWall does for one KICS expectation it does not share. */
export type PhiwallOutcome =
  /** The resources pass: at least one passing finding of the mapped checks, no failure, no manual. */
  | { kind: 'pass'; resources?: string[] }
  /** The resources get a manual finding (the deciding value is unknown at scan time), no failure. */
  | { kind: 'manual'; resources?: string[] }
  /** No finding of the mapped checks for the resources (or, with `scope: 'file'`, for anything in the file). */
  | { kind: 'not-judged'; resources?: string[]; scope?: 'file' }
  /**
   * Failing findings at these lines. For a positive expectation: failures PhiWall reports
   * elsewhere than KICS; for a negative file: exactly the lines PhiWall fails.
   */
  | { kind: 'fails-at'; lines: number[] }
  /** The file is not a template PhiWall reads: it reports this diagnostic code and judges nothing. */
  | { kind: 'unreadable'; code: string }

/** One KICS expectation PhiWall does not share, with the reason and PhiWall's own behaviour. */
export interface KicsException {
  /** Fixture file name in the query's `test/` folder. */
  file: string
  /** For positive fixtures: the line KICS expects a result on. Absent for a negative fixture. */
  line?: number
  phiwall: PhiwallOutcome
  /** Who is right and why, from CloudFormation / AWS semantics. */
  reason: string
}

/** A KICS query whose intent a PhiWall check shares. */
export interface KicsMapping {
  /** Query folder under `kics/`, e.g. `cloudFormation/aws/alb_is_not_integrated_with_waf`. */
  rule: string
  /** PhiWall check ids that together judge the query's property. */
  checks: string[]
  /** `full`: the same property; `partial`: the same property with a deliberate difference (see `note`). */
  equivalence: 'full' | 'partial'
  /** For partial equivalents: the difference, in one line. */
  note?: string
  /**
   * When a mapped check judges several properties of a resource and the KICS query is about one:
   * a regular expression (source) that the message of a failing finding must match to count as a
   * failure of this query's property. Failures of the check's other properties are not counted.
   */
  facet?: string
  exceptions?: KicsException[]
}

/** A KICS query that looks related but is not mapped, and why. */
export interface KicsUnmapped {
  rule: string
  reason: string
}

// Reasons shared by several exceptions.
const NEW_BUCKET_BPA =
  'New S3 buckets get all four Block Public Access settings (and ACLs disabled) unless the template turns them off (S3 default since April 2023); this bucket sets no PublicAccessBlockConfiguration, so its public ACL is ignored and PhiWall passes it. KICS judges the ACL alone.'
const POLICY_FOR_UNDECLARED_BUCKET =
  'The bucket policy is for a bucket the template does not declare (a Ref to an undefined resource), so PhiWall, which judges public access on the bucket together with its Block Public Access settings, has no bucket to judge; those settings (which reject such a policy outright when BlockPublicPolicy is on) are unknown. The actions also lack the "s3:" prefix, which IAM rejects.'
const V2_STAGE_HTTP =
  'An ApiGatewayV2 stage whose API is outside the template is judged as an HTTP API; DefaultRouteSettings.LoggingLevel is supported only for WebSocket APIs (CloudFormation reference), so PhiWall does not require execution logging; the stage writes access logs and passes.'
const NO_SERVERLESS_API =
  'No function has an http event, so the Serverless Framework creates no API Gateway REST API and the provider-level setting configures nothing; PhiWall compiles no API stage and judges none.'
const READ_REPLICA = 'The instance is a read replica (SourceDBInstanceIdentifier); PhiWall judges backups and availability on the source database, which protects the data, and does not judge replicas.'
const MULTI_DOC =
  'The file is a multi-document YAML stream (three templates separated by ---), which CloudFormation does not accept as a template; PhiWall reports PW_ERR_TEMPLATE_INVALID and judges nothing. (The first bucket also sets no PublicAccessBlockConfiguration, which PhiWall would pass as the new-bucket default.)'

/** KICS queries mapped to PhiWall checks. */
export const KICS_MAP: KicsMapping[] = [
  // ── Load balancers ────────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/alb_is_not_integrated_with_waf',
    checks: ['aws/alb-waf'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 3, phiwall: { kind: 'not-judged' }, reason: 'The load balancer is a Classic Load Balancer (AWS::ElasticLoadBalancing::LoadBalancer), which AWS WAF cannot be associated with (WAF protects ALBs, API Gateway, CloudFront, AppSync, Cognito); PhiWall judges only Application Load Balancers.' },
      { file: 'positive3.json', line: 4, phiwall: { kind: 'not-judged' }, reason: 'Classic Load Balancer: AWS WAF cannot be associated with it; PhiWall judges only Application Load Balancers.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/alb_listening_on_http',
    checks: ['aws/elb-https-listeners'],
    equivalence: 'partial',
    note: 'KICS flags every HTTP listener resource, including redirect-only ones; PhiWall judges listeners through their load balancer and accepts HTTP listeners that only redirect to HTTPS (ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK).',
    exceptions: [
      { file: 'positive1.yaml', line: 25, phiwall: { kind: 'not-judged' }, reason: 'The listener belongs to a load balancer the template does not declare (!Ref myLoadBalancer is undefined); PhiWall judges listeners as part of their load balancer, so an orphan listener is not judged.' },
      { file: 'positive2.json', line: 35, phiwall: { kind: 'not-judged' }, reason: 'The listener names its load balancer by the plain string "myLoadBalancer", which is not a load balancer in the template; PhiWall judges listeners through their load balancer.' },
      { file: 'positive3.yaml', line: 16, phiwall: { kind: 'not-judged' }, reason: 'An HTTP listener whose only action redirects to HTTPS (HTTP_301) is the AWS-recommended configuration, which PhiWall accepts; it also belongs to an undeclared load balancer, so it is not judged at all.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/elb_access_log_disabled',
    checks: ['aws/elb-logging'],
    equivalence: 'full',
    exceptions: [
      { file: 'negative1.yaml', phiwall: { kind: 'fails-at', lines: [4] }, reason: 'AccessLoggingPolicy is written as a list; the CloudFormation schema types it as an object, so the template is rejected and no access logging is configured. PhiWall reads no Enabled flag and fails the load balancer.' },
      { file: 'negative2.json', phiwall: { kind: 'fails-at', lines: [5] }, reason: 'AccessLoggingPolicy is a list instead of the object CloudFormation requires; PhiWall reads no Enabled flag and fails the load balancer.' },
    ],
  },
  { rule: 'cloudFormation/aws/elb_v2_alb_access_log_disabled', checks: ['aws/elb-logging'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/elb_using_insecure_protocols',
    checks: ['aws/elb-tls-policy'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 27, phiwall: { kind: 'pass' }, reason: 'The Protocol-SSLv2 attribute has the value "ELBSecurityPolicy-TLS-1-2-2017-01", not "true", so it enables nothing (ELB never supported SSLv2), and the policy the listener uses references ELBSecurityPolicy-TLS-1-2-2017-01; PhiWall passes the TLS 1.2 policy.' },
      { file: 'positive1.yaml', line: 34, phiwall: { kind: 'pass' }, reason: 'Protocol-TLSv1 sits in My-SSLNegotiation-Policy2, which no listener uses (and its value is not "true"); an unused policy does not affect traffic, and the listener\'s policy is TLS 1.2 only.' },
      { file: 'positive2.json', line: 35, phiwall: { kind: 'pass' }, reason: 'Protocol-SSLv2 with a non-boolean value enables nothing; the listener\'s policy references ELBSecurityPolicy-TLS-1-2-2017-01.' },
      { file: 'positive2.json', line: 50, phiwall: { kind: 'pass' }, reason: 'Protocol-TLSv1 is in a policy no listener uses.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/elb_without_secure_protocol',
    checks: ['aws/elb-https-listeners'],
    equivalence: 'partial',
    note: 'KICS also requires the load balancer → instance leg (InstanceProtocol) to be HTTPS/SSL; PhiWall judges the client-facing Protocol.',
    exceptions: [
      { file: 'positive1.yaml', line: 11, phiwall: { kind: 'fails-at', lines: [13] }, reason: 'KICS\'s line is InstanceProtocol HTTP (the leg inside the VPC to the instance), which PhiWall does not judge; PhiWall fails the same listener for its client-facing Protocol HTTP at line 13, as KICS also does.' },
      { file: 'positive2.json', line: 9, phiwall: { kind: 'fails-at', lines: [11] }, reason: 'KICS\'s line is InstanceProtocol HTTP; PhiWall judges the client-facing Protocol and fails the listener at line 11.' },
    ],
  },

  // ── API Gateway ───────────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/api_gateway_access_logging_disabled',
    checks: ['aws/apigw-stage-access-logging', 'aws/apigw-stage-execution-logging'],
    equivalence: 'partial',
    note: 'The KICS query requires both access logs and execution logging (LoggingLevel), hence two PhiWall checks; PhiWall does not require execution logging on HTTP API stages, which have none.',
    exceptions: [
      { file: 'positive2.json', line: 7, phiwall: { kind: 'pass' }, reason: V2_STAGE_HTTP },
      { file: 'positive3.json', line: 21, phiwall: { kind: 'pass' }, reason: V2_STAGE_HTTP },
      { file: 'positive4.json', line: 19, phiwall: { kind: 'pass' }, reason: V2_STAGE_HTTP },
      { file: 'positive9.yaml', line: 4, phiwall: { kind: 'pass' }, reason: V2_STAGE_HTTP },
      { file: 'positive13.yaml', line: 4, phiwall: { kind: 'pass' }, reason: V2_STAGE_HTTP },
      { file: 'positive13.yaml', line: 14, phiwall: { kind: 'pass' }, reason: V2_STAGE_HTTP },
      { file: 'positive15.yaml', line: 15, phiwall: { kind: 'pass' }, reason: V2_STAGE_HTTP },
      { file: 'negative4.yaml', phiwall: { kind: 'fails-at', lines: [10] }, reason: 'LoggingLevel "ON" is not a valid value (OFF, ERROR or INFO), so API Gateway rejects it and the stage does not log execution; PhiWall fails it, KICS only checks that the level is not OFF.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/api_gateway_deployment_without_access_log_setting',
    checks: ['aws/apigw-stage-access-logging'],
    equivalence: 'partial',
    note: 'KICS judges only the stage a Deployment creates (StageDescription); PhiWall judges every stage, AWS::ApiGateway::Stage included.',
    exceptions: [
      { file: 'negative1.yaml', phiwall: { kind: 'fails-at', lines: [4] }, reason: 'The template also declares Stage "prod" without AccessLogSetting; it writes no access logs, which PhiWall reports (KICS\'s sibling query api_gateway_access_logging_disabled would too). The deployment\'s own stage has access logs and passes.' },
      { file: 'negative2.json', phiwall: { kind: 'fails-at', lines: [3] }, reason: 'Stage "prod" has no AccessLogSetting; PhiWall judges it, this KICS query judges only the Deployment.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/api_gateway_cache_encrypted_disabled',
    checks: ['aws/apigw-stage-cache-encrypted'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 8, phiwall: { kind: 'pass' }, reason: 'CachingEnabled is set but CacheClusterEnabled is not (default false): without a cache cluster API Gateway caches nothing, so there is no cache to encrypt.' },
      { file: 'positive2.json', line: 11, phiwall: { kind: 'pass' }, reason: 'No cache cluster (CacheClusterEnabled defaults to false), so nothing is cached.' },
      { file: 'positive3.yaml', line: 9, phiwall: { kind: 'pass' }, reason: 'CacheDataEncrypted is false, but no cache cluster exists (CacheClusterEnabled defaults to false), so nothing is cached.' },
      { file: 'positive4.json', line: 12, phiwall: { kind: 'pass' }, reason: 'No cache cluster, so nothing is cached.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/api_gateway_endpoint_config_is_not_private',
    checks: ['aws/apigw-endpoint-private'],
    equivalence: 'partial',
    note: 'PhiWall requires a private endpoint (or a network-limiting resource policy) only for REST APIs that handle PHI; public APIs are legitimate elsewhere.',
    exceptions: [
      { file: 'positive1.yaml', line: 5, phiwall: { kind: 'not-judged' }, reason: 'Nothing ties the API to PHI (no data classification tag, no PHI data store behind it), and PhiWall judges endpoint privacy only for PHI APIs.' },
      { file: 'positive1.yaml', line: 11, phiwall: { kind: 'not-judged' }, reason: 'An EDGE API with no PHI evidence is not judged by PhiWall.' },
      { file: 'positive2.json', line: 6, phiwall: { kind: 'not-judged' }, reason: 'No PHI evidence for the API.' },
      { file: 'positive2.json', line: 14, phiwall: { kind: 'not-judged' }, reason: 'No PHI evidence for the API.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/api_gateway_with_open_access',
    checks: ['aws/apigw-route-authorization'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 6, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The method belongs to a REST API the template does not declare (!Ref MyApi is undefined); PhiWall judges authorization per route of an API, so a method of an undeclared API is not judged.' },
      { file: 'positive2.json', line: 7, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The method names its API by the plain string "MyApi", not a declared API, so PhiWall has no API whose routes it judges.' },
    ],
  },
  { rule: 'cloudFormation/aws/api_gateway_without_security_policy', checks: ['aws/apigw-domain-tls12'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/api_gateway_without_ssl_certificate',
    checks: ['aws/apigw-stage-client-certificate'],
    equivalence: 'partial',
    note: 'A client certificate only authenticates API Gateway to HTTP backends, so PhiWall requires one only for stages with HTTP integrations.',
    exceptions: [
      { file: 'positive1.yaml', line: 5, phiwall: { kind: 'manual' }, reason: 'The stage\'s REST API is outside the template, so PhiWall cannot tell whether it has HTTP integrations (the only ones a client certificate applies to) and asks for review.' },
      { file: 'positive2.json', line: 6, phiwall: { kind: 'manual' }, reason: 'The REST API is outside the template; whether a client certificate applies is unknown.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/api_gateway_without_waf',
    checks: ['aws/apigw-stage-waf'],
    equivalence: 'full',
    exceptions: [
      { file: 'negative2.json', phiwall: { kind: 'fails-at', lines: [4] }, reason: 'The stage\'s RestApiId is the literal id "MyRestApi" and the association\'s ARN names REST API "api-id": two different APIs, so the web ACL does not protect this stage. KICS matches the stage name only. (In negative1.yaml the stage\'s API is an unresolved Ref, so PhiWall cannot rule it out and reports manual.)' },
    ],
  },
  { rule: 'cloudFormation/aws/api_gateway_xray_disabled', checks: ['aws/apigw-stage-xray'], equivalence: 'full' },
  { rule: 'cloudFormation/aws_sam/serverless_api_access_logging_setting_undefined', checks: ['aws/apigw-stage-access-logging'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws_sam/serverless_api_endpoint_config_not_private',
    checks: ['aws/apigw-endpoint-private'],
    equivalence: 'partial',
    note: 'PhiWall requires a private endpoint only for REST APIs that handle PHI.',
    exceptions: [
      { file: 'positive1.yaml', line: 7, phiwall: { kind: 'not-judged' }, reason: 'No PHI evidence for the SAM API, which PhiWall judges only when it handles PHI.' },
      { file: 'positive2.yaml', line: 11, phiwall: { kind: 'not-judged' }, reason: 'No PHI evidence for the SAM API.' },
      { file: 'positive3.yaml', line: 12, phiwall: { kind: 'not-judged' }, reason: 'No PHI evidence for the SAM API.' },
    ],
  },
  { rule: 'cloudFormation/aws_sam/serverless_api_xray_tracing_disabled', checks: ['aws/apigw-stage-xray'], equivalence: 'full' },
  {
    rule: 'serverlessFW/serverless_api_access_logging_setting_undefined',
    checks: ['aws/apigw-stage-access-logging'],
    equivalence: 'full',
    exceptions: [{ file: 'positive1.yml', line: 17, phiwall: { kind: 'not-judged', scope: 'file' }, reason: NO_SERVERLESS_API }],
  },
  {
    rule: 'serverlessFW/serverless_api_endpoint_config_not_private',
    checks: ['aws/apigw-endpoint-private'],
    equivalence: 'partial',
    note: 'PhiWall requires a private endpoint only for REST APIs that handle PHI.',
    exceptions: [
      { file: 'positive1.yml', line: 3, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The service\'s REST API has no PHI evidence, and PhiWall judges endpoint privacy only for PHI APIs.' },
      { file: 'positive2.yml', line: 5, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'An EDGE REST API with no PHI evidence is not judged by PhiWall.' },
    ],
  },
  {
    rule: 'serverlessFW/serverless_api_xray_tracing_disabled',
    checks: ['aws/apigw-stage-xray'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yml', line: 8, phiwall: { kind: 'not-judged', scope: 'file' }, reason: NO_SERVERLESS_API },
      { file: 'positive2.yml', line: 7, phiwall: { kind: 'not-judged', scope: 'file' }, reason: NO_SERVERLESS_API },
    ],
  },

  // ── CloudTrail, KMS, GuardDuty ────────────────────────────────────────────────────────────
  { rule: 'cloudFormation/aws/cloudtrail_log_file_validation_disabled', checks: ['aws/cloudtrail-log-file-validation'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/cloudtrail_log_files_not_encrypted_with_kms', checks: ['aws/cloudtrail-encrypted'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/cloudtrail_multi_region_disabled', checks: ['aws/cloudtrail-multi-region'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/cloudtrail_not_integrated_with_cloudwatch', checks: ['aws/cloudtrail-cloudwatch-logs'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/cmk_rotation_disabled', checks: ['aws/kms-key-rotation'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/kms_enable_key_rotation_disabled', checks: ['aws/kms-key-rotation'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/kms_allows_wildcard_principal', checks: ['aws/kms-key-policy-no-public'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/kms_key_with_full_permissions',
    checks: ['aws/kms-key-policy-no-public'],
    equivalence: 'partial',
    note: 'KICS also flags keys declared without a KeyPolicy; PhiWall flags key policies that grant access to everyone.',
    exceptions: [
      { file: 'positive2.yaml', line: 4, phiwall: { kind: 'pass' }, reason: 'Without KeyPolicy, CloudFormation applies the default key policy, which gives the account root (that is, the account\'s IAM policies) access; that is not public access.' },
      { file: 'positive2.json', line: 5, phiwall: { kind: 'pass' }, reason: 'No KeyPolicy: the default key policy delegates to the account\'s IAM policies, which is not public.' },
    ],
  },
  { rule: 'cloudFormation/aws/guardduty_detector_disabled', checks: ['aws/guardduty-enabled'], equivalence: 'full' },

  // ── Cognito, DynamoDB, DMS, EFS, ElastiCache, Kinesis, SNS, SQS, Secrets Manager, SageMaker ──
  {
    rule: 'cloudFormation/aws/cognito_userpool_without_mfa',
    checks: ['aws/cognito-user-pool-mfa'],
    equivalence: 'partial',
    note: 'PhiWall requires MFA to be ON; KICS also accepts OPTIONAL.',
    exceptions: [
      { file: 'negative1.yaml', phiwall: { kind: 'fails-at', lines: [18] }, reason: 'UserPool2 sets MfaConfiguration OPTIONAL: users who never enrol sign in with a password alone, which does not meet HIPAA person or entity authentication for PHI systems; PhiWall fails it by design.' },
      { file: 'negative2.json', phiwall: { kind: 'fails-at', lines: [24] }, reason: 'MfaConfiguration OPTIONAL: PhiWall requires MFA for every user.' },
    ],
  },
  { rule: 'cloudFormation/aws/dynamodb_table_not_encrypted', checks: ['aws/dynamodb-table-kms'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/dynamodb_with_aws_owned_cmk', checks: ['aws/dynamodb-table-kms'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/dynamodb_table_point_in_time_recovery_disabled', checks: ['aws/dynamodb-table-pitr'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/amazon_dms_replication_instance_is_publicly_accessible', checks: ['aws/dms-replication-not-public'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/efs_not_encrypted', checks: ['aws/efs-encrypted'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/elasticache_with_disabled_at_rest_encryption',
    checks: ['aws/elasticache-redis-encryption'],
    equivalence: 'partial',
    note: 'PhiWall\'s check judges at-rest and in-transit encryption together; only its at-rest failures count here.',
    facet: 'encrypt(ed)? at rest',
  },
  {
    rule: 'cloudFormation/aws/elasticache_with_disabled_transit_encryption',
    checks: ['aws/elasticache-redis-encryption'],
    equivalence: 'partial',
    note: 'PhiWall\'s check judges in-transit and at-rest encryption together; only its in-transit failures count here.',
    facet: 'unencrypted connections',
  },
  {
    rule: 'cloudFormation/aws/kinesis_sse_not_configured',
    checks: ['aws/kinesis-stream-encrypted'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 8, phiwall: { kind: 'pass' }, reason: 'StreamEncryption sets EncryptionType KMS without KeyId. KeyId is a required property, so CloudFormation rejects the template rather than create an unencrypted stream; PhiWall reads the KMS encryption type as encrypted.' },
      { file: 'positive2.json', line: 9, phiwall: { kind: 'pass' }, reason: 'EncryptionType KMS without the required KeyId: the template is invalid rather than unencrypted; PhiWall reads the encryption type.' },
    ],
  },
  { rule: 'cloudFormation/aws/sns_topic_without_kms_master_key_id', checks: ['aws/sns-topic-kms'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/sqs_with_sse_disabled',
    checks: ['aws/sqs-queue-encryption'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 4, phiwall: { kind: 'pass' }, reason: 'A new queue without encryption settings gets SSE-SQS (server-side encryption with SQS-owned keys is the default for new queues since 2022); PhiWall passes it, requiring KMS only for queues that carry PHI.' },
      { file: 'positive2.json', line: 5, phiwall: { kind: 'pass' }, reason: 'New queues are encrypted with SSE-SQS by default.' },
    ],
  },
  { rule: 'cloudFormation/aws/secrets_manager_should_specify_kms_key_id', checks: ['aws/secretsmanager-cmk'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/sagemaker_data_encryption_disabled', checks: ['aws/sagemaker-notebook-kms'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/sagemaker_enabling_internet_access', checks: ['aws/sagemaker-notebook-no-direct-internet'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/sagemaker_endpoint_config_should_specify_kms_key_id_attribute', checks: ['aws/sagemaker-endpoint-kms'], equivalence: 'full' },

  // ── EC2, EBS, VPC ─────────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/ebs_volume_encryption_disabled',
    checks: ['aws/ec2-ebs-encrypted'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive2.yaml', line: 6, phiwall: { kind: 'manual' }, reason: 'Encrypted is not set: the volume is encrypted exactly when the account has EBS encryption by default on in the Region, which a template does not show, so PhiWall asks for review instead of guessing.' },
      { file: 'positive4.json', line: 6, phiwall: { kind: 'manual' }, reason: 'Encrypted is not set; the result depends on the Region\'s EBS encryption-by-default setting.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/ec2_instance_has_no_iam_role',
    checks: ['aws/ec2-instance-profile'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 29, phiwall: { kind: 'pass' }, reason: 'IamInstanceProfile is set, to a Ref the template does not define (PhiWall reports the dangling Ref as an input diagnostic); the instance has a profile, and what it holds is outside the scanned files.' },
      { file: 'positive2.json', line: 47, phiwall: { kind: 'pass' }, reason: 'IamInstanceProfile is set to a Ref of an undefined resource; the profile itself is outside the scanned files.' },
      { file: 'positive3.yaml', line: 29, phiwall: { kind: 'pass' }, reason: 'IamInstanceProfile names a profile ("NonExistantProfile") that is not in the template, i.e. an existing profile; PhiWall cannot see its roles.' },
      { file: 'positive3.yaml', line: 53, phiwall: { kind: 'fails-at', lines: [47] }, reason: 'KICS reports the role-less instance profile itself; PhiWall reports it on the instance that uses it (IamInstanceProfile, line 47). The instance names the profile by a plain string, so no reference links the two resources.' },
    ],
  },
  { rule: 'cloudFormation/aws/ec2_instance_subnet_has_public_ip_mapping_on_launch', checks: ['aws/vpc-subnet-no-auto-public-ip'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/instance_with_no_vpc',
    checks: ['aws/ec2-in-vpc'],
    equivalence: 'partial',
    note: 'KICS also flags subnets declared without VpcId; PhiWall judges instances.',
    exceptions: [
      { file: 'positive1.yaml', line: 21, phiwall: { kind: 'not-judged' }, reason: 'KICS flags the subnet for lacking VpcId, a required property (CloudFormation rejects the template); PhiWall judges instances, and the instance names this subnet, so it passes.' },
      { file: 'positive3.json', line: 35, phiwall: { kind: 'not-judged' }, reason: 'A subnet without the required VpcId; PhiWall judges the instance, which names a subnet.' },
    ],
  },
  { rule: 'cloudFormation/aws/default_security_groups_with_unrestricted_traffic', checks: ['aws/vpc-default-sg-closed'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/vpc_flowlogs_disabled', checks: ['aws/vpc-flow-logs'], equivalence: 'full' },

  // ── Security groups ───────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/ec2_sensitive_port_is_publicly_exposed',
    checks: ['aws/vpc-sg-no-public-admin-ports', 'aws/vpc-sg-authorized-ports'],
    equivalence: 'partial',
    note: 'KICS\'s sensitive-port list lies between PhiWall\'s administration/database port list and its rule that only 80 and 443 may face the internet; the two checks together cover it. KICS judges only groups attached to instances.',
  },
  {
    rule: 'cloudFormation/aws/elb_sensitive_port_is_exposed_to_entire_network',
    checks: ['aws/vpc-sg-no-public-admin-ports', 'aws/vpc-sg-authorized-ports'],
    equivalence: 'partial',
    note: 'As ec2_sensitive_port_is_publicly_exposed, for groups of load balancers; PhiWall flags every non-web port open to the internet, KICS only its sensitive list.',
    exceptions: [
      { file: 'negative2.yaml', phiwall: { kind: 'fails-at', lines: [27] }, reason: '127.0.0.1/0 is a /0 block: EC2 canonicalizes it to 0.0.0.0/0, so port 77 is open to the whole internet; it is not on KICS\'s sensitive list, but PhiWall allows only 80 and 443 from the internet.' },
      { file: 'negative3.yaml', phiwall: { kind: 'fails-at', lines: [27] }, reason: 'Port 77 open to 127.0.0.1/0, i.e. to every address; PhiWall allows only 80 and 443 from the internet.' },
      { file: 'negative5.json', phiwall: { kind: 'fails-at', lines: [89] }, reason: 'Port 77 open to 127.0.0.1/0 (every address).' },
      { file: 'negative6.json', phiwall: { kind: 'fails-at', lines: [22] }, reason: 'Port 77 open to 127.0.0.1/0 (every address).' },
    ],
  },
  {
    rule: 'cloudFormation/aws/security_groups_unrestricted_access_to_rdp',
    checks: ['aws/vpc-sg-no-public-admin-ports'],
    equivalence: 'full',
    facet: '3389 \\(RDP\\)|every port',
  },
  {
    rule: 'cloudFormation/aws/remote_desktop_port_open_to_internet',
    checks: ['aws/vpc-sg-no-public-admin-ports'],
    equivalence: 'full',
    facet: '3389 \\(RDP\\)|every port',
  },
  {
    rule: 'cloudFormation/aws/security_groups_with_unrestricted_access_to_ssh',
    checks: ['aws/vpc-sg-no-public-admin-ports'],
    equivalence: 'full',
    facet: '22 \\(SSH\\)|every port',
  },
  {
    rule: 'cloudFormation/aws/security_groups_with_exhibited_admin_ports',
    checks: ['aws/vpc-sg-no-public-admin-ports'],
    equivalence: 'partial',
    note: 'KICS\'s admin list adds SFTP 115, NetBIOS 137-139 and NFS 2049; PhiWall\'s adds WinRM, VNC, Docker, Kubernetes and database ports.',
  },
  {
    rule: 'cloudFormation/aws/security_groups_with_meta_ip',
    checks: ['aws/vpc-sg-authorized-ports'],
    equivalence: 'partial',
    note: 'KICS flags all ports and protocols open to 0.0.0.0/0; PhiWall flags any port other than 80 and 443 open to the internet.',
  },
  {
    rule: 'cloudFormation/aws/unknown_port_exposed_to_internet',
    checks: ['aws/vpc-sg-authorized-ports'],
    equivalence: 'partial',
    note: 'KICS flags ports missing from its list of known services; PhiWall flags every port but 80 and 443.',
    exceptions: [{ file: 'negative1.yaml', phiwall: { kind: 'fails-at', lines: [9] }, reason: 'Ports 20-23 (FTP, SSH, Telnet) open to 0.0.0.0/0 are known services, so this KICS query passes them (its admin-port queries would not); PhiWall allows only 80 and 443 from the internet.' }],
  },
  {
    rule: 'cloudFormation/aws/unrestricted_security_group_ingress',
    checks: ['aws/vpc-sg-authorized-ports'],
    equivalence: 'partial',
    note: 'KICS flags any ingress from 0.0.0.0/0 or ::/0; PhiWall accepts HTTP and HTTPS (80, 443) from the internet.',
    exceptions: [
      { file: 'positive1.yaml', line: 13, phiwall: { kind: 'pass' }, reason: 'The only world-open ingress is TCP 80, which PhiWall authorizes for public web traffic.' },
      { file: 'positive1.yaml', line: 43, phiwall: { kind: 'not-judged', resources: ['InboundRule'] }, reason: 'The standalone ingress rule opens ports 0-65535 to ::/0 on a group the template does not declare (GetAtt TargetSG.GroupId is undefined), so there is no security group to judge. The group it does declare opens only port 80 and passes.' },
      { file: 'positive2.json', line: 30, phiwall: { kind: 'not-judged', resources: ['InboundRule'] }, reason: 'The standalone rule\'s group is not declared in the template; the declared group opens only port 80.' },
      { file: 'positive2.json', line: 56, phiwall: { kind: 'pass' }, reason: 'TCP 80 from the internet is an authorized web port in PhiWall.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/fully_open_ingress',
    checks: ['aws/vpc-sg-authorized-ports'],
    equivalence: 'partial',
    note: 'KICS flags an ECS service group open on all ports; PhiWall flags any non-web port open to the internet on any group.',
    exceptions: [
      { file: 'negative1.yaml', phiwall: { kind: 'fails-at', lines: [12] }, reason: 'SSH (22) open to 0.0.0.0/0 is not "all ports", so this KICS query passes it; PhiWall allows only 80 and 443 from the internet.' },
      { file: 'positive3.json', line: 115, phiwall: { kind: 'not-judged', resources: ['EcsSecurityGroupSSHinbound'] }, reason: 'The ingress rule names its group by the plain string "EcsSecurityGroup", not a Ref or a sg- id, so it attaches to no group in the template (and FromPort 22 / ToPort 0 is an invalid range EC2 rejects); the declared group has no rule attached and passes.' },
      { file: 'positive3.json', line: 326, phiwall: { kind: 'not-judged', resources: ['EcsSecurityGroupHTTPinbound02'] }, reason: 'Plain-string GroupId: the rule attaches to no declared group.' },
      { file: 'positive4.json', line: 268, phiwall: { kind: 'not-judged', resources: ['EcsSecurityGroupHTTPinbound'] }, reason: 'Plain-string GroupId: the rule attaches to no declared group.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/security_groups_allows_unrestricted_outbound_traffic',
    checks: ['aws/vpc-sg-unrestricted-egress-phi'],
    equivalence: 'partial',
    note: 'PhiWall judges unrestricted egress only on groups of workloads that handle PHI (exfiltration path); KICS on every group.',
    exceptions: [
      { file: 'positive1.yaml', line: 16, phiwall: { kind: 'not-judged' }, reason: 'No PHI workload uses the group, so PhiWall does not judge its egress.' },
      { file: 'positive2.json', line: 21, phiwall: { kind: 'not-judged' }, reason: 'No PHI workload uses the group.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/security_group_egress_cidr_open_to_world',
    checks: ['aws/vpc-sg-unrestricted-egress-phi'],
    equivalence: 'partial',
    note: 'PhiWall judges all-port egress to the internet only for groups of PHI workloads.',
    exceptions: [
      { file: 'positive1.yaml', line: 4, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'No PHI workload uses any group in the template.' },
      { file: 'positive1.yaml', line: 27, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The standalone egress rule belongs to an undeclared group, and no PHI workload is in the template.' },
      { file: 'positive2.json', line: 5, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'No PHI workload uses any group in the template.' },
      { file: 'positive2.json', line: 34, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'Undeclared group, no PHI workload.' },
    ],
  },

  // ── IAM ───────────────────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/iam_groups_inline_policies',
    checks: ['aws/iam-no-inline-policy'],
    equivalence: 'partial',
    note: 'PhiWall flags inline policies on users and roles as well as groups.',
  },
  { rule: 'cloudFormation/aws/iam_managed_policy_applied_to_a_user', checks: ['aws/iam-user-no-policies'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/iam_policy_on_user', checks: ['aws/iam-user-no-policies'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/iam_policies_attached_to_user',
    checks: ['aws/iam-user-no-policies'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 10, phiwall: { kind: 'fails-at', lines: [14] }, reason: '"ManagedPoliciesArns" is not a property of AWS::IAM::User (it is ManagedPolicyArns), so CloudFormation rejects it and it attaches nothing; PhiWall fails the user for its inline policy at line 14, which KICS also reports.' },
      { file: 'positive2.json', line: 10, phiwall: { kind: 'fails-at', lines: [14] }, reason: '"ManagedPoliciesArns" is a misspelt property that attaches nothing; PhiWall fails the user for its inline policy (line 14).' },
    ],
  },
  {
    rule: 'cloudFormation/aws/iam_policies_without_groups',
    checks: ['aws/iam-user-no-policies'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 25, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The resource is typed AWS::IAM::Policy but carries user properties (LoginProfile, Policies), and "Users" sits inside a Policies entry, where CloudFormation does not read it; nothing attaches a policy to a user.' },
      { file: 'positive2.json', line: 38, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'Malformed AWS::IAM::Policy: "Users" is nested in a Policies entry, so no user is attached.' },
    ],
  },
  { rule: 'cloudFormation/aws/iam_policies_with_full_privileges', checks: ['aws/iam-policy-no-admin-access'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/iam_policy_grants_full_permissions', checks: ['aws/iam-policy-no-admin-access'], equivalence: 'full' },
  { rule: 'serverlessFW/serverless_role_with_full_privileges', checks: ['aws/iam-policy-no-admin-access'], equivalence: 'full', exceptions: [
    { file: 'positive1.yml', line: 11, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'Every function names its own role (functions.hello.role), so the Serverless Framework does not create the shared IamRoleLambdaExecution role that provider.iam.role.statements configure; the "*" statement is never deployed.' },
  ] },
  {
    rule: 'cloudFormation/aws/iam_role_allows_all_principals_to_assume',
    checks: ['aws/iam-role-trust-no-public'],
    equivalence: 'partial',
    note: 'KICS flags account-root principals (":root"); PhiWall flags trust policies open to any account or any web identity ("*").',
    exceptions: [
      { file: 'positive1.yaml', line: 6, phiwall: { kind: 'pass' }, reason: '"arn:aws:iam::root" is not a valid principal (no account id; IAM rejects it), and an account-root principal delegates to that account\'s IAM policies rather than opening the role to everyone.' },
      { file: 'positive2.json', line: 7, phiwall: { kind: 'pass' }, reason: 'A root principal (malformed here) is not a public principal.' },
    ],
  },

  // ── Lambda ────────────────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/lambda_function_without_dead_letter_queue',
    checks: ['aws/lambda-function-dlq'],
    equivalence: 'partial',
    note: 'A dead-letter queue only receives failed asynchronous invocations, so PhiWall requires one only for functions with an asynchronous event source.',
    exceptions: [
      { file: 'positive1.yaml', line: 6, phiwall: { kind: 'pass' }, reason: 'Nothing invokes the function asynchronously in the template; synchronous callers receive its errors, and a DLQ would never be used.' },
      { file: 'positive2.yaml', line: 6, phiwall: { kind: 'pass' }, reason: 'No asynchronous event source; a DLQ would not apply.' },
      { file: 'positive2.yaml', line: 27, phiwall: { kind: 'pass' }, reason: 'An empty DeadLetterConfig on a function with no asynchronous event source; no failed asynchronous event can be lost.' },
    ],
  },
  {
    rule: 'cloudFormation/aws_sam/serverless_function_without_dead_letter_queue',
    checks: ['aws/lambda-function-dlq'],
    equivalence: 'partial',
    note: 'PhiWall requires a dead-letter queue only for functions invoked asynchronously.',
    exceptions: [{ file: 'positive1.yaml', line: 7, phiwall: { kind: 'pass', resources: ['Function'] }, reason: 'The SAM function has no events, so nothing invokes it asynchronously.' }],
  },
  {
    rule: 'serverlessFW/serverless_function_without_dead_letter_queue',
    checks: ['aws/lambda-function-dlq'],
    equivalence: 'partial',
    note: 'PhiWall requires a dead-letter queue only for functions invoked asynchronously.',
    exceptions: [{ file: 'positive1.yml', line: 8, phiwall: { kind: 'pass', resources: ['hello'] }, reason: 'The function has no events, so nothing invokes it asynchronously.' }],
  },
  {
    rule: 'cloudFormation/aws/lambda_functions_with_full_privileges',
    checks: ['aws/lambda-function-role-least-privilege'],
    equivalence: 'partial',
    note: 'KICS judges the execution role\'s statements; PhiWall judges the function through its role, and also flags write access on all resources (only its wildcard-action failures count here).',
    facet: 'every action',
    exceptions: [{ file: 'positive2.json', line: 101, phiwall: { kind: 'manual', resources: ['AppendItemToListFunction'] }, reason: 'In the JSON form the function names its role by the plain string "LambdaExecutionRole.Arn" (the GetAtt is lost), which is not a role in the template, so PhiWall asks for review of a role it cannot see.' }],
  },
  { rule: 'cloudFormation/aws/lambda_functions_without_x-ray_tracing', checks: ['aws/lambda-function-xray'], equivalence: 'full' },
  { rule: 'cloudFormation/aws_sam/serverless_function_without_x-ray_tracing', checks: ['aws/lambda-function-xray'], equivalence: 'full' },
  { rule: 'serverlessFW/serverless_function_without_x-ray_tracing', checks: ['aws/lambda-function-xray'], equivalence: 'full' },
  { rule: 'cloudFormation/aws_sam/serverless_function_environment_variables_not_encrypted', checks: ['aws/lambda-function-env-kms'], equivalence: 'full' },
  {
    rule: 'serverlessFW/serverless_function_environment_variables_not_encrypted',
    checks: ['aws/lambda-function-env-kms'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yml', line: 6, phiwall: { kind: 'pass', resources: ['hello'] }, reason: 'Framework v2 applies service.awsKmsKeyArn to every function, so the environment is encrypted with a customer managed key; KICS does not read the service-level setting.' },
      { file: 'positive1.yml', line: 12, phiwall: { kind: 'pass', resources: ['hello'] }, reason: 'Same: the function inherits service.awsKmsKeyArn.' },
      { file: 'positive2.yml', line: 6, phiwall: { kind: 'pass', resources: ['hello', 'goodbye'] }, reason: 'KICS flags the provider for lacking kmsKeyArn, but both functions set their own kmsKeyArn, so every function\'s environment is encrypted with a customer managed key.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/lambda_permission_principal_is_wildcard',
    checks: ['aws/lambda-function-public-access'],
    equivalence: 'partial',
    note: 'KICS flags any Principal "*"; PhiWall flags "*" only when no SourceArn, SourceAccount or PrincipalOrgID narrows it (LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED).',
    exceptions: [
      { file: 'positive1.yaml', line: 9, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The permission is for a function the template does not declare (GetAtt function.Arn is undefined), and PhiWall judges invocation access on the function; the statement is also narrowed by SourceAccount and SourceArn.' },
      { file: 'positive2.json', line: 10, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The permission names no declared function; it is also narrowed by SourceAccount and SourceArn.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/hardcoded_aws_access_key_in_lambda',
    checks: ['aws/lambda-env-plaintext-secrets'],
    equivalence: 'partial',
    note: 'KICS treats any 40-character base64 run as an AWS secret key; PhiWall recognises access key ids (AKIA…), known token formats and secret-named variables, since 40-character strings are also hashes and ids.',
    exceptions: [
      { file: 'positive1.yaml', line: 10, phiwall: { kind: 'pass' }, reason: 'Variable "foo" holds 40 digits followed by "$": nothing marks it as a credential (no key id prefix, no secret-like name), and matching every 40-character string would flag SHA-1 digests and commit ids.' },
      { file: 'positive2.yaml', line: 10, phiwall: { kind: 'pass' }, reason: 'An 80-digit value under the name "foo" is not recognisable as an AWS secret key.' },
      { file: 'positive3.json', line: 29, phiwall: { kind: 'pass' }, reason: 'Same 40-digit value under "foo".' },
      { file: 'positive4.json', line: 29, phiwall: { kind: 'pass' }, reason: 'Same 80-digit value under "foo".' },
    ],
  },

  // ── OpenSearch / Elasticsearch, EMR, Redshift ─────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/elasticsearch_domain_encryption_with_kms_disabled',
    checks: ['aws/opensearch-encrypted-at-rest'],
    equivalence: 'partial',
    note: 'KICS also requires an explicit KmsKeyId; PhiWall requires encryption at rest, which the AWS managed key aws/es provides.',
    exceptions: [
      { file: 'positive1.yaml', line: 15, phiwall: { kind: 'pass' }, reason: 'EncryptionAtRestOptions.Enabled is true without KmsKeyId, so the domain is encrypted with the AWS managed key aws/es; encryption at rest holds.' },
      { file: 'positive2.json', line: 7, phiwall: { kind: 'pass' }, reason: 'Encrypted at rest with the AWS managed key (no KmsKeyId).' },
    ],
  },
  { rule: 'cloudFormation/aws/elasticsearch_not_encrypted_at_rest', checks: ['aws/opensearch-encrypted-at-rest'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/elasticsearch_logs_disabled',
    checks: ['aws/opensearch-logs'],
    equivalence: 'partial',
    note: 'KICS requires every configured log type to be enabled; PhiWall requires the error (application) logs, the security-relevant ones.',
    exceptions: [{ file: 'positive1.yaml', line: 34, phiwall: { kind: 'pass' }, reason: 'Only SEARCH_SLOW_LOGS (query performance) is disabled; ES_APPLICATION_LOGS and AUDIT_LOGS are enabled, which is what PhiWall requires.' }],
  },
  {
    rule: 'cloudFormation/aws/elasticsearch_with_https_disabled',
    checks: ['aws/opensearch-https-required'],
    equivalence: 'partial',
    note: 'PhiWall also requires a TLS 1.2 security policy; only its plain-HTTP failures count here.',
    facet: 'plain HTTP',
  },
  {
    rule: 'cloudFormation/aws/emr_cluster_without_security_configuration',
    checks: ['aws/emr-kerberos'],
    equivalence: 'partial',
    note: 'PhiWall requires a security configuration that sets up Kerberos; KICS any security configuration.',
    exceptions: [
      { file: 'positive1.yaml', line: 18, phiwall: { kind: 'manual' }, reason: 'The cluster names security configuration securityConfiguration1, which the template does not declare (it declares securityConfiguration); an existing configuration of that name may exist, so PhiWall asks for review.' },
      { file: 'positive3.json', line: 43, phiwall: { kind: 'manual' }, reason: 'The named security configuration is not in the template; it may exist in the account.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/redshift_cluster_logging_disabled',
    checks: ['aws/redshift-encrypted-logging'],
    equivalence: 'partial',
    note: 'PhiWall\'s check judges encryption and audit logging together; only its logging failures count here.',
    facet: 'audit logging off',
  },
  {
    rule: 'cloudFormation/aws/redshift_not_encrypted',
    checks: ['aws/redshift-encrypted-logging'],
    equivalence: 'partial',
    note: 'PhiWall\'s check judges encryption and audit logging together (only its encryption failures count here), and takes a cluster without Encrypted as encrypted, the default since January 2025.',
    facet: 'is not encrypted\\.',
    exceptions: [
      { file: 'positive1.yaml', line: 6, phiwall: { kind: 'pass' }, reason: 'Encrypted is not set: since January 2025 Redshift encrypts new provisioned clusters by default, so the cluster is encrypted. (PhiWall fails it for having no audit logging, another property, which this query does not count.)' },
      { file: 'positive3.json', line: 7, phiwall: { kind: 'pass' }, reason: 'Encrypted is not set, and new Redshift clusters are encrypted by default since January 2025.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/redshift_publicly_accessible',
    checks: ['aws/redshift-public'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 4, phiwall: { kind: 'pass' }, reason: 'PubliclyAccessible is not set and defaults to false for a Redshift cluster (CloudFormation reference), so the cluster is not publicly accessible.' },
      { file: 'positive2.json', line: 5, phiwall: { kind: 'pass' }, reason: 'PubliclyAccessible defaults to false.' },
    ],
  },

  // ── RDS ───────────────────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/automatic_minor_upgrades_disabled',
    checks: ['aws/rds-auto-minor-version-upgrade'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 58, phiwall: { kind: 'pass' }, reason: 'AutoMinorVersionUpgrade is not set and defaults to true for a new DB instance, so minor upgrades are applied.' },
      { file: 'positive2.json', line: 58, phiwall: { kind: 'pass' }, reason: 'AutoMinorVersionUpgrade defaults to true.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/iam_database_auth_not_enabled',
    checks: ['aws/rds-iam-auth'],
    equivalence: 'full',
    exceptions: [{ file: 'negative3.yaml', phiwall: { kind: 'fails-at', lines: [19] }, reason: 'Engine "aurora" (Aurora MySQL 1, retired by AWS in 2023) on db.t2.small: KICS\'s compatibility table excluded that class; PhiWall does not model instance-class limits of retired engine versions, and an Aurora instance outside a cluster is invalid anyway.' }],
  },
  {
    rule: 'cloudFormation/aws/low_rds_backup_retention_period',
    checks: ['aws/rds-backup-retention'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive2.yaml', line: 35, phiwall: { kind: 'not-judged' }, reason: READ_REPLICA },
      { file: 'positive6.json', line: 55, phiwall: { kind: 'not-judged' }, reason: READ_REPLICA },
    ],
  },
  {
    rule: 'cloudFormation/aws/rds_with_backup_disabled',
    checks: ['aws/rds-backup-retention'],
    equivalence: 'full',
    facet: 'backups off',
  },
  { rule: 'cloudFormation/aws/rds_db_instance_publicly_accessible', checks: ['aws/rds-instance-public-access'], equivalence: 'full' },
  { rule: 'cloudFormation/aws/rds_db_instance_with_deletion_protection_disabled', checks: ['aws/rds-deletion-protection'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/rds_multi_az_deployment_disabled',
    checks: ['aws/rds-multi-az'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 148, phiwall: { kind: 'not-judged' }, reason: READ_REPLICA },
      { file: 'positive2.json', line: 124, phiwall: { kind: 'not-judged' }, reason: READ_REPLICA },
    ],
  },
  { rule: 'cloudFormation/aws/rds_storage_encryption_disabled', checks: ['aws/rds-storage-encrypted'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/rds_storage_not_encrypted',
    checks: ['aws/rds-storage-encrypted'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 35, phiwall: { kind: 'pass' }, reason: 'The instance is a cross-Region read replica with KmsKeyId: a replica inherits encryption from its source (StorageEncrypted must not be set and is ignored), and a KMS key for the destination Region is accepted only for an encrypted replica.' },
      { file: 'positive2.yaml', line: 30, phiwall: { kind: 'pass' }, reason: 'Read replica with KmsKeyId: encrypted, inherited from the source.' },
      { file: 'positive3.json', line: 50, phiwall: { kind: 'pass' }, reason: 'Read replica with KmsKeyId; StorageEncrypted false is ignored for replicas.' },
      { file: 'positive4.json', line: 45, phiwall: { kind: 'pass' }, reason: 'Read replica with KmsKeyId: encrypted.' },
    ],
  },

  // ── S3 ────────────────────────────────────────────────────────────────────────────────────
  {
    rule: 'cloudFormation/aws/s3_bucket_access_to_any_principal',
    checks: ['aws/s3-bucket-public-read', 'aws/s3-bucket-public-write'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 27, phiwall: { kind: 'pass' }, reason: 'Bucket2 has RestrictPublicBuckets on: S3 then limits a public policy to AWS services and principals of the bucket owner\'s account, so the "*" statement does not open the bucket to everyone.' },
      { file: 'positive2.json', line: 42, phiwall: { kind: 'pass' }, reason: 'RestrictPublicBuckets on: the public statement does not grant access outside the account.' },
    ],
  },
  {
    rule: 'cloudFormation/aws/s3_bucket_acl_allows_read_or_write_to_all_users',
    checks: ['aws/s3-bucket-public-read', 'aws/s3-bucket-public-write'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive2.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive4.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive5.json', line: 13, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive6.json', line: 8, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive8.json', line: 8, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
    ],
  },
  {
    rule: 'cloudFormation/aws/s3_bucket_acl_allows_read_to_all_users',
    checks: ['aws/s3-bucket-public-read'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive2.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive4.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive5.json', line: 13, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive6.json', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive8.json', line: 8, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
    ],
  },
  {
    rule: 'cloudFormation/aws/s3_bucket_acl_allows_read_to_any_authenticated_user',
    checks: ['aws/s3-bucket-public-read'],
    equivalence: 'full',
    exceptions: [
      { file: 'positive1.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive2.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive4.yaml', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive5.json', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive6.json', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
      { file: 'positive8.json', line: 7, phiwall: { kind: 'pass' }, reason: NEW_BUCKET_BPA },
    ],
  },
  ...(
    [
      ['s3_bucket_allows_get_actions_from_all_principals', ['aws/s3-bucket-public-read']],
      ['s3_bucket_allows_list_actions_from_all_principals', ['aws/s3-bucket-public-read']],
      ['s3_bucket_allows_delete_actions_from_all_principals', ['aws/s3-bucket-public-write']],
      ['s3_bucket_allows_put_actions_from_all_principals', ['aws/s3-bucket-public-write']],
      ['s3_bucket_allows_restore_actions_from_all_principals', ['aws/s3-bucket-public-write']],
    ] as const
  ).map(
    ([name, checks]): KicsMapping => ({
      rule: `cloudFormation/aws/${name}`,
      checks: [...checks],
      equivalence: 'partial',
      note: 'KICS judges a bucket policy statement on its own; PhiWall judges the bucket, together with the Block Public Access settings that decide whether a public policy takes effect.',
      exceptions: [
        { file: 'positive1.yaml', line: 7, phiwall: { kind: 'not-judged', scope: 'file' }, reason: POLICY_FOR_UNDECLARED_BUCKET },
        { file: 'positive1.yaml', line: 22, phiwall: { kind: 'not-judged', scope: 'file' }, reason: POLICY_FOR_UNDECLARED_BUCKET },
        { file: 'positive2.json', line: 9, phiwall: { kind: 'not-judged', scope: 'file' }, reason: POLICY_FOR_UNDECLARED_BUCKET },
        { file: 'positive2.json', line: 35, phiwall: { kind: 'not-judged', scope: 'file' }, reason: POLICY_FOR_UNDECLARED_BUCKET },
      ],
    }),
  ),
  {
    rule: 'cloudFormation/aws/s3_bucket_with_all_permissions',
    checks: ['aws/s3-bucket-public-read', 'aws/s3-bucket-public-write'],
    equivalence: 'partial',
    note: 'KICS judges a bucket policy statement on its own; PhiWall judges the bucket with its Block Public Access settings.',
    exceptions: [
      { file: 'positive1.yaml', line: 7, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The policy is for a bucket the template does not declare, so there is no bucket (and no Block Public Access setting) to judge.' },
      { file: 'positive2.json', line: 9, phiwall: { kind: 'not-judged', scope: 'file' }, reason: 'The policy is for an undeclared bucket.' },
    ],
  },
  ...(
    [
      ['s3_bucket_allows_public_acl', 'blockPublicAcls', [4, 10, 20]],
      ['s3_bucket_with_public_policy', 'blockPublicPolicy', [4, 10, 19]],
      ['s3_bucket_without_ignore_public_acl', 'ignorePublicAcls', [4, 10, 21]],
      ['s3_bucket_without_restriction_of_public_bucket', 'restrictPublicBuckets', [4, 10, 21]],
    ] as const
  ).map(
    ([name, setting, lines]): KicsMapping => ({
      rule: `cloudFormation/aws/${name}`,
      checks: ['aws/s3-bucket-block-public-access'],
      equivalence: 'partial',
      note: 'KICS checks one Block Public Access setting per query; PhiWall requires all four in one check, so only failures naming this setting count.',
      facet: setting,
      exceptions: lines.map((line) => ({ file: 'positive1.yaml', line, phiwall: { kind: 'unreadable', code: 'PW_ERR_TEMPLATE_INVALID' } as const, reason: MULTI_DOC })),
    }),
  ),
  { rule: 'cloudFormation/aws/s3_bucket_logging_disabled', checks: ['aws/s3-bucket-access-logging'], equivalence: 'full' },
  {
    rule: 'cloudFormation/aws/s3_bucket_cloudtrail_logging_disabled',
    checks: ['aws/s3-bucket-access-logging'],
    equivalence: 'partial',
    note: 'KICS requires server access logging only on CloudTrail buckets; PhiWall on every bucket.',
  },
  {
    rule: 'cloudFormation/aws/s3_bucket_without_server_side_encryption',
    checks: ['aws/s3-bucket-default-encryption-kms'],
    equivalence: 'partial',
    note: 'PhiWall requires default encryption with AWS KMS; KICS accepts any server-side encryption.',
  },
  {
    rule: 'cloudFormation/aws/s3_bucket_without_ssl_in_write_actions',
    checks: ['aws/s3-bucket-ssl-requests-only'],
    equivalence: 'full',
    exceptions: [{ file: 'negative7.yaml', phiwall: { kind: 'fails-at', lines: [3] }, reason: 'The policy only Allows s3:* when aws:SecureTransport is true; that does not stop requests over plain HTTP that other grants (IAM policies of the account) allow. Only a Deny on aws:SecureTransport false enforces TLS (S3_BUCKET_SSL_REQUESTS_ONLY).' }],
  },
  { rule: 'cloudFormation/aws/s3_bucket_without_versioning', checks: ['aws/s3-bucket-versioning'], equivalence: 'full' },
]

/** KICS queries that look related to a PhiWall check but do not share its property. */
export const KICS_UNMAPPED: KicsUnmapped[] = [
  { rule: 'cloudFormation/aws/access_key_not_rotated_within_90_days', reason: 'Judges the parameters of an AWS Config rule resource, not access keys; PhiWall\'s aws/iam-user-access-keys-rotated judges the keys of live IAM users.' },
  { rule: 'cloudFormation/aws/api_gateway_without_configured_authorizer', reason: 'Requires an Authorizer resource to exist for the API; PhiWall\'s aws/apigw-route-authorization requires each route to be authorized (IAM or an authorizer), a different property.' },
  { rule: 'cloudFormation/aws/api_gateway_stage_without_api_gateway_usage_plan_associated', reason: 'Requires a usage plan association; PhiWall\'s aws/apigw-public-api-throttling requires effective throttling (usage plans throttle only API-key requests) and judges the REST API, which no fixture declares.' },
  { rule: 'cloudFormation/aws/api_gateway_deployment_without_api_gateway_usage_plan_associated', reason: 'As api_gateway_stage_without_api_gateway_usage_plan_associated.' },
  { rule: 'cloudFormation/aws/cloudtrail_logging_disabled', reason: 'Judges a trail\'s IsLogging; PhiWall\'s aws/cloudtrail-enabled judges whether a trail logs the Region (region settings), and no PhiWall check judges IsLogging on a template trail.' },
  { rule: 'cloudFormation/aws/cloudformation_specifying_credentials_not_safe', reason: 'Credentials in AWS::CloudFormation::Authentication metadata; no PhiWall check reads template metadata for credentials.' },
  { rule: 'cloudFormation/aws/ebs_volume_without_kms_key_id', reason: 'Requires an explicit KmsKeyId (key choice); PhiWall\'s aws/ec2-ebs-encrypted judges whether the volume is encrypted.' },
  { rule: 'cloudFormation/aws/elasticsearch_without_slow_logs', reason: 'Slow logs record query performance; PhiWall\'s aws/opensearch-logs requires the error logs.' },
  { rule: 'cloudFormation/aws/elb_using_weak_ciphers', reason: 'Judges cipher suites; PhiWall\'s aws/elb-tls-policy judges protocol versions.' },
  { rule: 'cloudFormation/aws/iam_password_without_minimum_length', reason: 'Judges the initial password of a user\'s LoginProfile; PhiWall\'s aws/iam-password-policy judges the account password policy.' },
  { rule: 'cloudFormation/aws/public_lambda_via_api_gateway', reason: 'Flags a wildcard stage/method in an execute-api SourceArn; PhiWall\'s aws/lambda-function-public-access flags public principals.' },
  { rule: 'cloudFormation/aws/root_account_has_active_access_keys', reason: 'An AWS::IAM::AccessKey for a user named "Root" is an ordinary IAM user\'s key (root keys cannot be created by templates); PhiWall\'s aws/iam-root-no-access-keys judges the account root user.' },
  { rule: 'cloudFormation/aws/routertable_with_default_routing', reason: 'Flags default routes in general (NAT gateways included); PhiWall\'s aws/vpc-no-unrestricted-route-to-igw flags internet-gateway routes of subnets where PHI workloads run.' },
]
