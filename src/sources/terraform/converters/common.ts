import { isIntrinsic } from '../../cloudformation/index.js'
import { compact, nested, nonEmpty } from '../reader.js'
import type { TfMerge, TfOwnResource, TfReader } from '../types.js'

/** The resource a Terraform resource becomes, under its own address. */
export function own(r: TfReader, type: string, properties: Record<string, unknown>, extra: Partial<TfOwnResource> = {}): TfOwnResource {
  return { sourceId: r.res.address, type, properties: compact(properties), ...extra }
}

/** A further resource generated from a Terraform resource (`<address>#policy`). */
export function generated(r: TfReader, suffix: string, type: string, properties: Record<string, unknown>, extra: Partial<TfOwnResource> = {}): TfOwnResource {
  return { sourceId: `${r.res.address}#${suffix}`, type, properties: compact(properties), generatedFrom: r.res.address, ...extra }
}

/** Properties merged into the resource of `type` that `target` (a reference or a name) designates. */
export function mergeInto(type: string, target: unknown, properties: Record<string, unknown>, extra: Omit<Partial<TfMerge>, 'mergeInto' | 'properties'> & { match?: Record<string, unknown>; all?: boolean } = {}): TfMerge {
  const { match, all, ...rest } = extra
  return { mergeInto: { type, ...(target !== undefined ? { target } : {}), ...(match ? { match } : {}), ...(all ? { all } : {}) }, properties: compact(properties), ...rest }
}

/** Region a resource is in: its own `region` (provider v6), its provider configuration's, the plan's. */
export function regionOf(r: TfReader): string | undefined {
  const own = r.raw('region')
  if (typeof own === 'string' && own) return own
  const key = r.res.config?.providerKey
  const arn = r.raw('arn')
  const fromArn = typeof arn === 'string' ? arn.split(':')[3] : undefined
  return (key ? r.plan.config.regions.get(key) : undefined) ?? (fromArn || undefined) ?? r.plan.region
}

/**
 * The one `PhiWall::AWS::RegionSettings` of a region, which several Terraform resources add to.
 * `generated` names it apart from a resource the Terraform resource also becomes.
 */
export function regionSettings(r: TfReader, properties: Record<string, unknown>, isGenerated = false): TfOwnResource {
  const region = regionOf(r)
  const extra: Partial<TfOwnResource> = { coalesce: `PhiWall::AWS::RegionSettings\u0000${region ?? ''}` }
  const props = { Region: region, ...properties }
  return isGenerated ? generated(r, 'region-settings', 'PhiWall::AWS::RegionSettings', props, extra) : own(r, 'PhiWall::AWS::RegionSettings', props, extra)
}

/** A Terraform boolean that may be unknown: `true`/`false`, the intrinsic, or undefined. */
export function flag(v: unknown): unknown {
  if (typeof v === 'boolean' || v === undefined) return v
  if (v !== null && typeof v === 'object' && isIntrinsic(v)) return v
  if (v === 'true') return true
  if (v === 'false') return false
  return v
}

/** Value unless it is Terraform's "unset" number (`-1`, `0` where 0 means unlimited / default). */
export function unlessNumber(v: unknown, ...unset: number[]): unknown {
  return typeof v === 'number' && unset.includes(v) ? undefined : v
}


/** First defined value (for attributes renamed between provider versions). */
export function first(...values: unknown[]): unknown {
  return values.find((v) => v !== undefined)
}

/** A `cors` / `cors_configuration` block in the CloudFormation Cors shape shared by Lambda URLs and HTTP APIs. */
export function corsOf(cors: TfReader) {
  return nested({
    AllowCredentials: cors.get('allow_credentials'),
    AllowHeaders: nonEmpty(cors.get('allow_headers')),
    AllowMethods: nonEmpty(cors.get('allow_methods')),
    AllowOrigins: nonEmpty(cors.get('allow_origins')),
    ExposeHeaders: nonEmpty(cors.get('expose_headers')),
    MaxAge: cors.get('max_age'),
  })
}
