import { compact, nested } from '../reader.js'
import type { TfConverter } from '../types.js'
import { mergeInto, own, regionSettings } from './common.js'

/** GuardDuty detectors and their features; an enabled detector also marks its region's settings. */
export const GUARDDUTY_CONVERTERS: Record<string, TfConverter> = {
  aws_guardduty_detector: (r) => {
    const ds = r.block('datasources')
    const s3 = ds?.block('s3_logs')
    const k8s = ds?.block('kubernetes')?.block('audit_logs')
    const malware = ds?.block('malware_protection')?.block('scan_ec2_instance_with_findings')?.block('ebs_volumes')
    const enable = r.getOr('enable', true)
    return [
      own(r, 'AWS::GuardDuty::Detector', {
        Enable: enable,
        FindingPublishingFrequency: r.get('finding_publishing_frequency'),
        DataSources: ds
          ? nested({
              S3Logs: s3 ? nested({ Enable: s3.get('enable') }) : undefined,
              Kubernetes: k8s ? { AuditLogs: compact({ Enable: k8s.get('enable') }) } : undefined,
              MalwareProtection: malware ? { ScanEc2InstanceWithFindings: compact({ EbsVolumes: malware.get('enable') }) } : undefined,
            })
          : undefined,
        Tags: r.tags(),
      }),
      regionSettings(r, { GuardDutyEnabled: enable }, true),
    ]
  },
  aws_guardduty_detector_feature: (r) => [
    mergeInto(
      'AWS::GuardDuty::Detector',
      r.ref('detector_id'),
      { Features: [compact({ Name: r.get('name'), Status: r.get('status'), AdditionalConfiguration: r.blocks('additional_configuration').map((a) => compact({ Name: a.get('name'), Status: a.get('status') })) })] },
      { append: ['Features'] },
    ),
  ],
}
