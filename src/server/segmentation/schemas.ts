/** Request and response schemas of the segmentation routes (they make the OpenAPI document). */
import { z } from '@hono/zod-openapi'

/** The error answer every route may give. */
export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), remediation: z.string().optional(), requestId: z.string().optional() }) })

const err = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } })

/** Error responses by status, for `responses`. */
export const ERRORS = {
  400: err('Invalid input; `error.field` names it'),
  401: err('Not signed in'),
  403: err('Role or token scope does not allow this'),
  404: err('No such object'),
  409: err('Conflicts with the current state'),
  503: err('Busy: retry after the Retry-After header'),
} as const

/** A JSON response entry. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

/** A JSON request body entry. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } }
}

/** One end of an edge: a workload identity, an FQDN or a CIDR bucket. */
export const peerSchema = z
  .union([
    z.object({ kind: z.literal('identity'), id: z.string() }),
    z.object({ kind: z.literal('fqdn'), fqdn: z.string() }),
    z.object({ kind: z.literal('cidr'), cidr: z.string(), scope: z.enum(['private', 'public', 'local']) }),
  ])
  .openapi('Peer')

/** `limit` (1–500, default 50) and `cursor` of every list. */
export const listQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2000).optional(),
}

const iso = z.string().openapi({ description: 'ISO-8601 UTC time' })

/** One baseline edge as GET /baseline lists it. */
export const edgeRowSchema = z
  .object({
    key: z.string(),
    from: peerSchema,
    to: peerSchema,
    port: z.number().int(),
    protocol: z.string(),
    origin: z.enum(['observed', 'declared', 'both']),
    state: z.enum(['observed', 'allowed', 'snoozed', 'denied']),
    count: z.number(),
    bytes: z.number(),
    firstSeen: iso.nullable(),
    lastSeen: iso.nullable(),
    review: z.object({ by: z.string(), at: z.string(), reason: z.string().optional(), until: z.string().optional() }).optional(),
    dropped: z.number(),
    fromPhi: z.boolean(),
    toInternet: z.boolean(),
    pending: z.boolean().openapi({ description: 'An unreviewed edge still within the grace period: not yet in the generated policy' }),
    sources: z.array(z.string()),
  })
  .openapi('EdgeRow')

/** A workload's mode, learning progress, PHI state and egress exceptions. */
export const workloadRowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    mode: z.enum(['off', 'learn', 'alert', 'enforce']),
    learning: z.object({ done: z.boolean(), endsAt: iso.nullable(), observedDays: z.number(), days: z.number().openapi({ description: "The workload's learning window in days of observed time (its own, or the default)" }) }),
    holdsPhi: z.enum(['yes', 'no', 'unknown']),
    exceptions: z.array(z.object({ to: peerSchema, port: z.number().optional(), protocol: z.string().optional(), by: z.string(), reason: z.string(), at: z.string(), expires: z.string().optional() })),
    changedBy: z.string().nullable(),
    changedAt: iso.nullable(),
  })
  .openapi('WorkloadRow')

/** A deviation alert, grouped by `type|edge key`. */
export const alertRowSchema = z
  .object({
    id: z.string(),
    type: z.enum(['new-edge', 'new-port', 'new-external-destination', 'unknown-binary', 'phi-internet-egress', 'denied-edge']),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    workload: z.string(),
    key: z.string(),
    edgeKey: z.string(),
    mode: z.string(),
    message: z.string(),
    count: z.number(),
    firstSeen: iso,
    lastSeen: iso,
    state: z.enum(['open', 'acknowledged', 'resolved']),
    suggestion: z.string(),
    evidence: z.array(z.object({ source: z.string(), file: z.string().optional(), line: z.number().optional(), addresses: z.string().optional(), observer: z.string().optional() })),
    acknowledged: z.object({ by: z.string(), at: iso, note: z.string().nullable() }).nullable(),
  })
  .openapi('AlertRow')

const ruleSchema = z.object({
  peer: peerSchema,
  port: z.number(),
  endPort: z.number().optional(),
  protocol: z.string(),
  origin: z.string(),
  infrastructure: z.string().optional(),
  reason: z.string(),
  count: z.number().optional(),
  lastSeen: z.number().optional(),
  approvedBy: z.string().optional(),
})

const identitySchema = z.looseObject({ id: z.string(), kind: z.string(), name: z.string() }).openapi('WorkloadIdentity')

/** Who approved a policy digest, when and why. */
export const approvalSchema = z.object({ digest: z.string(), by: z.string(), at: iso, reason: z.string() }).openapi('PolicyApproval')

/** The generated PolicySet (src/policy) with its digest and approval. */
export const policySchema = z
  .object({
    schema: z.literal('phiwall.policy/v1'),
    version: z.number(),
    generatedAt: iso,
    baselineDigest: z.string(),
    cluster: z.record(z.string(), z.unknown()),
    workloads: z.array(
      z.object({
        identity: identitySchema,
        mode: z.string(),
        holdsPhi: z.string(),
        ingress: z.array(ruleSchema),
        egress: z.array(ruleSchema),
        withheld: z.array(z.object({ peer: peerSchema, port: z.number(), protocol: z.string(), reason: z.string() })),
      }),
    ),
    identities: z.record(z.string(), identitySchema),
    dns: z.record(z.string(), z.array(z.string())),
    hosts: z.record(z.string(), z.array(z.string())),
    apiCalls: z.record(z.string(), z.array(z.unknown())),
    digest: z.string().openapi({ description: 'SHA-256 of what the policy enforces; approve it with POST /policy/approve' }),
    approval: approvalSchema.nullable(),
  })
  .openapi('Policy')

/** PolicySimulator's result (src/policy). */
export const simulationSchema = z
  .object({
    flows: z.number(),
    allowed: z.number(),
    dropped: z.number(),
    alerted: z.number(),
    uncovered: z.number(),
    byWorkload: z.array(
      z.object({
        workload: z.string(),
        mode: z.string(),
        drops: z.array(
          z.object({
            workload: z.string(),
            direction: z.enum(['egress', 'ingress']),
            key: z.string(),
            from: peerSchema,
            to: peerSchema,
            port: z.number(),
            protocol: z.string(),
            count: z.number(),
            firstSeen: z.number(),
            lastSeen: z.number(),
            effect: z.enum(['drop', 'alert']),
            evidence: z.array(z.record(z.string(), z.unknown())),
          }),
        ),
      }),
    ),
  })
  .openapi('SimulationResult')

/** `sha256` of an artifact: 64 lowercase hex digits. */
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits')

/** An upload id or batch id: printable, no spaces. */
export const uploadIdSchema = z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only')
