import { isWorkloadType } from '../../inventory/index.js'
import { defineCheck, fail, pass } from '../define-check.js'

/** Development and test workloads do not read or write production data stores. */
export default defineCheck({
  id: 'aws/environment-cross-access',
  title: 'Development and test workloads do not access production data stores',
  severity: 'high',
  resourceKinds: ['aws:lambda:function', 'aws:stepfunctions:state-machine', 'aws:ec2:instance'],
  appliesTo: (r) => isWorkloadType(r.type) && (r.environment === 'dev' || r.environment === 'test'),
  rationale: 'A development function that can read the production patients table puts PHI in reach of everyone who can deploy to development, and into development logs and debuggers.',
  remediation: { text: 'Point development and test workloads at their own data stores with synthetic data; remove their IAM access to production resources.' },
  controls: { csf: ['PR.DS-7', 'PR.AC-4'], hipaa: ['164.308(a)(4)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-LAYERED-DEFENSE'] },
  evaluate(w, ctx) {
    const prodTargets = ctx.view.edgesOf(w, 'out', ['reads', 'writes', 'uses']).flatMap((e) => {
      const t = ctx.view.get(e.to)
      return t && t.environment === 'prod' && !t.type.startsWith('AWS::KMS') ? [{ t, e }] : []
    })
    if (prodTargets.length === 0) return pass(`${w.environment} workload ${w.name} reaches no production data store.`)
    const first = prodTargets[0]!
    return fail(`${w.environment === 'dev' ? 'Development' : 'Test'} workload ${w.name} ${first.e.kind} production ${first.t.kind} ${first.t.name}${prodTargets.length > 1 ? ` and ${prodTargets.length - 1} more` : ''}.`, {
      evidence: { targets: prodTargets.slice(0, 10).map(({ t, e }) => ({ id: t.id, edge: e.kind, via: e.evidence })) },
    })
  },
})
