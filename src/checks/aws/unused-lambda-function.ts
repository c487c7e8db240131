import { defineCheck, fail, pass } from '../define-check.js'

/** Functions nothing invokes are removed, not left running with their permissions. */
export default defineCheck({
  id: 'aws/unused-lambda-function',
  title: 'Lambda function has a trigger or an invoker',
  severity: 'low',
  resourceKinds: ['aws:lambda:function'],
  rationale: 'A function nobody calls still holds an execution role with access to PHI and an unpatched runtime; it is attack surface with no purpose.',
  remediation: { text: 'Delete the function, or declare how it is invoked (event source, API route, schedule, permission for its caller) so the inventory shows it.' },
  controls: { csf: ['PR.PT-3', 'ID.AM-2'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(4)'], ferpa: ['FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  evaluate(fn, ctx) {
    const callers = ctx.view.edgesOf(fn, 'in').filter((e) => {
      if (e.kind === 'invokes' || e.kind === 'triggers' || e.kind === 'uses') return true
      const from = ctx.view.get(e.from)
      // a resource-based permission, alias or event source mapping means something outside may call it
      return e.kind === 'attached' && !!from && ['AWS::Lambda::Permission', 'AWS::Lambda::EventSourceMapping', 'AWS::Lambda::Alias', 'AWS::Lambda::Url'].includes(from.type)
    })
    if (callers.length) return pass(`Lambda function ${fn.name} is invoked (${callers[0]!.evidence}).`)
    return fail(`Lambda function ${fn.name} has no trigger, route, schedule, permission or invoker in the inventory.`)
  },
})
