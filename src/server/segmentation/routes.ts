import type { OpenAPIHono } from '@hono/zod-openapi'
import { latestInventory } from '../posture/index.js'
import { newRouter } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'
import { registerAlertRoutes } from './routes-alerts.js'
import { registerBaselineRoutes } from './routes-baseline.js'
import { registerEvidenceRoutes } from './routes-evidence.js'
import { registerIngestRoutes, type InventorySource } from './routes-ingest.js'
import { registerPolicyRoutes } from './routes-policy.js'

/**
 * Every segmentation route on one router, with the inventory taken from `inventoryOf` (the
 * server passes the posture domain's latest inventory; tests pass a scanned example's).
 */
export function createSegmentationRoutes(ctx: ServerContext, inventoryOf: InventorySource): OpenAPIHono<AppEnv> {
  const r = newRouter()
  registerIngestRoutes(r, ctx, inventoryOf)
  registerBaselineRoutes(r, ctx, inventoryOf)
  registerPolicyRoutes(r, ctx, inventoryOf)
  registerAlertRoutes(r, ctx, inventoryOf)
  registerEvidenceRoutes(r, ctx)
  return r
}

/**
 * The segmentation routes (mounted under /api/v1), resolving identities against the posture
 * domain's latest inventory.
 *
 * @example
 * app.route('/api/v1', segmentationRoutes(ctx))
 */
export function segmentationRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  return createSegmentationRoutes(ctx, latestInventory)
}
