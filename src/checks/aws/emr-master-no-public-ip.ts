import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { subnetIsPublic, subnetsNamed } from './lib/network.js'
import { at, bool, describe, list } from './lib/values.js'

/** The primary node of a cluster processing patient data is not reachable from the internet. */
export default defineCheck({
  id: 'aws/emr-master-no-public-ip',
  title: 'EMR cluster runs in private subnets (no public IP on the primary node)',
  severity: 'high',
  resourceKinds: ['aws:emr:cluster'],
  rationale:
    'EMR gives cluster nodes public IP addresses when it launches them in a public subnet. The primary node runs web interfaces (YARN, Spark history, Hue, Jupyter) that have been abused to run code and read data; with a public address, one permissive security group rule exposes them and the datasets behind them. A template cannot show a public IP directly, so PhiWall follows the cluster to its subnet and that subnet\'s route table.',
  remediation: {
    text: 'Launch clusters in private subnets (Ec2SubnetId / Ec2SubnetIds) whose route table has no internet gateway route; reach the web interfaces through SSM port forwarding or a VPN, and S3 through a gateway endpoint.',
    cloudformation: 'Instances: { Ec2SubnetId: !Ref PrivateSubnetA, ... }',
  },
  controls: { csf: ['PR.AC-5', 'PR.PT-4'], hipaa: ['164.312(e)(1)', '164.312(a)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-FIREWALLS-IDPS'] },
  references: { awsConfig: ['EMR_MASTER_NO_PUBLIC_IP'], prowler: ['emr_cluster_master_nodes_no_public_ip'] },
  evaluate(cluster, ctx) {
    const declared = [at(cluster.props, 'Instances.Ec2SubnetId'), ...list(at(cluster.props, 'Instances.Ec2SubnetIds'))].filter((x) => x !== undefined)
    if (!declared.length) return fail(`${subject(cluster)} names no subnet, so it launches in the default VPC, whose subnets are public.`, { path: 'Instances' })
    const subnets = declared.flatMap((d) => subnetsNamed(d, cluster, ctx))
    if (!subnets.length) return manual(`${subject(cluster)} launches in subnet ${describe(declared[0])}, which is not in the scan; its primary node gets a public IP address if that subnet is public.`, { path: 'Instances' })
    const pub = subnets.find((s) => subnetIsPublic(s, ctx) === 'yes' || bool(s.props['MapPublicIpOnLaunch'], false) === true)
    if (pub) return fail(`${subject(cluster)} launches in public subnet ${pub.name}, so its primary node gets a public IP address.`, { path: 'Instances' })
    const unknown = subnets.find((s) => subnetIsPublic(s, ctx) === 'unknown')
    if (unknown) return manual(`${subject(cluster)} launches in subnet ${unknown.name}, whose route table is not in the scan; check that it has no internet gateway route.`, { path: 'Instances' })
    return pass(`${subject(cluster)} launches in private subnet${subnets.length > 1 ? 's' : ''} ${subnets.map((s) => s.name).join(', ')}.`)
  },
})
