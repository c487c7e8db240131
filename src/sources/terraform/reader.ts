import type { TfReader, TfResource } from './types.js'

/**
 * Builds the reader a converter uses. An attribute configured from another resource
 * (`bucket = aws_s3_bucket.phi.id`) reads as a reference intrinsic to that resource, so the
 * inventory links them exactly as it links `!Ref` in a template; an attribute known only after
 * apply reads as a `Fn::GetAtt` of the resource itself (unknown at scan time).
 */
export function tfReader(res: TfResource): TfReader {
  const refTo = (attr: string): unknown => {
    const refs = res.references[attr]
    if (!refs || refs.length === 0) return undefined
    // the most specific reference: `aws_kms_key.k.arn` over `aws_kms_key.k`
    const full = refs.find((r) => /\.[a-z_]+$/.test(r) && !/^(var|local|data|module|each|count|path)\./.test(r)) ?? refs[0]!
    if (/^(var|local|each|count|path)\./.test(full)) return undefined
    const m = /^(.*?\.?[a-z0-9_]+\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?)(?:\.([a-z_]+))?$/.exec(full)
    if (!m) return { Ref: full }
    const target = m[1]!
    const attrName = m[2]
    if (!attrName || attrName === 'id' || attrName === 'name' || attrName === 'bucket') return { Ref: target }
    return { 'Fn::GetAtt': [target, attrName === 'arn' ? 'Arn' : attrName] }
  }
  return {
    res,
    raw: (attr) => res.values[attr],
    refTo,
    get(attr) {
      const v = res.values[attr]
      if (v !== undefined && v !== null) return v
      const r = refTo(attr)
      if (r !== undefined) return r
      if (res.unknown[attr] === true) return { 'Fn::GetAtt': [res.address, attr] }
      return v === null ? undefined : v
    },
  }
}

/** First element of a Terraform nested block list (`versioning { … }` is `[{…}]` in JSON). */
export function block(v: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(v)) return v[0] && typeof v[0] === 'object' ? (v[0] as Record<string, unknown>) : undefined
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined
}

/** All elements of a Terraform nested block list. */
export function blocks(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : []
}

/** Parse a JSON policy document string, keeping it as is when it is not JSON (e.g. unknown). */
export function policyDoc(v: unknown): unknown {
  if (typeof v !== 'string') return v
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}

/** Terraform `tags` map → CloudFormation `Tags` list. */
export function tagList(tags: unknown): { Key: string; Value: unknown }[] | undefined {
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return undefined
  const list = Object.entries(tags as Record<string, unknown>).map(([Key, Value]) => ({ Key, Value }))
  return list.length ? list : undefined
}

/** Drop undefined values so converted properties read like a template's. */
export function compact(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}
