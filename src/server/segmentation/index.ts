import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Migration } from '../../store/index.js'
import { newRouter } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'

/** PLACEHOLDER — replaced by the segmentation implementation. */
export const SEGMENTATION_MIGRATIONS: Migration[] = []
/** PLACEHOLDER */
export function segmentationRoutes(_ctx: ServerContext): OpenAPIHono<AppEnv> {
  return newRouter()
}
/** PLACEHOLDER: edges observed in flows (for the topology page), as topology edges between resource ids. */
export async function observedTopologyEdges(_ctx: ServerContext): Promise<import('../../topology/index.js').TopologyEdge[]> {
  return []
}
