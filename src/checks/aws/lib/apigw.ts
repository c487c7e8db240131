import type { Resource } from '../../../model/index.js'
import { isIntrinsic } from '../../../sources/index.js'
import type { CheckContext } from '../../types.js'
import { isObj, list, str } from './values.js'

/** One route of a REST or HTTP API and how it is protected. */
export interface ApiRoute {
  method: string
  path: string
  /** `NONE`, `AWS_IAM`, `COGNITO_USER_POOLS`, `CUSTOM` (Lambda authorizer), `JWT`, or `UNKNOWN`. */
  authorization: string
  authorizer?: string
  apiKeyRequired: boolean
  /** Where the route is declared: the API's definition body, or a Method / Route resource. */
  declaredIn: Resource
  /** Property path of the route in `declaredIn`, for the finding's line. */
  path_: string
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'x-amazon-apigateway-any-method'])

/** Routes of an OpenAPI / Swagger body, with the authorization its security requirements give. */
function routesFromBody(api: Resource, body: unknown): ApiRoute[] {
  if (!isObj(body) || !isObj(body['paths'])) return []
  const defs: Record<string, unknown> = { ...(isObj(body['securityDefinitions']) ? body['securityDefinitions'] : {}), ...(isObj(body['components']) && isObj(body['components']['securitySchemes']) ? body['components']['securitySchemes'] : {}) }
  const rootSecurity = body['security']
  const out: ApiRoute[] = []
  for (const [path, ops] of Object.entries(body['paths'])) {
    if (!isObj(ops)) continue
    for (const [method, op] of Object.entries(ops)) {
      if (!HTTP_METHODS.has(method) || !isObj(op)) continue
      const security = op['security'] !== undefined ? op['security'] : rootSecurity
      const names = list(security).flatMap((req) => (isObj(req) ? Object.keys(req) : []))
      let authorization = 'NONE'
      let authorizer: string | undefined
      let apiKey = false
      for (const name of names) {
        if (name === 'api_key') {
          apiKey = true
          continue
        }
        const def = defs[name]
        const type = isObj(def) ? str(def['x-amazon-apigateway-authtype']) ?? (isObj(def['x-amazon-apigateway-authorizer']) ? str((def['x-amazon-apigateway-authorizer'] as Record<string, unknown>)['type']) : undefined) : undefined
        if (name === 'AWS_IAM' || type === 'awsSigv4') authorization = 'AWS_IAM'
        else if (type === 'cognito_user_pools') authorization = 'COGNITO_USER_POOLS'
        else if (type === 'jwt') authorization = 'JWT'
        else if (def === undefined) authorization = authorization === 'NONE' ? 'UNKNOWN' : authorization
        else authorization = 'CUSTOM'
        authorizer = name
      }
      const verb = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase()
      out.push({ method: verb, path, authorization, ...(authorizer ? { authorizer } : {}), apiKeyRequired: apiKey, declaredIn: api, path_: `Body.paths.${path}.${method}` })
    }
  }
  return out
}

/**
 * The path a REST API Method serves, from its `ResourceId` up the `ParentId` chain of
 * `AWS::ApiGateway::Resource`s to the API's root (`/patients/{id}`); undefined when a link is not a
 * resource of the scan (an imported id, the root by `RootResourceId`: then `/`).
 */
function methodPath(m: Resource, ctx: CheckContext): string | undefined {
  const parts: string[] = []
  let at: Resource = m
  let key = 'ResourceId'
  for (let depth = 0; depth < 30; depth++) {
    const v = at.props[key]
    const next = ctx.view.refs(v, at)
    const res = next.find((x) => x.type === 'AWS::ApiGateway::Resource')
    if (res) {
      const part = str(res.props['PathPart'])
      if (part === undefined) return undefined
      parts.unshift(part)
      at = res
      key = 'ParentId'
      continue
    }
    // the root resource: `!GetAtt Api.RootResourceId`
    if (next.some((x) => x.type === 'AWS::ApiGateway::RestApi')) return `/${parts.join('/')}`
    return undefined
  }
  return undefined
}

/** Every route of a REST API (`AWS::ApiGateway::RestApi`) or HTTP / WebSocket API (`AWS::ApiGatewayV2::Api`). */
export function apiRoutes(api: Resource, ctx: CheckContext): ApiRoute[] {
  const routes = routesFromBody(api, api.props['Body'])
  for (const m of ctx.view.related(api, { direction: 'in', kinds: ['attached'], types: ['AWS::ApiGateway::Method'] })) {
    const auth = str(m.props['AuthorizationType']) ?? 'NONE'
    routes.push({
      method: String(m.props['HttpMethod'] ?? 'ANY').toUpperCase(),
      path: methodPath(m, ctx) ?? m.sourceId,
      authorization: auth.toUpperCase(),
      apiKeyRequired: m.props['ApiKeyRequired'] === true || m.props['ApiKeyRequired'] === 'true',
      declaredIn: m,
      path_: 'AuthorizationType',
    })
  }
  for (const r of ctx.view.related(api, { direction: 'in', kinds: ['attached'], types: ['AWS::ApiGatewayV2::Route'] })) {
    const key = String(r.props['RouteKey'] ?? '$default')
    const [method, ...rest] = key.split(' ')
    routes.push({
      method: rest.length ? method!.toUpperCase() : 'ANY',
      path: rest.length ? rest.join(' ') : key,
      authorization: (str(r.props['AuthorizationType']) ?? 'NONE').toUpperCase(),
      apiKeyRequired: r.props['ApiKeyRequired'] === true,
      declaredIn: r,
      path_: 'AuthorizationType',
    })
  }
  return routes
}

/** Does the API have a definition PhiWall cannot see (S3 location, included file)? */
export function hasExternalDefinition(api: Resource): boolean {
  // an S3 location, an included file, or a body unknown at scan time (a Terraform jsonencode of values known after apply)
  return api.props['BodyS3Location'] !== undefined || (api.props['Body'] !== undefined && isIntrinsic(api.props['Body']))
}
