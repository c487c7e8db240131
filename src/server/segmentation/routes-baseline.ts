import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { DEFAULT_GRACE_MS, DEFAULT_LEARNING_DAYS, edgeCounts, exceptionProblem, flowInventoryOf, learningStatus, reviewEdges, type Baseline, type EgressException, type Peer, type WorkloadIdentity } from '../../flows/index.js'
import { PhiwallError } from '../../model/index.js'
import { actorOf, assertCan, visibleTeam, requirePermission } from '../authz.js'
import { FieldError } from '../router.js'
import type { AppEnv, ServerContext } from '../types.js'
import { currentPolicy } from './policy.js'
import type { InventorySource } from './routes-ingest.js'
import { ERRORS, edgeRowSchema, jsonBody, jsonResponse, listQuery, peerSchema, workloadRowSchema } from './schemas.js'
import { auditTarget, decodeCursor, encodeCursor, teamWorkloads } from './scope.js'
import { EDGE_COLUMNS, edgeOfRow } from './state.js'

const DAY = 86_400_000

type EdgeRow = z.infer<typeof edgeRowSchema>
type WorkloadRow = z.infer<typeof workloadRowSchema>

const isInternet = (p: Peer): boolean => p.kind === 'fqdn' || (p.kind === 'cidr' && p.scope === 'public')
const isoOrNull = (ms: number | null | undefined): string | null => (ms ? new Date(ms).toISOString() : null)

interface WorkloadDb {
  id: string
  mode: string
  learning_days: number | null
  exceptions: EgressException[]
  first_seen: number | null
  last_seen: number | null
  changed_by: string | null
  changed_at: Date | string | null
}

const WORKLOAD_COLUMNS = 'id, mode, learning_days, exceptions, first_seen, last_seen, changed_by, changed_at'

type Tx = Parameters<Parameters<ServerContext['store']['transaction']>[0]>[0]

/** The `{id}` of the `/baseline/workloads/{id}/…` routes. */
const workloadIdParam = z.object({ id: z.string().min(1).max(1000).openapi({ description: 'Identity id, URL-encoded (k8s%3Aclinic%2Fapi)' }) })

/** Locks a workload's row and sets one setting, recording who and when: the row before and after; PW_ERR_NOT_FOUND when it is not in the baseline. */
async function setWorkloadColumn(tx: Tx, id: string, column: 'mode' | 'learning_days', value: unknown, by: string, at: Date): Promise<{ before: WorkloadDb; after: WorkloadDb }> {
  const before = (await tx.query<WorkloadDb>(`SELECT ${WORKLOAD_COLUMNS} FROM flow_workloads WHERE id = $1 FOR UPDATE`, [id]))[0]
  if (!before) throw new PhiwallError('PW_ERR_NOT_FOUND', `Workload ${id} is not in the baseline.`)
  const after = (await tx.query<WorkloadDb>(`UPDATE flow_workloads SET ${column} = $2, changed_by = $3, changed_at = $4 WHERE id = $1 RETURNING ${WORKLOAD_COLUMNS}`, [id, value, by, at.toISOString()]))[0]!
  return { before, after }
}

/** A workload row of the API from its stored settings and identity. */
function workloadRow(w: WorkloadDb, identity: WorkloadIdentity | undefined): WorkloadRow {
  const settings = { mode: w.mode as WorkloadRow['mode'], ...(w.learning_days !== null ? { learningDays: Number(w.learning_days) } : {}), ...(w.first_seen !== null ? { firstSeen: Number(w.first_seen) } : {}), ...(w.last_seen !== null ? { lastSeen: Number(w.last_seen) } : {}) }
  const status = learningStatus({ learningDays: DEFAULT_LEARNING_DAYS, workloads: { [w.id]: settings } } as unknown as Baseline, w.id)
  return {
    id: w.id,
    name: identity?.name ?? w.id,
    kind: identity?.kind ?? 'vm',
    mode: settings.mode,
    learning: { done: status.complete, endsAt: w.first_seen !== null ? new Date(Number(w.first_seen) + status.learningDays * DAY).toISOString() : null, observedDays: Math.round(status.observedDays * 100) / 100, days: status.learningDays },
    holdsPhi: identity?.holdsPhi ?? 'unknown',
    exceptions: w.exceptions,
    changedBy: w.changed_by,
    changedAt: w.changed_at ? new Date(w.changed_at).toISOString() : null,
  }
}

/** Identities by id: stored ones, refined by the inventory's (current PHI state and names). */
async function identitiesOf(ctx: ServerContext, inventoryOf: InventorySource): Promise<{ identities: Map<string, WorkloadIdentity>; inventory: Awaited<ReturnType<InventorySource>> }> {
  const inventory = await inventoryOf(ctx)
  const rows = await ctx.store.query<{ id: string; identity: WorkloadIdentity }>('SELECT id, identity FROM flow_identities')
  const identities = new Map(rows.map((r) => [r.id, r.identity]))
  for (const i of flowInventoryOf(inventory).identities) identities.set(i.id, { ...identities.get(i.id), ...i })
  return { identities, inventory }
}

