import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Migration } from '../../store/index.js'
import { newRouter } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'

/** PLACEHOLDER — replaced by the posture implementation. */
export const POSTURE_MIGRATIONS: Migration[] = []
/** PLACEHOLDER */
export function postureRoutes(_ctx: ServerContext): OpenAPIHono<AppEnv> {
  return newRouter()
}
/** PLACEHOLDER: starts scheduled rescans; returns a stop function. */
export function startScheduler(_ctx: ServerContext): () => Promise<void> {
  return async () => undefined
}
/**
 * PLACEHOLDER: the inventory of the latest scan of every source, merged (resources and edges), for
 * identity resolution and topology by other server domains.
 */
export async function latestInventory(_ctx: ServerContext): Promise<import('../../model/index.js').Inventory> {
  return { resources: [], edges: [] }
}
