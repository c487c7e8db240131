import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { resolve, subject } from './lib/judge.js'
import { describe, isObj, isUnknown, list, str } from './lib/values.js'

/** The value of a managed-actions option set on the environment or its configuration template. */
function option(env: Resource, ctx: CheckContext, namespace: string, name: string): { value: unknown; where: string; path?: string } | undefined {
  const find = (r: Resource): { value: unknown; index: number } | undefined => {
    const i = list(r.props['OptionSettings']).findIndex((o) => isObj(o) && str(o['Namespace']) === namespace && str(o['OptionName']) === name)
    return i >= 0 ? { value: (list(r.props['OptionSettings'])[i] as Record<string, unknown>)['Value'], index: i } : undefined
  }
  const own = find(env)
  if (own) return { value: own.value, where: 'environment', path: `OptionSettings.${own.index}.Value` }
  const tpl = resolve(env.props['TemplateName'], env, ctx, ['AWS::ElasticBeanstalk::ConfigurationTemplate'])[0]
  const inTpl = tpl ? find(tpl) : undefined
  if (inTpl) return { value: inTpl.value, where: `configuration template ${tpl!.name}` }
  return undefined
}

/** Platform patches (OS, runtime, web server) reach Beanstalk environments without waiting for someone to click. */
export default defineCheck({
  id: 'aws/beanstalk-managed-updates',
  title: 'Elastic Beanstalk environment applies managed platform updates',
  severity: 'medium',
  resourceKinds: ['aws:elasticbeanstalk:environment'],
  rationale:
    'Managed platform updates apply patch and minor platform versions (operating system, language runtime, proxy) in a weekly maintenance window. Environments created through CloudFormation or the API do not turn them on unless the option is set (the console does), so instances serving clinical applications keep running known-vulnerable packages.',
  remediation: {
    text: 'Set aws:elasticbeanstalk:managedactions ManagedActionsEnabled true with a PreferredStartTime, and aws:elasticbeanstalk:managedactions:platformupdate UpdateLevel minor (or patch); the environment needs the enhanced health service role.',
    cloudformation:
      'OptionSettings: [ { Namespace: "aws:elasticbeanstalk:managedactions", OptionName: ManagedActionsEnabled, Value: "true" }, { Namespace: "aws:elasticbeanstalk:managedactions", OptionName: PreferredStartTime, Value: "Sun:07:00" }, { Namespace: "aws:elasticbeanstalk:managedactions:platformupdate", OptionName: UpdateLevel, Value: minor } ]',
  },
  controls: { csf: ['PR.IP-12', 'PR.MA-1'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(5)(ii)(B)'], ferpa: ['FERPA-PATCH-MANAGEMENT'] },
  references: { awsConfig: ['ELASTIC_BEANSTALK_MANAGED_UPDATES_ENABLED'], cdkNag: ['HIPAA.Security-ElasticBeanstalkManagedUpdatesEnabled'], prowler: ['elasticbeanstalk_environment_managed_updates_enabled'] },
  evaluate(env, ctx) {
    const o = option(env, ctx, 'aws:elasticbeanstalk:managedactions', 'ManagedActionsEnabled')
    if (!o) {
      if (env.props['TemplateName'] !== undefined && !resolve(env.props['TemplateName'], env, ctx, ['AWS::ElasticBeanstalk::ConfigurationTemplate']).length) {
        return manual(`${subject(env)} takes options from configuration template ${describe(env.props['TemplateName'])}, which is not in the scan.`, { path: 'TemplateName' })
      }
      return fail(`${subject(env)} does not turn on managed platform updates.`)
    }
    if (isUnknown(o.value)) return manual(`${subject(env)} takes ManagedActionsEnabled from ${describe(o.value)}, unknown at scan time.`, o.path ? { path: o.path } : {})
    if (String(o.value).toLowerCase() === 'true') return pass(`${subject(env)} applies managed platform updates (set in its ${o.where}).`)
    return fail(`${subject(env)} has managed platform updates off (set in its ${o.where}).`, o.path ? { path: o.path } : {})
  },
})
