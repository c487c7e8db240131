import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { lbType, listenerLabel, listenersOf } from './lib/elb.js'
import { subject } from './lib/judge.js'
import { describe, isObj, isUnknown, list, str } from './lib/values.js'

/** Predefined ELBv2 policies whose minimum protocol is TLS 1.2 (including FIPS and post-quantum variants). */
export function tls12Policy(name: string): boolean {
  return /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/i.test(name)
}

/** The policy ELBv2 applies to HTTPS/TLS listeners created through CloudFormation or the API without SslPolicy. */
const V2_DEFAULT = 'ELBSecurityPolicy-2016-08'

/** Clients connect to load balancers with TLS 1.2 or later only. */
export default defineCheck({
  id: 'aws/elb-tls-policy',
  title: 'Load balancer TLS listeners use a TLS 1.2+ security policy',
  severity: 'high',
  resourceKinds: ['aws:elasticloadbalancingv2:load-balancer', 'aws:elasticloadbalancing:load-balancer'],
  rationale:
    'The policy applied when SslPolicy is omitted through CloudFormation or the API, ELBSecurityPolicy-2016-08, still accepts TLS 1.0 and 1.1 and CBC ciphers, which are deprecated and vulnerable to downgrade attacks; HHS and NIST SP 800-52 expect TLS 1.2 or later for ePHI in transit. Classic Load Balancers need the predefined ELBSecurityPolicy-TLS-1-2-2017-01 (the policy the HIPAA conformance pack checks for).',
  remediation: {
    text: 'Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or a TLS13-1-2 / FIPS variant) on HTTPS and TLS listeners; on Classic Load Balancers attach an SSLNegotiationPolicyType policy referencing ELBSecurityPolicy-TLS-1-2-2017-01.',
    cloudformation: 'SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06',
    terraform: 'ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK'], prowler: ['elb_insecure_ssl_ciphers', 'elbv2_insecure_ssl_ciphers'] },
  appliesTo: (lb) => lb.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer' || lbType(lb) !== 'gateway',
  evaluate(lb, ctx) {
    const results: CheckResult[] = []
    let tlsListeners = 0
    if (lb.type === 'AWS::ElasticLoadBalancing::LoadBalancer') {
      const policies = new Map<string, { ref?: string; weak: boolean; tls12: boolean }>()
      for (const p of list(lb.props['Policies'])) {
        if (!isObj(p) || str(p['PolicyType']) !== 'SSLNegotiationPolicyType') continue
        const attrs = list(p['Attributes']).filter(isObj)
        const ref = attrs.find((a) => str(a['Name']) === 'Reference-Security-Policy')
        const on = (n: string): boolean => attrs.some((a) => str(a['Name']) === n && String(a['Value']).toLowerCase() === 'true')
        policies.set(String(p['PolicyName']), { ...(ref ? { ref: String(ref['Value']) } : {}), weak: on('Protocol-SSLv3') || on('Protocol-TLSv1') || on('Protocol-TLSv1.1'), tls12: on('Protocol-TLSv1.2') })
      }
      list(lb.props['Listeners']).forEach((l, i) => {
        if (!isObj(l) || !['HTTPS', 'SSL'].includes(String(l['Protocol']).toUpperCase())) return
        tlsListeners++
        const names = list(l['PolicyNames']).map(String)
        const pol = names.map((n) => policies.get(n)).find((x) => x !== undefined)
        const port = String(l['LoadBalancerPort'] ?? '?')
        if (!pol) results.push(fail(`${subject(lb)} listener ${port} has no SSL negotiation policy, so it uses the default ELBSecurityPolicy-2016-08, which allows TLS 1.0.`, { path: `Listeners.${i}` }))
        else if (pol.ref ? pol.ref !== 'ELBSecurityPolicy-TLS-1-2-2017-01' : pol.weak || !pol.tls12) results.push(fail(`${subject(lb)} listener ${port} uses ${pol.ref ?? 'a custom policy'} that allows protocols older than TLS 1.2.`, { path: `Listeners.${i}.PolicyNames` }))
      })
    } else {
      for (const l of listenersOf(lb, ctx)) {
        const proto = String(l.props['Protocol'] ?? '').toUpperCase()
        if (proto !== 'HTTPS' && proto !== 'TLS') continue
        tlsListeners++
        const raw = l.props['SslPolicy']
        if (isUnknown(raw)) {
          results.push(manual(`${subject(lb)} ${listenerLabel(l)} takes SslPolicy from ${describe(raw)}, unknown at scan time.`, { evidence: { listener: l.id } }))
          continue
        }
        const name = str(raw) ?? V2_DEFAULT
        if (!tls12Policy(name)) results.push(fail(`${subject(lb)} ${listenerLabel(l)} uses ${name}${raw === undefined ? ' (the default when SslPolicy is not set)' : ''}, which allows protocols older than TLS 1.2.`, { evidence: { listener: l.id, policy: name } }))
      }
    }
    if (results.length) return results
    return pass(tlsListeners ? `${subject(lb)} TLS listeners accept only TLS 1.2 or later.` : `${subject(lb)} has no HTTPS or TLS listeners in the scan.`)
  },
})
