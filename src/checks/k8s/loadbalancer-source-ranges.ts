import { defineCheck, fail, pass } from '../define-check.js'
import { annotationsOf, isWorldCidr, nameList, strings, workloadsSelectedByService } from './lib/cluster.js'
import { isObj, subject } from './lib/pod.js'

/** Annotations that make a cloud provider create an internal (VPC-only) load balancer, with the value that does it. */
const INTERNAL: { key: string; internal: (v: string) => boolean }[] = [
  // the legacy in-tree AWS provider also accepted any non-empty value such as "0.0.0.0/0"
  { key: 'service.beta.kubernetes.io/aws-load-balancer-internal', internal: (v) => v !== '' && v !== 'false' },
  { key: 'service.beta.kubernetes.io/aws-load-balancer-scheme', internal: (v) => v === 'internal' },
  { key: 'cloud.google.com/load-balancer-type', internal: (v) => v === 'internal' },
  { key: 'networking.gke.io/load-balancer-type', internal: (v) => v === 'internal' },
  { key: 'service.beta.kubernetes.io/azure-load-balancer-internal', internal: (v) => v === 'true' },
  { key: 'service.beta.kubernetes.io/oci-load-balancer-internal', internal: (v) => v === 'true' },
  { key: 'service.beta.kubernetes.io/openstack-internal-load-balancer', internal: (v) => v === 'true' },
  { key: 'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', internal: (v) => v === 'private' },
]
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges'

/** A LoadBalancer Service is internal or limits who may connect. */
export default defineCheck({
  id: 'k8s/loadbalancer-source-ranges',
  title: 'LoadBalancer Service is internal or restricts source ranges',
  severity: 'high',
  resourceKinds: ['k8s:core:service'],
  rationale:
    'A Service of type LoadBalancer makes the cloud provider create a load balancer with a public address that accepts connections from the whole internet, unless the Service is annotated internal or lists loadBalancerSourceRanges. Behind it sit pods that often were never meant to be public (an EHR interface engine\'s HL7 listener, an admin API), exposed to scanning, credential stuffing and exploits of their protocols.',
  remediation: {
    text: 'Annotate the Service for an internal load balancer if only the VPC or partners over VPN need it, or list the client CIDRs (partner networks, the office egress addresses) in spec.loadBalancerSourceRanges. Publish web traffic through an Ingress with TLS and a WAF rather than a raw load balancer.',
    kubernetes: [
      'metadata:',
      '  annotations:',
      '    service.beta.kubernetes.io/aws-load-balancer-scheme: internal',
      'spec:',
      '  type: LoadBalancer',
      '  loadBalancerSourceRanges: [203.0.113.0/24]',
    ].join('\n'),
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4', 'PR.AC-3'], hipaa: ['164.312(a)(1)', '164.312(e)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  appliesTo: (svc) => isObj(svc.props['spec']) && svc.props['spec']['type'] === 'LoadBalancer',
  evaluate(svc, ctx) {
    const ann = annotationsOf(svc)
    const internal = INTERNAL.find((a) => a.key in ann && a.internal(ann[a.key]!.trim().toLowerCase()))
    if (internal) return pass(`${subject(svc)} asks for an internal load balancer (${internal.key}: ${ann[internal.key]}).`)
    const spec = svc.props['spec'] as Record<string, unknown>
    // the AWS Load Balancer Controller (since v2.2) makes NLBs internal unless the scheme says internet-facing
    const lbc = ['external', 'nlb-ip'].includes(ann['service.beta.kubernetes.io/aws-load-balancer-type']?.trim().toLowerCase() ?? '') || spec['loadBalancerClass'] === 'service.k8s.aws/nlb'
    if (lbc && ann['service.beta.kubernetes.io/aws-load-balancer-scheme'] === undefined && ann['service.beta.kubernetes.io/aws-load-balancer-internal'] === undefined) {
      return pass(`${subject(svc)} is reconciled by the AWS Load Balancer Controller without an internet-facing scheme, so its NLB is internal.`)
    }
    const fromSpec = strings(spec['loadBalancerSourceRanges'])
    const fromAnnotation = (ann[SOURCE_RANGES_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    const ranges = fromSpec.length ? fromSpec : fromAnnotation
    const path = fromSpec.length ? 'spec.loadBalancerSourceRanges' : fromAnnotation.length ? 'metadata.annotations' : 'spec.type'
    const workloads = workloadsSelectedByService(ctx.view, svc)
    const phi = workloads.filter((w) => w.holdsPhi === 'yes')
    const phiText = phi.length ? ` in front of PHI workload${phi.length > 1 ? 's' : ''} ${nameList(phi)}` : svc.holdsPhi === 'yes' ? ', which carries PHI,' : ''
    const evidence = { sourceRanges: ranges, phiWorkloads: phi.map((w) => w.name) }
    if (!ranges.length) return fail(`${subject(svc)} is a public LoadBalancer${phiText} with no loadBalancerSourceRanges, open to the whole internet.`, { path, evidence })
    if (ranges.some(isWorldCidr)) return fail(`${subject(svc)} is a public LoadBalancer${phiText} whose source ranges include ${ranges.find(isWorldCidr)!.trim()}, open to the whole internet.`, { path, evidence })
    return pass(`${subject(svc)} limits its LoadBalancer to ${ranges.length} source range${ranges.length > 1 ? 's' : ''}.`, evidence)
  },
})
