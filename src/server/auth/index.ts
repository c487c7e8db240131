import type { OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Migration } from '../../store/index.js'
import { newRouter } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'

/** PLACEHOLDER — replaced by the auth implementation. */
export const AUTH_MIGRATIONS: Migration[] = []
/** PLACEHOLDER: sets c.var.principal from the session cookie or bearer token; enforces CSRF on unsafe methods with a session. */
export function authenticate(_ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (_c, next) => next()
}
/** PLACEHOLDER */
export function authRoutes(_ctx: ServerContext): OpenAPIHono<AppEnv> {
  return newRouter()
}
/** PLACEHOLDER: creates the first admin when no user exists; returns its one-time password (print once). */
export async function bootstrapAdmin(_ctx: ServerContext): Promise<{ username: string; oneTimePassword: string } | null> {
  return null
}
