import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext, CheckResult } from '../types.js'
import { lbType, listenerLabel, listenersOf } from './lib/elb.js'
import { pointsAt, subject } from './lib/judge.js'
import { describe, isObj, list } from './lib/values.js'

/** Where a certificate value comes from: ACM, IAM server certificates, or unknown. */
function certSource(v: unknown, from: Resource, ctx: CheckContext): 'acm' | 'iam' | 'unknown' {
  if (typeof v === 'string') return /^arn:[^:]+:acm:/.test(v) ? 'acm' : /^arn:[^:]+:iam::[^:]*:server-certificate\//.test(v) ? 'iam' : 'unknown'
  const refs = ctx.view.refs(v, from)
  if (refs.some((r) => r.type === 'AWS::CertificateManager::Certificate')) return 'acm'
  if (refs.some((r) => r.type === 'AWS::IAM::ServerCertificate')) return 'iam'
  if (isObj(v) && typeof v['Fn::Sub'] === 'string') return /:acm:/.test(v['Fn::Sub']) ? 'acm' : /:server-certificate\//.test(v['Fn::Sub']) ? 'iam' : 'unknown'
  return 'unknown'
}

/** TLS certificates of load balancers are issued and renewed by ACM, so they do not expire unnoticed. */
export default defineCheck({
  id: 'aws/elb-acm-certificate',
  title: 'Load balancer TLS listeners use ACM certificates',
  severity: 'medium',
  resourceKinds: ['aws:elasticloadbalancingv2:load-balancer', 'aws:elasticloadbalancing:load-balancer'],
  rationale:
    'Certificates uploaded to IAM are not renewed: when one expires, patient portals and partner integrations fail, and the usual emergency fix (turning TLS verification off, falling back to HTTP) exposes PHI. Their private keys were also handled outside AWS. ACM certificates renew automatically and their keys never leave AWS.',
  remediation: {
    text: 'Request (or import) the certificate in ACM and reference its ARN in the listener; delete the IAM server certificate afterwards.',
    cloudformation: 'Certificates: [ { CertificateArn: !Ref PortalCertificate } ]   # AWS::CertificateManager::Certificate',
  },
  controls: { csf: ['PR.DS-2', 'PR.AC-7'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  references: {
    awsConfig: ['ELB_ACM_CERTIFICATE_REQUIRED', 'ELBV2_ACM_CERTIFICATE_REQUIRED'],
    cdkNag: ['HIPAA.Security-ELBACMCertificateRequired', 'HIPAA.Security-ELBv2ACMCertificateRequired'],
    prowler: ['elb_ssl_listeners_use_acm_certificate'],
  },
  appliesTo: (lb) => lb.type !== 'AWS::ElasticLoadBalancingV2::LoadBalancer' || lbType(lb) !== 'gateway',
  evaluate(lb, ctx) {
    const results: CheckResult[] = []
    let certs = 0
    const judge = (v: unknown, from: Resource, where: string, path?: string): void => {
      certs++
      const s = certSource(v, from, ctx)
      if (s === 'iam') results.push(fail(`${subject(lb)} ${where} uses an IAM server certificate instead of ACM.`, path ? { path } : {}))
      else if (s === 'unknown') results.push(manual(`${subject(lb)} ${where} uses certificate ${describe(v)}, whose source is unknown at scan time.`, path ? { path } : {}))
    }
    if (lb.type === 'AWS::ElasticLoadBalancing::LoadBalancer') {
      list(lb.props['Listeners']).forEach((l, i) => {
        if (isObj(l) && l['SSLCertificateId'] !== undefined) judge(l['SSLCertificateId'], lb, `listener ${String(l['LoadBalancerPort'] ?? i)}`, `Listeners.${i}.SSLCertificateId`)
      })
    } else {
      for (const l of listenersOf(lb, ctx)) {
        for (const c of list(l.props['Certificates'])) if (isObj(c)) judge(c['CertificateArn'], l, listenerLabel(l))
        for (const lc of ctx.view.ofType('AWS::ElasticLoadBalancingV2::ListenerCertificate')) {
          if (!pointsAt(lc.props['ListenerArn'], lc, l, ctx)) continue
          for (const c of list(lc.props['Certificates'])) if (isObj(c)) judge(c['CertificateArn'], lc, `${listenerLabel(l)} (extra certificate ${lc.sourceId})`)
        }
      }
    }
    if (results.length) return results
    return pass(certs ? `${subject(lb)} uses ACM certificates on all TLS listeners.` : `${subject(lb)} has no TLS certificates in the scan.`)
  },
})
