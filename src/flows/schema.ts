import { z } from 'zod'
import type { Baseline } from './types.js'

const peer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('identity'), id: z.string().min(1) }),
  z.object({ kind: z.literal('fqdn'), fqdn: z.string().min(1) }),
  z.object({ kind: z.literal('cidr'), cidr: z.string().min(1), scope: z.enum(['private', 'public', 'local']) }),
])
const protocol = z.enum(['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'other'])
const source = z.enum(['vpc', 'hubble', 'agent', 'cloudtrail'])
const evidence = z.object({ source, file: z.string().optional(), line: z.number().int().optional(), addresses: z.string().optional(), observer: z.string().optional() })
const env = z.enum(['prod', 'staging', 'dev', 'test', 'unknown'])

export const identitySchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['k8s-workload', 'function', 'vm', 'process', 'aws-service', 'k8s-entity']),
  name: z.string(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  resourceId: z.string().optional(),
  environment: env.optional(),
  holdsPhi: z.enum(['yes', 'no', 'unknown']).optional(),
  process: z
    .object({
      host: z.string(),
      exePath: z.string(),
      exeSha256: z.string().regex(/^[0-9a-f]{64}$/),
      uid: z.number().int().nonnegative().optional(),
      user: z.string().optional(),
      cgroup: z.string().optional(),
      containerId: z.string().optional(),
    })
    .optional(),
  securityGroups: z.array(z.string()).optional(),
})

const port = z.number().int().min(0).max(65535)

export const baselineEdgeSchema = z.object({
  key: z.string(),
  from: peer,
  to: peer,
  port,
  protocol,
  count: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  packets: z.number().nonnegative(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  sources: z.array(source),
  origin: z.enum(['observed', 'declared', 'both']),
  declaredBy: z.string().optional(),
  state: z.enum(['observed', 'allowed', 'snoozed', 'denied']),
  review: z.object({ by: z.string(), at: z.string(), reason: z.string().optional(), until: z.string().optional() }).optional(),
  dropped: z.number().int().nonnegative(),
  samples: z.array(evidence),
})

const exception = z.object({ to: peer, port: port.optional(), protocol: protocol.optional(), by: z.string().min(1), reason: z.string().min(1), at: z.string(), expires: z.string().optional() })

export const baselineSchema = z.object({
  schema: z.literal('phiwall.baseline/v1'),
  generatedAt: z.string(),
  observed: z.object({ from: z.number(), to: z.number() }),
  learningDays: z.number().positive(),
  graceMs: z.number().nonnegative(),
  identities: z.record(z.string(), identitySchema),
  edges: z.array(baselineEdgeSchema),
  workloads: z.record(z.string(), 
    z.object({
      mode: z.enum(['off', 'learn', 'alert', 'enforce']),
      learningDays: z.number().positive().optional(),
      exceptions: z.array(exception).optional(),
      firstSeen: z.number().optional(),
      lastSeen: z.number().optional(),
      changedBy: z.string().optional(),
      changedAt: z.string().optional(),
    }),
  ),
  dns: z.record(z.string(), z.array(z.string())),
  hosts: z.record(z.string(), z.array(z.string())).optional(),
  addresses: z.array(z.object({ ip: z.string().min(1).optional(), eni: z.string().min(1).optional(), workload: z.string().min(1) })).optional(),
  apiCalls: z.record(z.string(), z.array(z.object({ service: z.string(), action: z.string(), resources: z.array(z.string()), count: z.number().int().nonnegative(), lastSeen: z.number(), functionArn: z.string().optional() }))).optional(),
  ingest: z.array(
    z.object({
      file: z.string(),
      format: source,
      lines: z.number(),
      flows: z.number(),
      skipped: z.number(),
      malformed: z.number(),
      malformedSamples: z.array(z.object({ line: z.number(), reason: z.string() })),
      unresolved: z.number(),
    }),
  ),
})

/** Parse a baseline file's JSON text; the error names the first problem's path. */
export function parseBaseline(text: string): { ok: true; baseline: Baseline } | { ok: false; error: string } {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    return { ok: false, error: `not JSON (${(err as Error).message})` }
  }
  const r = baselineSchema.safeParse(raw)
  if (!r.success) {
    const issue = r.error.issues[0]!
    return { ok: false, error: `${issue.path.join('.') || '(root)'}: ${issue.message}` }
  }
  return { ok: true, baseline: r.data as Baseline }
}

export { peer as peerSchema, protocol as protocolSchema }
