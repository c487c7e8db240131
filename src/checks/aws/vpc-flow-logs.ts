import { defineCheck, fail, pass } from '../define-check.js'
import { pointsAt, subject } from './lib/judge.js'
import { str } from './lib/values.js'

/** Network connections in and out of the VPC are recorded. */
export default defineCheck({
  id: 'aws/vpc-flow-logs',
  title: 'VPC has flow logs',
  severity: 'medium',
  resourceKinds: ['aws:ec2:vpc'],
  rationale:
    'Without flow logs there is no record of which hosts talked to which addresses: exfiltration of patient data to an unknown IP, lateral movement and scanning cannot be detected or reconstructed after an incident.',
  remediation: {
    text: 'Add an AWS::EC2::FlowLog for the VPC (TrafficType ALL) delivering to CloudWatch Logs or S3 with retention that matches your audit policy.',
    cloudformation: 'VpcFlowLog: { Type: AWS::EC2::FlowLog, Properties: { ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: ALL, LogDestinationType: s3, LogDestination: !GetAtt FlowLogBucket.Arn } }',
    terraform: 'resource "aws_flow_log" "vpc" { vpc_id = aws_vpc.main.id  traffic_type = "ALL"  log_destination = aws_s3_bucket.flow_logs.arn  log_destination_type = "s3" }',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-3', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING', 'FERPA-NETWORK-MAPPING'] },
  references: { awsConfig: ['VPC_FLOW_LOGS_ENABLED'], cdkNag: ['HIPAA.Security-VPCFlowLogsEnabled'], prowler: ['vpc_flow_logs_enabled'] },
  evaluate(vpc, ctx) {
    const logs = ctx.view.ofType('AWS::EC2::FlowLog').filter((f) => pointsAt(f.props['ResourceId'], f, vpc, ctx) || pointsAt(f.props['ResourceIds'], f, vpc, ctx))
    if (logs.length) return pass(`${subject(vpc)} has flow log ${logs[0]!.name} (${str(logs[0]!.props['TrafficType']) ?? 'traffic type not set'}).`)
    return fail(`${subject(vpc)} has no flow log.`)
  },
})
