import type { Resource } from '../model/index.js'
import { onlyOwnKey } from '../sources/index.js'
import { arnTarget } from './aws/arn.js'

/** Lookup tables used to resolve references between resources. */
export interface RefIndex {
  byId: Map<string, Resource>
  /** stack → sourceId → resource (logical ids, Terraform addresses, function keys). */
  byStackSource: Map<string, Map<string, Resource>>
  /** stack → logical id, for Serverless functions (`CreateLambdaFunction`) whose source id is the function key. */
  byStackLogical: Map<string, Map<string, Resource>>
  /** `type\u0000physicalName` → resources (names can repeat across stacks). */
  byTypeName: Map<string, Resource[]>
  byArn: Map<string, Resource>
  /** Live resource ids (`sg-0abc…`, `subnet-…`) → resource. */
  byPhysicalId: Map<string, Resource>
  /** Template resources without a declared physical name: named by their logical id in their own stack only. */
  generated: Set<Resource>
}

/** The resources named `type`/`name` that a reference from `stack` can mean (see `RefIndex.generated`). */
function named(idx: RefIndex, type: string, name: string, stack: string | undefined): Resource[] {
  const all = idx.byTypeName.get(`${type}\u0000${name}`)
  if (!all) return []
  return all.some((r) => idx.generated.has(r)) ? all.filter((r) => !idx.generated.has(r) || r.stack === stack) : all
}

const SUB_VAR = /\$\{([^}!][^}]*)\}/g
/** Stand-ins for the pseudo parameters of an ARN in a `Fn::Sub`: enough to read its type and name. */
const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'region', 'AWS::AccountId': 'account', 'AWS::URLSuffix': 'amazonaws.com' }

/**
 * Resources a value refers to: `Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`, parts of `Fn::Join`,
 * ARNs and physical names (`arn:aws:s3:::phi-bucket/*`, a queue URL). References are resolved in
 * the resource's own stack first, names and ARNs across the whole inventory.
 */
export function referencedResources(value: unknown, from: Resource, idx: RefIndex, out: Set<Resource> = new Set(), depth = 0): Set<Resource> {
  if (depth > 12 || value === null || value === undefined) return out
  if (typeof value === 'string') {
    matchString(value, idx, out, from.stack)
    return out
  }
  if (typeof value !== 'object') return out
  if (Array.isArray(value)) {
    for (const v of value) referencedResources(v, from, idx, out, depth + 1)
    return out
  }
  const o = value as Record<string, unknown>
  const k = onlyOwnKey(o)
  if (k !== undefined) {
    const a = o[k]
    if (k === 'Ref' && typeof a === 'string') {
      // a Terraform address contains dots; a SAM referable property (`Fn.Alias`) names its resource before the dot
      const r = lookup(from.stack, a, idx) ?? lookup(from.stack, a.split('.')[0]!, idx)
      if (r) out.add(r)
      return out
    }
    if (k === 'Fn::GetAtt') {
      const name = typeof a === 'string' ? a.split('.')[0] : Array.isArray(a) ? a[0] : undefined
      if (typeof name === 'string') {
        const r = lookup(from.stack, name, idx)
        if (r) out.add(r)
      }
      return out
    }
    if (k === 'Fn::Sub') {
      const tpl = typeof a === 'string' ? a : Array.isArray(a) ? a[0] : undefined
      const vars = Array.isArray(a) && a[1] && typeof a[1] === 'object' ? (a[1] as Record<string, unknown>) : {}
      if (typeof tpl === 'string') {
        for (const m of tpl.matchAll(SUB_VAR)) {
          const name = m[1]!.split('.')[0]!
          if (name in vars) referencedResources(vars[name], from, idx, out, depth + 1)
          else {
            const r = lookup(from.stack, name, idx)
            if (r) out.add(r)
          }
        }
        // a Sub with only literal parts and pseudo parameters may still name a resource by ARN
        // (`arn:${AWS::Partition}:s3:::plain-prod/*`, what a SAM policy template with a literal
        // bucket name becomes): the ARN's type and name do not depend on partition, region or account
        SUB_VAR.lastIndex = 0
        const literal = tpl.replace(SUB_VAR, (w, name: string) => PSEUDO[name] ?? w)
        SUB_VAR.lastIndex = 0
        if (!SUB_VAR.test(literal)) matchString(literal, idx, out, from.stack)
        SUB_VAR.lastIndex = 0
      }
      return out
    }
  }
  for (const key in o) if (Object.prototype.hasOwnProperty.call(o, key)) referencedResources(o[key], from, idx, out, depth + 1)
  return out
}

function lookup(stack: string, name: string, idx: RefIndex): Resource | undefined {
  return idx.byStackSource.get(stack)?.get(name) ?? idx.byStackLogical.get(stack)?.get(name)
}

function matchString(s: string, idx: RefIndex, out: Set<Resource>, stack: string): void {
  if (s.length > 2048) return
  if (s.startsWith('arn:')) {
    const exact = idx.byArn.get(s)
    if (exact) {
      out.add(exact)
      return
    }
    const t = arnTarget(s)
    if (t) for (const r of named(idx, t.type, t.name, stack)) out.add(r)
    return
  }
  // live resources refer to each other by EC2-style ids (10 to 24 characters: the length is
  // asked first, as most strings of a template are not ids)
  if (s.length >= 10 && s.length <= 24 && /^(sg|subnet|vpc|vol|i|igw|nat|rtb|eni|lt|pl|vpce|acl)-[0-9a-f]{8,17}$/.test(s)) {
    const r = idx.byPhysicalId.get(s)
    if (r) out.add(r)
    return
  }
  const queueUrl = s.startsWith('https://sqs.') ? /^https:\/\/sqs\.[^/]+\/\d+\/([^/]+)$/.exec(s) : null
  if (queueUrl) for (const r of named(idx, 'AWS::SQS::Queue', queueUrl[1]!, stack)) out.add(r)
}

/**
 * Resources a plain physical name refers to, of a given type (environment variables such as
 * `TABLE=patients`), as written in a resource of `stack`: a template resource without a declared
 * name answers to its logical id only there.
 */
export function resourcesNamed(name: string, type: string, idx: RefIndex, stack?: string): Resource[] {
  return named(idx, type, name, stack)
}
