import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from '../aws/lib/judge.js'
import { bool, describe } from '../aws/lib/values.js'
import { launchField, launchSettings, pathOn, through } from './lib/launch.js'

/** A PHI host cannot be terminated by one mistaken API call or console click. */
export default defineCheck({
  id: 'vm/termination-protection-phi',
  title: 'EC2 instance that handles PHI has termination protection',
  severity: 'low',
  resourceKinds: ['aws:ec2:instance'],
  rationale:
    'Terminating an instance deletes every volume marked DeleteOnTermination (the root volume by default) with whatever PHI it held: queued HL7 messages, logs with patient identifiers, local caches. One wrong `terraform destroy`, cleanup script or compromised credential does it in seconds; DisableApiTermination makes termination a deliberate two-step change. Instances of an Auto Scaling group are disposable by design and are not judged.',
  remediation: {
    text: 'Set DisableApiTermination: true on instances that process or store PHI (or in their launch template), and keep their data on volumes that are backed up.',
    terraform: 'disable_api_termination = true',
    cloudformation: 'DisableApiTermination: true',
    cli: 'aws ec2 modify-instance-attribute --instance-id <id> --disable-api-termination',
  },
  controls: { csf: ['PR.PT-5', 'PR.IP-3', 'PR.DS-1'], hipaa: ['164.312(c)(1)', '164.308(a)(7)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  appliesTo: (r) => r.holdsPhi === 'yes',
  evaluate(inst, ctx) {
    const s = launchSettings(inst, ctx)
    const v = launchField(s, 'terminationProtection')
    const path = pathOn(inst, s, v)
    if (!v) {
      if (inst.origin === 'aws-snapshot') return manual(`${subject(inst)} does not report DisableApiTermination in the snapshot.`)
      if (s.missing) return manual(`${subject(inst)} does not set DisableApiTermination and launches from ${s.missing}, which is not in the scan.`, { path: s.via })
      return fail(`${subject(inst)} handles PHI and can be terminated without first turning off termination protection (DisableApiTermination is not set).`, { ...(path ? { path } : {}), evidence: { DisableApiTermination: 'not set (default false)' } })
    }
    const on = bool(v.value, false)
    if (on === undefined) return manual(`${subject(inst)} takes DisableApiTermination from ${describe(v.value)}${through(inst, v)}, unknown at scan time.`, path ? { path } : {})
    if (on) return pass(`${subject(inst)} has termination protection${through(inst, v)}.`)
    return fail(`${subject(inst)} handles PHI and turns termination protection off${through(inst, v)}.`, { ...(path ? { path } : {}), evidence: { DisableApiTermination: false } })
  },
})
