import type { Resource } from '../../../model/index.js'
import { isObj, list } from './values.js'

/** A policy document written on an IAM resource, with a label and the property path it sits at. */
export interface IamPolicyDocument {
  document: unknown
  label: string
  path: string
}

/**
 * Policy documents an IAM resource carries itself: the inline `Policies` of roles, users and
 * groups, and the `PolicyDocument` of `AWS::IAM::Policy` / `ManagedPolicy`.
 */
export function iamPolicyDocuments(r: Resource): IamPolicyDocument[] {
  if (r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy' || r.type === 'AWS::IAM::RolePolicy' || r.type === 'AWS::IAM::UserPolicy' || r.type === 'AWS::IAM::GroupPolicy') {
    return [{ document: r.props['PolicyDocument'], label: `policy ${r.name}`, path: 'PolicyDocument' }]
  }
  return list(r.props['Policies']).flatMap((p, i) =>
    isObj(p) ? [{ document: p['PolicyDocument'], label: `inline policy ${typeof p['PolicyName'] === 'string' ? p['PolicyName'] : i}`, path: `Policies.${i}` }] : [],
  )
}

/** AWS managed policies that grant full or near-full administrative access. */
export const ADMIN_MANAGED_POLICIES = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess', 'AdministratorAccess-Amplify']

/** Name of an AWS managed policy an ARN (string or Sub) points at. */
export function managedPolicyName(arn: unknown): string | undefined {
  const s = typeof arn === 'string' ? arn : isObj(arn) && typeof arn['Fn::Sub'] === 'string' ? (arn['Fn::Sub'] as string) : isObj(arn) && Array.isArray(arn['Fn::Join']) ? JSON.stringify(arn['Fn::Join']) : undefined
  if (!s) return undefined
  const m = /:iam::aws:policy\/(?:[\w-]+\/)*([\w+=,.@-]+)/.exec(s.replace(/["\],[]+/g, ''))
  return m?.[1]
}
