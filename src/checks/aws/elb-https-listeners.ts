import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { lbType, listenerLabel, listenersOf, rulesOf } from './lib/elb.js'
import { subject } from './lib/judge.js'
import { at, describe, isObj, isUnknown, list, str } from './lib/values.js'

/** Is a listener action anything but a redirect to HTTPS? */
function notRedirectToHttps(a: unknown): boolean {
  if (!isObj(a)) return false
  return str(a['Type'])?.toLowerCase() !== 'redirect' || (str(at(a, 'RedirectConfig.Protocol')) ?? '#{protocol}').toUpperCase() !== 'HTTPS'
}

/** Traffic to load balancers is encrypted; plain HTTP only redirects to HTTPS. */
export default defineCheck({
  id: 'aws/elb-https-listeners',
  title: 'Load balancer accepts only HTTPS/TLS, or redirects HTTP to HTTPS',
  severity: 'high',
  resourceKinds: ['aws:elasticloadbalancingv2:load-balancer', 'aws:elasticloadbalancing:load-balancer'],
  rationale:
    'A listener that serves plain HTTP sends logins, session cookies and patient data in the clear across the internet or the corporate network. An HTTP listener on an Application Load Balancer is acceptable only when every request is redirected to HTTPS; Classic Load Balancer listeners cannot redirect and must use HTTPS or SSL. Network Load Balancer TCP listeners pass traffic through, so whether it is encrypted depends on the targets.',
  remediation: {
    text: 'Serve on HTTPS (443) with an ACM certificate, and make port 80 a redirect-only listener; on Classic Load Balancers use HTTPS/SSL listeners or migrate to an ALB.',
    cloudformation: 'HttpListener: { Type: AWS::ElasticLoadBalancingV2::Listener, Properties: { LoadBalancerArn: !Ref Alb, Port: 80, Protocol: HTTP, DefaultActions: [ { Type: redirect, RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode: HTTP_301 } } ] } }',
    terraform: 'default_action { type = "redirect"  redirect { protocol = "HTTPS"  port = "443"  status_code = "HTTP_301" } }',
  },
  controls: { csf: ['PR.DS-2'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: {
    awsConfig: ['ELB_TLS_HTTPS_LISTENERS_ONLY', 'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK'],
    cdkNag: ['HIPAA.Security-ELBTlsHttpsListenersOnly', 'HIPAA.Security-ALBHttpToHttpsRedirection'],
    prowler: ['elb_ssl_listeners', 'elbv2_ssl_listeners'],
  },
  appliesTo: (lb) => lb.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer' || lbType(lb) !== 'gateway',
  evaluate(lb, ctx) {
    const results: CheckResult[] = []
    if (lb.type === 'AWS::ElasticLoadBalancing::LoadBalancer') {
      const listeners = list(lb.props['Listeners'])
      listeners.forEach((l, i) => {
        if (!isObj(l)) return
        const proto = l['Protocol']
        if (isUnknown(proto)) results.push(manual(`${subject(lb)} listener ${i} takes its protocol from ${describe(proto)}, unknown at scan time.`, { path: `Listeners.${i}.Protocol` }))
        else if (!['HTTPS', 'SSL'].includes(String(proto).toUpperCase())) results.push(fail(`${subject(lb)} listens with ${String(proto).toUpperCase()} on port ${String(l['LoadBalancerPort'] ?? '?')}.`, { path: `Listeners.${i}.Protocol` }))
      })
      return results.length ? results : pass(`${subject(lb)} listens only with HTTPS or SSL.`)
    }
    const listeners = listenersOf(lb, ctx)
    if (!listeners.length) return manual(`${subject(lb)} has no listeners in the scanned inputs.`)
    for (const l of listeners) {
      const proto = l.props['Protocol']
      if (isUnknown(proto)) {
        results.push(manual(`${subject(lb)} ${listenerLabel(l)} takes its protocol from ${describe(proto)}, unknown at scan time.`))
        continue
      }
      const p = String(proto ?? '').toUpperCase()
      if (p === 'HTTPS' || p === 'TLS') continue
      if (p === 'HTTP') {
        const actions = list(l.props['DefaultActions'])
        const forwarding = rulesOf(l, ctx).filter((r) => list(r.props['Actions']).some(notRedirectToHttps))
        if (actions.some(notRedirectToHttps) || forwarding.length) {
          results.push(fail(`${subject(lb)} ${listenerLabel(l)} serves plain HTTP instead of redirecting to HTTPS${forwarding.length ? ` (rules ${forwarding.map((r) => r.sourceId).join(', ')})` : ''}.`, { evidence: { listener: l.id } }))
        }
        continue
      }
      results.push(manual(`${subject(lb)} ${listenerLabel(l)} passes ${p || 'traffic'} through without terminating TLS; check that the targets encrypt it.`, { evidence: { listener: l.id } }))
    }
    return results.length ? results : pass(`${subject(lb)} accepts only HTTPS/TLS, or redirects HTTP to HTTPS.`)
  },
})
