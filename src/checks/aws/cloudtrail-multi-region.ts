import { defineCheck, fail, manual, pass } from '../define-check.js'
import { subject } from './lib/judge.js'
import { multiRegionLogging, trailLogging } from './lib/cloudtrail.js'
import { bool, describe } from './lib/values.js'

/** API activity in every Region, including ones the team does not use, is recorded. */
export default defineCheck({
  id: 'aws/cloudtrail-multi-region',
  title: 'CloudTrail records API activity in all Regions',
  severity: 'high',
  resourceKinds: ['aws:cloudtrail:trail'],
  rationale:
    'Attackers with stolen credentials work in Regions nobody watches: they start instances, create users or copy snapshots of PHI databases where a single-Region trail records nothing. A logging multi-Region trail is the baseline audit record HIPAA audit controls rely on.',
  remediation: {
    text: 'Set IsMultiRegionTrail: true and IsLogging: true on at least one trail (an organization trail covers every account).',
    cloudformation: 'IsMultiRegionTrail: true\nIsLogging: true\nIncludeGlobalServiceEvents: true',
    terraform: 'is_multi_region_trail = true\nenable_logging = true',
  },
  controls: { csf: ['DE.CM-1', 'DE.CM-3', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['MULTI_REGION_CLOUD_TRAIL_ENABLED'], prowler: ['cloudtrail_multi_region_enabled'] },
  evaluate(trail, ctx) {
    const on = trailLogging(trail)
    if (on === false) return fail(`${subject(trail)} is not logging.`, { path: 'IsLogging' })
    const mr = bool(trail.props['IsMultiRegionTrail'], false)
    if (mr === undefined || on === undefined) return manual(`${subject(trail)} takes IsMultiRegionTrail or IsLogging from ${describe(trail.props['IsMultiRegionTrail'] ?? trail.props['IsLogging'])}, unknown at scan time.`, { path: 'IsMultiRegionTrail' })
    if (mr) return pass(`${subject(trail)} records all Regions.`)
    const other = ctx.view.ofType('AWS::CloudTrail::Trail').find((t) => t !== trail && (!trail.account || !t.account || t.account === trail.account) && multiRegionLogging(t) === true)
    // account-level: a multi-Region trail anywhere in the account covers it; templates without an
    // account are taken to deploy to one, and the message says where the covering trail is
    if (other) return pass(`${subject(trail)} records one Region; trail ${other.name}${other.stack !== trail.stack ? ` (${other.location.file}, assumed to deploy to the same account)` : ''} records all Regions.`)
    return fail(`${subject(trail)} records one Region only, and no multi-Region trail was found.`, { path: trail.props['IsMultiRegionTrail'] === undefined ? '' : 'IsMultiRegionTrail' })
  },
})
