import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from '../aws/lib/judge.js'
import { bool, describe } from '../aws/lib/values.js'
import { launchField, launchSettings, pathOn, through } from './lib/launch.js'

/** Host metrics arrive every minute, fast enough to alarm on a runaway process or a stalled interface. */
export default defineCheck({
  id: 'vm/detailed-monitoring',
  title: 'EC2 instances have detailed CloudWatch monitoring',
  severity: 'low',
  resourceKinds: ['aws:ec2:instance', 'aws:autoscaling:auto-scaling-group'],
  rationale:
    'Basic monitoring sends instance metrics every five minutes, so alarms on CPU, network or status checks fire five to fifteen minutes after a crypto-miner starts, a data exfiltration spikes outbound traffic or an HL7 interface engine stops forwarding lab results, and step scaling reacts just as late. Detailed monitoring sends one-minute metrics for a few dollars a month per host.',
  remediation: {
    text: 'Turn on detailed monitoring on the instance or in its launch template (launch configurations have it on unless InstanceMonitoring is false), and alarm on the metrics.',
    terraform: 'monitoring = true            # aws_instance\nmonitoring { enabled = true }  # aws_launch_template',
    cloudformation: 'Monitoring: true                        # AWS::EC2::Instance\nLaunchTemplateData: { Monitoring: { Enabled: true } }',
    cli: 'aws ec2 monitor-instances --instance-ids <id>',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-3', 'PR.DS-4'], hipaa: ['164.308(a)(1)(ii)(D)', '164.312(b)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { prowler: ['ec2_instance_detailed_monitoring_enabled'] },
  evaluate(r, ctx) {
    const s = launchSettings(r, ctx)
    const v = launchField(s, 'monitoring')
    const path = pathOn(r, s, v)
    if (!v) {
      if (s.missing) return manual(`${subject(r)} launches from ${s.missing}, which is not in the scan; its monitoring setting is unknown.`, { path: s.via })
      const lc = s.layers.find((l) => l.kind === 'launch-configuration')
      // a launch configuration's InstanceMonitoring defaults to true; an instance's and a launch template's to false
      if (lc && !s.layers.some((l) => l.kind !== 'launch-configuration')) return pass(`${subject(r)} launches instances with detailed monitoring (the launch configuration default).`)
      if (r.origin === 'aws-snapshot' && r.type === 'AWS::EC2::Instance') return manual(`${subject(r)} does not report its monitoring state in the snapshot.`)
      return fail(`${subject(r)} has basic (five-minute) monitoring only: detailed monitoring is not turned on.`, { ...(path ? { path } : {}), evidence: { monitoring: 'not set (default basic)' } })
    }
    const raw = v.layer.kind === 'instance' && v.value !== null && typeof v.value === 'object' && !Array.isArray(v.value) && 'State' in v.value ? (v.value as Record<string, unknown>)['State'] : v.value
    const on = typeof raw === 'string' && /^(enabled|pending)$/i.test(raw) ? true : typeof raw === 'string' && /^(disabled|disabling)$/i.test(raw) ? false : bool(raw, false)
    if (on === undefined) return manual(`${subject(r)} takes its monitoring setting from ${describe(v.value)}${through(r, v)}, unknown at scan time.`, path ? { path } : {})
    if (on) return pass(`${subject(r)} has detailed monitoring${through(r, v)}.`)
    return fail(`${subject(r)} turns detailed monitoring off${through(r, v)}, so metrics arrive every five minutes.`, { ...(path ? { path } : {}), evidence: { monitoring: false } })
  },
})
