import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { launchTemplateOf } from './lib/ec2.js'
import { subject } from './lib/judge.js'
import { at, describe, isObj, isUnknown, str } from './lib/values.js'

/** Amazon Linux 2023 AMIs are registered with ImdsSupport v2.0, so instances from them require tokens by default. */
function requiresTokensByAmi(imageId: unknown): boolean {
  return typeof imageId === 'string' && /al2023/i.test(imageId)
}

/** Judge MetadataOptions written at `base` on `r`, with the AMI that the instances launch from. */
function judge(r: Resource, opts: unknown, base: string, imageId: unknown, via?: string): CheckResult {
  const who = via ? `${subject(r)} (through ${via})` : subject(r)
  if (isUnknown(opts)) return manual(`${who} takes MetadataOptions from ${describe(opts)}, unknown at scan time.`, { path: base })
  const endpoint = isObj(opts) ? opts['HttpEndpoint'] : undefined
  const tokens = isObj(opts) ? opts['HttpTokens'] : undefined
  if (isUnknown(endpoint) || isUnknown(tokens)) return manual(`${who} takes its metadata options from values unknown at scan time.`, { path: base })
  if (str(endpoint)?.toLowerCase() === 'disabled') return pass(`${who} turns the instance metadata service off.`)
  const t = str(tokens)?.toLowerCase()
  if (t === 'required') return pass(`${who} requires IMDSv2 session tokens.`)
  if (t === 'optional') return fail(`${who} allows IMDSv1 (HttpTokens optional).`, { path: `${base}.HttpTokens` })
  if (requiresTokensByAmi(imageId)) return pass(`${who} launches an Amazon Linux 2023 AMI, which requires IMDSv2 tokens by default.`)
  return fail(`${who} does not set HttpTokens: required, so IMDSv1 stays available unless the AMI or the account default requires tokens.`, { path: isObj(opts) ? base : '' })
}

/** Instance credentials cannot be stolen through server-side request forgery against the metadata service. */
export default defineCheck({
  id: 'aws/ec2-imdsv2',
  title: 'EC2 instances require IMDSv2',
  severity: 'high',
  resourceKinds: ['aws:ec2:instance', 'aws:ec2:launch-template', 'aws:autoscaling:launch-configuration'],
  rationale:
    'IMDSv1 answers any HTTP GET from the instance, so one server-side request forgery bug in a web application hands an attacker the instance role credentials, and with them the PHI buckets and tables the role can read (the 2019 Capital One breach). IMDSv2 requires a session token obtained with a PUT, which SSRF cannot make.',
  remediation: {
    text: 'Set MetadataOptions HttpTokens: required (and HttpPutResponseHopLimit: 2 for containers) on the instance, its launch template or the launch configuration, and require IMDSv2 for new instances at the account level.',
    cloudformation: 'LaunchTemplateData: { MetadataOptions: { HttpTokens: required, HttpEndpoint: enabled, HttpPutResponseHopLimit: 2 } }',
    terraform: 'metadata_options { http_tokens = "required"  http_endpoint = "enabled" }',
    cli: 'aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required --http-endpoint enabled',
  },
  controls: { csf: ['PR.AC-4', 'PR.IP-1', 'PR.DS-5'], hipaa: ['164.312(a)(1)', '164.308(a)(1)(ii)(B)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { awsConfig: ['EC2_IMDSV2_CHECK'], cdkNag: ['HIPAA.Security-EC2IMDSv2Enabled'], prowler: ['ec2_instance_imdsv2_enabled', 'ec2_launch_template_imdsv2_required'] },
  evaluate(r, ctx) {
    if (r.type === 'AWS::EC2::LaunchTemplate') return judge(r, at(r.props, 'LaunchTemplateData.MetadataOptions'), 'LaunchTemplateData.MetadataOptions', at(r.props, 'LaunchTemplateData.ImageId'))
    if (r.type === 'AWS::AutoScaling::LaunchConfiguration') return judge(r, r.props['MetadataOptions'], 'MetadataOptions', r.props['ImageId'])
    if (r.props['MetadataOptions'] !== undefined) return judge(r, r.props['MetadataOptions'], 'MetadataOptions', r.props['ImageId'])
    if (r.props['LaunchTemplate'] !== undefined) {
      const lt = launchTemplateOf(r, ctx)
      if (!lt) return manual(`${subject(r)} launches from launch template ${describe(at(r.props, 'LaunchTemplate.LaunchTemplateName') ?? at(r.props, 'LaunchTemplate.LaunchTemplateId'))}, which is not in the scan.`, { path: 'LaunchTemplate' })
      return judge(lt, at(lt.props, 'LaunchTemplateData.MetadataOptions'), 'LaunchTemplateData.MetadataOptions', r.props['ImageId'] ?? at(lt.props, 'LaunchTemplateData.ImageId'), `instance ${r.name}`)
    }
    if (r.origin === 'aws-snapshot') return manual(`${subject(r)} does not report its metadata options in the snapshot.`)
    if (requiresTokensByAmi(r.props['ImageId'])) return pass(`${subject(r)} launches an Amazon Linux 2023 AMI, which requires IMDSv2 tokens by default.`)
    return fail(`${subject(r)} sets no MetadataOptions and has no launch template requiring IMDSv2, so IMDSv1 stays available unless the AMI or the account default requires tokens.`, { path: 'ImageId' })
  },
})
