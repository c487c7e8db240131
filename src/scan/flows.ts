import fs from 'node:fs'
import { z } from 'zod'
import {
  ApiCallAggregator,
  EdgeAggregator,
  IdentityResolver,
  buildBaseline,
  flowInventoryOf,
  readInventoryFile,
  type AddressEntry,
  type InventoryFile,
  type Baseline,
  type Flow,
  type FlowInventory,
  type FlowSourceKind,
  type IngestStats,
} from '../flows/index.js'
import { buildInventory } from '../inventory/index.js'
import { PhiwallError, pushAll, type Diagnostic } from '../model/index.js'
import { collect } from '../sources/index.js'
import { flowReader, readFlowFiles } from '../sources/flow-files/index.js'

/** The identity a flow's peer id names, as resolved so far (inventory, baseline, or learned from the stream). */
export type IdentityLookup = (id: string) => import('../flows/index.js').WorkloadIdentity | undefined

/** Options shared by the flow stages. */
export interface FlowStageOptions {
  format?: FlowSourceKind
  /** Infrastructure code (manifests, templates, plans, snapshots) whose workloads name the identities. */
  manifests?: string[]
  /** Address book files: which address or ENI belongs to which workload. */
  addresses?: string[]
  /** `--inventory` files: `phiwall inventory --format json` output or a scan's JSON report (see `readInventoryFile`). */
  inventoryFiles?: string[]
  /** A baseline learned before (its identities, DNS knowledge and reviews carry over). */
  previous?: Baseline
  /** Told the inventory's identity ids once `manifests` and `inventoryFiles` are read (deviation detection treats them as known). */
  onInventory?: (identityIds: Set<string>) => void
}

const addressEntry = z
  .object({ ip: z.string().min(1).optional(), eni: z.string().regex(/^eni-[0-9a-f]+$/).optional(), workload: z.string().min(1) })
  .strict()
  .refine((a) => a.ip !== undefined || a.eni !== undefined, 'needs ip or eni')

/**
 * Read an address book: JSON (`[{ "ip": "10.0.1.17", "workload": "intake" }, { "eni": "eni-0abc…", "workload": "…" }]`)
 * or CSV lines `address-or-eni,workload`. Bad entries become diagnostics naming file and line.
 */
export function readAddressBook(file: string, diagnostics: Diagnostic[]): AddressEntry[] {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    diagnostics.push({ code: 'PW_ERR_SOURCE_UNREADABLE', level: 'error', message: `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, file })
    return []
  }
  const out: AddressEntry[] = []
  if (text.trimStart().startsWith('[')) {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (err) {
      diagnostics.push({ code: 'PW_ERR_JSON_SYNTAX', level: 'error', message: `${file}: ${(err as Error).message}`, file })
      return []
    }
    if (!Array.isArray(raw)) return []
    raw.forEach((entry, i) => {
      const r = addressEntry.safeParse(entry)
      if (r.success) out.push(r.data as AddressEntry)
      else diagnostics.push({ code: 'PW_ERR_ADDRESS_BOOK', level: 'error', message: `${file}: entry ${i + 1}: ${r.error.issues[0]!.message}`, file })
    })
    return out
  }
  text.split(/\r?\n/).forEach((line, i) => {
    const l = line.trim()
    if (!l || l.startsWith('#') || /^(ip|address|eni)\s*,/i.test(l)) return
    const [addr, workload, ...rest] = l.split(',').map((s) => s.trim())
    const entry = addr?.startsWith('eni-') ? { eni: addr, workload } : { ip: addr, workload }
    const r = addressEntry.safeParse(entry)
    if (r.success && rest.length === 0) out.push(r.data as AddressEntry)
    else diagnostics.push({ code: 'PW_ERR_ADDRESS_BOOK', level: 'error', message: `${file}:${i + 1}: expected "address-or-eni,workload"`, file, line: i + 1 })
  })
  return out
}

/** Identities and declared connections from infrastructure code. */
export async function loadFlowInventory(paths: string[]): Promise<{ inventory: FlowInventory; diagnostics: Diagnostic[] }> {
  const collected = await collect(paths, { components: false })
  return { inventory: flowInventoryOf(buildInventory(collected.documents)), diagnostics: collected.diagnostics.filter((d) => d.level === 'error') }
}

/**
 * The flow inventories of `--inventory` files (`phiwall inventory --format json`, or a scan's JSON
 * report), merged in order. A file that cannot be read or is not one of those is an error naming it;
 * what a scan report cannot give is a warning.
 */
export function loadInventoryFiles(files: string[]): { inventory: FlowInventory; diagnostics: Diagnostic[] } {
  const inventory: FlowInventory = { identities: [], addresses: [], declared: [], ingressRouted: [] }
  const diagnostics: Diagnostic[] = []
  for (const file of files) {
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      throw new PhiwallError('PW_ERR_INVENTORY_INVALID', `The inventory ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err })
    }
    let read: InventoryFile
    try {
      read = readInventoryFile(text)
    } catch (err) {
      throw new PhiwallError('PW_ERR_INVENTORY_INVALID', `The inventory ${file} is ${(err as Error).message}.`, { cause: err })
    }
    pushAll(inventory.identities, read.inventory.identities)
    pushAll(inventory.addresses, read.inventory.addresses)
    pushAll(inventory.declared, read.inventory.declared)
    pushAll(inventory.ingressRouted, read.inventory.ingressRouted)
    for (const note of read.notes) diagnostics.push({ code: 'PW_ERR_INVENTORY_PARTIAL', level: 'warning', message: `${file}: ${note}.`, file })
  }
  return { inventory, diagnostics }
}

