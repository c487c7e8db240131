import { nonBlank, nonEmpty } from '../reader.js'
import { safeSet } from '../../located/index.js'
import type { TfConverter } from '../types.js'
import { own } from './common.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Block names that are lists in CloudFormation, with their plural property names. */
const LISTS: Record<string, string> = {
  rule: 'Rules',
  text_transformation: 'TextTransformations',
  rule_action_override: 'RuleActionOverrides',
  excluded_rule: 'ExcludedRules',
  managed_rule_group_configs: 'ManagedRuleGroupConfigs',
  custom_key: 'CustomKeys',
  rule_label: 'RuleLabels',
  redacted_fields: 'RedactedFields',
  filter: 'Filters',
  condition: 'Conditions',
  included_paths: 'IncludedPaths',
}

/** Names whose CloudFormation spelling is not plain PascalCase. */
const NAMES: Record<string, string> = {
  cloudwatch_metrics_enabled: 'CloudWatchMetricsEnabled',
  forwarded_ip_config: 'ForwardedIPConfig',
  ip_set_forwarded_ip_config: 'IPSetForwardedIPConfig',
  ja3_fingerprint: 'JA3Fingerprint',
  ja4_fingerprint: 'JA4Fingerprint',
  aws_managed_rules_bot_control_rule_set: 'AWSManagedRulesBotControlRuleSet',
  aws_managed_rules_acfp_rule_set: 'AWSManagedRulesACFPRuleSet',
  aws_managed_rules_atp_rule_set: 'AWSManagedRulesATPRuleSet',
}

function pascal(k: string): string {
  return NAMES[k] ?? k.replace(/(^|_)([a-z0-9])/g, (_m, _s: string, c: string) => c.toUpperCase())
}

/**
 * WAF's deeply nested blocks (statements, actions, field matches) in CloudFormation shape:
 * single blocks become objects, repeatable ones lists, names PascalCase; empty blocks
 * (`uri_path {}`, `allow {}`) stay as empty objects since their presence is the setting.
 */
export function wafShape(o: Obj, parent = ''): Obj {
  const out: Obj = {}
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined || v === '') continue
    if (Array.isArray(v) && v.length === 0) continue
    const plural = k === 'statement' && (parent === 'and_statement' || parent === 'or_statement') ? 'Statements' : LISTS[k]
    const key = plural ?? pascal(k)
    if (Array.isArray(v) && v.every(isObj)) {
      const items = v.map((x) => wafShape(x, k))
      safeSet(out, key, plural ? items : items[0])
    } else safeSet(out, key, v)
  }
  return out
}

/** WAFv2 web ACLs with their rules, associations and logging configurations. */
export const WAFV2_CONVERTERS: Record<string, TfConverter> = {
  aws_wafv2_web_acl: (r) => {
    const visibility = r.get('visibility_config')
    const defaultAction = r.get('default_action')
    const rules = r.get('rule')
    return [
      own(
        r,
        'AWS::WAFv2::WebACL',
        {
          Name: r.get('name'),
          Scope: r.get('scope'),
          Description: nonBlank(r.get('description')),
          DefaultAction: Array.isArray(defaultAction) && isObj(defaultAction[0]) ? wafShape(defaultAction[0], 'default_action') : defaultAction,
          VisibilityConfig: Array.isArray(visibility) && isObj(visibility[0]) ? wafShape(visibility[0], 'visibility_config') : visibility,
          Rules: Array.isArray(rules) ? nonEmpty(rules.filter(isObj).map((x) => wafShape(x, 'rule'))) : rules,
          Tags: r.tags(),
        },
        { lines: { Rules: 'rule' } },
      ),
    ]
  },
  aws_wafv2_web_acl_association: (r) => [own(r, 'AWS::WAFv2::WebACLAssociation', { ResourceArn: r.ref('resource_arn'), WebACLArn: r.ref('web_acl_arn') })],
  aws_wafv2_web_acl_logging_configuration: (r) => {
    const redacted = r.get('redacted_fields')
    const filter = r.get('logging_filter')
    return [
      own(r, 'AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: r.ref('resource_arn'),
        LogDestinationConfigs: r.refList('log_destination_configs'),
        RedactedFields: Array.isArray(redacted) ? nonEmpty(redacted.filter(isObj).map((x) => wafShape(x, 'redacted_fields'))) : redacted,
        LoggingFilter: Array.isArray(filter) && isObj(filter[0]) ? wafShape(filter[0], 'logging_filter') : undefined,
      }),
    ]
  },
}
