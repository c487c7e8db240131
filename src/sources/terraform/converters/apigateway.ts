import { compact, nested, nonBlank, nonEmpty, parseJsonOrYaml } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { mergeInto, own } from './common.js'

/**
 * `method_path` of `aws_api_gateway_method_settings` (`*\/*`, `patients/{id}/GET`) as the
 * `ResourcePath` / `HttpMethod` of a CloudFormation method setting, whose paths escape `/` as `~1`.
 */
function methodPath(path: unknown): { ResourcePath?: unknown; HttpMethod?: unknown } {
  if (typeof path !== 'string') return { ResourcePath: path }
  const i = path.lastIndexOf('/')
  if (i < 0) return { ResourcePath: '/*', HttpMethod: '*' }
  const resource = path.slice(0, i)
  const method = path.slice(i + 1)
  if (resource === '*') return { ResourcePath: '/*', HttpMethod: method }
  return { ResourcePath: `/${resource.replace(/^\/+/, '').split('/').join('~1')}`, HttpMethod: method }
}

/** An OpenAPI / Swagger definition held in `body`, parsed from JSON or YAML. */
export function apiBody(r: TfReader): unknown {
  // a definition known only after apply (it embeds a new function's ARN) is unknown as a whole
  if (r.isUnknown('body')) return r.json('body')
  const body = r.raw('body')
  if (typeof body !== 'string' || !body.trim()) return undefined
  return parseJsonOrYaml(body, true)
}

