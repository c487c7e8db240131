import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { restStageOf, type StageView } from './lib/apigw-stages.js'
import { describe, isObj } from './lib/values.js'

const ASSOCIATION_TYPES = ['AWS::WAFv2::WebACLAssociation', 'AWS::WAFRegional::WebACLAssociation']

/** The text of an ARN value with `${…}` for the parts that are references (Sub, Join, plain string). */
function arnText(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (!isObj(v)) return undefined
  const sub = v['Fn::Sub']
  if (typeof sub === 'string') return sub
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0]
  const join = v['Fn::Join']
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) return join[1].map((p) => (typeof p === 'string' ? p : '${?}')).join(join[0])
  return undefined
}

/**
 * How a web ACL association relates to a stage: it protects it; it names the stage's API with a
 * stage PhiWall cannot resolve; it names a stage of this name on an API PhiWall cannot match to
 * the stage's own (whose API is outside the scanned files); or it is about something else.
 */
function associationFor(assoc: Resource, stage: StageView, ctx: CheckContext): 'stage' | 'unknown-stage' | 'unknown-api' | undefined {
  const targets = ctx.view.related(assoc, { direction: 'out', kinds: ['attached'] })
  if (targets.includes(stage.resource)) return 'stage'
  const text = arnText(assoc.props['ResourceArn'])
  const m = text ? /\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(text) : null
  const api = stage.api
  if (api === undefined) {
    // The stage's API is declared elsewhere, so its id is known only as the stage writes it: a
    // parameter (`${ApiId}` in the ARN, `!Ref ApiId` on the stage) or a literal id. An ARN naming
    // a stage of this name on any other API may still be this stage: that is unknown, not absent.
    if (!m) return undefined
    const token = m[2]!
    const stageMatches = token === stage.stageName
    if (!stageMatches && !token.includes('${')) return undefined
    const written = stage.resource.props['RestApiId']
    const sameApi = (isObj(written) && typeof written['Ref'] === 'string' && m[1] === `\${${written['Ref']}}`) || (typeof written === 'string' && written === m[1])
    if (sameApi) return stageMatches ? 'stage' : 'unknown-stage'
    // two literal API ids that differ name two different APIs
    if (typeof written === 'string' && !m[1]!.includes('${')) return undefined
    return 'unknown-api'
  }
  const apiMatches = targets.includes(api) || (m !== null && !m[1]!.includes('${') && (m[1] === api.sourceId || m[1] === api.props['RestApiId']))
  if (!apiMatches) return undefined
  if (!m) return 'unknown-stage'
  const token = m[2]!
  if (token === stage.stageName) return 'stage'
  return token.includes('${') ? 'unknown-stage' : undefined
}

/** A REST API stage that serves PHI is screened by AWS WAF (managed rules against injection, bots, floods). */
export default defineCheck({
  id: 'aws/apigw-stage-waf',
  title: 'API Gateway REST stage is protected by an AWS WAF web ACL',
  severity: 'medium',
  resourceKinds: ['aws:apigateway:stage', 'aws:apigateway:deployment'],
  rationale:
    'A web ACL filters SQL injection, known-bad inputs, credential stuffing and request floods before they reach the functions that read patient records, and rate-limits abusive clients. HTTP APIs cannot be associated with WAF (put CloudFront with WAF in front of them) and are not judged.',
  remediation: {
    text: 'Associate a regional WAFv2 web ACL with the stage, with at least the AWS managed common, known-bad-inputs and IP-reputation rule groups and a rate-based rule; turn on WAF logging.',
    cloudformation: "AWS::WAFv2::WebACLAssociation: { ResourceArn: !Sub 'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/prod', WebACLArn: !GetAtt ApiWebAcl.Arn }",
    terraform: 'resource "aws_wafv2_web_acl_association" "api" { resource_arn = aws_api_gateway_stage.prod.arn  web_acl_arn = aws_wafv2_web_acl.api.arn }',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4', 'DE.CM-1'], hipaa: ['164.312(e)(1)', '164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-FIREWALLS-IDPS', 'FERPA-LAYERED-DEFENSE'] },
  references: { awsConfig: ['API_GW_ASSOCIATED_WITH_WAF'], prowler: ['apigateway_restapi_waf_acl_attached'] },
  appliesTo: (r, ctx) => restStageOf(r, ctx) !== undefined,
  evaluate(r, ctx) {
    const stage = restStageOf(r, ctx)!
    const associations = ASSOCIATION_TYPES.flatMap((t) => ctx.view.ofType(t))
    let unknown: Resource | undefined
    let otherApi: Resource | undefined
    for (const a of associations) {
      const rel = associationFor(a, stage, ctx)
      if (rel === 'stage') {
        const acl = ctx.view.refs(a.props['WebACLArn'] ?? a.props['WebACLId'], a)[0]
        return pass(`${stage.label} is protected by web ACL ${acl ? acl.name : describe(a.props['WebACLArn'] ?? a.props['WebACLId'])}.`, { association: a.id })
      }
      if (rel === 'unknown-stage') unknown ??= a
      if (rel === 'unknown-api') otherApi ??= a
    }
    if (unknown) return manual(`${stage.label}: web ACL association ${unknown.name} names this API with a stage PhiWall cannot resolve (${describe(unknown.props['ResourceArn'])}); check it covers this stage.`, { evidence: { association: unknown.id } })
    if (otherApi) return manual(`${stage.label}: web ACL association ${otherApi.name} names a stage of this name (${describe(otherApi.props['ResourceArn'])}), and the stage's API is outside the scanned files, so PhiWall cannot tell whether it is this stage; check it.`, { evidence: { association: otherApi.id } })
    return fail(`${stage.label} is not associated with an AWS WAF web ACL.`, { evidence: { stage: stage.stageName } })
  },
})
