import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { describe, isObj, list, str } from './values.js'

/** One method-settings entry of a REST API stage, with the property path it is written at. */
export interface MethodSetting {
  resourcePath: string
  httpMethod: string
  values: Record<string, unknown>
  path: string
}

/**
 * A deployed API Gateway stage, whatever declares it: an `AWS::ApiGateway::Stage`, the stage an
 * `AWS::ApiGateway::Deployment` creates through `StageName` / `StageDescription`, or an
 * `AWS::ApiGatewayV2::Stage` of an HTTP or WebSocket API.
 */
export interface StageView {
  resource: Resource
  api: Resource | undefined
  flavor: 'rest' | 'http' | 'websocket'
  stageName: string
  /** "API Gateway stage prod (REST API clinic-intake)", for messages. */
  label: string
  /** The stage-level settings: the Stage's properties, or the Deployment's StageDescription. */
  settings: Record<string, unknown>
  /** Prefix of property paths of `settings` in the resource (`StageDescription.` for deployments). */
  pathPrefix: string
  methodSettings: MethodSetting[]
}

const FLAVOR_LABEL = { rest: 'REST', http: 'HTTP', websocket: 'WebSocket' } as const

/** The REST API a stage, deployment, method or usage plan entry refers to. */
export function restApiOf(r: Resource, value: unknown, ctx: CheckContext): Resource | undefined {
  const byRef = ctx.view.refs(value, r).find((x) => x.type === 'AWS::ApiGateway::RestApi')
  if (byRef) return byRef
  // live snapshots name the API by its id
  // (in a template, a literal logical id is a lost `!Ref`: it names an API of the same template only)
  if (typeof value === 'string') return ctx.view.ofType('AWS::ApiGateway::RestApi').find((a) => (r.origin === 'aws-snapshot' ? a.account === r.account : a.stack === r.stack) && (a.sourceId === value || a.props['RestApiId'] === value))
  return undefined
}

/** The HTTP or WebSocket API a v2 stage belongs to. */
export function v2ApiOf(r: Resource, ctx: CheckContext): Resource | undefined {
  const value = r.props['ApiId']
  const byRef = ctx.view.refs(value, r).find((x) => x.type === 'AWS::ApiGatewayV2::Api')
  if (byRef) return byRef
  if (typeof value === 'string') return ctx.view.ofType('AWS::ApiGatewayV2::Api').find((a) => (r.origin === 'aws-snapshot' ? a.account === r.account : a.stack === r.stack) && (a.sourceId === value || a.props['ApiId'] === value))
  return undefined
}

function nameOf(v: unknown): string {
  return typeof v === 'string' ? v : describe(v)
}

function methodSettings(settings: Record<string, unknown>, prefix: string): MethodSetting[] {
  const out: MethodSetting[] = []
  list(settings['MethodSettings']).forEach((m, i) => {
    if (!isObj(m)) return
    out.push({ resourcePath: String(m['ResourcePath'] ?? '/*'), httpMethod: String(m['HttpMethod'] ?? '*'), values: m, path: `${prefix}MethodSettings.${i}` })
  })
  // a deployment's StageDescription sets stage-wide values at its top level
  if (prefix === 'StageDescription.') {
    const keys = ['LoggingLevel', 'DataTraceEnabled', 'MetricsEnabled', 'CachingEnabled', 'CacheDataEncrypted', 'CacheTtlInSeconds', 'ThrottlingBurstLimit', 'ThrottlingRateLimit']
    const values: Record<string, unknown> = {}
    for (const k of keys) if (settings[k] !== undefined) values[k] = settings[k]
    if (Object.keys(values).length) out.unshift({ resourcePath: '/*', httpMethod: '*', values, path: 'StageDescription' })
  }
  return out
}

/**
 * The stage a REST API resource declares: an `AWS::ApiGateway::Stage`, or a deployment with a
 * `StageName` whose stage no Stage resource of the same API declares as well (the Serverless
 * Framework and some templates write both; the Stage then carries the settings).
 */
export function restStageOf(r: Resource, ctx: CheckContext): StageView | undefined {
  if (r.type === 'AWS::ApiGateway::Stage') {
    const api = restApiOf(r, r.props['RestApiId'], ctx)
    const stageName = nameOf(r.props['StageName'])
    return { resource: r, api, flavor: 'rest', stageName, label: label(stageName, 'rest', api), settings: r.props, pathPrefix: '', methodSettings: methodSettings(r.props, '') }
  }
  if (r.type !== 'AWS::ApiGateway::Deployment' || r.props['StageName'] === undefined) return undefined
  const api = restApiOf(r, r.props['RestApiId'], ctx)
  const stageName = nameOf(r.props['StageName'])
  if (api) {
    const stages = ctx.view.related(api, { direction: 'in', kinds: ['attached'], types: ['AWS::ApiGateway::Stage'] })
    if (stages.some((s) => nameOf(s.props['StageName']) === stageName)) return undefined
  }
  const settings = isObj(r.props['StageDescription']) ? r.props['StageDescription'] : {}
  return { resource: r, api, flavor: 'rest', stageName, label: label(stageName, 'rest', api), settings, pathPrefix: 'StageDescription.', methodSettings: methodSettings(settings, 'StageDescription.') }
}