interface Prepared {
  resolver: IdentityResolver
  aggregator: EdgeAggregator
  apiCalls: ApiCallAggregator
  inventory?: FlowInventory
  /** The address book the resolver was given (files, inventory), which the baseline keeps. */
  addresses: AddressEntry[]
  diagnostics: Diagnostic[]
}

async function prepare(opts: FlowStageOptions): Promise<Prepared> {
  const diagnostics: Diagnostic[] = []
  let inventory: FlowInventory | undefined
  if (opts.manifests?.length) {
    const loaded = await loadFlowInventory(opts.manifests)
    inventory = loaded.inventory
    diagnostics.push(...loaded.diagnostics)
  }
  if (opts.inventoryFiles?.length) {
    const loaded = loadInventoryFiles(opts.inventoryFiles)
    diagnostics.push(...loaded.diagnostics)
    inventory = inventory
      ? { identities: [...inventory.identities, ...loaded.inventory.identities], addresses: [...inventory.addresses, ...loaded.inventory.addresses], declared: [...inventory.declared, ...loaded.inventory.declared], ingressRouted: [...inventory.ingressRouted, ...loaded.inventory.ingressRouted] }
      : loaded.inventory
  }
  opts.onInventory?.(new Set((inventory?.identities ?? []).map((i) => i.id)))
  const book = [...(opts.previous?.addresses ?? []), ...(inventory?.addresses ?? []), ...(opts.addresses ?? []).flatMap((f) => readAddressBook(f, diagnostics))]
  const resolver = new IdentityResolver({
    identities: [...Object.values(opts.previous?.identities ?? {}), ...(inventory?.identities ?? [])],
    addresses: book,
    dns: opts.previous?.dns ?? {},
  })
  for (const [name, ids] of resolver.ambiguousNames) {
    diagnostics.push({ code: 'PW_ERR_ADDRESS_BOOK', level: 'warning', file: '(address book)', message: `Address book name ${name} matches ${ids.length} workloads (${ids.join(', ')}); its addresses are not attributed to any of them: write the full id.` })
  }
  // what the previous baseline knew about hosts: their addresses, and which process serves which port
  const prev = opts.previous
  if (prev) {
    for (const [host, ips] of Object.entries(prev.hosts ?? {})) resolver.addHost(host, ips)
    for (const e of prev.edges) {
      if (e.to.kind !== 'identity') continue
      const host = prev.identities[e.to.id]?.process?.host
      const ips = host ? prev.hosts?.[host] : undefined
      if (ips?.length) resolver.addListener(ips, e.port, e.protocol, e.to.id)
    }
  }
  return { resolver, aggregator: new EdgeAggregator(), apiCalls: new ApiCallAggregator(), ...(inventory ? { inventory } : {}), addresses: book, diagnostics }
}

