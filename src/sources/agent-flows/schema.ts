import { z } from 'zod'
import { normalizeIp } from '../../flows/index.js'
import type { AgentRecord } from '../../flows/index.js'

/**
 * One line of the agent's NDJSON (`AgentRecord`, `schema: 'phiwall.agent/v1'`). Unknown fields
 * are allowed (a newer agent may add some); what is read is checked: addresses must be IP
 * addresses, ports 0–65535, times finite epoch milliseconds, and a connection needs its remote
 * end and direction.
 */
const ip = z.string().refine((s) => normalizeIp(s) !== undefined, 'not an IP address')
const endpoint = z.object({ ip, port: z.number().int().min(0).max(65535) })
const epochMs = z.number().finite().min(0)

export const agentRecordSchema: z.ZodType<AgentRecord> = z
  .object({
    schema: z.literal('phiwall.agent/v1'),
    kind: z.enum(['connection', 'listen']),
    host: z.string().min(1),
    hostAddresses: z.array(ip),
    protocol: z.enum(['tcp', 'udp']),
    direction: z.enum(['outbound', 'inbound']).optional(),
    local: endpoint,
    remote: endpoint.optional(),
    process: z
      .object({
        pid: z.number().int().min(0),
        exePath: z.string().min(1),
        exeSha256: z.string(),
        uid: z.number().int().min(0),
        user: z.string().optional(),
        cgroup: z.string().optional(),
        containerId: z.string().optional(),
      })
      .optional(),
    source: z.enum(['procfs', 'conntrack']),
    firstSeen: epochMs,
    lastSeen: epochMs,
    count: z.number().int().min(0),
  })
  .refine((r) => r.kind !== 'connection' || (r.remote !== undefined && r.direction !== undefined), { message: 'a connection needs remote and direction', path: ['remote'] })

