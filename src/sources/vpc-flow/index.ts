/**
 * @module sources/vpc-flow
 * AWS VPC Flow Logs (S3 delivery with its header line, any custom format of v2–v8 fields, or
 * header-less default-format exports from CloudWatch Logs) → edges between workload identities.
 * The reader works on bytes and aggregates as it reads (≥ 1 M lines/s per core, memory bounded by
 * distinct edges, see bench/flows.mjs); reply records are folded into the connection they answer.
 */
import type { FlowReadContext, FlowReader, IngestStats } from '../../flows/index.js'
import { VpcFlowReader, type VpcReadDetails } from './reader.js'

/** Read a VPC flow log, already decompressed, and report what it saw beyond the ingest stats. */
export async function readVpcFlowLogDetailed(chunks: AsyncIterable<Buffer | Uint8Array>, ctx: FlowReadContext): Promise<VpcReadDetails> {
  const reader = new VpcFlowReader(ctx)
  for await (const chunk of chunks) reader.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
  return reader.finish()
}

/** The VPC Flow Logs `FlowReader`: resolves, folds replies and aggregates into `ctx.aggregator`. */
export const readVpcFlowLog: FlowReader = async (chunks: AsyncIterable<Buffer>, ctx: FlowReadContext): Promise<IngestStats> => (await readVpcFlowLogDetailed(chunks, ctx)).stats

export { looksLikeVpcFlowLog } from './sniff.js'
export { DEFAULT_FIELDS, KNOWN_FIELDS } from './fields.js'
export { MAX_LINE_BYTES } from './reader.js'
export type { VpcReadDetails } from './reader.js'