/** REST APIs (with their OpenAPI body and resource policy), stages with method settings, methods and integrations, domains and usage plans. */
export const APIGATEWAY_CONVERTERS: Record<string, TfConverter> = {
  aws_api_gateway_rest_api: (r) => {
    const endpoint = r.block('endpoint_configuration')
    return [
      own(
        r,
        'AWS::ApiGateway::RestApi',
        {
          Name: r.get('name'),
          Description: nonBlank(r.get('description')),
          Body: apiBody(r),
          EndpointConfiguration: endpoint ? nested({ Types: endpoint.get('types'), VpcEndpointIds: nonEmpty(endpoint.refList('vpc_endpoint_ids')) }) : undefined,
          Policy: nonBlank(r.json('policy')),
          ApiKeySourceType: nonBlank(r.get('api_key_source')),
          BinaryMediaTypes: nonEmpty(r.get('binary_media_types')),
          MinimumCompressionSize: typeof r.get('minimum_compression_size') === 'string' ? (r.get('minimum_compression_size') === '' ? undefined : Number(r.get('minimum_compression_size'))) : r.get('minimum_compression_size'),
          DisableExecuteApiEndpoint: r.get('disable_execute_api_endpoint'),
          Tags: r.tags(),
        },
        { lines: { ApiKeySourceType: 'api_key_source' } },
      ),
    ]
  },
  aws_api_gateway_rest_api_policy: (r) => [mergeInto('AWS::ApiGateway::RestApi', r.ref('rest_api_id'), { Policy: r.json('policy') })],
  aws_api_gateway_stage: (r) => {
    const logs = r.block('access_log_settings')
    const canary = r.block('canary_settings')
    return [
      own(
        r,
        'AWS::ApiGateway::Stage',
        {
          StageName: r.get('stage_name'),
          RestApiId: r.ref('rest_api_id'),
          DeploymentId: r.ref('deployment_id'),
          Description: nonBlank(r.get('description')),
          TracingEnabled: r.get('xray_tracing_enabled'),
          CacheClusterEnabled: r.get('cache_cluster_enabled'),
          CacheClusterSize: nonBlank(r.get('cache_cluster_size')),
          ClientCertificateId: nonBlank(r.ref('client_certificate_id')),
          AccessLogSetting: logs ? nested({ DestinationArn: logs.ref('destination_arn'), Format: logs.get('format') }) : undefined,
          CanarySetting: canary ? nested({ PercentTraffic: canary.get('percent_traffic'), UseStageCache: canary.get('use_stage_cache') }) : undefined,
          Variables: r.get('variables') && Object.keys(r.get('variables') as object).length ? r.get('variables') : undefined,
          Tags: r.tags(),
        },
        { lines: { TracingEnabled: 'xray_tracing_enabled', AccessLogSetting: 'access_log_settings' } },
      ),
    ]
  },
  aws_api_gateway_method_settings: (r) => {
    const s = r.block('settings')
    const setting = compact({
      ...methodPath(r.get('method_path')),
      MetricsEnabled: s?.get('metrics_enabled'),
      LoggingLevel: nonBlank(s?.get('logging_level')),
      DataTraceEnabled: s?.get('data_trace_enabled'),
      ThrottlingBurstLimit: s?.get('throttling_burst_limit') === -1 ? undefined : s?.get('throttling_burst_limit'),
      ThrottlingRateLimit: s?.get('throttling_rate_limit') === -1 ? undefined : s?.get('throttling_rate_limit'),
      CachingEnabled: s?.get('caching_enabled'),
      CacheTtlInSeconds: s?.get('cache_ttl_in_seconds'),
      CacheDataEncrypted: s?.get('cache_data_encrypted'),
    })
    const stage = r.targets('stage_name').find((t) => t.type === 'aws_api_gateway_stage' && t.inPlan)
    return [
      mergeInto('AWS::ApiGateway::Stage', stage ? { Ref: stage.address } : undefined, { MethodSettings: [setting] }, { append: ['MethodSettings'], ...(stage ? {} : { match: { RestApiId: r.ref('rest_api_id'), StageName: r.get('stage_name') } }) }),
    ]
  },
  aws_api_gateway_resource: (r) => [own(r, 'AWS::ApiGateway::Resource', { RestApiId: r.ref('rest_api_id'), ParentId: r.ref('parent_id'), PathPart: r.get('path_part') })],
  aws_api_gateway_method: (r) => [
    own(
      r,
      'AWS::ApiGateway::Method',
      {
        RestApiId: r.ref('rest_api_id'),
        ResourceId: r.ref('resource_id'),
        HttpMethod: r.get('http_method'),
        AuthorizationType: r.get('authorization'),
        AuthorizerId: nonBlank(r.ref('authorizer_id')),
        AuthorizationScopes: nonEmpty(r.get('authorization_scopes')),
        ApiKeyRequired: r.get('api_key_required'),
        OperationName: nonBlank(r.get('operation_name')),
        RequestValidatorId: nonBlank(r.ref('request_validator_id')),
        RequestParameters: r.get('request_parameters') && Object.keys(r.get('request_parameters') as object).length ? r.get('request_parameters') : undefined,
        RequestModels: r.get('request_models') && Object.keys(r.get('request_models') as object).length ? r.get('request_models') : undefined,
      },
      { lines: { AuthorizationType: 'authorization' } },
    ),
  ],
  aws_api_gateway_integration: (r) => {
    const tls = r.block('tls_config')
    return [
      mergeInto(
        'AWS::ApiGateway::Method',
        undefined,
        {
          Integration: compact({
            Type: r.get('type'),
            IntegrationHttpMethod: nonBlank(r.get('integration_http_method')),
            Uri: nonBlank(r.ref('uri')),
            Credentials: nonBlank(r.ref('credentials')),
            ConnectionType: nonBlank(r.get('connection_type')),
            ConnectionId: nonBlank(r.ref('connection_id')),
            TimeoutInMillis: r.get('timeout_milliseconds'),
            PassthroughBehavior: nonBlank(r.get('passthrough_behavior')),
            ContentHandling: nonBlank(r.get('content_handling')),
            CacheKeyParameters: nonEmpty(r.get('cache_key_parameters')),
            TlsConfig: tls ? nested({ InsecureSkipVerification: tls.get('insecure_skip_verification') }) : undefined,
          }),
        },
        { match: { RestApiId: r.ref('rest_api_id'), ResourceId: r.ref('resource_id'), HttpMethod: r.get('http_method') } },
      ),
    ]
  },
  aws_api_gateway_authorizer: (r) => [
    own(r, 'AWS::ApiGateway::Authorizer', {
      Name: r.get('name'),
      RestApiId: r.ref('rest_api_id'),
      Type: r.get('type'),
      AuthorizerUri: nonBlank(r.ref('authorizer_uri')),
      AuthorizerCredentials: nonBlank(r.ref('authorizer_credentials')),
      IdentitySource: nonBlank(r.get('identity_source')),
      IdentityValidationExpression: nonBlank(r.get('identity_validation_expression')),
      ProviderARNs: nonEmpty(r.refList('provider_arns')),
      AuthorizerResultTtlInSeconds: r.get('authorizer_result_ttl_in_seconds'),
    }),
  ],
  aws_api_gateway_deployment: (r) => [own(r, 'AWS::ApiGateway::Deployment', { RestApiId: r.ref('rest_api_id'), Description: nonBlank(r.get('description')), StageName: nonBlank(r.get('stage_name')) })],
  aws_api_gateway_domain_name: (r) => {
    const endpoint = r.block('endpoint_configuration')
    const mtls = r.block('mutual_tls_authentication')
    return [
      own(r, 'AWS::ApiGateway::DomainName', {
        DomainName: r.get('domain_name'),
        CertificateArn: nonBlank(r.ref('certificate_arn')),
        RegionalCertificateArn: nonBlank(r.ref('regional_certificate_arn')),
        EndpointConfiguration: endpoint ? nested({ Types: endpoint.get('types') }) : undefined,
        SecurityPolicy: nonBlank(r.get('security_policy')),
        MutualTlsAuthentication: mtls ? nested({ TruststoreUri: mtls.get('truststore_uri'), TruststoreVersion: nonBlank(mtls.get('truststore_version')) }) : undefined,
        OwnershipVerificationCertificateArn: nonBlank(r.ref('ownership_verification_certificate_arn')),
        Tags: r.tags(),
      }),
    ]
  },
  aws_api_gateway_usage_plan: (r) => {
    const throttle = r.block('throttle_settings')
    const quota = r.block('quota_settings')
    return [
      own(r, 'AWS::ApiGateway::UsagePlan', {
        UsagePlanName: r.get('name'),
        Description: nonBlank(r.get('description')),
        ApiStages: nonEmpty(
          r.blocks('api_stages').map((s) =>
            compact({
              ApiId: s.ref('api_id'),
              Stage: s.ref('stage'),
              Throttle: s.blocks('throttle').length ? Object.fromEntries(s.blocks('throttle').map((t) => [t.get('path'), compact({ BurstLimit: t.get('burst_limit'), RateLimit: t.get('rate_limit') })])) : undefined,
            }),
          ),
        ),
        Throttle: throttle ? nested({ BurstLimit: throttle.get('burst_limit'), RateLimit: throttle.get('rate_limit') }) : undefined,
        Quota: quota ? nested({ Limit: quota.get('limit'), Offset: quota.get('offset'), Period: quota.get('period') }) : undefined,
        Tags: r.tags(),
      }),
    ]
  },
  aws_api_gateway_account: (r) => [own(r, 'AWS::ApiGateway::Account', { CloudWatchRoleArn: nonBlank(r.ref('cloudwatch_role_arn')) })],
}
