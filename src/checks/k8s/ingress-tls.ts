import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext, CheckResult } from '../types.js'
import { annotationsOf, hostCovered, objects, strings } from './lib/cluster.js'
import { isObj, str, subject } from './lib/pod.js'

const ALB = 'alb.ingress.kubernetes.io/'
const FRONTEND_CONFIG = 'networking.gke.io/v1beta1.FrontendConfig'

/** Every host an Ingress serves is served over HTTPS, without a plain-HTTP path. */
export default defineCheck({
  id: 'k8s/ingress-tls',
  title: 'Ingress serves every host over TLS and does not serve plain HTTP',
  severity: 'high',
  resourceKinds: ['k8s:networking:ingress'],
  rationale:
    'An Ingress without a tls entry for a host serves that host over plain HTTP: patient portal logins, session cookies and the PHI in every request and response cross the internet (or the load balancer network) readable and modifiable by anyone on the path. Turning off the HTTP-to-HTTPS redirect (nginx ssl-redirect: "false"), or an AWS or GCE load balancer that keeps a plain HTTP listener, leaves the same path open for every link and bookmark that starts with http://.',
  remediation: {
    text: 'List every rule host under spec.tls with a certificate Secret (cert-manager can issue and renew it), keep the controller\'s HTTP-to-HTTPS redirect on, and for the AWS Load Balancer Controller listen on HTTPS with alb.ingress.kubernetes.io/ssl-redirect set. On GKE set kubernetes.io/ingress.allow-http: "false" or a FrontendConfig with redirectToHttps.',
    kubernetes: [
      'metadata:',
      '  annotations:',
      '    cert-manager.io/cluster-issuer: letsencrypt',
      'spec:',
      '  tls:',
      '    - hosts: [portal.clinic.example]',
      '      secretName: portal-clinic-example-tls',
      '  rules:',
      '    - host: portal.clinic.example',
    ].join('\n'),
  },
  controls: { csf: ['PR.DS-2', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], ferpa: ['FERPA-DATA-ENCRYPTION'] },
  evaluate(ing, ctx) {
    const spec = isObj(ing.props['spec']) ? ing.props['spec'] : {}
    const ann = annotationsOf(ing)
    const rules = objects(spec['rules'])
    const backend = spec['defaultBackend'] ?? spec['backend']
    if (!rules.length && !isObj(backend)) return pass(`${subject(ing)} routes no traffic (no rules and no default backend).`)
    const cls = str(spec['ingressClassName']) ?? ann['kubernetes.io/ingress.class']
    if (cls === 'alb' || (cls === undefined && (`${ALB}listen-ports` in ann || `${ALB}certificate-arn` in ann))) return judgeAlb(ing, ann)

    const results: CheckResult[] = []
    const hosts = rules.map(({ value, index }) => ({ host: str(value['host']), index })).filter((h): h is { host: string; index: number } => !!h.host)
    const tls = objects(spec['tls'])
    if (!tls.length) {
      const served = hosts.length ? hostList(hosts.map((h) => h.host)) : 'every host'
      results.push(fail(`${subject(ing)} has no tls section, so it serves ${served} over plain HTTP.`, { path: rules.length ? 'spec.rules' : 'spec', evidence: { hosts: hosts.map((h) => h.host) } }))
    } else {
      const tlsHosts = tls.flatMap(({ value }) => strings(value['hosts']))
      const catchAll = tls.some(({ value }) => strings(value['hosts']).length === 0)
      for (const h of hosts) {
        if (catchAll || tlsHosts.some((t) => hostCovered(t, h.host))) continue
        results.push(fail(`${subject(ing)} serves host ${h.host} over plain HTTP: no spec.tls entry lists it.`, { path: `spec.rules.${h.index}.host`, evidence: { host: h.host, tlsHosts } }))
      }
    }
    for (const key of ['nginx.ingress.kubernetes.io/ssl-redirect', 'ingress.kubernetes.io/ssl-redirect']) {
      if (ann[key]?.trim().toLowerCase() === 'false') results.push(fail(`${subject(ing)} turns off the HTTP-to-HTTPS redirect (${key}: "false"), so its hosts are also served over plain HTTP.`, { path: 'metadata.annotations', evidence: { annotation: key } }))
    }
    if (cls === 'gce' || cls === 'gce-internal') results.push(...judgeGceHttp(ing, ann, ctx))
    if (results.length) return results
    return pass(`${subject(ing)} serves ${hosts.length ? hostList(hosts.map((h) => h.host)) : 'its default backend'} over TLS.`)
  },
})

