import { statementsOf } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { isObj, list } from './lib/values.js'

/** Service roles nothing uses are deleted. */
export default defineCheck({
  id: 'aws/unused-iam-role',
  title: 'IAM service role is used by a resource',
  severity: 'low',
  resourceKinds: ['aws:iam:role'],
  rationale: 'A role no workload uses still grants its permissions to whoever can pass or assume it; unused roles accumulate access to PHI that nobody reviews.',
  remediation: { text: 'Delete the role, or attach it to the function, instance profile, state machine or service that needs it.' },
  controls: { csf: ['PR.AC-1', 'PR.PT-3'], hipaa: ['164.308(a)(3)(ii)(C)', '164.308(a)(4)(ii)(C)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  evaluate(role, ctx) {
    const services = statementsOf(role.props['AssumeRolePolicyDocument'])
      .flatMap((s) => (isObj(s.principal) ? list((s.principal as Record<string, unknown>)['Service']) : []))
      .filter((x): x is string => typeof x === 'string')
    if (services.length === 0) return manual(`IAM role ${role.name} is assumed by people or other accounts; review whether it is still needed.`, { path: 'AssumeRolePolicyDocument' })
    const users = ctx.view.edgesOf(role, 'out', ['attached']).concat(ctx.view.edgesOf(role, 'in', ['uses']))
    const referenced = ctx.view.edgesOf(role, 'in').some((e) => e.kind !== 'attached')
    if (users.length || referenced) return pass(`IAM role ${role.name} is used (${users[0]?.evidence ?? 'referenced by another resource'}).`)
    // an instance profile holds the role for EC2: the role is used when the profile is (an
    // instance it is attached to, a launch template or launch configuration that names it)
    const profile = ctx.view
      .related(role, { direction: 'in', kinds: ['attached'], types: ['AWS::IAM::InstanceProfile'] })
      .find((p) => ctx.view.related(p, { direction: 'out', kinds: ['attached'] }).some((x) => x.type !== 'AWS::IAM::Role') || ctx.view.edgesOf(p, 'in').some((e) => e.kind !== 'attached'))
    if (profile) return pass(`IAM role ${role.name} is used through instance profile ${profile.name}.`)
    return fail(`IAM role ${role.name} (trusted by ${services.join(', ')}) is attached to nothing in the inventory.`)
  },
})
