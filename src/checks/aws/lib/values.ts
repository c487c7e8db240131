import { isIntrinsic } from '../../../sources/index.js'

/** Is a value unknown at scan time (an unresolved intrinsic or Serverless variable)? */
export function isUnknown(v: unknown): boolean {
  // a Serverless Framework variable left unresolved (`${ssm:/clinic/key}`)
  if (typeof v === 'string') return /\$\{(ssm|env|cf|opt|self|file\(|param|sls|s3|aws|secrets|construct)[:(]/.test(v)
  return v !== null && typeof v === 'object' && !Array.isArray(v) && isIntrinsic(v)
}

/**
 * Boolean of a property as CloudFormation reads it: `true` / `"true"` (any case) are true,
 * `false` / `"false"` false; unknown values give `undefined`; absent gives `fallback`.
 */
export function bool(v: unknown, fallback?: boolean): boolean | undefined {
  if (v === undefined || v === null) return fallback
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') {
    const s = v.toLowerCase()
    if (s === 'true') return true
    if (s === 'false') return false
  }
  return undefined
}

/** Number of a property (numbers and numeric strings); undefined when absent or unknown. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v)
  return undefined
}

/** String of a property; undefined when absent or not a string. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** Value at a dotted path (`BucketEncryption.ServerSideEncryptionConfiguration.0`). */
export function at(obj: unknown, path: string): unknown {
  let segments = SEGMENTS.get(path)
  if (!segments) {
    segments = path.split('.')
    if (SEGMENTS.size < 10_000) SEGMENTS.set(path, segments)
  }
  let node = obj
  for (const key of segments) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

/** Split paths: checks ask for the same few hundred paths of every resource. */
const SEGMENTS = new Map<string, string[]>()

/** A value as a list: arrays as they are, a single value as a one-item list, absent as empty. */
export function list(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]
}

/** Plain-object test. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** A short, safe description of a value for evidence: intrinsics by name, strings truncated. */
export function describe(v: unknown): string {
  if (v === undefined) return 'not set'
  if (isObj(v) && isIntrinsic(v)) {
    const k = Object.keys(v)[0]!
    const a = v[k]
    return `${k} ${typeof a === 'string' ? a : Array.isArray(a) && typeof a[0] === 'string' ? a[0] : '…'}`
  }
  const s = typeof v === 'string' ? v : JSON.stringify(v)
  return s.length > 80 ? s.slice(0, 80) + '…' : s
}
