import { z } from 'zod'

/**
 * The parts of Cilium's `flow.Flow` (api/v1/flow/flow.proto) that PhiWall reads, in the proto3
 * JSON mapping `hubble observe -o json` prints (proto field names, enums as their names, 64-bit
 * integers as strings). The schemas are permissive: unknown fields are allowed (and ignored),
 * every field may be absent or null as protojson allows, and only the types of the fields read
 * are checked.
 */

/** A uint32 as protojson writes it (a number; a decimal string is accepted too, as protojson reads it). */
const uint = (max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d{1,10}$/).transform(Number)])
    .pipe(z.number().int().min(0).max(max))

const port = uint(65535)

const tcpFlags = z.object({
  SYN: z.boolean().nullish(),
  ACK: z.boolean().nullish(),
  FIN: z.boolean().nullish(),
  RST: z.boolean().nullish(),
  PSH: z.boolean().nullish(),
})

const ports = { source_port: port.nullish(), destination_port: port.nullish() }

const icmp = z.object({ type: uint(255).nullish(), code: uint(255).nullish() })

export const layer4Schema = z.object({
  TCP: z.object({ ...ports, flags: tcpFlags.nullish() }).nullish(),
  UDP: z.object(ports).nullish(),
  SCTP: z.object(ports).nullish(),
  ICMPv4: icmp.nullish(),
  ICMPv6: icmp.nullish(),
})

export const endpointSchema = z.object({
  ID: uint(0xffffffff).nullish(),
  identity: uint(0xffffffff).nullish(),
  cluster_name: z.string().nullish(),
  namespace: z.string().nullish(),
  labels: z.array(z.string()).nullish(),
  pod_name: z.string().nullish(),
  workloads: z.array(z.object({ name: z.string(), kind: z.string().nullish() })).nullish(),
})

/** An enum as protojson writes it: its name (a number is accepted too). */
const enumValue = z.union([z.string(), z.number().int()])

export const dnsSchema = z.object({
  query: z.string().nullish(),
  ips: z.array(z.string()).nullish(),
  rcode: uint(0xffffffff).nullish(),
})

export const layer7Schema = z.object({
  type: enumValue.nullish(),
  dns: dnsSchema.nullish(),
})

export const flowSchema = z.object({
  time: z.string().nullish(),
  verdict: enumValue.nullish(),
  drop_reason_desc: enumValue.nullish(),
  IP: z
    .object({
      source: z.string().nullish(),
      destination: z.string().nullish(),
      ipVersion: enumValue.nullish(),
    })
    .nullish(),
  l4: layer4Schema.nullish(),
  source: endpointSchema.nullish(),
  destination: endpointSchema.nullish(),
  Type: enumValue.nullish(),
  node_name: z.string().nullish(),
  source_names: z.array(z.string()).nullish(),
  destination_names: z.array(z.string()).nullish(),
  l7: layer7Schema.nullish(),
  is_reply: z.boolean().nullish(),
  event_type: z.object({ type: z.number().int().nullish(), sub_type: z.number().int().nullish() }).nullish(),
  traffic_direction: enumValue.nullish(),
  trace_observation_point: enumValue.nullish(),
})

export type HubbleFlow = z.infer<typeof flowSchema>
export type HubbleEndpoint = z.infer<typeof endpointSchema>

/** `GetFlowsResponse` as `hubble observe -o json` prints it: a flow, or a node status / lost-events notice. */
export const responseSchema = z.object({
  flow: flowSchema.nullish(),
  node_name: z.string().nullish(),
  time: z.string().nullish(),
})

/** Fields whose presence marks an object as a bare Hubble flow. */
export const FLOW_FIELDS = ['verdict', 'IP', 'l4', 'source', 'destination', 'Type', 'trace_observation_point', 'traffic_direction', 'event_type', 'ethernet', 'l7'] as const

/** `GetFlowsResponse` members that are not flows (printed by some hubble versions): skipped, not malformed. */
export const NON_FLOW_RESPONSES = ['node_status', 'lost_events', 'agent_event', 'debug_event'] as const
