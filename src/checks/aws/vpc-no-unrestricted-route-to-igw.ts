import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { defaultRoutes, phiResidents, subnetsOfRouteTable } from './lib/network.js'

/** Subnets where PHI workloads run have no direct route to the internet. */
export default defineCheck({
  id: 'aws/vpc-no-unrestricted-route-to-igw',
  title: 'Route table of PHI subnets has no default route to an internet gateway',
  severity: 'high',
  resourceKinds: ['aws:ec2:route-table'],
  rationale:
    'A 0.0.0.0/0 or ::/0 route to an internet gateway makes a subnet public: any host with a public address is directly reachable from and can send directly to the internet. Public subnets are legitimate for load balancers and NAT gateways, so PhiWall flags such routes only where the route table serves subnets in which PHI workloads or databases run; those belong in private subnets that leave through NAT or VPC endpoints. (AWS Config NO_UNRESTRICTED_ROUTE_TO_IGW flags every such route; this check narrows it to where PHI is at stake.)',
  remediation: {
    text: 'Move PHI workloads and databases to private subnets whose route table sends 0.0.0.0/0 to a NAT gateway (or nowhere, with VPC endpoints), and keep internet gateway routes for load balancer and NAT subnets.',
    cloudformation: 'PrivateDefaultRoute: { Type: AWS::EC2::Route, Properties: { RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref NatGateway } }',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS', 'FERPA-NETWORK-MAPPING'] },
  references: { awsConfig: ['NO_UNRESTRICTED_ROUTE_TO_IGW'], cdkNag: ['HIPAA.Security-VPCNoUnrestrictedRouteToIGW'] },
  evaluate(rt, ctx) {
    const routes = defaultRoutes(rt, ctx)
    const toIgw = routes.filter((r) => r.toIgw === 'yes')
    const unknown = routes.filter((r) => r.toIgw === 'unknown')
    if (!toIgw.length && !unknown.length) return pass(`${subject(rt)} has no default route to an internet gateway.`)
    const subnets = subnetsOfRouteTable(rt, ctx)
    const phi = subnets.flatMap((s) => phiResidents(s, ctx).map((w) => ({ s, w })))
    if (!phi.length) {
      if (!subnets.length) return pass(`${subject(rt)} routes to an internet gateway but is associated with no subnet in the scan.`)
      return pass(`${subject(rt)} routes to an internet gateway for subnet${subnets.length > 1 ? 's' : ''} ${subnets.map((s) => s.name).join(', ')}, where no PHI workload runs.`, { subnets: subnets.map((s) => s.id) })
    }
    const where = phi.slice(0, 3).map(({ s, w }) => `${w.name} in ${s.name}`).join(', ')
    if (!toIgw.length) return manual(`${subject(rt)} has a default route to a gateway PhiWall cannot resolve, and serves PHI workloads (${where}).`, { evidence: { routes: unknown.map((r) => r.route.id) } })
    return fail(`${subject(rt)} sends ${toIgw.map((r) => r.destination).join(' and ')} to an internet gateway from subnets where PHI workloads run (${where}).`, {
      evidence: { routes: toIgw.map((r) => r.route.id), workloads: phi.map(({ w }) => w.id).slice(0, 10) },
    })
  },
})
