import { z } from 'zod'
import type { Edge, Inventory, Resource } from '../model/index.js'
import { flowInventoryOf, type FlowInventory } from './declared.js'
import { identitySchema, protocolSchema } from './schema.js'

const port = z.number().int().min(0).max(65535)

/** The `workloads` block of `phiwall inventory --format json`: a {@link FlowInventory} as data. */
export const flowInventorySchema = z.object({
  identities: z.array(identitySchema),
  addresses: z.array(z.object({ ip: z.string().min(1).optional(), eni: z.string().min(1).optional(), workload: z.string().min(1) })),
  declared: z.array(z.object({ from: z.string().min(1), to: z.string().min(1), port, protocol: protocolSchema, evidence: z.string() })),
  ingressRouted: z.array(z.object({ to: z.string().min(1), port, evidence: z.string() })),
})

/** What a scan report (`phiwall scan --format json`) says that identities need: resources and edges, without properties. */
const scanReportSchema = z.object({
  schemaVersion: z.string().regex(/^1\./, 'a PhiWall JSON report of schema 1.x'),
  resources: z.array(
    z.looseObject({
      id: z.string().min(1),
      kind: z.string().min(1),
      type: z.string(),
      name: z.string(),
      provider: z.string(),
      environment: z.enum(['prod', 'staging', 'dev', 'test', 'unknown']),
      holdsPhi: z.enum(['yes', 'no', 'unknown']),
      sourceId: z.string(),
      origin: z.string(),
      namespace: z.string().optional(),
      location: z.object({ file: z.string(), line: z.number().int().optional() }),
      labels: z.record(z.string(), z.string()),
    }),
  ),
  edges: z.array(z.looseObject({ from: z.string(), to: z.string(), kind: z.string(), source: z.string(), evidence: z.string(), port: port.optional(), protocol: z.string().optional() })),
})

/** A `--inventory FILE`, read. */
export interface InventoryFile {
  inventory: FlowInventory
  /** `inventory`: `phiwall inventory --format json` (identities complete); `scan-report`: a scan's JSON report. */
  source: 'inventory' | 'scan-report'
  /** What the file could not give (a scan report has no pod labels, security groups or addresses). */
  notes: string[]
}

/**
 * Reads the inventory a flow command is given with `--inventory FILE`: the JSON of `phiwall
 * inventory --format json` (its `workloads` block: identities with pod labels and security groups,
 * the addresses the inventory knows, declared flows, Ingress-routed workloads) or the JSON report of
 * `phiwall scan --format json`, whose resources carry no properties (reports never do): from it come
 * the identities with their PHI state, environment and namespace, and the declared flows and
 * Ingress routes of its edges, but no pod labels, security groups or addresses (said in `notes`).
 * Throws an Error naming the first invalid field.
 */
export function readInventoryFile(text: string): InventoryFile {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`)
  }
  const where = (issue: z.core.$ZodIssue): string => `${issue.path.join('.') || '(top level)'}: ${issue.message}`
  if (json && typeof json === 'object' && 'workloads' in json) {
    const r = flowInventorySchema.safeParse((json as { workloads: unknown }).workloads)
    if (!r.success) throw new Error(`workloads.${where(r.error.issues[0]!)}`)
    return { inventory: r.data as FlowInventory, source: 'inventory', notes: [] }
  }
  const r = scanReportSchema.safeParse(json)
  if (!r.success) throw new Error(`neither \`phiwall inventory --format json\` output (no "workloads") nor a scan report (${where(r.error.issues[0]!)})`)
  const resources = r.data.resources.map((x) => ({ ...x, evidence: { phi: [], environment: [] }, props: {}, propLines: {}, stack: x.location.file }) as unknown as Resource)
  const edges = r.data.edges as unknown as Edge[]
  const inv: Inventory = { resources, edges }
  const inventory = flowInventoryOf(inv)
  // a report's labels are the objects' own, not the pod template's: no selector labels from it
  for (const i of inventory.identities) if (i.kind === 'k8s-workload') delete i.labels
  return {
    inventory,
    source: 'scan-report',
    notes: ['a scan report carries no resource properties: pod labels, security groups and addresses come from the baseline only (use `phiwall inventory --format json` or --manifests for them)'],
  }
}
