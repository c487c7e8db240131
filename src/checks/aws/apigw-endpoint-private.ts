import { statementsOf, type PolicyStatement } from '../../inventory/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import { restApiIsPrivate } from './lib/apigw-stages.js'
import { describe, isObj, list } from './lib/values.js'

// condition keys that limit callers to a network (and SAM's allow-list shorthands as PhiWall expands them)
const NETWORK_KEY = /^(aws:sourceip|aws:sourcevpce?|phiwall:sam:(iprangewhitelist|sourcevpcwhitelist))$/i

function networkScoped(st: PolicyStatement): boolean {
  return Object.values(st.condition ?? {}).some((kv) => isObj(kv) && Object.keys(kv).some((k) => NETWORK_KEY.test(k)))
}

/** APIs in front of PHI that no outside client needs are reachable only from inside the network (private endpoint). */
export default defineCheck({
  id: 'aws/apigw-endpoint-private',
  title: 'REST API handling PHI is private or limited to known networks',
  severity: 'low',
  resourceKinds: ['aws:apigateway:rest-api'],
  rationale:
    'An internet-facing API is one misconfigured authorizer away from exposing the PHI behind it, and is constantly probed. Back-office, integration and service-to-service APIs can be PRIVATE (reachable only through an interface VPC endpoint) or limited by a resource policy to known source IPs or VPC endpoints. A patient- or partner-facing API that must be public should record that decision as a suppression. Judged only for APIs that hold PHI; HTTP APIs cannot be private.',
  remediation: {
    text: 'Make the API PRIVATE with an execute-api VPC endpoint and a resource policy limited to that endpoint, or add a resource policy that denies requests outside known source IPs / VPC endpoints. If the API must be public, suppress this finding with the reason and keep authorizers and WAF on it.',
    cloudformation: 'EndpointConfiguration: { Types: [PRIVATE], VpcEndpointIds: [!Ref ExecuteApiEndpoint] }\nPolicy: { Statement: [ { Effect: Deny, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/*, Condition: { StringNotEquals: { aws:SourceVpce: !Ref ExecuteApiEndpoint } } }, { Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: execute-api:/* } ] }',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { prowler: ['apigateway_restapi_public'] },
  appliesTo: (api) => api.holdsPhi === 'yes',
  evaluate(api) {
    const priv = restApiIsPrivate(api)
    if (priv === undefined) return manual(`REST API ${api.name} takes its endpoint type from ${describe(api.props['EndpointConfiguration'])}, unknown at scan time.`, { path: 'EndpointConfiguration' })
    if (priv) return pass(`REST API ${api.name} handles PHI and is private (reachable only through VPC endpoints).`)
    const statements = statementsOf(api.props['Policy'])
    const allows = statements.filter((s) => s.effect === 'Allow')
    const scoped = statements.some((s) => s.effect === 'Deny' && networkScoped(s)) || (allows.length > 0 && allows.every(networkScoped))
    if (scoped) return pass(`REST API ${api.name} handles PHI and its resource policy limits callers to known networks.`, { resourcePolicy: true })
    const ec = api.props['EndpointConfiguration']
    const types = isObj(ec) ? list(ec['Types']).map((t) => (typeof t === 'string' ? t : describe(t))) : []
    const type = types.length ? types.join(', ') : 'EDGE (default)'
    return fail(`REST API ${api.name} handles PHI and is reachable from the whole internet (endpoint ${type}, no network-limiting resource policy).`, {
      path: api.props['EndpointConfiguration'] !== undefined ? 'EndpointConfiguration' : undefined,
      evidence: { endpoint: type, phi: api.evidence.phi.map((e) => e.detail) },
    })
  },
})
