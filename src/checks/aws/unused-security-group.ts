import { defineCheck, fail, pass } from '../define-check.js'

/** Security groups nothing uses are deleted. */
export default defineCheck({
  id: 'aws/unused-security-group',
  title: 'Security group is attached to a resource',
  severity: 'low',
  resourceKinds: ['aws:ec2:security-group'],
  rationale: 'An unattached security group is a ready-made, unreviewed firewall rule set; attaching it later opens whatever it allows without a review.',
  remediation: { text: 'Delete the group, or reference it from the function, instance, database or load balancer that needs it.' },
  controls: { csf: ['PR.PT-3', 'PR.AC-5'], hipaa: ['164.308(a)(1)(ii)(B)', '164.312(e)(1)'], ferpa: ['FERPA-SHUT-DOWN-UNNECESSARY-SERVICES', 'FERPA-FIREWALLS-IDPS'] },
  evaluate(sg, ctx) {
    if (sg.props['GroupName'] === 'default') return pass(`Security group ${sg.name} is a VPC's default group (judged by the default-group check).`)
    const users = ctx.view.edgesOf(sg, 'in').filter((e) => {
      if (e.kind !== 'attached') return true
      const from = ctx.view.get(e.from)
      return !!from && from.type !== 'AWS::EC2::SecurityGroupIngress' && from.type !== 'AWS::EC2::SecurityGroupEgress'
    })
    if (users.length) return pass(`Security group ${sg.name} is used (${users[0]!.evidence}).`)
    return fail(`Security group ${sg.name} is attached to no function, instance, database or load balancer in the inventory.`)
  },
})
