import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { day, instanceRuntime } from './lib/runtime.js'

const DAY = 86_400_000

/** Instances are not left stopped for longer than the organisation allows. */
export default defineCheck({
  id: 'aws/ec2-stopped-instance',
  title: 'EC2 instance has not been stopped for longer than allowed',
  severity: 'low',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'An instance stopped for weeks is forgotten, not retired: its volumes still hold whatever PHI it processed, it misses every patch while stopped and starts up vulnerable when someone needs it again, and it stays in scope for audits and risk assessments. Retire it (snapshot under a retention policy, then terminate) or keep it running and maintained.',
  remediation: {
    text: 'Decide: terminate the instance after keeping what must be kept (an encrypted snapshot or AMI under the retention policy), or start it and bring it under patching. Record the decision in the asset inventory.',
    cli: 'aws ec2 create-image --instance-id <instance id> --name <name>-final\naws ec2 terminate-instances --instance-ids <instance id>',
  },
  controls: { csf: ['ID.AM-2', 'PR.IP-1'], hipaa: ['164.308(a)(1)(ii)(B)', '164.310(d)(1)'], ferpa: ['FERPA-ASSET-INVENTORY', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  references: { awsConfig: ['EC2_STOPPED_INSTANCE'] },
  parameters: {
    allowedDays: { description: "Days an instance may stay stopped (AWS Config's AllowedDays).", default: '30', pattern: /^[1-9]\d{0,3}$/, form: 'a whole number of days, 1 to 9999' },
  },
  // judged where an account snapshot recorded the instance's state
  appliesTo: (r) => instanceRuntime(r).state !== undefined,
  evaluate(r, ctx) {
    const state = instanceRuntime(r).state!
    const allowed = Number(ctx.params['allowedDays'] ?? 30)
    if (state.name !== 'stopped') return pass(`${subject(r)} is ${state.name}.`)
    if (!state.since) return manual(`${subject(r)} is stopped; EC2 does not say since when (AWS Config, which keeps the history, would judge it).`, { path: 'PhiWallState' })
    const stoppedMs = ctx.now.getTime() - Date.parse(state.since)
    const days = Math.floor(stoppedMs / DAY)
    if (stoppedMs > allowed * DAY) return fail(`${subject(r)} has been stopped since ${day(state.since)} (${days} days; ${allowed} allowed).`, { path: 'PhiWallState', evidence: { stoppedSince: state.since, days, allowedDays: allowed } })
    return pass(`${subject(r)} has been stopped since ${day(state.since)} (${days} day${days === 1 ? '' : 's'}; ${allowed} allowed).`)
  },
})
