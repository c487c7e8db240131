import type { Resource } from '../../../model/index.js'
import type { CheckContext } from '../../types.js'
import { describe, isUnknown } from './values.js'

/** What kind of KMS key a `KmsKeyId` / `KmsKeyArn` property names. */
export type KeyRef =
  | { kind: 'default' }
  | { kind: 'aws-managed'; value: string }
  | { kind: 'customer'; key?: Resource; value: string }
  | { kind: 'unknown'; value: string }

/**
 * Classify a key reference: absent (the service's AWS managed key), an AWS managed key
 * (`alias/aws/…`), a customer managed key (a key or alias of the inventory, a key ARN or id, a
 * customer alias), or unknown at scan time (a parameter, an import).
 */
export function keyRef(value: unknown, from: Resource, ctx: CheckContext): KeyRef {
  if (value === undefined || value === null || value === '') return { kind: 'default' }
  const key = ctx.view.refs(value, from).find((r) => r.type === 'AWS::KMS::Key' || r.type === 'AWS::KMS::Alias' || r.type === 'AWS::KMS::ReplicaKey')
  if (key) {
    const alias = key.type === 'AWS::KMS::Alias' ? key.props['AliasName'] : undefined
    if (typeof alias === 'string' && alias.startsWith('alias/aws/')) return { kind: 'aws-managed', value: alias }
    return { kind: 'customer', key, value: describe(value) }
  }
  if (typeof value === 'string' && !isUnknown(value)) {
    if (/(^|:)alias\/aws\//.test(value)) return { kind: 'aws-managed', value: shortAlias(value) }
    return { kind: 'customer', value }
  }
  // a Sub naming an alias literally (`arn:${AWS::Partition}:kms:…:alias/aws/lambda`)
  const sub = value && typeof value === 'object' ? (value as Record<string, unknown>)['Fn::Sub'] : undefined
  const tpl = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined
  if (tpl && /(^|:)alias\/aws\//.test(tpl)) return { kind: 'aws-managed', value: shortAlias(tpl) }
  if (tpl && /:key\/[0-9a-f-]{36}$|:alias\/(?!aws\/)[\w/-]+$/.test(tpl)) return { kind: 'customer', value: tpl }
  return { kind: 'unknown', value: describe(value) }
}

function shortAlias(s: string): string {
  return s.replace(/^.*(alias\/aws\/.*)$/, '$1')
}
