import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from '../aws/lib/judge.js'
import { describe, isObj, isUnknown, list, str } from '../aws/lib/values.js'
import type { CheckContext } from '../types.js'
import { instanceTags, launchSettings } from './lib/launch.js'

/** The tag keys Patch Manager reads (case-sensitive; `PatchGroup` for instances that expose tags in metadata). */
const PATCH_GROUP_KEYS = ['Patch Group', 'PatchGroup']

/** Patching that selects instances by a patch group: baselines registering it, maintenance window targets and associations naming the tag. */
function coverage(group: string, ctx: CheckContext): { by?: Resource; unknown: boolean; any: boolean } {
  let unknown = false
  const baselines = ctx.view.ofType('AWS::SSM::PatchBaseline')
  for (const b of baselines) {
    const groups = b.props['PatchGroups']
    if (isUnknown(groups) || list(groups).some(isUnknown)) unknown = true
    if (list(groups).includes(group)) return { by: b, unknown, any: true }
  }
  const targeting = [...ctx.view.ofType('AWS::SSM::MaintenanceWindowTarget'), ...ctx.view.ofType('AWS::SSM::MaintenanceWindowTask'), ...ctx.view.ofType('AWS::SSM::Association')]
  for (const t of targeting) {
    for (const target of list(t.props['Targets'])) {
      if (!isObj(target)) continue
      const key = str(target['Key'])
      const values = target['Values']
      if (key === undefined || !PATCH_GROUP_KEYS.map((k) => `tag:${k}`).includes(key)) continue
      if (isUnknown(values) || list(values).some(isUnknown)) unknown = true
      if (list(values).includes(group)) return { by: t, unknown, any: true }
    }
  }
  return { unknown, any: baselines.length + targeting.length > 0 }
}

const KIND_LABEL: Record<string, string> = {
  'AWS::SSM::PatchBaseline': 'patch baseline',
  'AWS::SSM::MaintenanceWindowTarget': 'maintenance window target',
  'AWS::SSM::MaintenanceWindowTask': 'maintenance window task',
  'AWS::SSM::Association': 'State Manager association',
}

/** Every host belongs to a patch group that Patch Manager patches on a schedule. */
export default defineCheck({
  id: 'vm/patch-group-tag',
  title: 'EC2 instances carry a Patch Group tag that Patch Manager covers',
  severity: 'low',
  resourceKinds: ['aws:ec2:instance', 'aws:autoscaling:auto-scaling-group'],
  rationale:
    'Patch Manager picks the baseline (which updates are approved, how fast) and maintenance windows pick the hosts by the `Patch Group` tag. An untagged host, or one whose tag names a group no baseline registers, falls back to the default baseline or to no scheduled patching at all, and an unpatched VM running an interface engine or a reporting server is the usual foothold for ransomware in a hospital network. When no baseline or maintenance window is in the scanned inputs, PhiWall cannot tell which groups are covered and says so (manual).',
  remediation: {
    text: 'Tag every instance (or the Auto Scaling group, propagated at launch, or the launch template\'s instance tags) with `Patch Group`, register the group with a patch baseline, and run AWS-RunPatchBaseline for it in a maintenance window or a State Manager association.',
    terraform: 'tags = { "Patch Group" = "clinic-prod-linux" }\nresource "aws_ssm_patch_group" "prod" {\n  baseline_id = aws_ssm_patch_baseline.al2023.id\n  patch_group = "clinic-prod-linux"\n}',
    cloudformation: 'Tags: [ { Key: Patch Group, Value: clinic-prod-linux } ]\nBaseline: { Type: AWS::SSM::PatchBaseline, Properties: { Name: clinic-al2023, OperatingSystem: AMAZON_LINUX_2023, PatchGroups: [ clinic-prod-linux ], ApprovalRules: … } }',
  },
  controls: { csf: ['PR.IP-12', 'RS.MI-3', 'PR.MA-1'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-PATCH-MANAGEMENT'] },
  evaluate(r, ctx) {
    const s = launchSettings(r, ctx)
    const tags = instanceTags(r, s)
    const key = PATCH_GROUP_KEYS.find((k) => tags[k] !== undefined && tags[k] !== '')
    const tagsPath = r.props['Tags'] !== undefined ? 'Tags' : s.via
    if (!key) {
      if (s.missing) return manual(`${subject(r)} has no Patch Group tag of its own and launches from ${s.missing}, which is not in the scan.`, { path: s.via })
      const nearMiss = Object.keys(tags).find((k) => /^patch[\s_-]?group$/i.test(k))
      return fail(
        nearMiss
          ? `${subject(r)} is tagged ${nearMiss}, which Patch Manager does not read (the key must be exactly "Patch Group" or "PatchGroup").`
          : `${subject(r)} carries no Patch Group tag, so no patch baseline or maintenance window selects ${r.type === 'AWS::EC2::Instance' ? 'it' : 'its instances'} by group.`,
        { ...(tagsPath ? { path: tagsPath } : {}), evidence: { tags: Object.keys(tags).slice(0, 10) } },
      )
    }
    const value = tags[key]
    if (typeof value !== 'string') return manual(`${subject(r)} takes its ${key} tag from ${describe(value)}, unknown at scan time.`, tagsPath ? { path: tagsPath } : {})
    const c = coverage(value, ctx)
    if (c.by) return pass(`${subject(r)} is in patch group ${value}, covered by ${KIND_LABEL[c.by.type] ?? c.by.type} ${c.by.name}.`)
    if (c.unknown) return manual(`${subject(r)} is in patch group ${value}; patch baselines or maintenance windows in the scan name groups unknown at scan time.`, tagsPath ? { path: tagsPath } : {})
    if (!c.any) return manual(`${subject(r)} is in patch group ${value}, but no patch baseline, maintenance window or association is in the scanned inputs to confirm the group is patched.`, tagsPath ? { path: tagsPath } : {})
    return fail(`${subject(r)} is in patch group ${value}, which no patch baseline, maintenance window target or association in the scan covers, so ${r.type === 'AWS::EC2::Instance' ? 'it falls' : 'its instances fall'} back to the default baseline and no scheduled patching.`, {
      ...(tagsPath ? { path: tagsPath } : {}),
      evidence: { patchGroup: value },
    })
  },
})
