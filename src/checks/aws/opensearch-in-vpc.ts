import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { at, describe, isUnknown, list } from './lib/values.js'

/** Search domains have no public endpoint. */
export default defineCheck({
  id: 'aws/opensearch-in-vpc',
  title: 'OpenSearch domain runs inside a VPC',
  severity: 'high',
  resourceKinds: ['aws:opensearchservice:domain', 'aws:elasticsearch:domain'],
  rationale:
    'A domain without VPCOptions gets a public endpoint on the internet, protected only by its access policy; a permissive policy (or an IP condition that is too wide) exposes every indexed document. Open search clusters are one of the most common sources of large medical data leaks.',
  remediation: {
    text: 'Create the domain with VPCOptions (private subnets and a security group allowing only the application); moving an existing public domain into a VPC requires a new domain.',
    cloudformation: 'VPCOptions: { SubnetIds: [ !Ref PrivateSubnetA, !Ref PrivateSubnetB ], SecurityGroupIds: [ !Ref SearchSecurityGroup ] }',
    terraform: 'vpc_options { subnet_ids = [aws_subnet.private_a.id]  security_group_ids = [aws_security_group.search.id] }',
  },
  controls: { csf: ['PR.AC-5', 'PR.AC-3'], hipaa: ['164.312(a)(1)', '164.312(e)(1)'], ferpa: ['FERPA-LAYERED-DEFENSE', 'FERPA-ACCESS-CONTROL'] },
  references: {
    awsConfig: ['ELASTICSEARCH_IN_VPC_ONLY', 'OPENSEARCH_IN_VPC_ONLY'],
    cdkNag: ['HIPAA.Security-OpenSearchInVPCOnly'],
    prowler: ['opensearch_service_domains_not_publicly_accessible'],
  },
  evaluate(d) {
    const subnets = at(d.props, 'VPCOptions.SubnetIds')
    if (isUnknown(subnets)) return manual(`${subject(d)} takes its subnets from ${describe(subnets)}, unknown at scan time.`, { path: 'VPCOptions.SubnetIds' })
    if (list(subnets).length) return pass(`${subject(d)} runs inside a VPC.`)
    return fail(`${subject(d)} has a public endpoint (no VPCOptions).`, d.props['VPCOptions'] !== undefined ? { path: 'VPCOptions' } : {})
  },
})
