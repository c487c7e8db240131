import { compact, nonBlank, nonEmpty } from '../reader.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

/** Elastic Beanstalk environments: their option settings (managed updates, enhanced health, log streaming). */
export const ELASTICBEANSTALK_CONVERTERS: Record<string, TfConverter> = {
  aws_elastic_beanstalk_environment: (r) => {
    const tier = r.get('tier')
    return [
      own(
        r,
        'AWS::ElasticBeanstalk::Environment',
        {
          ApplicationName: r.ref('application'),
          EnvironmentName: r.get('name'),
          Description: nonBlank(r.get('description')),
          SolutionStackName: nonBlank(r.get('solution_stack_name')),
          PlatformArn: nonBlank(r.get('platform_arn')),
          TemplateName: nonBlank(r.get('template_name')),
          VersionLabel: nonBlank(r.ref('version_label')),
          CNAMEPrefix: nonBlank(r.get('cname_prefix')),
          Tier: typeof tier === 'string' ? { Name: tier, Type: tier === 'Worker' ? 'SQS/HTTP' : 'Standard' } : undefined,
          OptionSettings: nonEmpty(r.blocks('setting').map((s) => compact({ Namespace: s.get('namespace'), OptionName: s.get('name'), Value: s.get('value'), ResourceName: nonBlank(s.get('resource')) }))),
          Tags: r.tags(),
        },
        { lines: { OptionSettings: 'setting', EnvironmentName: 'name', ApplicationName: 'application' } },
      ),
    ]
  },
}
