import { isIntrinsic } from '../../cloudformation/index.js'
import { compact, nested, nonBlank, nonEmpty, numString } from '../reader.js'
import type { TfConverter, TfReader } from '../types.js'
import { mergeInto, own } from './common.js'

/** `true` / `false` / numbers as the strings load balancer attributes hold. */
function attrValue(v: unknown): unknown {
  if (typeof v === 'boolean' || typeof v === 'number') return String(v)
  return v
}

/** Load balancer attributes CloudFormation lists as key / value pairs. */
function lbAttributes(r: TfReader): { Key: string; Value: unknown }[] | undefined {
  const out: { Key: string; Value: unknown }[] = []
  const put = (Key: string, v: unknown): void => {
    if (v === undefined || v === '' || (v !== null && typeof v === 'object' && !isIntrinsic(v))) return
    out.push({ Key, Value: attrValue(v) })
  }
  const logs = r.block('access_logs')
  if (logs) {
    put('access_logs.s3.enabled', logs.getOr('enabled', false))
    put('access_logs.s3.bucket', nonBlank(logs.ref('bucket')))
    put('access_logs.s3.prefix', nonBlank(logs.get('prefix')))
  }
  const conn = r.block('connection_logs')
  if (conn) {
    put('connection_logs.s3.enabled', conn.getOr('enabled', false))
    put('connection_logs.s3.bucket', nonBlank(conn.ref('bucket')))
  }
  put('deletion_protection.enabled', r.get('enable_deletion_protection'))
  put('routing.http.drop_invalid_header_fields.enabled', r.get('drop_invalid_header_fields'))
  put('routing.http.desync_mitigation_mode', r.get('desync_mitigation_mode'))
  put('routing.http2.enabled', r.get('enable_http2'))
  put('idle_timeout.timeout_seconds', r.get('idle_timeout'))
  put('waf.fail_open.enabled', r.get('enable_waf_fail_open'))
  put('load_balancing.cross_zone.enabled', r.get('enable_cross_zone_load_balancing'))
  put('routing.http.xff_header_processing.mode', r.get('xff_header_processing_mode'))
  put('routing.http.preserve_host_header.enabled', r.get('preserve_host_header'))
  put('client_keep_alive.seconds', r.get('client_keep_alive'))
  return out.length ? out : undefined
}

function action(a: TfReader): Record<string, unknown> {
  const redirect = a.block('redirect')
  const fixed = a.block('fixed_response')
  const forward = a.block('forward')
  const cognito = a.block('authenticate_cognito')
  const oidc = a.block('authenticate_oidc')
  return compact({
    Type: a.get('type'),
    Order: a.get('order'),
    TargetGroupArn: nonBlank(a.ref('target_group_arn')),
    RedirectConfig: redirect
      ? nested({ Protocol: redirect.get('protocol'), Port: redirect.get('port'), Host: redirect.get('host'), Path: redirect.get('path'), Query: redirect.get('query'), StatusCode: redirect.get('status_code') })
      : undefined,
    FixedResponseConfig: fixed ? nested({ StatusCode: fixed.get('status_code'), ContentType: nonBlank(fixed.get('content_type')), MessageBody: nonBlank(fixed.get('message_body')) }) : undefined,
    ForwardConfig: forward ? nested({ TargetGroups: nonEmpty(forward.blocks('target_group').map((t) => compact({ TargetGroupArn: t.ref('arn'), Weight: t.get('weight') }))) }) : undefined,
    AuthenticateCognitoConfig: cognito ? nested({ UserPoolArn: cognito.ref('user_pool_arn'), UserPoolClientId: cognito.ref('user_pool_client_id'), UserPoolDomain: cognito.ref('user_pool_domain'), OnUnauthenticatedRequest: cognito.get('on_unauthenticated_request') }) : undefined,
    AuthenticateOidcConfig: oidc
      ? nested({ Issuer: oidc.get('issuer'), AuthorizationEndpoint: oidc.get('authorization_endpoint'), TokenEndpoint: oidc.get('token_endpoint'), UserInfoEndpoint: oidc.get('user_info_endpoint'), ClientId: oidc.get('client_id'), OnUnauthenticatedRequest: oidc.get('on_unauthenticated_request') })
      : undefined,
  })
}

const lb: TfConverter = (r) => {
  const internal = r.get('internal')
  return [
    own(
      r,
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      {
        Name: r.get('name'),
        Type: r.get('load_balancer_type'),
        Scheme: internal === true ? 'internal' : internal === false ? 'internet-facing' : internal,
        IpAddressType: nonBlank(r.get('ip_address_type')),
        SecurityGroups: nonEmpty(r.refList('security_groups')),
        Subnets: nonEmpty(r.refList('subnets')),
        SubnetMappings: nonEmpty(r.blocks('subnet_mapping').map((m) => compact({ SubnetId: m.ref('subnet_id'), AllocationId: nonBlank(m.ref('allocation_id')) }))),
        LoadBalancerAttributes: lbAttributes(r),
        Tags: r.tags(),
      },
      { lines: { Scheme: 'internal', LoadBalancerAttributes: 'access_logs' } },
    ),
  ]
}

const listener: TfConverter = (r) => [
  own(
    r,
    'AWS::ElasticLoadBalancingV2::Listener',
    {
      LoadBalancerArn: r.ref('load_balancer_arn'),
      Port: r.get('port'),
      Protocol: nonBlank(r.get('protocol')),
      SslPolicy: nonBlank(r.get('ssl_policy')),
      Certificates: nonBlank(r.get('certificate_arn')) !== undefined || r.isUnknown('certificate_arn') ? [compact({ CertificateArn: r.ref('certificate_arn') })] : undefined,
      AlpnPolicy: nonBlank(r.get('alpn_policy')) !== undefined ? [r.get('alpn_policy')] : undefined,
      DefaultActions: r.blocks('default_action').map(action),
    },
    { lines: { DefaultActions: 'default_action', Certificates: 'certificate_arn' } },
  ),
]

