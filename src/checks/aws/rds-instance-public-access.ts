import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { resolve, subject } from './lib/judge.js'
import { subnetsNamed } from './lib/network.js'
import { bool, describe } from './lib/values.js'

/** Does the VPC of a DB subnet group have an internet gateway attached? Undefined when the scan cannot tell. */
function subnetGroupVpcHasIgw(db: Resource, ctx: CheckContext): boolean | undefined {
  const groups = resolve(db.props['DBSubnetGroupName'], db, ctx, ['AWS::RDS::DBSubnetGroup'])
  if (!groups.length) return undefined
  const subnets = subnetsNamed(groups[0]!.props['SubnetIds'], groups[0]!, ctx)
  const vpcs = new Set(subnets.flatMap((s) => resolve(s.props['VpcId'], s, ctx, ['AWS::EC2::VPC'])))
  if (!vpcs.size) return undefined
  const attachments = ctx.view.ofType('AWS::EC2::VPCGatewayAttachment').filter((a) => a.props['InternetGatewayId'] !== undefined)
  for (const vpc of vpcs) if (attachments.some((a) => resolve(a.props['VpcId'], a, ctx, ['AWS::EC2::VPC']).includes(vpc))) return true
  return false
}

/** Databases holding PHI have no public endpoint. */
export default defineCheck({
  id: 'aws/rds-instance-public-access',
  title: 'RDS DB instance is not publicly accessible',
  severity: 'high',
  resourceKinds: ['aws:rds:db-instance'],
  rationale:
    'A publicly accessible instance gets a DNS name that resolves to a public IP address; one permissive security group rule then exposes the database port to the internet, where it is found by scanners within minutes and attacked with credential stuffing and engine exploits.',
  remediation: {
    text: 'Set PubliclyAccessible: false and place the instance in a DB subnet group of private subnets; reach it through the application tier, a bastion over SSM, or a VPN.',
    cloudformation: 'PubliclyAccessible: false\nDBSubnetGroupName: !Ref PrivateDbSubnets',
    terraform: 'publicly_accessible = false',
    cli: 'aws rds modify-db-instance --db-instance-identifier <id> --no-publicly-accessible --apply-immediately',
  },
  controls: { csf: ['PR.AC-3', 'PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(a)(1)', '164.312(e)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-ACCESS-CONTROL', 'FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { awsConfig: ['RDS_INSTANCE_PUBLIC_ACCESS_CHECK'], cdkNag: ['HIPAA.Security-RDSInstancePublicAccess'], prowler: ['rds_instance_no_public_access'] },
  evaluate(db, ctx) {
    const raw = db.props['PubliclyAccessible']
    const v = bool(raw, undefined)
    if (raw !== undefined && v === undefined) return manual(`${subject(db)} takes PubliclyAccessible from ${describe(raw)}, unknown at scan time.`, { path: 'PubliclyAccessible' })
    if (v === true) return fail(`${subject(db)} is publicly accessible.`, { path: 'PubliclyAccessible' })
    if (v === false) return pass(`${subject(db)} is not publicly accessible.`)
    if (db.origin === 'aws-snapshot') return pass(`${subject(db)} is not publicly accessible.`)
    // absent: RDS makes the instance public when its VPC has an internet gateway
    if (db.props['DBSubnetGroupName'] === undefined) return fail(`${subject(db)} does not set PubliclyAccessible and has no DB subnet group, so it launches in the default VPC, which has an internet gateway, and is publicly accessible.`)
    const igw = subnetGroupVpcHasIgw(db, ctx)
    if (igw === true) return fail(`${subject(db)} does not set PubliclyAccessible, and the VPC of its subnet group has an internet gateway, so it is publicly accessible.`, { path: 'DBSubnetGroupName' })
    if (igw === false) return pass(`${subject(db)} does not set PubliclyAccessible, and the VPC of its subnet group has no internet gateway, so it is private.`)
    return manual(`${subject(db)} does not set PubliclyAccessible; it becomes public if the VPC of subnet group ${describe(db.props['DBSubnetGroupName'])} has an internet gateway, which the scan does not show.`, { path: 'DBSubnetGroupName' })
  },
})
