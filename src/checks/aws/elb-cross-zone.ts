import { defineCheck, fail, manual, pass } from '../define-check.js'
import { lbAttribute, lbType } from './lib/elb.js'
import { subject } from './lib/judge.js'
import { bool, describe } from './lib/values.js'

/** Traffic is spread over healthy targets in every Availability Zone, so one zone's failure does not overload the rest. */
export default defineCheck({
  id: 'aws/elb-cross-zone',
  title: 'Load balancer balances across Availability Zones',
  severity: 'low',
  resourceKinds: ['aws:elasticloadbalancing:load-balancer', 'aws:elasticloadbalancingv2:load-balancer'],
  rationale:
    'Without cross-zone load balancing (off by default for Classic, Network and Gateway Load Balancers created through the API) each zone receives an equal share of traffic however many healthy targets it has: when targets in one zone fail or are fewer, those that remain are overloaded and clinical applications slow down or drop requests. Application Load Balancers always balance across zones.',
  remediation: {
    text: 'Set CrossZone: true on Classic Load Balancers and the load_balancing.cross_zone.enabled attribute to true on Network and Gateway Load Balancers.',
    cloudformation: 'CrossZone: true   # Classic\nLoadBalancerAttributes: [ { Key: load_balancing.cross_zone.enabled, Value: "true" } ]   # NLB / GWLB',
    terraform: 'enable_cross_zone_load_balancing = true',
  },
  controls: { csf: ['PR.PT-5', 'PR.DS-4'], hipaa: ['164.308(a)(7)(ii)(C)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['ELB_CROSS_ZONE_LOAD_BALANCING_ENABLED'], cdkNag: ['HIPAA.Security-ELBCrossZoneLoadBalancingEnabled'], prowler: ['elb_cross_zone_load_balancing_enabled', 'elbv2_cross_zone_load_balancing_enabled'] },
  // Application Load Balancers always balance across zones
  appliesTo: (lb) => lb.type === 'AWS::ElasticLoadBalancing::LoadBalancer' || lbType(lb) !== 'application',
  evaluate(lb) {
    const a = lb.type === 'AWS::ElasticLoadBalancing::LoadBalancer' ? (lb.props['CrossZone'] !== undefined ? { value: lb.props['CrossZone'], path: 'CrossZone' } : undefined) : lbAttribute(lb, 'load_balancing.cross_zone.enabled')
    const v = bool(a?.value, false)
    if (v === undefined) return manual(`${subject(lb)} takes cross-zone load balancing from ${describe(a?.value)}, unknown at scan time.`, a ? { path: a.path } : {})
    return v ? pass(`${subject(lb)} balances across Availability Zones.`) : fail(`${subject(lb)} does not balance across Availability Zones.`, a ? { path: a.path } : {})
  },
})