/** "a, b and 3 more hosts" */
function hostList(hosts: string[]): string {
  const uniq = [...new Set(hosts)]
  return uniq.length > 4 ? `${uniq.slice(0, 3).join(', ')} and ${uniq.length - 3} more hosts` : uniq.join(', ')
}

/**
 * AWS Load Balancer Controller: TLS is the ALB listener's, from listen-ports and certificate-arn
 * (or certificate discovery), not spec.tls. Without listen-ports the ALB listens on HTTPS 443 when
 * a certificate-arn is set, else on HTTP 80; an HTTP listener serves plain HTTP unless ssl-redirect.
 */
function judgeAlb(ing: Resource, ann: Record<string, string>): CheckResult {
  const raw = ann[`${ALB}listen-ports`]
  let ports: { protocol: string; port: unknown }[]
  if (raw === undefined) ports = ann[`${ALB}certificate-arn`] ? [{ protocol: 'HTTPS', port: 443 }] : [{ protocol: 'HTTP', port: 80 }]
  else {
    try {
      const parsed: unknown = JSON.parse(raw)
      ports = Array.isArray(parsed) ? parsed.filter(isObj).flatMap((o) => Object.entries(o).map(([protocol, port]) => ({ protocol: protocol.toUpperCase(), port }))) : []
    } catch {
      ports = []
    }
    if (!ports.length) return manual(`${subject(ing)} has an ${ALB}listen-ports annotation that is not a JSON list of listeners; check its listeners by hand.`, { path: 'metadata.annotations' })
  }
  const http = ports.filter((p) => p.protocol === 'HTTP')
  const https = ports.filter((p) => p.protocol === 'HTTPS')
  const evidence = { listeners: ports.map((p) => `${p.protocol}:${String(p.port)}`), sslRedirect: ann[`${ALB}ssl-redirect`] ?? null }
  if (!https.length) return fail(`${subject(ing)} makes its ALB listen only on plain HTTP (${http.map((p) => String(p.port)).join(', ')}); add an HTTPS listener with a certificate.`, { path: 'metadata.annotations', evidence })
  if (http.length && !ann[`${ALB}ssl-redirect`]) return fail(`${subject(ing)} keeps a plain HTTP listener on its ALB (port ${http.map((p) => String(p.port)).join(', ')}) without ${ALB}ssl-redirect, so requests are also served unencrypted.`, { path: 'metadata.annotations', evidence })
  return pass(`${subject(ing)} makes its ALB serve HTTPS${http.length ? ' and redirect HTTP to it' : ' only'}.`, evidence)
}

/** GKE's Ingress keeps an HTTP forwarding rule unless allow-http is "false" or a FrontendConfig redirects. */
function judgeGceHttp(ing: Resource, ann: Record<string, string>, ctx: CheckContext): CheckResult[] {
  if (ann['kubernetes.io/ingress.allow-http']?.trim().toLowerCase() === 'false') return []
  const fc = ann[FRONTEND_CONFIG]
  if (fc) {
    const config = ctx.view.ofType('K8s::Networking::FrontendConfig').find((r) => r.name === fc && r.namespace === ing.namespace)
    if (!config) return [manual(`${subject(ing)} relies on FrontendConfig ${fc} for its HTTP handling, which is not in the scan; check that it sets redirectToHttps.`, { path: 'metadata.annotations' })]
    const redirect = isObj(config.props['spec']) && isObj(config.props['spec']['redirectToHttps']) && config.props['spec']['redirectToHttps']['enabled'] === true
    if (redirect) return []
    return [fail(`${subject(ing)} is served by GKE over plain HTTP as well: FrontendConfig ${fc} does not enable redirectToHttps and kubernetes.io/ingress.allow-http is not "false".`, { path: 'metadata.annotations' })]
  }
  return [fail(`${subject(ing)} is served by GKE over plain HTTP as well: kubernetes.io/ingress.allow-http is not "false" and no FrontendConfig redirects to HTTPS.`, { path: 'metadata.annotations' })]
}
