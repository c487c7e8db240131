import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { backupCoverage } from '../aws/lib/backup.js'
import { subject } from '../aws/lib/judge.js'
import { isObj, list, str } from '../aws/lib/values.js'
import type { CheckContext } from '../types.js'
import { dlmCoverage, type Tri } from './lib/snapshots.js'

/** How the volumes of an instance are snapshotted: by AWS Backup, or by a DLM policy. */
function volumeCoverage(v: Resource, ctx: CheckContext): { state: Tri; by?: string } {
  const b = backupCoverage(v, ctx, 1)
  if (b.state === 'yes') return { state: 'yes', ...(b.by ? { by: b.by } : {}) }
  const d = dlmCoverage(v, ctx, 'VOLUME')
  if (d.state === 'yes') return { state: 'yes', by: `lifecycle policy ${d.by!.name}` }
  return { state: b.state === 'unknown' || d.state === 'unknown' ? 'unknown' : 'no' }
}

/** Every disk of a PHI host can be restored to yesterday's state. */
export default defineCheck({
  id: 'vm/phi-volume-snapshots',
  title: 'Every EBS volume of an EC2 instance that handles PHI has scheduled snapshots',
  severity: 'medium',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'A PHI host keeps ePHI on its root volume as well as its data volumes (message queues, logs with identifiers, swap, local exports). If any of them has no scheduled snapshot, a failed volume, a bad patch or ransomware inside the guest loses that data for good, and the contingency plan cannot restore the host to a known point. PhiWall counts AWS Backup plans that select the instance or the volume, and Amazon Data Lifecycle Manager policies that target the instance (all its volumes) or the volume by tag; aws/ec2-in-backup-plan and aws/ebs-in-backup-plan judge AWS Backup alone, as AWS Config does.',
  remediation: {
    text: 'Select the instance in an AWS Backup plan (every attached volume is snapshotted), or create a Data Lifecycle Manager policy for INSTANCE resources targeting a tag the instance carries, with a retention that meets the contingency plan.',
    terraform:
      'resource "aws_dlm_lifecycle_policy" "phi_hosts" {\n  description        = "Daily snapshots of PHI hosts"\n  execution_role_arn = aws_iam_role.dlm.arn\n  policy_details {\n    resource_types = ["INSTANCE"]\n    target_tags    = { backup = "dlm-daily" }\n    schedule {\n      name = "daily-35"\n      create_rule { interval = 24 }\n      retain_rule { count = 35 }\n    }\n  }\n}',
    cloudformation:
      'PhiHostSnapshots:\n  Type: AWS::DLM::LifecyclePolicy\n  Properties:\n    Description: Daily snapshots of PHI hosts\n    State: ENABLED\n    ExecutionRoleArn: !GetAtt DlmRole.Arn\n    PolicyDetails:\n      ResourceTypes: [ INSTANCE ]\n      TargetTags: [ { Key: backup, Value: dlm-daily } ]\n      Schedules: [ { Name: daily-35, CreateRule: { Interval: 24, IntervalUnit: HOURS }, RetainRule: { Count: 35 } } ]',
  },
  controls: { csf: ['PR.IP-4', 'RC.RP-1'], hipaa: ['164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)', '164.310(d)(2)(iv)'], ferpa: ['FERPA-DATA-BACKUP'] },
  appliesTo: (r) => r.holdsPhi === 'yes',
  evaluate(inst, ctx) {
    const backup = backupCoverage(inst, ctx)
    if (backup.state === 'yes') return pass(`${subject(inst)} is protected by ${backup.by}, which snapshots every volume attached to it.`)
    const dlm = dlmCoverage(inst, ctx, 'INSTANCE')
    if (dlm.state === 'yes') return pass(`${subject(inst)} is targeted by lifecycle policy ${dlm.by!.name}, which snapshots every volume of the instance.`)
    // no instance-level protection: each volume needs its own
    const uncovered: string[] = []
    const unknown: string[] = []
    const covered: string[] = []
    for (const v of ctx.view.related(inst, { direction: 'in', kinds: ['attached'], types: ['AWS::EC2::Volume'] })) {
      const c = volumeCoverage(v, ctx)
      ;(c.state === 'yes' ? covered : c.state === 'unknown' ? unknown : uncovered).push(v.name)
    }
    // the root volume and the block device mappings are created with the instance: only instance-level protection reaches them
    const mapped = list(inst.props['BlockDeviceMappings']).filter((m) => isObj(m) && isObj(m['Ebs']))
    const inline = mapped.length
      ? mapped.map((m, i) => {
          const dev = str((m as Record<string, unknown>)['DeviceName'])
          return dev ? `volume ${dev}` : i === 0 ? 'the root volume' : `block device ${i}`
        })
      : inst.origin === 'aws-snapshot'
        ? []
        : ['the root volume']
    if (backup.state === 'unknown' || dlm.state === 'unknown') unknown.push(...inline)
    else uncovered.push(...inline)
    if (uncovered.length) {
      return fail(`${subject(inst)} handles PHI and ${uncovered.join(', ')} ha${uncovered.length > 1 ? 've' : 's'} no scheduled snapshots: no AWS Backup selection or lifecycle policy in the scan covers ${uncovered.length > 1 ? 'them' : 'it'}${covered.length ? ` (${covered.join(', ')} ${covered.length > 1 ? 'are' : 'is'} covered)` : ''}.`, {
        ...(mapped.length && uncovered.some((u) => inline.includes(u)) ? { path: 'BlockDeviceMappings' } : {}),
        evidence: { uncovered, covered, backupSelections: ctx.view.ofType('AWS::Backup::BackupSelection').length, lifecyclePolicies: ctx.view.ofType('AWS::DLM::LifecyclePolicy').length },
      })
    }
    if (unknown.length) return manual(`${subject(inst)} handles PHI; whether ${unknown.join(', ')} ha${unknown.length > 1 ? 've' : 's'} scheduled snapshots depends on selections or policies unknown at scan time.`)
    return pass(`${subject(inst)} has scheduled snapshots of every volume (${covered.join(', ')}).`)
  },
})
