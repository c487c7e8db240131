import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { at, bool, describe, isUnknown, str } from './lib/values.js'

/** Clients reach search domains only over HTTPS with TLS 1.2 or later. */
export default defineCheck({
  id: 'aws/opensearch-https-required',
  title: 'OpenSearch domain requires HTTPS with TLS 1.2',
  severity: 'high',
  resourceKinds: ['aws:opensearchservice:domain', 'aws:elasticsearch:domain'],
  rationale:
    'EnforceHTTPS defaults to false, so clients may send queries and receive documents over plain HTTP; and the default TLS policy (Policy-Min-TLS-1-0-2019-07) still accepts TLS 1.0 and 1.1. Queries and results carry ePHI and must be encrypted in transit with current protocols.',
  remediation: {
    text: 'Set DomainEndpointOptions EnforceHTTPS: true and TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10 (or Policy-Min-TLS-1-2-2019-07).',
    cloudformation: 'DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10 }',
    terraform: 'domain_endpoint_options { enforce_https = true  tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10" }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: { awsConfig: ['OPENSEARCH_HTTPS_REQUIRED'], prowler: ['opensearch_service_domains_https_communications_enforced'] },
  evaluate(d) {
    const https = at(d.props, 'DomainEndpointOptions.EnforceHTTPS')
    const h = bool(https, false)
    if (h === undefined) return manual(`${subject(d)} takes EnforceHTTPS from ${describe(https)}, unknown at scan time.`, { path: 'DomainEndpointOptions.EnforceHTTPS' })
    if (!h) return fail(`${subject(d)} accepts plain HTTP (EnforceHTTPS is ${https === undefined ? 'not set' : 'false'}).`, { path: https === undefined ? '' : 'DomainEndpointOptions.EnforceHTTPS' })
    const pol = at(d.props, 'DomainEndpointOptions.TLSSecurityPolicy')
    if (isUnknown(pol)) return manual(`${subject(d)} takes TLSSecurityPolicy from ${describe(pol)}, unknown at scan time.`, { path: 'DomainEndpointOptions.TLSSecurityPolicy' })
    const name = str(pol) ?? 'Policy-Min-TLS-1-0-2019-07'
    if (/^Policy-Min-TLS-1-[23]/.test(name)) return pass(`${subject(d)} requires HTTPS with ${name}.`)
    return fail(`${subject(d)} requires HTTPS but accepts TLS versions below 1.2 (${name}${pol === undefined ? ', the default' : ''}).`, { path: pol === undefined ? 'DomainEndpointOptions' : 'DomainEndpointOptions.TLSSecurityPolicy' })
  },
})
