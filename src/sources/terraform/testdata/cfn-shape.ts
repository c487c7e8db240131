/**
 * Test helper: judges converted properties against the CloudFormation resource specification,
 * through the L1 constructs of aws-cdk-lib (a dev dependency). Each resource is parsed the way
 * `cloudformation-include` parses a template — unrecognised property names anywhere in the tree
 * come back as overrides — and then rendered, which runs the spec's type validators (an object
 * where a list is expected, a missing required property). References become references to
 * stand-in resources, so unknown values are accepted wherever CloudFormation accepts a `Ref`.
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
// deprecated-but-valid properties (EMR VisibleToAllUsers) are still CloudFormation's: no warnings
process.env['JSII_DEPRECATED'] ??= 'quiet'

interface CdkStack {
  resolve(v: unknown): unknown
}
interface CfnClass {
  CFN_RESOURCE_TYPE_NAME?: string
  _fromCloudFormation(scope: unknown, id: string, attrs: unknown, options: unknown): { rawOverrides?: Record<string, unknown>; _toCloudFormation(): unknown }
}

const cdk = require('aws-cdk-lib') as { App: new () => unknown; Stack: new (scope: unknown, id: string) => CdkStack; CfnResource: new (scope: unknown, id: string, props: { type: string }) => unknown }
const { CfnParser } = require('aws-cdk-lib/core/lib/helpers-internal') as { CfnParser: new (o: unknown) => unknown }

const classes = new Map<string, CfnClass | undefined>()

/** The L1 class of a CloudFormation type (`AWS::S3::Bucket` → `aws_s3.CfnBucket`). */
function cfnClass(type: string): CfnClass | undefined {
  if (classes.has(type)) return classes.get(type)
  const [, service, name] = type.split('::')
  let found: CfnClass | undefined
  try {
    const mod = require(`aws-cdk-lib/aws-${service!.toLowerCase()}`) as Record<string, CfnClass>
    found = mod[`Cfn${name}`]
    if (found?.CFN_RESOURCE_TYPE_NAME !== type) found = Object.values(mod).find((c) => c && (c as CfnClass).CFN_RESOURCE_TYPE_NAME === type)
  } catch {
    found = undefined
  }
  classes.set(type, found)
  return found
}

/** Leaf paths of the overrides; values may be CDK tokens (cyclic objects), which are leaves. */
function paths(v: unknown, prefix: string, out: string[], depth = 0): void {
  const plain = v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype
  if (plain && depth < 20) for (const [k, x] of Object.entries(v as Record<string, unknown>)) paths(x, prefix ? `${prefix}.${k}` : k, out, depth + 1)
  else out.push(prefix)
}

/** Problems of one resource's properties against the CloudFormation spec; empty when it conforms. */
export function cfnShapeProblems(type: string, props: Record<string, unknown>): string[] {
  // `PhiWall*` properties are PhiWall's own additions beside CloudFormation's (the sharing and
  // expiry the collector records: docs/snapshot-format.md), not part of the type's spec
  const properties = Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith('PhiWall')))
  const cls = cfnClass(type)
  if (!cls) return [`${type}: not a CloudFormation type aws-cdk-lib knows`]
  const app = new cdk.App()
  const stack = new cdk.Stack(app, 'Shape')
  const standIns = new Map<string, unknown>()
  const standIn = (id: string): unknown => {
    if (!standIns.has(id)) standIns.set(id, new cdk.CfnResource(stack, `StandIn${standIns.size}`, { type: 'AWS::CloudFormation::WaitConditionHandle' }))
    return standIns.get(id)
  }
  const finder = { findResource: standIn, findRefTarget: standIn, findCondition: () => undefined, findMapping: () => undefined }
  try {
    const res = cls._fromCloudFormation(stack, 'Converted', { Type: type, Properties: properties }, { parser: new CfnParser({ finder, parameters: {} }) })
    const extra: string[] = []
    if (res.rawOverrides?.['Properties']) paths(res.rawOverrides['Properties'], '', extra)
    if (extra.length) return extra.map((p) => `${type}: property ${p} is not in the CloudFormation spec`)
    stack.resolve(res._toCloudFormation())
    return []
  } catch (err) {
    return [`${type}: ${err instanceof Error ? err.message.split('\n').slice(0, 6).join(' / ') : String(err)}`]
  }
}
