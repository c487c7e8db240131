import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from '../aws/lib/judge.js'
import { describe, isObj, isUnknown } from '../aws/lib/values.js'
import { launchField, launchSettings, pathOn, profilesNamed, rolesOfProfile, through } from './lib/launch.js'
import { defaultHostManagement, roleGrantsSsm } from './lib/ssm.js'

/** Hosts can be patched, inventoried and reached by Systems Manager, so nobody needs SSH to keep them current. */
export default defineCheck({
  id: 'vm/ssm-managed',
  title: 'EC2 instances can be managed by Systems Manager for patching',
  severity: 'medium',
  resourceKinds: ['aws:ec2:instance', 'aws:autoscaling:auto-scaling-group'],
  rationale:
    'Patch Manager, Run Command, Inventory and Session Manager reach only instances whose SSM Agent can register, which takes an instance profile whose role grants AmazonSSMManagedInstanceCore (or Default Host Management in the account). An instance outside Systems Manager is patched by hand or not at all: the unpatched interface engine or report server is how ransomware crews get into hospitals, and without Session Manager administrators keep SSH keys and open port 22 to reach it. This check judges the configuration; whether the agent actually registered is in an account snapshot, where aws/ec2-managed-by-ssm judges it.',
  remediation: {
    text: 'Attach an instance profile whose role has the AmazonSSMManagedInstanceCore managed policy (or turn on Default Host Management Configuration for the account and Region), keep SSM Agent installed, and give private subnets VPC endpoints for ssm, ssmmessages and ec2messages.',
    terraform: 'resource "aws_iam_role_policy_attachment" "ssm" {\n  role       = aws_iam_role.hl7.name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"\n}\nresource "aws_iam_instance_profile" "hl7" { role = aws_iam_role.hl7.name }\n# aws_instance: iam_instance_profile = aws_iam_instance_profile.hl7.name',
    cloudformation: 'Hl7Role: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: …, ManagedPolicyArns: [ !Sub "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" ] } }\nHl7Profile: { Type: AWS::IAM::InstanceProfile, Properties: { Roles: [ !Ref Hl7Role ] } }\n# AWS::EC2::Instance: IamInstanceProfile: !Ref Hl7Profile',
    cli: 'aws ssm update-service-setting --setting-id arn:aws:ssm:<region>:<account>:servicesetting/ssm/managed-instance/default-ec2-instance-management-role --setting-value AWSSystemsManagerDefaultEC2InstanceManagementRole',
  },
  controls: {
    csf: ['PR.IP-12', 'PR.MA-1', 'PR.MA-2', 'RS.MI-3'],
    hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)', '164.310(a)(2)(iv)'],
    ferpa: ['FERPA-PATCH-MANAGEMENT', 'FERPA-SECURE-CONFIGURATIONS'],
  },
  references: { prowler: ['ec2_instance_managed_by_ssm'] },
  evaluate(r, ctx) {
    const s = launchSettings(r, ctx)
    const dhmc = defaultHostManagement(ctx)
    const field = launchField(s, 'profile')
    const path = pathOn(r, s, field)
    if (!field) {
      if (s.missing) return manual(`${subject(r)} launches from ${s.missing}, which is not in the scan; its instance profile is unknown.`, { path: s.via })
      if (dhmc) return pass(`${subject(r)} has no instance profile; Default Host Management Configuration (${dhmc.sourceId}) lets Systems Manager manage instances that use IMDSv2.`)
      return fail(`${subject(r)} has no instance profile, so SSM Agent cannot register it with Systems Manager for patching (unless Default Host Management Configuration is on in the account, which the scan does not show).`, {
        ...(path ? { path } : {}),
      })
    }
    const profiles = profilesNamed(field.value, field.layer.res, ctx)
    const via = through(r, field)
    if (!profiles.length) {
      const shown = isObj(field.value) && !isUnknown(field.value) ? describe(field.value['Name'] ?? field.value['Arn']) : describe(field.value)
      return manual(`${subject(r)} uses instance profile ${shown}${via}, which is not in the scan; whether its role grants the Systems Manager permissions is unknown.`, path ? { path } : {})
    }
    const profile = profiles[0]!
    const { roles, outside } = rolesOfProfile(profile, ctx)
    if (!roles.length && !outside.length) return fail(`${subject(r)} uses instance profile ${profile.name}${via}, which holds no IAM role, so SSM Agent has no credentials to register with.`, path ? { path } : {})
    const judged = roles.map((role) => ({ role, ...roleGrantsSsm(role, ctx) }))
    const yes = judged.find((j) => j.state === 'yes')
    if (yes) return pass(`${subject(r)} uses instance profile ${profile.name}${via}, whose role ${yes.role.name} grants Systems Manager access (${yes.detail}).`)
    if (outside.length) return manual(`${subject(r)} uses instance profile ${profile.name}${via}, whose role ${describe(outside[0])} is not in the scan.`, path ? { path } : {})
    const unknown = judged.find((j) => j.state === 'unknown')
    if (unknown) return manual(`${subject(r)} uses instance profile ${profile.name}${via}, whose role ${unknown.role.name} may grant the Systems Manager permissions through ${unknown.detail}.`, path ? { path } : {})
    const no = judged[0]!
    if (dhmc) {
      return manual(`${subject(r)} uses instance profile ${profile.name}${via}, whose role ${no.role.name} lacks the Systems Manager permissions (${no.detail}); whether SSM Agent falls back to Default Host Management Configuration (${dhmc.sourceId}) depends on the agent version.`, path ? { path } : {})
    }
    return fail(`${subject(r)} uses instance profile ${profile.name}${via}, whose role ${no.role.name} grants neither AmazonSSMManagedInstanceCore nor the SSM Agent actions (${no.detail}), so the instance cannot be patched through Systems Manager.`, {
      ...(path ? { path } : {}),
      evidence: { profile: profile.id, role: no.role.id, missing: no.detail },
    })
  },
})
