import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { PhiwallError } from '../../model/index.js'
import { exportPolicy, type PolicySet } from '../../policy/index.js'
import { actorOf, assertCan, visibleTeam, requirePermission } from '../authz.js'
import type { AppEnv, Principal, ServerContext } from '../types.js'
import { currentPolicy, simulateRecent } from './policy.js'
import type { InventorySource } from './routes-ingest.js'
import { ERRORS, approvalSchema, jsonBody, jsonResponse, policySchema, simulationSchema } from './schemas.js'
import { keyOfPeer, teamWorkloads } from './scope.js'

/**
 * What a principal may see of a policy: everything, or for an app team only its own workloads'
 * policies, the identities they name, and no host addresses.
 */
function visiblePolicy(set: PolicySet, principal: Principal, own: Set<string> | undefined, only?: Set<string>): PolicySet {
  const keep = (id: string): boolean => (!own || own.has(id)) && (!only || only.has(id))
  if (!own && !only) return set
  const workloads = set.workloads.filter((w) => keep(w.identity.id))
  if (!own) return { ...set, workloads }
  const named = new Set<string>()
  for (const w of workloads) {
    named.add(w.identity.id)
    for (const r of [...w.ingress, ...w.egress, ...w.withheld]) named.add(keyOfPeer(r.peer))
  }
  return {
    ...set,
    workloads,
    identities: Object.fromEntries(Object.entries(set.identities).filter(([id]) => named.has(id))),
    hosts: {},
    apiCalls: Object.fromEntries(Object.entries(set.apiCalls).filter(([id]) => named.has(id))),
  }
}

/** GET /policy, POST /policy/simulate, POST /policy/approve, GET /policy/export. */
export function registerPolicyRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext, inventoryOf: InventorySource): void {
  const ownOf = async (principal: Principal) => {
    const inventory = await inventoryOf(ctx)
    const team = visibleTeam(principal)
    return { inventory, own: team === null ? undefined : teamWorkloads(inventory, team) }
  }

  r.openapi(
    createRoute({
      method: 'get',
      middleware: [requirePermission('read')] as const,
      path: '/policy',
      tags: ['Segmentation'],
      summary: 'The policy generated from the stored baseline, its digest and approval',
      responses: { 200: jsonResponse(policySchema, 'The generated PolicySet'), 401: ERRORS[401], 403: ERRORS[403] },
    }),
    async (c) => {
      const principal = assertCan(c, 'read')
      const { inventory, own } = await ownOf(principal)
      const current = await currentPolicy(ctx.store, inventory, ctx.clock())
      return c.json({ ...visiblePolicy(current.policy, principal, own), digest: current.digest, approval: current.approval } as unknown as z.infer<typeof policySchema>, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('read')] as const,
      path: '/policy/simulate',
      tags: ['Segmentation'],
      summary: 'Replay the stored recent flows against the generated policy',
      request: jsonBody(z.object({ workloads: z.array(z.string().min(1).max(1000)).max(500).optional().openapi({ description: 'Only these workloads’ policies (default: all visible)' }) })),
      responses: {
        200: jsonResponse(z.object({ result: simulationSchema, digest: z.string(), replayedRows: z.number().int(), truncated: z.boolean() }), 'What the policy would drop or alert'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'read')
      const body = c.req.valid('json')
      const { inventory, own } = await ownOf(principal)
      const current = await currentPolicy(ctx.store, inventory, ctx.clock())
      const set = visiblePolicy(current.policy, principal, own, body.workloads ? new Set(body.workloads) : undefined)
      const sim = await simulateRecent(ctx.store, set)
      return c.json({ result: sim.result as unknown as z.infer<typeof simulationSchema>, digest: current.digest, replayedRows: sim.rows, truncated: sim.truncated }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('write')] as const,
      path: '/policy/approve',
      tags: ['Segmentation'],
      summary: 'Approve the current policy by its digest (after simulating it)',
      request: jsonBody(z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/, 'expected the 64-hex digest of GET /policy'), reason: z.string().trim().min(10).max(2000) })),
      responses: { 200: jsonResponse(z.object({ approval: approvalSchema }), 'Approved'), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 409: ERRORS[409] },
    }),
    async (c) => {
      const principal = assertCan(c, 'write')
      const body = c.req.valid('json')
      const now = ctx.clock()
      const current = await currentPolicy(ctx.store, await inventoryOf(ctx), now)
      if (body.digest !== current.digest) throw new PhiwallError('PW_ERR_CONFLICT', `Digest ${body.digest.slice(0, 12)}… is not the current policy's (${current.digest.slice(0, 12)}…): the baseline changed since; simulate again and approve the current digest.`)
      if (current.approval) throw new PhiwallError('PW_ERR_CONFLICT', `The policy ${current.digest.slice(0, 12)}… is already approved (by ${current.approval.by}).`)
      return ctx.store.transaction(async (tx) => {
        const rows = await tx.query<{ digest: string }>('INSERT INTO policy_approvals (digest, approved_by, approved_at, reason, workloads) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (digest) DO NOTHING RETURNING digest', [current.digest, principal.username, now.toISOString(), body.reason, current.policy.workloads.length])
        if (!rows.length) throw new PhiwallError('PW_ERR_CONFLICT', `The policy ${current.digest.slice(0, 12)}… is already approved.`)
        await ctx.audit.append({ actor: actorOf(principal), action: 'policy.approve', target: `policy:${current.digest}`, payload: { digest: current.digest, reason: body.reason, workloads: current.policy.workloads.length } }, tx)
        return c.json({ approval: { digest: current.digest, by: principal.username, at: now.toISOString(), reason: body.reason } }, 200)
      })
    },
  )

  r.openapi(
    createRoute({
      method: 'get',
      middleware: [requirePermission('export')] as const,
      path: '/policy/export',
      tags: ['Segmentation'],
      summary: 'Export the generated policy for an enforcer',
      request: { query: z.object({ format: z.enum(['networkpolicy', 'cilium', 'nftables', 'aws-sg']) }) },
      responses: {
        200: jsonResponse(
          z.object({ format: z.string(), digest: z.string(), files: z.array(z.object({ path: z.string(), content: z.string(), workloads: z.array(z.string()) })), notes: z.array(z.object({ workload: z.string(), message: z.string() })) }),
          'The exported files, and notes on what the enforcer cannot express',
        ),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'export')
      const { format } = c.req.valid('query')
      const { inventory, own } = await ownOf(principal)
      const current = await currentPolicy(ctx.store, inventory, ctx.clock())
      const result = await exportPolicy(visiblePolicy(current.policy, principal, own), format)
      return c.json({ format: result.format, digest: current.digest, files: result.files.map((f) => ({ path: f.path, content: f.content, workloads: f.workloads })), notes: result.notes }, 200)
    },
  )
}
