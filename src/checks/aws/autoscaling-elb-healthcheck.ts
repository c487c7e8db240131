import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { describe, isUnknown, list, str } from './lib/values.js'

/** Instances that stop serving requests are replaced, not just those whose hardware fails. */
export default defineCheck({
  id: 'aws/autoscaling-elb-healthcheck',
  title: 'Auto Scaling group behind a load balancer uses its health checks',
  severity: 'low',
  resourceKinds: ['aws:autoscaling:auto-scaling-group'],
  rationale:
    'HealthCheckType defaults to EC2, which replaces an instance only when the hypervisor reports it broken. An instance whose application hangs or returns errors stays in service, and clinicians get failed requests until someone notices. Groups behind a load balancer should use its health checks.',
  remediation: {
    text: 'Set HealthCheckType: ELB and a HealthCheckGracePeriod long enough for the application to start.',
    cloudformation: 'HealthCheckType: ELB\nHealthCheckGracePeriod: 300',
    terraform: 'health_check_type = "ELB"',
  },
  controls: { csf: ['PR.PT-5', 'DE.CM-1'], hipaa: ['164.308(a)(7)(ii)(C)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED'], cdkNag: ['HIPAA.Security-AutoScalingGroupELBHealthCheckRequired'], prowler: ['autoscaling_group_elb_health_check_enabled'] },
  appliesTo: (g) => list(g.props['LoadBalancerNames']).length > 0 || list(g.props['TargetGroupARNs']).length > 0 || isUnknown(g.props['TargetGroupARNs']),
  evaluate(group) {
    const raw = group.props['HealthCheckType']
    if (isUnknown(raw)) return manual(`${subject(group)} takes HealthCheckType from ${describe(raw)}, unknown at scan time.`, { path: 'HealthCheckType' })
    const t = (str(raw) ?? 'EC2').toUpperCase()
    if (t.split(',').map((x) => x.trim()).includes('ELB')) return pass(`${subject(group)} uses load balancer health checks.`)
    return fail(`${subject(group)} is behind a load balancer but uses ${t} health checks only${raw === undefined ? ' (the default)' : ''}.`, raw === undefined ? {} : { path: 'HealthCheckType' })
  },
})
