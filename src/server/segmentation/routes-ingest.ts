import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { Inventory } from '../../model/index.js'
import { assertCan, requirePermission } from '../authz.js'
import type { AppEnv, ServerContext } from '../types.js'
import { acquireIngestSlot, ingestFlows, isDuplicateIngest, type IngestOutcome, type IngestRequest } from './ingest.js'
import { ERRORS, jsonBody, jsonResponse, uploadIdSchema } from './schemas.js'

/** Where the routes get the inventory identities resolve against (the posture domain's latest scans). */
export type InventorySource = (ctx: ServerContext) => Promise<Inventory>

const agentBatch = z
  .object({
    schema: z.literal('phiwall.agent-batch/v1'),
    batchId: uploadIdSchema,
    host: z.string().min(1).max(253),
    sentAt: z.string().max(64).optional(),
    records: z.array(z.record(z.string(), z.unknown())).max(100_000).openapi({ description: 'phiwall.agent/v1 records (docs/agent.md); a record that does not match is counted malformed, the rest is accepted' }),
  })
  .openapi('AgentBatch')

const agentAccepted = z.object({
  accepted: z.number().int().openapi({ description: 'Records received in the batch' }),
  duplicate: z.boolean(),
  flows: z.number().int(),
  edges: z.number().int(),
  malformed: z.number().int(),
  unresolved: z.number().int(),
  alerts: z.number().int(),
})

const flowUpload = z
  .object({
    uploadId: uploadIdSchema,
    format: z.enum(['vpc', 'hubble', 'agent']),
    name: z.string().min(1).max(200),
    content: z.string().openapi({ description: 'The text of a VPC flow log, `hubble observe -o json` lines or agent NDJSON (≤ the server body limit)' }),
  })
  .openapi('FlowUpload')

const flowUploaded = z.object({
  flows: z.number().int(),
  edges: z.number().int(),
  duplicate: z.boolean(),
  lines: z.number().int(),
  skipped: z.number().int(),
  malformed: z.number().int(),
  unresolved: z.number().int(),
  alerts: z.number().int(),
})

function summary(o: IngestOutcome): Omit<z.infer<typeof agentAccepted>, 'accepted'> {
  return { duplicate: o.duplicate, flows: o.flows, edges: o.edges, malformed: o.malformed, unresolved: o.unresolved, alerts: o.alerts }
}

/** Runs an ingest in one of the server's ingest slots (503 + Retry-After when all are taken). */
async function inSlot(ctx: ServerContext, fn: () => Promise<IngestOutcome>): Promise<IngestOutcome> {
  const release = acquireIngestSlot(ctx)
  try {
    return await fn()
  } finally {
    release()
  }
}

/** POST /ingest/agent and POST /ingest/flows. */
export function registerIngestRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext, inventoryOf: InventorySource): void {
  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('ingest:flows')] as const,
      path: '/ingest/agent',
      tags: ['Segmentation'],
      summary: 'Accept a batch of agent records (idempotent by batchId)',
      request: jsonBody(agentBatch),
      responses: {
        202: jsonResponse(agentAccepted, 'Accepted and merged into the baseline'),
        200: jsonResponse(agentAccepted, 'This batchId was already accepted; nothing changed'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
        503: ERRORS[503],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'ingest:flows')
      const batch = c.req.valid('json')
      if (await isDuplicateIngest(ctx.store, 'agent', batch.batchId)) return c.json({ accepted: batch.records.length, duplicate: true, flows: 0, edges: 0, malformed: 0, unresolved: 0, alerts: 0 }, 200)
      const req: IngestRequest = { kind: 'agent', id: batch.batchId, source: batch.host, format: 'agent', content: Buffer.from(batch.records.map((x) => JSON.stringify(x)).join('\n'), 'utf8'), records: batch.records.length }
      const outcome = await inSlot(ctx, async () => ingestFlows(ctx, principal, req, await inventoryOf(ctx)))
      return outcome.duplicate ? c.json({ accepted: batch.records.length, ...summary(outcome) }, 200) : c.json({ accepted: batch.records.length, ...summary(outcome) }, 202)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('ingest:flows')] as const,
      path: '/ingest/flows',
      tags: ['Segmentation'],
      summary: 'Ingest a flow file (VPC Flow Logs, Hubble JSON, agent NDJSON; idempotent by uploadId)',
      request: jsonBody(flowUpload),
      responses: {
        201: jsonResponse(flowUploaded, 'Read and merged into the baseline'),
        200: jsonResponse(flowUploaded, 'This uploadId was already ingested; nothing changed'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
        503: ERRORS[503],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'ingest:flows')
      const body = c.req.valid('json')
      const empty = { flows: 0, edges: 0, duplicate: true, lines: 0, skipped: 0, malformed: 0, unresolved: 0, alerts: 0 }
      if (await isDuplicateIngest(ctx.store, 'flows', body.uploadId)) return c.json(empty, 200)
      const content = Buffer.from(body.content, 'utf8')
      const lines = body.content.split('\n').filter((l) => l.trim() !== '').length
      const req: IngestRequest = { kind: 'flows', id: body.uploadId, source: body.name, format: body.format, content, records: lines }
      const o = await inSlot(ctx, async () => ingestFlows(ctx, principal, req, await inventoryOf(ctx)))
      if (o.duplicate) return c.json(empty, 200)
      return c.json({ flows: o.flows, edges: o.edges, duplicate: false, lines, skipped: o.skipped, malformed: o.malformed, unresolved: o.unresolved, alerts: o.alerts }, 201)
    },
  )
}
