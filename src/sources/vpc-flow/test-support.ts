// Helpers of the VPC flow log tests (not part of the build).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EdgeAggregator, IdentityResolver, type BaselineEdge, type Flow, type ResolverOptions } from '../../flows/index.js'
import { readVpcFlowLogDetailed, type VpcReadDetails } from './index.js'

export const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata')

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(TESTDATA, name))
}

/** The bytes in chunks of `size` (0: one chunk), or at the given cut points. */
export async function* chunks(buf: Buffer, size: number | number[]): AsyncGenerator<Buffer> {
  if (Array.isArray(size)) {
    let prev = 0
    for (const cut of [...size.filter((c) => c > 0 && c < buf.length)].sort((a, b) => a - b)) {
      yield buf.subarray(prev, cut)
      prev = cut
    }
    yield buf.subarray(prev)
    return
  }
  if (size <= 0) {
    yield buf
    return
  }
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

export interface ReadResult extends VpcReadDetails {
  edges: BaselineEdge[]
  flows: Flow[]
  resolver: IdentityResolver
}

/** Read `input` with a fresh aggregator (and a resolver built from `resolver` options). */
export async function read(input: string | Buffer, opts: { chunk?: number | number[]; resolver?: ResolverOptions | IdentityResolver; onFlow?: boolean; file?: string } = {}): Promise<ReadResult> {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  const resolver = opts.resolver instanceof IdentityResolver ? opts.resolver : new IdentityResolver(opts.resolver ?? {})
  const aggregator = new EdgeAggregator()
  const flows: Flow[] = []
  const ctx = { resolver, aggregator, file: opts.file ?? 'flows.log', ...(opts.onFlow ? { onFlow: (f: Flow) => flows.push(f) } : {}) }
  const details = await readVpcFlowLogDetailed(chunks(buf, opts.chunk ?? 0), ctx)
  return { ...details, edges: aggregator.edges(), flows, resolver }
}

/** An edge without its evidence samples (for comparisons independent of sample order). */
export function summary(e: BaselineEdge): { key: string; count: number; bytes: number; packets: number; dropped: number; firstSeen: number; lastSeen: number } {
  return { key: e.key, count: e.count, bytes: e.bytes, packets: e.packets, dropped: e.dropped, firstSeen: e.firstSeen, lastSeen: e.lastSeen }
}