export interface LearnResult {
  baseline: Baseline
  stats: IngestStats[]
  diagnostics: Diagnostic[]
  hosts: Record<string, string[]>
}

/**
 * `phiwall flows ingest`: read flow files, resolve every address to an identity, aggregate
 * into edges and build (or extend) the baseline, with the declared edges of the manifests merged.
 */
export async function learnBaseline(paths: string[], opts: FlowStageOptions & { learningDays?: number; graceMs?: number; now?: Date } = {}): Promise<LearnResult> {
  const p = await prepare(opts)
  const read = await readFlowFiles(paths, { ...(opts.format ? { format: opts.format } : {}), context: { resolver: p.resolver, aggregator: p.aggregator, apiCalls: p.apiCalls } })
  const baseline = buildBaseline({
    aggregator: p.aggregator,
    apiCalls: p.apiCalls,
    resolver: p.resolver,
    stats: read.stats,
    ...(opts.previous ? { previous: opts.previous } : {}),
    ...(p.inventory ? { declared: p.inventory.declared } : {}),
    ...(p.addresses.length ? { addresses: p.addresses } : {}),
    ...(opts.learningDays !== undefined ? { learningDays: opts.learningDays } : {}),
    ...(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  })
  return { baseline, stats: read.stats, diagnostics: [...p.diagnostics, ...read.diagnostics], hosts: p.resolver.hosts() }
}

/**
 * Replay flow files one flow at a time (simulation, deviation detection), resolving addresses
 * with the baseline's identities and DNS knowledge.
 */
export async function replayFlows(paths: string[], onFlow: (f: Flow, identityOf: IdentityLookup) => void, opts: FlowStageOptions = {}): Promise<{ stats: IngestStats[]; diagnostics: Diagnostic[]; identities: Record<string, import('../flows/index.js').WorkloadIdentity>; hosts: Record<string, string[]> }> {
  const p = await prepare(opts)
  const identityOf: IdentityLookup = (id) => p.resolver.identity(id)
  const read = await readFlowFiles(paths, { ...(opts.format ? { format: opts.format } : {}), context: { resolver: p.resolver, aggregator: p.aggregator, onFlow: (f) => onFlow(f, identityOf) } })
  return { stats: read.stats, diagnostics: [...p.diagnostics, ...read.diagnostics], identities: p.resolver.identities(), hosts: p.resolver.hosts() }
}

/**
 * Watch a live stream of flow records (standard input from `hubble observe -o json --follow` or
 * `phiwall agent --out -`, or a followed file): each flow is resolved with the baseline's
 * identities and handed to `onFlow` as it arrives. Resolves when the stream ends.
 */
export async function watchFlows(chunks: AsyncIterable<Buffer>, format: FlowSourceKind, onFlow: (f: Flow, identityOf: IdentityLookup) => void, opts: FlowStageOptions & { name?: string } = {}): Promise<{ stats: IngestStats; diagnostics: Diagnostic[]; identities: Record<string, import('../flows/index.js').WorkloadIdentity> }> {
  const p = await prepare(opts)
  const identityOf: IdentityLookup = (id) => p.resolver.identity(id)
  const stats = await flowReader(format)(chunks, { resolver: p.resolver, aggregator: p.aggregator, apiCalls: p.apiCalls, onFlow: (f) => onFlow(f, identityOf), file: opts.name ?? '-' })
  return { stats, diagnostics: p.diagnostics, identities: p.resolver.identities() }
}
