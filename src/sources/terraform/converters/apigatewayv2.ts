import { compact, nested, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { corsOf, own } from './common.js'
import { apiBody } from './apigateway.js'

function routeSettings(s: TfReader): Record<string, unknown> {
  return compact({
    DataTraceEnabled: s.get('data_trace_enabled'),
    DetailedMetricsEnabled: s.get('detailed_metrics_enabled'),
    LoggingLevel: nonBlank(s.get('logging_level')),
    ThrottlingBurstLimit: s.get('throttling_burst_limit'),
    ThrottlingRateLimit: s.get('throttling_rate_limit'),
  })
}

/** A map with no entries (Terraform's unset map) as undefined. */
function map(v: unknown): unknown {
  return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 ? undefined : v
}

/** HTTP and WebSocket APIs (tags stay a map, as CloudFormation has them), stages, routes, authorizers, integrations and domains. */
export const APIGATEWAYV2_CONVERTERS: Record<string, TfConverter> = {
  aws_apigatewayv2_api: (r) => {
    const cors = r.block('cors_configuration')
    return [
      own(r, 'AWS::ApiGatewayV2::Api', {
        Name: r.get('name'),
        ProtocolType: r.get('protocol_type'),
        Description: nonBlank(r.get('description')),
        Body: apiBody(r),
        Target: nonBlank(r.ref('target')),
        RouteKey: nonBlank(r.get('route_key')),
        CredentialsArn: nonBlank(r.ref('credentials_arn')),
        DisableExecuteApiEndpoint: r.get('disable_execute_api_endpoint'),
        RouteSelectionExpression: nonBlank(r.get('route_selection_expression')),
        ApiKeySelectionExpression: nonBlank(r.get('api_key_selection_expression')),
        Version: nonBlank(r.get('version')),
        CorsConfiguration: cors
          ? corsOf(cors)
          : undefined,
        Tags: r.tagMap(),
      }),
    ]
  },
  aws_apigatewayv2_stage: (r) => {
    const logs = r.block('access_log_settings')
    const defaults = r.block('default_route_settings')
    const routes = r.blocks('route_settings')
    return [
      own(
        r,
        'AWS::ApiGatewayV2::Stage',
        {
          ApiId: r.ref('api_id'),
          StageName: r.get('name'),
          AutoDeploy: r.get('auto_deploy'),
          DeploymentId: nonBlank(r.ref('deployment_id')),
          Description: nonBlank(r.get('description')),
          ClientCertificateId: nonBlank(r.ref('client_certificate_id')),
          AccessLogSettings: logs ? nested({ DestinationArn: logs.ref('destination_arn'), Format: logs.get('format') }) : undefined,
          DefaultRouteSettings: defaults ? nested(routeSettings(defaults)) : undefined,
          RouteSettings: routes.length ? Object.fromEntries(routes.map((s) => [String(s.get('route_key')), routeSettings(s)])) : undefined,
          StageVariables: map(r.get('stage_variables')),
          Tags: r.tagMap(),
        },
        { lines: { StageName: 'name', AccessLogSettings: 'access_log_settings' } },
      ),
    ]
  },
  aws_apigatewayv2_route: (r) => [
    own(r, 'AWS::ApiGatewayV2::Route', {
      ApiId: r.ref('api_id'),
      RouteKey: r.get('route_key'),
      AuthorizationType: r.get('authorization_type'),
      AuthorizerId: nonBlank(r.ref('authorizer_id')),
      AuthorizationScopes: nonEmpty(r.get('authorization_scopes')),
      ApiKeyRequired: r.get('api_key_required'),
      Target: nonBlank(r.ref('target')),
      OperationName: nonBlank(r.get('operation_name')),
      RouteResponseSelectionExpression: nonBlank(r.get('route_response_selection_expression')),
    }),
  ],
  aws_apigatewayv2_authorizer: (r) => {
    const jwt = r.block('jwt_configuration')
    return [
      own(r, 'AWS::ApiGatewayV2::Authorizer', {
        ApiId: r.ref('api_id'),
        Name: r.get('name'),
        AuthorizerType: r.get('authorizer_type'),
        AuthorizerUri: nonBlank(r.ref('authorizer_uri')),
        AuthorizerCredentialsArn: nonBlank(r.ref('authorizer_credentials_arn')),
        AuthorizerPayloadFormatVersion: nonBlank(r.get('authorizer_payload_format_version')),
        AuthorizerResultTtlInSeconds: r.get('authorizer_result_ttl_in_seconds'),
        EnableSimpleResponses: r.get('enable_simple_responses'),
        IdentitySource: nonEmpty(r.get('identity_sources')),
        JwtConfiguration: jwt ? nested({ Audience: nonEmpty(jwt.get('audience')), Issuer: nonBlank(jwt.ref('issuer')) }) : undefined,
      }),
    ]
  },
  aws_apigatewayv2_integration: (r) => {
    const tls = r.block('tls_config')
    return [
      own(r, 'AWS::ApiGatewayV2::Integration', {
        ApiId: r.ref('api_id'),
        IntegrationType: r.get('integration_type'),
        IntegrationSubtype: nonBlank(r.get('integration_subtype')),
        IntegrationUri: nonBlank(r.ref('integration_uri')),
        IntegrationMethod: nonBlank(r.get('integration_method')),
        ConnectionType: nonBlank(r.get('connection_type')),
        ConnectionId: nonBlank(r.ref('connection_id')),
        CredentialsArn: nonBlank(r.ref('credentials_arn')),
        PayloadFormatVersion: nonBlank(r.get('payload_format_version')),
        TimeoutInMillis: r.get('timeout_milliseconds'),
        Description: nonBlank(r.get('description')),
        RequestParameters: map(r.get('request_parameters')),
        TlsConfig: tls ? nested({ ServerNameToVerify: nonBlank(tls.get('server_name_to_verify')) }) : undefined,
      }),
    ]
  },
  aws_apigatewayv2_domain_name: (r) => {
    const mtls = r.block('mutual_tls_authentication')
    return [
      own(r, 'AWS::ApiGatewayV2::DomainName', {
        DomainName: r.get('domain_name'),
        DomainNameConfigurations: nonEmpty(
          r.blocks('domain_name_configuration').map((c) =>
            compact({
              CertificateArn: c.ref('certificate_arn'),
              EndpointType: c.get('endpoint_type'),
              SecurityPolicy: c.get('security_policy'),
              OwnershipVerificationCertificateArn: nonBlank(c.ref('ownership_verification_certificate_arn')),
            }),
          ),
        ),
        MutualTlsAuthentication: mtls ? nested({ TruststoreUri: mtls.get('truststore_uri'), TruststoreVersion: nonBlank(mtls.get('truststore_version')) }) : undefined,
        Tags: r.tagMap(),
      }),
    ]
  },
}