/** The stage an `AWS::ApiGatewayV2::Stage` declares, with the protocol of its API. */
export function v2StageOf(r: Resource, ctx: CheckContext): StageView | undefined {
  if (r.type !== 'AWS::ApiGatewayV2::Stage') return undefined
  const api = v2ApiOf(r, ctx)
  // APIs imported from an OpenAPI body (SAM HttpApi) are HTTP APIs; WebSocket APIs cannot be imported
  const flavor = api && str(api.props['ProtocolType'])?.toUpperCase() === 'WEBSOCKET' ? 'websocket' : 'http'
  const stageName = nameOf(r.props['StageName'])
  return { resource: r, api, flavor, stageName, label: label(stageName, flavor, api), settings: r.props, pathPrefix: '', methodSettings: [] }
}

/** Any stage view of a stage-like resource (REST stage, REST deployment with a stage, v2 stage). */
export function stageOf(r: Resource, ctx: CheckContext): StageView | undefined {
  return r.type === 'AWS::ApiGatewayV2::Stage' ? v2StageOf(r, ctx) : restStageOf(r, ctx)
}

function label(stageName: string, flavor: StageView['flavor'], api: Resource | undefined): string {
  return `API Gateway stage ${stageName} (${FLAVOR_LABEL[flavor]} API ${api ? api.name : 'outside the scanned files'})`
}

/** The stages of a REST API: its Stage resources and deployments that create a stage. */
export function restStagesOfApi(api: Resource, ctx: CheckContext): StageView[] {
  const out: StageView[] = []
  const candidates = new Set<Resource>(ctx.view.related(api, { direction: 'in', kinds: ['attached'], types: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment'] }))
  if (api.origin === 'aws-snapshot') {
    for (const t of ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment']) for (const s of ctx.view.ofType(t)) if (s.account === api.account && s.props['RestApiId'] === api.sourceId) candidates.add(s)
  }
  for (const r of candidates) {
    const v = restStageOf(r, ctx)
    if (v) out.push(v)
  }
  return out
}

/** The stage-wide method setting (`ResourcePath: /*`, `HttpMethod: *`), if declared. */
export function stageWideSetting(v: StageView): MethodSetting | undefined {
  return v.methodSettings.find((m) => m.resourcePath === '/*' && m.httpMethod === '*')
}

/** Integration types of a REST API's routes (`aws_proxy`, `http_proxy`, `mock`, …), lower case; `external` when its definition is not readable. */
export function restIntegrationTypes(api: Resource, ctx: CheckContext): { types: Set<string>; external: boolean } {
  const types = new Set<string>()
  const body = api.props['Body']
  if (isObj(body) && isObj(body['paths'])) {
    for (const ops of Object.values(body['paths'])) {
      if (!isObj(ops)) continue
      for (const op of Object.values(ops)) {
        const integ = isObj(op) ? op['x-amazon-apigateway-integration'] : undefined
        if (isObj(integ)) types.add(String(integ['type'] ?? 'unknown').toLowerCase())
      }
    }
  }
  for (const m of ctx.view.related(api, { direction: 'in', kinds: ['attached'], types: ['AWS::ApiGateway::Method'] })) {
    const integ = m.props['Integration']
    if (isObj(integ)) types.add(String(integ['Type'] ?? 'unknown').toLowerCase())
  }
  const external = api.props['BodyS3Location'] !== undefined || (isObj(body) && 'Fn::Transform' in body) || (api.origin === 'aws-snapshot' && types.size === 0)
  return { types, external }
}

/** Is a REST API private (EndpointConfiguration type PRIVATE)? `undefined` when the type is unknown. */
export function restApiIsPrivate(api: Resource): boolean | undefined {
  const ec = api.props['EndpointConfiguration']
  if (ec === undefined) return false // EDGE by default
  if (!isObj(ec)) return undefined
  const types = list(ec['Types'])
  if (types.length === 0) return false
  if (types.some((t) => typeof t !== 'string')) return undefined
  return types.some((t) => String(t).toUpperCase() === 'PRIVATE')
}

/** The path of an `AWS::ApiGateway::Method` (`/referrals/{id}`), from its chain of `AWS::ApiGateway::Resource` parents. */
export function methodPath(method: Resource, ctx: CheckContext): string {
  const parts: string[] = []
  let current: Resource = method
  let value: unknown = method.props['ResourceId']
  for (let depth = 0; depth < 32; depth++) {
    const parent = ctx.view.refs(value, current).find((x) => x.type === 'AWS::ApiGateway::Resource')
    if (!parent) break
    parts.unshift(String(parent.props['PathPart'] ?? '?'))
    current = parent
    value = parent.props['ParentId']
  }
  return `/${parts.join('/')}`
}