function parseDestination(v: string): Peer {
  const s = v.trim()
  const cidr = /^[0-9a-f:.]+\/\d{1,3}$/i
  const fqdn = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i
  const name = s.startsWith('fqdn:') ? s.slice(5) : s.startsWith('cidr:') ? undefined : fqdn.test(s) ? s : undefined
  if (name !== undefined) {
    if (!fqdn.test(name)) throw new FieldError('destination', 'destination: not a DNS name.')
    return { kind: 'fqdn', fqdn: name.toLowerCase().replace(/\.$/, '') }
  }
  const c = s.startsWith('cidr:') ? s.slice(5) : s
  if (!cidr.test(c)) throw new FieldError('destination', 'destination: expected fqdn:NAME or cidr:CIDR (an internet destination).')
  return { kind: 'cidr', cidr: c, scope: 'public' }
}

/** GET /baseline, POST /baseline/review, PUT /baseline/workloads/{id}/mode, POST /baseline/exceptions. */
export function registerBaselineRoutes(r: OpenAPIHono<AppEnv>, ctx: ServerContext, inventoryOf: InventorySource): void {
  r.openapi(
    createRoute({
      method: 'get',
      middleware: [requirePermission('read')] as const,
      path: '/baseline',
      tags: ['Segmentation'],
      summary: 'The learned baseline: edges (filtered, paged) and workloads',
      request: {
        query: z.object({
          state: z.enum(['observed', 'allowed', 'snoozed', 'denied']).optional(),
          workload: z.string().min(1).max(1000).optional().openapi({ description: 'Edges from or to this identity id' }),
          ...listQuery,
        }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.array(edgeRowSchema), total: z.number().int(), nextCursor: z.string().nullable(), workloads: z.array(workloadRowSchema) }), 'Edges and workloads'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'read')
      const q = c.req.valid('query')
      const { identities, inventory } = await identitiesOf(ctx, inventoryOf)
      const team = visibleTeam(principal)
      const own = team === null ? undefined : [...teamWorkloads(inventory, team)]
      const where: string[] = []
      const params: unknown[] = []
      const p = (v: unknown): string => {
        params.push(v)
        return `$${params.length}`
      }
      if (q.state) where.push(`state = ${p(q.state)}`)
      if (q.workload) where.push(`(from_key = ${p(q.workload)} OR to_key = $${params.length})`)
      if (own) {
        const list = p(JSON.stringify(own))
        where.push(`(from_key IN (SELECT jsonb_array_elements_text(${list}::jsonb)) OR to_key IN (SELECT jsonb_array_elements_text(${list}::jsonb)))`)
      }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const total = Number((await ctx.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM flow_edges ${filter}`, params))[0]?.n ?? 0)
      const after = decodeCursor(q.cursor)
      if (q.cursor && (!after || typeof after[0] !== 'string')) throw new FieldError('cursor', 'cursor: not a cursor of this list.')
      const pageWhere = [...where, ...(after ? [`key > ${p(after[0])}`] : [])]
      const rows = await ctx.store.query<Parameters<typeof edgeOfRow>[0]>(`SELECT ${EDGE_COLUMNS} FROM flow_edges ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''} ORDER BY key LIMIT ${p(q.limit + 1)}`, params)
      const observedTo = Number((await ctx.store.query<{ t: number | null }>('SELECT max(last_seen) AS t FROM flow_edges WHERE count > 0'))[0]?.t ?? 0)
      const page = rows.slice(0, q.limit).map(edgeOfRow)
      const grace = { observed: { from: 0, to: observedTo }, graceMs: DEFAULT_GRACE_MS } as Baseline
      const items: EdgeRow[] = page.map((e) => ({
        key: e.key,
        from: e.from,
        to: e.to,
        port: e.port,
        protocol: e.protocol,
        origin: e.origin,
        state: e.state,
        count: e.count,
        bytes: e.bytes,
        firstSeen: e.count > 0 ? isoOrNull(e.firstSeen) : null,
        lastSeen: e.count > 0 ? isoOrNull(e.lastSeen) : null,
        ...(e.review ? { review: e.review } : {}),
        dropped: e.dropped,
        fromPhi: e.from.kind === 'identity' && identities.get(e.from.id)?.holdsPhi === 'yes',
        toInternet: isInternet(e.to),
        pending: edgeCounts(grace, e) === 'pending',
        sources: e.sources,
      }))
      const wrows = await ctx.store.query<WorkloadDb>(`SELECT ${WORKLOAD_COLUMNS} FROM flow_workloads ORDER BY id`)
      const ownSet = own ? new Set(own) : undefined
      const workloads = wrows.filter((w) => !ownSet || ownSet.has(w.id)).map((w) => workloadRow(w, identities.get(w.id)))
      const last = page.at(-1)
      return c.json({ items, total, nextCursor: rows.length > q.limit && last ? encodeCursor([last.key]) : null, workloads }, 200)
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('write')] as const,
      path: '/baseline/review',
      tags: ['Segmentation'],
      summary: 'Review edges: allow, snooze (until a time) or deny; resolves their alerts',
      request: jsonBody(
        z.object({
          keys: z.array(z.string().min(1).max(2000)).min(1).max(500),
          state: z.enum(['allowed', 'snoozed', 'denied']),
          reason: z.string().trim().min(10).max(2000),
          until: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Required for snoozed: when the snooze ends (future)' }),
        }),
      ),
      responses: {
        200: jsonResponse(z.object({ updated: z.number().int(), resolvedAlerts: z.number().int() }), 'Edges reviewed'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
        404: ERRORS[404],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'write')
      const body = c.req.valid('json')
      const now = ctx.clock()
      if (body.state === 'snoozed') {
        if (!body.until) throw new FieldError('until', 'until: a snooze needs its end time.')
        if (Date.parse(body.until) <= now.getTime()) throw new FieldError('until', 'until: must be in the future.')
      } else if (body.until) throw new FieldError('until', 'until: only a snooze has an end time.')
      const keys = [...new Set(body.keys)].sort()
      return ctx.store.transaction(async (tx) => {
        const rows = await tx.query<Parameters<typeof edgeOfRow>[0]>(`SELECT ${EDGE_COLUMNS} FROM flow_edges WHERE key IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY key FOR UPDATE`, [JSON.stringify(keys)])
        const edges = rows.map(edgeOfRow)
        const { baseline, unknown } = reviewEdges({ edges } as Baseline, keys.map((key) => ({ key, state: body.state, by: principal.username, reason: body.reason, ...(body.until ? { until: new Date(body.until).toISOString() } : {}), at: now })))
        const missing = [...unknown, ...keys.filter((k) => !edges.some((e) => e.key === k))]
        if (missing.length) throw new PhiwallError('PW_ERR_NOT_FOUND', `Edge ${missing[0]} is not in the baseline${missing.length > 1 ? ` (nor ${missing.length - 1} more)` : ''}.`)
        const review = baseline.edges[0]!.review!
        await tx.query('UPDATE flow_edges SET state = $2, review = $3::jsonb, updated_at = $4 WHERE key IN (SELECT jsonb_array_elements_text($1::jsonb))', [JSON.stringify(keys), body.state, JSON.stringify(review), now.toISOString()])
        // a reviewed edge is decided: its deviation alerts are resolved (an unknown binary stays open: it is about the binary)
        const resolved = await tx.query<{ id: string }>("UPDATE flow_alerts SET state = 'resolved', resolved_at = $2, updated_at = $2 WHERE edge_key IN (SELECT jsonb_array_elements_text($1::jsonb)) AND state <> 'resolved' AND type <> 'unknown-binary' RETURNING id", [JSON.stringify(keys), now.toISOString()])
        await ctx.audit.append({ actor: actorOf(principal), action: 'edge.review', target: auditTarget(keys.length === 1 ? `edge:${keys[0]}` : `edges:${keys.length}`), payload: { keys, state: body.state, reason: body.reason, ...(body.until ? { until: review.until } : {}), resolvedAlerts: resolved.length } }, tx)
        return c.json({ updated: keys.length, resolvedAlerts: resolved.length }, 200)
      })
    },
  )

  r.openapi(
    createRoute({
      method: 'put',
      middleware: [requirePermission('write')] as const,
      path: '/baseline/workloads/{id}/mode',
      tags: ['Segmentation'],
      summary: "Set a workload's enforcement mode; enforce needs the current policy approved",
      request: {
        params: workloadIdParam,
        ...jsonBody(z.object({ mode: z.enum(['off', 'learn', 'alert', 'enforce']) })),
      },
      responses: {
        200: jsonResponse(z.object({ workload: workloadRowSchema, warning: z.string().optional() }), 'Mode set'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
        404: ERRORS[404],
        409: ERRORS[409],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'write')
      const { id } = c.req.valid('param')
      const { mode } = c.req.valid('json')
      const now = ctx.clock()
      let digest: string | undefined
      if (mode === 'enforce') {
        const current = await currentPolicy(ctx.store, await inventoryOf(ctx), now)
        if (!current.approval) throw new PhiwallError('PW_ERR_CONFLICT', `Workload ${id} cannot be enforced: the current policy (digest ${current.digest.slice(0, 12)}…) is not approved; simulate it and approve it first.`)
        digest = current.digest
      }
      const { identities } = await identitiesOf(ctx, inventoryOf)
      return ctx.store.transaction(async (tx) => {
        const { before, after } = await setWorkloadColumn(tx, id, 'mode', mode, principal.username, now)
        await ctx.audit.append({ actor: actorOf(principal), action: 'workload.mode', target: auditTarget(`workload:${id}`), payload: { from: before.mode, to: mode, ...(digest ? { policyDigest: digest } : {}) } }, tx)
        const workload = workloadRow(after, identities.get(id))
        const warning = mode === 'enforce' && !workload.learning.done ? `Workload ${id} has not completed its learning window (${workload.learning.observedDays} of ${workload.learning.days} days observed); new legitimate edges will be dropped.` : undefined
        return c.json({ workload, ...(warning ? { warning } : {}) }, 200)
      })
    },
  )

  r.openapi(
    createRoute({
      method: 'put',
      middleware: [requirePermission('write')] as const,
      path: '/baseline/workloads/{id}/learning',
      tags: ['Segmentation'],
      summary: "Set a workload's learning window (days of observed time); null returns it to the default",
      request: {
        params: workloadIdParam,
        ...jsonBody(z.object({ days: z.number().min(0.01).max(365).nullable() })),
      },
      responses: {
        200: jsonResponse(z.object({ workload: workloadRowSchema }), 'Learning window set'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
        404: ERRORS[404],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'write')
      const { id } = c.req.valid('param')
      const { days } = c.req.valid('json')
      const now = ctx.clock()
      const { identities } = await identitiesOf(ctx, inventoryOf)
      return ctx.store.transaction(async (tx) => {
        const { before, after } = await setWorkloadColumn(tx, id, 'learning_days', days, principal.username, now)
        await ctx.audit.append({ actor: actorOf(principal), action: 'workload.learning', target: auditTarget(`workload:${id}`), payload: { from: before.learning_days === null ? null : Number(before.learning_days), to: days } }, tx)
        return c.json({ workload: workloadRow(after, identities.get(id)) }, 200)
      })
    },
  )

  r.openapi(
    createRoute({
      method: 'post',
      middleware: [requirePermission('write')] as const,
      path: '/baseline/exceptions',
      tags: ['Segmentation'],
      summary: 'Record a PHI internet-egress exception for a workload (who, why, until when)',
      request: jsonBody(
        z.object({
          workload: z.string().min(1).max(1000),
          destination: z.string().min(1).max(300).openapi({ description: 'fqdn:NAME or cidr:CIDR' }),
          port: z.number().int().min(1).max(65535).optional(),
          protocol: z.enum(['tcp', 'udp']).optional(),
          reason: z.string().trim().min(10).max(2000),
          expiresAt: z.iso.datetime({ offset: true }),
        }),
      ),
      responses: {
        200: jsonResponse(z.object({ ok: z.literal(true), exception: z.object({ to: peerSchema, port: z.number().optional(), protocol: z.string().optional(), by: z.string(), reason: z.string(), at: z.string(), expires: z.string().optional() }) }), 'Exception recorded'),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
        404: ERRORS[404],
      },
    }),
    async (c) => {
      const principal = assertCan(c, 'write')
      const body = c.req.valid('json')
      const now = ctx.clock()
      const to = parseDestination(body.destination)
      const expires = Date.parse(body.expiresAt)
      // the rules the CLI applies too: a readable reason, narrower than the internet, ending within a year
      const problem = exceptionProblem({ to, reason: body.reason, expires: body.expiresAt }, now.getTime())
      if (problem) {
        const field = problem.field === 'to' ? 'destination' : problem.field === 'expires' ? 'expiresAt' : 'reason'
        throw new FieldError(field, `${field}: ${problem.message}.`)
      }
      const exception: EgressException = { to, ...(body.port !== undefined ? { port: body.port } : {}), ...(body.protocol ? { protocol: body.protocol } : {}), by: principal.username, reason: body.reason, at: now.toISOString(), expires: new Date(expires).toISOString() }
      return ctx.store.transaction(async (tx) => {
        const rows = await tx.query<{ id: string }>('UPDATE flow_workloads SET exceptions = exceptions || $2::jsonb WHERE id = $1 RETURNING id', [body.workload, JSON.stringify([exception])])
        if (!rows.length) throw new PhiwallError('PW_ERR_NOT_FOUND', `Workload ${body.workload} is not in the baseline.`)
        await ctx.audit.append({ actor: actorOf(principal), action: 'workload.exception', target: auditTarget(`workload:${body.workload}`), payload: { destination: body.destination, port: body.port ?? null, protocol: body.protocol ?? null, reason: body.reason, expires: exception.expires } }, tx)
        return c.json({ ok: true as const, exception }, 200)
      })
    },
  )
}

