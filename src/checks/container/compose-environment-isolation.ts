import type { Resource } from '../../model/index.js'
import { defineCheck, fail, pass } from '../define-check.js'

const NON_PROD = new Set(['dev', 'test'])

/**
 * Development and test services of a Compose project do not share a network with production
 * services or call them (PR.DS-7: development and testing environments separate from production).
 */
export default defineCheck({
  id: 'container/compose-environment-isolation',
  title: 'Development and test Compose services do not share a network or data stores with production',
  severity: 'high',
  resourceKinds: ['docker:compose:service'],
  appliesTo: (r) => NON_PROD.has(r.environment),
  rationale:
    'A development container on the same Docker network as the production database can connect to it directly (every service of a network resolves every other by name); one configured with a production address reads production PHI with development code and logging, in reach of everyone who can start a container on that host.',
  remediation: {
    text: 'Run development and test services in their own Compose project (their own networks and volumes) with synthetic data, or move them to a `profiles: [dev]` entry that never runs on production hosts; never point them at production addresses.',
    compose: 'services:\n  mailhog:\n    profiles: ["dev"]\n    networks: [dev]\nnetworks:\n  dev: {}',
  },
  controls: { csf: ['PR.DS-7', 'PR.AC-5'], hipaa: ['164.308(a)(4)', '164.308(a)(4)(ii)(B)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-ACCESS-CONTROL'] },
  evaluate(s, ctx) {
    const who = `${s.environment === 'dev' ? 'Development' : 'Test'} service ${s.name}`
    const results = []
    // production services on a network this service joins
    for (const e of ctx.view.edgesOf(s, 'out', ['placed-in'])) {
      const net = ctx.view.get(e.to)
      if (!net) continue
      const prod = ctx.view
        .edgesOf(net, 'in', ['placed-in'])
        .map((x) => ctx.view.get(x.from))
        .filter((r): r is Resource => !!r && r.id !== s.id && r.environment === 'prod')
      if (prod.length) results.push(fail(`${who} joins network ${net.name} together with production services (${prod.slice(0, 3).map((r) => r.name).join(', ')}).`, { path: 'networks', evidence: { network: net.id, production: prod.map((r) => r.id) } }))
    }
    // production services it calls or stores data in
    const reached = ctx.view
      .edgesOf(s, 'out', ['network', 'uses', 'writes', 'reads'])
      .map((e) => ({ e, t: ctx.view.get(e.to) }))
      .filter((x): x is { e: (typeof x)['e']; t: Resource } => !!x.t && x.t.environment === 'prod')
    if (reached.length) {
      const first = reached[0]!
      results.push(fail(`${who} reaches production ${first.t.kind === 'docker:compose:service' ? 'service' : first.t.kind} ${first.t.name} (${first.e.evidence}).`, { evidence: { reached: reached.slice(0, 10).map((x) => ({ id: x.t.id, via: x.e.evidence })) } }))
    }
    return results.length ? results : pass(`${who} shares no network with production services and reaches none.`)
  },
})
