import { defineCheck, fail, manual, pass } from '../define-check.js'
import { lbAttribute } from './lib/elb.js'
import { subject } from './lib/judge.js'
import { bool, describe } from './lib/values.js'

/** The entry point to clinical applications cannot be deleted by a stray stack update or script. */
export default defineCheck({
  id: 'aws/elb-deletion-protection',
  title: 'Load balancer has deletion protection on',
  severity: 'low',
  resourceKinds: ['aws:elasticloadbalancingv2:load-balancer'],
  rationale:
    'deletion_protection.enabled defaults to false. Deleting a load balancer by mistake takes the patient portal or clinical API offline and changes its DNS name, so partners and DNS records break until it is rebuilt; HIPAA contingency planning expects critical systems to be protected from such outages.',
  remediation: {
    text: 'Set the deletion_protection.enabled attribute to true.',
    cloudformation: 'LoadBalancerAttributes: [ { Key: deletion_protection.enabled, Value: "true" } ]',
    terraform: 'enable_deletion_protection = true',
  },
  controls: { csf: ['PR.PT-5', 'PR.IP-4'], hipaa: ['164.308(a)(7)(ii)(C)', '164.312(c)(1)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['ELB_DELETION_PROTECTION_ENABLED'], cdkNag: ['HIPAA.Security-ELBDeletionProtectionEnabled'], prowler: ['elbv2_deletion_protection'] },
  evaluate(lb) {
    const a = lbAttribute(lb, 'deletion_protection.enabled')
    const v = bool(a?.value, false)
    if (v === undefined) return manual(`${subject(lb)} takes deletion protection from ${describe(a?.value)}, unknown at scan time.`, a ? { path: a.path } : {})
    return v ? pass(`${subject(lb)} has deletion protection on.`) : fail(`${subject(lb)} has deletion protection off.`, a ? { path: a.path } : {})
  },
})
