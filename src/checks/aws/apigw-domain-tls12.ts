import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { describe, isObj, isUnknown, list } from './lib/values.js'

/** `ok` for TLS 1.2-or-newer policies (legacy TLS_1_2 and the enhanced SecurityPolicy_TLS12/13_* family), `weak` for TLS_1_0. */
function verdict(policy: unknown): 'ok' | 'weak' | 'unknown' {
  if (typeof policy !== 'string' || isUnknown(policy)) return 'unknown'
  const p = policy.toUpperCase()
  if (p === 'TLS_1_0') return 'weak'
  if (p === 'TLS_1_2' || /^SECURITYPOLICY_TLS1[23]_/.test(p)) return 'ok'
  return 'unknown'
}

/** Clients reach the API's custom domain only over TLS 1.2 or newer. */
export default defineCheck({
  id: 'aws/apigw-domain-tls12',
  title: 'API Gateway custom domain requires TLS 1.2 or newer',
  severity: 'medium',
  resourceKinds: ['aws:apigateway:domain-name', 'aws:apigatewayv2:domain-name'],
  rationale:
    'The TLS_1_0 security policy still accepts TLS 1.0 and 1.1 with weak cipher suites that NIST SP 800-52r2 no longer allows; PHI sent by an old or downgraded client is then protected by broken cryptography. CloudFormation creates REST custom domains with TLS_1_0 when SecurityPolicy is left out.',
  remediation: {
    text: 'Set SecurityPolicy to TLS_1_2 (or an enhanced SecurityPolicy_TLS13_* policy for REST APIs) on the custom domain.',
    cloudformation: 'AWS::ApiGateway::DomainName: { SecurityPolicy: TLS_1_2 }   AWS::ApiGatewayV2::DomainName: { DomainNameConfigurations: [ { SecurityPolicy: TLS_1_2, … } ] }   (SAM: Domain: { SecurityPolicy: TLS_1_2 })',
    terraform: 'resource "aws_api_gateway_domain_name" "api" { … security_policy = "TLS_1_2" }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  evaluate(domain) {
    const dn = typeof domain.props['DomainName'] === 'string' ? domain.props['DomainName'] : domain.name
    if (domain.type === 'AWS::ApiGateway::DomainName') {
      const policy = domain.props['SecurityPolicy']
      if (policy === undefined) {
        if (domain.origin === 'aws-snapshot') return manual(`API Gateway custom domain ${dn} has no recorded SecurityPolicy; check it with aws apigateway get-domain-name.`, { path: 'SecurityPolicy' })
        return fail(`API Gateway custom domain ${dn} leaves SecurityPolicy unset, so it accepts TLS 1.0 (the CloudFormation default).`, { path: 'SecurityPolicy', evidence: { securityPolicy: 'not set (TLS_1_0)' } })
      }
      const v = verdict(policy)
      if (v === 'ok') return pass(`API Gateway custom domain ${dn} requires TLS 1.2 or newer (${String(policy)}).`)
      if (v === 'weak') return fail(`API Gateway custom domain ${dn} accepts TLS 1.0 (SecurityPolicy TLS_1_0).`, { path: 'SecurityPolicy', evidence: { securityPolicy: policy } })
      return manual(`API Gateway custom domain ${dn} takes its SecurityPolicy from ${describe(policy)}, unknown at scan time.`, { path: 'SecurityPolicy' })
    }
    const configs = list(domain.props['DomainNameConfigurations'])
    if (configs.length === 0) return manual(`API Gateway custom domain ${dn} declares no DomainNameConfigurations, so its security policy is unknown.`, { path: 'DomainNameConfigurations' })
    const results: CheckResult[] = []
    configs.forEach((c, i) => {
      const policy = isObj(c) ? c['SecurityPolicy'] : undefined
      const path = `DomainNameConfigurations.${i}.SecurityPolicy`
      const v = verdict(policy)
      if (v === 'weak') results.push(fail(`API Gateway custom domain ${dn} accepts TLS 1.0 (SecurityPolicy TLS_1_0).`, { path, evidence: { securityPolicy: policy } }))
      else if (v === 'unknown') results.push(manual(`API Gateway custom domain ${dn} ${policy === undefined ? 'leaves SecurityPolicy unset' : `takes its SecurityPolicy from ${describe(policy)}`}; set TLS_1_2 explicitly so REST APIs mapped to it cannot use TLS 1.0.`, { path: `DomainNameConfigurations.${i}` }))
    })
    return results.length ? results : pass(`API Gateway custom domain ${dn} requires TLS 1.2 or newer.`)
  },
})
