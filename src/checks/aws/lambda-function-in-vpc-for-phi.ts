import { isDataType } from '../../inventory/index.js'
import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { describe, isObj, isUnknown } from './lib/values.js'

/** PHI stores a function reads, writes or names in its environment. */
function phiStores(fn: Resource, ctx: CheckContext): Resource[] {
  const out: Resource[] = []
  for (const e of ctx.view.edgesOf(fn, 'out', ['reads', 'writes', 'uses'])) {
    const t = ctx.view.get(e.to)
    if (t && t.holdsPhi === 'yes' && isDataType(t.type) && t.type !== 'AWS::KMS::Key' && !out.includes(t)) out.push(t)
  }
  return out
}

/** Functions that handle PHI run inside the VPC, where network egress, endpoints and flow logs apply to them. */
export default defineCheck({
  id: 'aws/lambda-function-in-vpc-for-phi',
  title: 'Lambda function handling PHI runs in a VPC',
  severity: 'medium',
  resourceKinds: ['aws:lambda:function'],
  rationale:
    'A function outside a VPC has unrestricted internet egress: compromised code or a malicious dependency can send patient data anywhere, and no security group, network firewall or VPC flow log sees it. In a VPC, with VPC endpoints for AWS services and controlled egress, exfiltration paths are limited and recorded. Judged for functions that hold PHI or read, write or reference a PHI store.',
  remediation: {
    text: 'Attach the function to private subnets (at least two Availability Zones) with a security group that allows only the egress it needs; add gateway/interface VPC endpoints for DynamoDB, S3, Secrets Manager and KMS so it needs no NAT for AWS calls.',
    cloudformation: 'VpcConfig: { SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB], SecurityGroupIds: [!Ref FunctionSecurityGroup] }   (Serverless Framework: provider.vpc / functions.<name>.vpc)',
    terraform: 'vpc_config { subnet_ids = aws_subnet.private[*].id  security_group_ids = [aws_security_group.fn.id] }',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4', 'DE.CM-1'], hipaa: ['164.312(e)(1)', '164.308(a)(4)(ii)(B)', '164.312(b)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-NETWORK-MAPPING'] },
  references: { cdkNag: ['HIPAA.Security-LambdaInsideVPC'], prowler: ['awslambda_function_inside_vpc'] },
  appliesTo: (fn, ctx) => fn.holdsPhi === 'yes' || phiStores(fn, ctx).length > 0,
  evaluate(fn, ctx) {
    const stores = phiStores(fn, ctx)
    const why = stores.length ? `reaches PHI store${stores.length === 1 ? '' : 's'} ${stores.slice(0, 3).map((s) => s.name).join(', ')}` : 'handles PHI'
    const vpc = fn.props['VpcConfig']
    if (isUnknown(vpc)) return manual(`Lambda function ${fn.name} takes its VPC configuration from ${describe(vpc)}, unknown at scan time.`, { path: 'VpcConfig' })
    const subnets = isObj(vpc) ? vpc['SubnetIds'] : undefined
    if (Array.isArray(subnets)) {
      if (subnets.length) return pass(`Lambda function ${fn.name} ${why} and runs in a VPC (${subnets.length} subnet${subnets.length === 1 ? '' : 's'}).`, { subnets: subnets.length })
      return fail(`Lambda function ${fn.name} ${why} but its VpcConfig lists no subnets, so it runs outside the VPC.`, { path: 'VpcConfig', evidence: { stores: stores.map((s) => s.id) } })
    }
    if (isObj(subnets) && 'Fn::If' in subnets) return manual(`Lambda function ${fn.name} ${why}; whether it runs in a VPC depends on a condition (${describe(subnets)}).`, { path: 'VpcConfig' })
    // a parameter, import or unresolved variable: subnets are given, their ids unknown
    if (subnets !== undefined && subnets !== null && subnets !== '') return pass(`Lambda function ${fn.name} ${why} and runs in a VPC (subnets from ${describe(subnets)}).`, { subnets: describe(subnets) })
    return fail(`Lambda function ${fn.name} ${why} but runs outside any VPC.`, { path: vpc === undefined ? undefined : 'VpcConfig', evidence: { stores: stores.map((s) => s.id), phi: fn.evidence.phi.map((e) => e.detail) } })
  },
})
