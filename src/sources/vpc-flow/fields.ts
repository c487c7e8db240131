/**
 * The field names of AWS VPC Flow Logs records (AWS docs, "Flow log records" → "Available
 * fields"), the default format, and reading a header line into a compiled format: the column of
 * each field the reader uses.
 */

/** Version 2 fields: the default format, in this order. */
export const DEFAULT_FIELDS = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status'] as const

/** Every field name AWS documents (versions 2 to 8). Headers may also name fields not listed here: they are accepted and ignored. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  ...DEFAULT_FIELDS,
  // v3
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  // v4
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  // v5
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
  // v7 (ECS)
  'ecs-cluster-arn',
  'ecs-cluster-name',
  'ecs-container-instance-arn',
  'ecs-container-instance-id',
  'ecs-container-id',
  'ecs-second-container-id',
  'ecs-service-name',
  'ecs-task-definition-arn',
  'ecs-task-arn',
  'ecs-task-id',
  // v8
  'reject-reason',
])

/** A header compiled into the columns the reader needs; -1 when the format lacks the field. */
export interface VpcFormat {
  /** Number of fields every record must have. */
  n: number
  names: string[]
  iface: number
  src: number
  dst: number
  sport: number
  dport: number
  proto: number
  packets: number
  bytes: number
  start: number
  end: number
  action: number
  status: number
  flags: number
  psrc: number
  pdst: number
  dir: number
  /** Columns of the numeric fields, in `NUMERIC_FIELDS` order (-1: absent). */
  numCols: Int32Array
  /** Columns of the address fields, in `ADDRESS_FIELDS` order (-1: absent). */
  addrCols: Int32Array
}

/** The numeric fields the reader parses, in one pass (their index is the slot of the value). */
export const NUMERIC_FIELDS = ['srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'tcp-flags'] as const
/** The address fields the reader interns, in one pass. */
export const ADDRESS_FIELDS = ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr'] as const

/** Compile field names (already checked to be a header) into a format. */
export function compileFormat(names: string[]): VpcFormat {
  const at = (name: string): number => names.indexOf(name)
  return {
    n: names.length,
    names,
    iface: at('interface-id'),
    src: at('srcaddr'),
    dst: at('dstaddr'),
    sport: at('srcport'),
    dport: at('dstport'),
    proto: at('protocol'),
    packets: at('packets'),
    bytes: at('bytes'),
    start: at('start'),
    end: at('end'),
    action: at('action'),
    status: at('log-status'),
    flags: at('tcp-flags'),
    psrc: at('pkt-srcaddr'),
    pdst: at('pkt-dstaddr'),
    dir: at('flow-direction'),
    numCols: Int32Array.from(NUMERIC_FIELDS, at),
    addrCols: Int32Array.from(ADDRESS_FIELDS, at),
  }
}

/** The default (version 2) format, assumed for records before any header line. */
export const DEFAULT_FORMAT: VpcFormat = compileFormat([...DEFAULT_FIELDS])

/** A field name's shape: a lowercase letter, then lowercase letters, digits, `-` or `_`. */
const NAME = /^[a-z][a-z0-9_-]*$/

/**
 * Is this list of tokens a header line? Every token is name-shaped, no name repeats, and at least
 * one is a field AWS documents (unknown names are accepted beside known ones, so a field added
 * after this list was written does not turn headers into malformed records). A record never
 * passes: its addresses, numbers, `-` and upper-case words (ACCEPT, OK, IPv4) are not name-shaped.
 */
export function isHeaderTokens(tokens: readonly string[]): boolean {
  if (tokens.length === 0) return false
  let known = 0
  const seen = new Set<string>()
  for (const t of tokens) {
    if (!NAME.test(t) || seen.has(t)) return false
    seen.add(t)
    if (KNOWN_FIELDS.has(t)) known++
  }
  return known > 0
}
