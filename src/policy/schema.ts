import { z } from 'zod'
import { identitySchema, peerSchema, protocolSchema } from '../flows/index.js'
import type { PolicySet } from './types.js'

const port = z.number().int().min(0).max(65535)
const infra = z.enum(['dns', 'kube-apiserver', 'metrics-scrape', 'health-check', 'ingress-controller', 'aws-endpoint', 'observability-agent'])
const rule = z.object({
  peer: peerSchema,
  port,
  endPort: port.optional(),
  protocol: protocolSchema,
  origin: z.enum(['observed', 'declared', 'both', 'infrastructure', 'precanned', 'exception']),
  infrastructure: infra.optional(),
  reason: z.string(),
  count: z.number().optional(),
  lastSeen: z.number().optional(),
  approvedBy: z.string().optional(),
})
const selector = z.object({ namespace: z.string(), labels: z.record(z.string(), z.string()) })

export const policySetSchema = z.object({
  schema: z.literal('phiwall.policy/v1'),
  version: z.number().int().positive(),
  generatedAt: z.string(),
  baselineDigest: z.string(),
  cluster: z.object({
    dns: selector.extend({ addresses: z.array(z.string()) }),
    apiServer: z.object({ addresses: z.array(z.string()), port }),
    metrics: selector.optional(),
    ingressController: selector.optional(),
    healthCheckCidrs: z.array(z.string()),
    hostResolvers: z.array(z.string()),
  }),
  workloads: z.array(
    z.object({
      identity: identitySchema,
      mode: z.enum(['off', 'learn', 'alert', 'enforce']),
      holdsPhi: z.enum(['yes', 'no', 'unknown']),
      ingress: z.array(rule),
      egress: z.array(rule),
      withheld: z.array(z.object({ peer: peerSchema, port, protocol: protocolSchema, reason: z.string() })),
    }),
  ),
  identities: z.record(z.string(), identitySchema),
  dns: z.record(z.string(), z.array(z.string())),
  hosts: z.record(z.string(), z.array(z.string())),
  addresses: z.array(z.object({ ip: z.string().min(1).optional(), eni: z.string().min(1).optional(), workload: z.string().min(1) })).optional(),
  apiCalls: z.record(z.string(), z.array(z.object({ service: z.string(), action: z.string(), resources: z.array(z.string()), count: z.number(), lastSeen: z.number(), functionArn: z.string().optional() }))),
})

/** A partial cluster context file (`--cluster cluster.yaml`). */
export const clusterContextSchema = policySetSchema.shape.cluster.partial().strict()

/** Parse a policy.json text; the error names the first problem's path. */
export function parsePolicySet(text: string): { ok: true; policy: PolicySet } | { ok: false; error: string } {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    return { ok: false, error: `not JSON (${(err as Error).message})` }
  }
  const r = policySetSchema.safeParse(raw)
  if (!r.success) {
    const issue = r.error.issues[0]!
    return { ok: false, error: `${issue.path.join('.') || '(root)'}: ${issue.message}` }
  }
  return { ok: true, policy: r.data as PolicySet }
}
