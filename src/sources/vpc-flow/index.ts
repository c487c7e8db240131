/**
 * @module sources/vpc-flow
 * AWS VPC Flow Logs → edges between workload identities, aggregated as the file is read.
 *
 * Formats: the S3 delivery with its header line (the default v2 format or any custom format of
 * v2–v8 fields in any order, unknown field names accepted), a header that reappears mid-file
 * (concatenated files), and header-less default-format records (CloudWatch Logs exports: a line
 * of 14 fields starting with `2`). `-` is no value; NODATA / SKIPDATA records and records without
 * addresses are `skipped`; a malformed line is counted with its line number and a generic reason
 * (never its content) and reading goes on. Gzip is the caller's: chunks are decompressed bytes.
 *
 * Semantics (details in reader.ts):
 * - the packet-level address (`pkt-srcaddr` / `pkt-dstaddr`), when present, is the peer: behind a
 *   NAT gateway or load balancer the interface-level one is the intermediary; both are evidence;
 * - the reporting ENI (`interface-id`) names the local side only, and only when that side was not
 *   translated: `flow-direction` says which side; without it (v2–v4) the side the ENI would change
 *   is chosen from what the file shows (a public address is never an ENI's own; the address this
 *   ENI's records share), and a record that cannot tell yet waits for later records of its ENI
 *   (bounded), else it is attributed by address alone rather than guessed;
 * - reply records are folded into the connection they answer (`from` = client, `port` = server
 *   port) by tcp-flags (SYN / SYN-ACK) first, else by ports (< 1024 or learned as listening from a
 *   SYN-ACK, against an ephemeral one; both ephemeral: the lower, counted as a guess). A folded
 *   reply is still a flow record of the edge (its bytes are the response's);
 * - `stats.unresolved` counts flows with at least one side that resolved only to a CIDR bucket;
 *   the resolver's own `unresolved` counter still counts sides, as if asked every line.
 *
 * Speed: ≥ 1 M lines/s per core with aggregation (bench/flows.mjs): bytes are never turned into
 * strings but for new addresses, resolutions are cached per (address, ENI) for the duration of a
 * read (a resolver changed during the read is not seen), and memory is bounded by distinct edges.
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
