import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { label } from './lib/judge.js'
import { phiResidentsOfVpc, vpcsNamed } from './lib/network.js'
import { describe } from './lib/values.js'

/**
 * What the authorized list may name a VPC by: its id or ARN; in a template or plan, where the VPC
 * has no id yet, also its logical id, Terraform address or Name tag. A live VPC answers to its id
 * only, as in AWS Config: anyone allowed ec2:CreateTags could otherwise authorize a VPC by naming it.
 */
function namesOf(value: unknown, vpcs: Resource[], live: boolean): Set<string> {
  const out = new Set<string>()
  if (typeof value === 'string') out.add(value)
  for (const v of vpcs) {
    for (const n of live ? [v.physicalId, v.arn] : [v.name, v.sourceId, v.physicalId, v.arn, v.labels['Name']]) if (n) out.add(n)
    if (live && /^vpc-[0-9a-f]+$/.test(v.name)) out.add(v.name)
  }
  return out
}

function phiNote(vpcs: Resource[], ctx: CheckContext): string {
  const residents = vpcs.flatMap((v) => phiResidentsOfVpc(v, ctx))
  if (!residents.length) return ''
  const first = residents[0]!
  return ` PHI workloads run in it (${label(first)} ${first.name}${residents.length > 1 ? ` and ${residents.length - 1} more` : ''}).`
}

/** Only VPCs the organisation has decided may reach the internet have an internet gateway. */
export default defineCheck({
  id: 'aws/igw-authorized-vpc',
  title: 'Internet gateways are attached only to authorized VPCs',
  severity: 'medium',
  resourceKinds: ['aws:ec2:vpc-gateway-attachment'],
  rationale:
    'An internet gateway makes a VPC reachable from, and able to reach, the internet wherever a route table points at it. Where PHI is processed, which networks may touch the internet is decided once — an ingress or egress VPC — and reviewed; a gateway on any other VPC (a database VPC, a claims-processing VPC, a proof of concept left running) is an unreviewed path in and out that security groups alone then guard.',
  remediation: {
    text: 'Detach the gateway from a VPC that is not on the authorized list and send its traffic through the authorized ingress/egress VPC (Transit Gateway, a shared NAT) or VPC endpoints; or, after review, add the VPC to the list (--check-param aws/igw-authorized-vpc.authorizedVpcIds=vpc-…,vpc-…).',
    cli: 'aws ec2 detach-internet-gateway --internet-gateway-id <igw> --vpc-id <vpc>',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)', '164.308(a)(4)(ii)(B)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { awsConfig: ['INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY'] },
  parameters: {
    authorizedVpcIds: {
      description: "VPCs allowed an internet gateway (AWS Config's AuthorizedVpcIds): VPC ids, and for templates and plans (where a VPC has no id yet) a VPC's logical id, Terraform address or Name tag; a live VPC is matched by its id only. Without it every attached gateway is listed for review (manual), as AWS Config without the parameter reports them all.",
      pattern: /^(?=.*\w)[\w .:/[\]",-]+$/,
      form: 'VPC ids or names, comma-separated',
    },
  },
  // VPN gateways are attached the same way (VpnGatewayId): not internet gateways
  appliesTo: (a) => a.props['InternetGatewayId'] !== undefined,
  evaluate(att, ctx) {
    const value = att.props['VpcId']
    const vpcs = vpcsNamed(value, att, ctx)
    const vpcLabel = vpcs.length ? `VPC ${vpcs[0]!.name}` : `VPC ${describe(value)}`
    const gw = att.props['InternetGatewayId']
    const igws = ctx.view.refs(gw, att).filter((r) => r.type === 'AWS::EC2::InternetGateway')
    const igw = `Internet gateway ${igws.length ? igws[0]!.name : describe(gw)}`
    const list = ctx.params['authorizedVpcIds']
    if (list === undefined) {
      return manual(`${igw} is attached to ${vpcLabel}; no list of VPCs authorized to have one is given (--check-param aws/igw-authorized-vpc.authorizedVpcIds=…), so it is for review.${phiNote(vpcs, ctx)}`, { path: 'VpcId' })
    }
    const allowed = list.split(',').map((s) => s.trim()).filter(Boolean)
    const names = namesOf(value, vpcs, att.origin === 'aws-snapshot')
    if (!names.size) return manual(`${igw} is attached to a VPC given as ${describe(value)}, unknown at scan time.`, { path: 'VpcId' })
    if (allowed.some((a) => names.has(a))) return pass(`${igw} is attached to ${vpcLabel}, which is on the authorized list.`)
    return fail(`${igw} is attached to ${vpcLabel}, which is not on the list of ${allowed.length} authorized VPC${allowed.length === 1 ? '' : 's'}.${phiNote(vpcs, ctx)}`, { path: 'VpcId', evidence: { authorized: allowed.length } })
  },
})
