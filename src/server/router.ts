import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { PhiwallError, type ErrorCode } from '../model/index.js'
import type { AppEnv } from './types.js'

/** The JSON body of every error answer. `field` names the first invalid input (a JSON path or parameter name). */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; field?: string; remediation?: string; requestId?: string }
}

/** A `PhiwallError` that also names the invalid field. */
export class FieldError extends PhiwallError {
  readonly field: string
  constructor(field: string, message: string) {
    super('PW_ERR_BAD_REQUEST', message)
    this.field = field
  }
}

/** Renders a zod issue path (`['rules', 0, 'port']`) as `rules[0].port`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p)
  return out
}

/** The error answer of `err` (PhiwallError → its status; anything else → 500 with a generic message). */
export function errorResponse(c: Context<AppEnv>, err: unknown): Response {
  const requestId = c.get('requestId')
  if (err instanceof PhiwallError) {
    const body: ApiErrorBody = { error: { code: err.code, message: err.message, remediation: err.remediation, requestId } }
    if (err instanceof FieldError) body.error.field = err.field
    if (err.code === 'PW_ERR_RATE_LIMITED' || err.code === 'PW_ERR_BUSY') {
      const retry = (err as PhiwallError & { retryAfterSeconds?: number }).retryAfterSeconds
      c.header('Retry-After', String(retry ?? 1))
    }
    return c.json(body, err.httpStatus as 400)
  }
  return c.json({ error: { code: 'PW_ERR_STORE' as ErrorCode, message: 'Internal error; the server log has the request id.', requestId } } satisfies ApiErrorBody, 500)
}

/** A rate-limit or back-pressure error carrying its Retry-After. */
export function retryLater(code: 'PW_ERR_RATE_LIMITED' | 'PW_ERR_BUSY', message: string, retryAfterSeconds: number): PhiwallError {
  const e = new PhiwallError(code, message) as PhiwallError & { retryAfterSeconds?: number }
  e.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  return e
}

/**
 * A router whose routes land in the OpenAPI document; invalid input answers 400 `PW_ERR_BAD_REQUEST`
 * naming the first invalid field. Every route module builds on one of these.
 *
 * @example
 * const r = newRouter()
 * r.openapi(createRoute({ method: 'get', path: '/findings', request: { query }, responses }), handler)
 */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return
      // authentication before validation: an anonymous caller learns nothing about a body's shape
      // (the sign-in routes validate first: they are how a caller becomes someone)
      const ctx = c as unknown as Context<AppEnv>
      if (!ctx.get('principal') && !new URL(ctx.req.url).pathname.startsWith('/api/v1/auth/')) {
        return errorResponse(ctx, new PhiwallError('PW_ERR_UNAUTHENTICATED', 'Sign in or send an API token.'))
      }
      const issue = result.error.issues[0]
      const target = (result as { target?: string }).target
      const field = issue ? fieldPath(issue.path) || target || 'body' : target || 'body'
      const message = issue ? `${field}: ${issue.message}` : 'Invalid request.'
      return errorResponse(c as unknown as Context<AppEnv>, new FieldError(field, message))
    },
  })
}