const targetGroup: TfConverter = (r) => {
  const hc = r.block('health_check')
  const stickiness = r.block('stickiness')
  const attrs: { Key: string; Value: unknown }[] = []
  if (stickiness && stickiness.get('enabled') !== undefined) {
    attrs.push({ Key: 'stickiness.enabled', Value: attrValue(stickiness.get('enabled')) })
    if (nonBlank(stickiness.get('type')) !== undefined) attrs.push({ Key: 'stickiness.type', Value: stickiness.get('type') })
  }
  if (r.get('deregistration_delay') !== undefined) attrs.push({ Key: 'deregistration_delay.timeout_seconds', Value: attrValue(r.get('deregistration_delay')) })
  return [
    own(r, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: r.get('name'),
      TargetType: r.get('target_type'),
      Port: r.get('port'),
      Protocol: nonBlank(r.get('protocol')),
      ProtocolVersion: nonBlank(r.get('protocol_version')),
      VpcId: nonBlank(r.ref('vpc_id')),
      HealthCheckEnabled: hc?.get('enabled'),
      HealthCheckPath: nonBlank(hc?.get('path')),
      HealthCheckProtocol: nonBlank(hc?.get('protocol')),
      HealthCheckPort: nonBlank(hc?.get('port')),
      HealthCheckIntervalSeconds: hc?.get('interval'),
      HealthCheckTimeoutSeconds: hc?.get('timeout'),
      HealthyThresholdCount: hc?.get('healthy_threshold'),
      UnhealthyThresholdCount: hc?.get('unhealthy_threshold'),
      Matcher: nonBlank(hc?.get('matcher')) !== undefined ? { HttpCode: hc!.get('matcher') } : undefined,
      TargetGroupAttributes: nonEmpty(attrs),
      Tags: r.tags(),
    }),
  ]
}

/** Application / network load balancers, listeners, target groups and their members, and Classic Load Balancers. */
export const ELB_CONVERTERS: Record<string, TfConverter> = {
  aws_lb: lb,
  aws_alb: lb,
  aws_lb_listener: listener,
  aws_alb_listener: listener,
  aws_lb_target_group: targetGroup,
  aws_alb_target_group: targetGroup,
  aws_lb_target_group_attachment: (r) => [
    mergeInto('AWS::ElasticLoadBalancingV2::TargetGroup', r.ref('target_group_arn'), { Targets: [compact({ Id: r.ref('target_id'), Port: r.get('port'), AvailabilityZone: nonBlank(r.get('availability_zone')) })] }, { append: ['Targets'] }),
  ],
  aws_lb_listener_certificate: (r) => [mergeInto('AWS::ElasticLoadBalancingV2::Listener', r.ref('listener_arn'), { Certificates: [{ CertificateArn: r.ref('certificate_arn') }] }, { append: ['Certificates'] })],
  aws_elb: (r) => {
    const logs = r.block('access_logs')
    const hc = r.block('health_check')
    const internal = r.get('internal')
    return [
      own(
        r,
        'AWS::ElasticLoadBalancing::LoadBalancer',
        {
          LoadBalancerName: r.get('name'),
          Scheme: internal === true ? 'internal' : internal === false ? 'internet-facing' : internal,
          Listeners: r.blocks('listener').map((l) =>
            compact({ LoadBalancerPort: numString(l.get('lb_port')), Protocol: l.get('lb_protocol'), InstancePort: numString(l.get('instance_port')), InstanceProtocol: l.get('instance_protocol'), SSLCertificateId: nonBlank(l.ref('ssl_certificate_id')) }),
          ),
          Subnets: nonEmpty(r.refList('subnets')),
          SecurityGroups: nonEmpty(r.refList('security_groups')),
          Instances: nonEmpty(r.refList('instances')),
          AvailabilityZones: r.get('subnets') === undefined || (Array.isArray(r.get('subnets')) && (r.get('subnets') as unknown[]).length === 0) ? nonEmpty(r.get('availability_zones')) : undefined,
          CrossZone: r.get('cross_zone_load_balancing'),
          AccessLoggingPolicy: logs ? compact({ Enabled: logs.getOr('enabled', true), S3BucketName: logs.ref('bucket'), S3BucketPrefix: nonBlank(logs.get('bucket_prefix')), EmitInterval: logs.get('interval') }) : undefined,
          ConnectionDrainingPolicy: r.get('connection_draining') !== undefined ? compact({ Enabled: r.get('connection_draining'), Timeout: r.get('connection_draining_timeout') }) : undefined,
          ConnectionSettings: r.get('idle_timeout') !== undefined ? { IdleTimeout: r.get('idle_timeout') } : undefined,
          HealthCheck: hc
            ? compact({ Target: hc.get('target'), HealthyThreshold: numString(hc.get('healthy_threshold')), UnhealthyThreshold: numString(hc.get('unhealthy_threshold')), Interval: numString(hc.get('interval')), Timeout: numString(hc.get('timeout')) })
            : undefined,
          Tags: r.tags(),
        },
        { lines: { Listeners: 'listener', AccessLoggingPolicy: 'access_logs', Scheme: 'internal' } },
      ),
    ]
  },
}
