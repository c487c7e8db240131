import { defineCheck, fail, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { day, instanceRuntime } from './lib/runtime.js'

/** Every instance of a live account is registered with Systems Manager and its agent answers. */
export default defineCheck({
  id: 'aws/ec2-managed-by-ssm',
  title: 'EC2 instance is managed by Systems Manager',
  severity: 'medium',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'Patch Manager, Inventory, Run Command and Session Manager reach only instances whose SSM Agent is registered and online. An instance outside Systems Manager is patched by hand or not at all — the unpatched interface engine or report server is how ransomware gets into hospitals — and without Session Manager administrators keep SSH keys and port 22 open to reach it. vm/ssm-managed judges the configuration that lets the agent register; this check judges, from an account snapshot, whether it did.',
  remediation: {
    text: 'Give the instance an instance profile whose role has AmazonSSMManagedInstanceCore (or turn on Default Host Management Configuration), keep SSM Agent installed and running, and give private subnets VPC endpoints for ssm, ssmmessages and ec2messages; then check the instance appears in Fleet Manager as Online.',
    cli: 'aws ssm describe-instance-information --filters Key=InstanceIds,Values=<instance id>',
  },
  controls: { csf: ['PR.IP-12', 'PR.MA-1', 'DE.CM-8'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-PATCH-MANAGEMENT', 'FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['EC2_INSTANCE_MANAGED_BY_SSM'], prowler: ['ec2_instance_managed_by_ssm'] },
  // judged where an account snapshot recorded Systems Manager's answer (templates cannot say), on
  // running instances, as AWS Config does: a stopped or launching instance has no agent to answer
  appliesTo: (r) => {
    const { ssm, state } = instanceRuntime(r)
    return ssm !== undefined && (state === undefined || state.name === 'running')
  },
  evaluate(r) {
    const { ssm } = instanceRuntime(r)
    if (!ssm!.managed) return fail(`${subject(r)} is not registered with Systems Manager: Patch Manager, Inventory and Session Manager do not reach it.`, { path: 'PhiWallSsm' })
    const agent = ssm!.agent ? `agent ${ssm!.agent}` : 'agent'
    if (ssm!.ping === 'Online') return pass(`${subject(r)} is managed by Systems Manager (${agent}, online).`)
    return fail(`${subject(r)} is registered with Systems Manager but its ${agent} is ${ssm!.ping ?? 'not reporting'}${ssm!.lastPing ? ` (last seen ${day(ssm!.lastPing)})` : ''}: patching and Session Manager do not reach it.`, { path: 'PhiWallSsm' })
  },
})
