import type { Environment, Resource } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'

const NON_PROD: Environment[] = ['dev', 'test']

/** Production PHI is not deployed next to development or test resources. */
export default defineCheck({
  id: 'aws/environment-mixing',
  title: 'Stack or account does not mix production with development or test resources',
  severity: 'high',
  resourceKinds: ['phiwall:stack'],
  // Kubernetes and Compose files are judged by where their workloads run and what they reach
  // (k8s/environment-isolation, container/compose-environment-isolation), not by which file declares them
  appliesTo: (stack) => !['kubernetes', 'k8s-snapshot', 'compose', 'dockerfile'].includes(stack.origin),
  rationale: 'Development and test resources are changed often, by more people, with weaker controls; deployed in the same stack or account as production they share its IAM boundary, and a test function can read production PHI.',
  remediation: {
    text: 'Deploy each environment as its own stack in its own AWS account (AWS Organizations), and keep test data synthetic. Where environments must share an account, separate them with distinct roles and resource-level IAM conditions.',
  },
  controls: { csf: ['PR.DS-7', 'PR.AC-5'], hipaa: ['164.308(a)(4)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-SECURE-CONFIGURATIONS'] },
  evaluate(stack, ctx) {
    const members = ctx.view.inStack(stack.stack).filter((r) => r.id !== stack.id && r.environment !== 'unknown')
    const byEnv = new Map<Environment, Resource[]>()
    for (const r of members) (byEnv.get(r.environment) ?? byEnv.set(r.environment, []).get(r.environment)!).push(r)
    const prod = byEnv.get('prod') ?? []
    const nonProd = NON_PROD.flatMap((e) => byEnv.get(e) ?? [])
    if (prod.length && nonProd.length) {
      const example = (rs: Resource[]): string => rs.slice(0, 3).map((r) => `${r.kind} ${r.name}`).join(', ')
      return fail(
        `${stack.props['Origin'] === 'aws-snapshot' ? 'Account snapshot' : 'Stack'} ${stack.name} holds production resources (${example(prod)}) together with ${[...new Set(nonProd.map((r) => r.environment))].join('/')} resources (${example(nonProd)}).`,
        {
          evidence: {
            production: prod.length,
            nonProduction: nonProd.length,
            examples: nonProd.slice(0, 5).map((r) => ({ id: r.id, environment: r.environment, why: r.evidence.environment[0]?.detail })),
          },
        },
      )
    }
    return pass(`Stack ${stack.name} holds resources of one environment (${[...byEnv.keys()].join(', ') || 'unknown'}).`)
  },
})
