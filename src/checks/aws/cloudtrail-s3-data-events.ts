import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { subject } from './lib/judge.js'
import { s3DataCoverage, trailLogging } from './lib/cloudtrail.js'

type Cov = { read: boolean; write: boolean }

/** Union of S3 data-event coverage of every logging trail in the scan. */
function accountCoverage(ctx: CheckContext, account: string | undefined): { all: Cov; bucket: (b: Resource) => Cov; unknown: boolean; trail?: Resource } {
  const all: Cov = { read: false, write: false }
  const per: { cov: ReturnType<typeof s3DataCoverage>; trail: Resource }[] = []
  let unknown = false
  let full: Resource | undefined
  for (const t of ctx.view.ofType('AWS::CloudTrail::Trail')) {
    if (account && t.account && t.account !== account) continue
    if (trailLogging(t) === false) continue
    const cov = s3DataCoverage(t, ctx)
    per.push({ cov, trail: t })
    unknown ||= cov.unknown
    all.read ||= cov.all.read
    all.write ||= cov.all.write
    if (cov.all.read && cov.all.write) full ??= t
  }
  const bucket = (b: Resource): Cov => {
    const c: Cov = { ...all }
    for (const { cov } of per) {
      for (const [k, v] of cov.buckets) {
        if (k === b || (typeof k === 'string' && (k === b.name || k === b.sourceId))) {
          c.read ||= v.read
          c.write ||= v.write
        }
      }
    }
    return c
  }
  return { all, bucket, unknown, ...(full ? { trail: full } : {}) }
}

/** Every read and write of objects in PHI buckets is recorded: who downloaded which patient document, and when. */
export default defineCheck({
  id: 'aws/cloudtrail-s3-data-events',
  title: 'CloudTrail records S3 object reads and writes',
  severity: 'medium',
  resourceKinds: ['aws:cloudtrail:trail'],
  rationale:
    'Management events do not include GetObject or PutObject. Without S3 data events nobody can tell which patient documents, images or exports were read or changed, by whom, or prove a breach did not happen, which HIPAA audit controls and breach assessment depend on. A trail must record both reads and writes for all buckets, or at least for every bucket that holds PHI.',
  remediation: {
    text: 'Add an advanced event selector for S3 data events (reads and writes) on all buckets, or on every PHI bucket, to a multi-Region trail.',
    cloudformation:
      'AdvancedEventSelectors: [ { Name: s3-data, FieldSelectors: [ { Field: eventCategory, Equals: [Data] }, { Field: resources.type, Equals: ["AWS::S3::Object"] } ] } ]',
    terraform: 'advanced_event_selector { name = "s3-data"  field_selector { field = "eventCategory"  equals = ["Data"] }  field_selector { field = "resources.type"  equals = ["AWS::S3::Object"] } }',
  },
  controls: { csf: ['DE.CM-1', 'DE.CM-3', 'PR.PT-1'], hipaa: ['164.312(b)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['CLOUDTRAIL_S3_DATAEVENTS_ENABLED'], prowler: ['cloudtrail_s3_dataevents_read_enabled', 'cloudtrail_s3_dataevents_write_enabled'] },
  evaluate(trail, ctx) {
    const own = s3DataCoverage(trail, ctx)
    if (own.all.read && own.all.write) return pass(`${subject(trail)} records S3 object reads and writes for all buckets.`)
    const acc = accountCoverage(ctx, trail.account)
    if (acc.trail) return pass(`${subject(trail)} does not record S3 data events itself; trail ${acc.trail.name} records them for all buckets.`)
    const phiBuckets = ctx.view.ofType('AWS::S3::Bucket').filter((b) => b.holdsPhi === 'yes' && (!trail.account || !b.account || b.account === trail.account))
    const gaps = phiBuckets
      .map((b) => ({ b, c: acc.bucket(b) }))
      .filter(({ c }) => !(c.read && c.write))
      .map(({ b, c }) => `${b.name} (${!c.read && !c.write ? 'no events' : !c.read ? 'no reads' : 'no writes'})`)
    if (phiBuckets.length && !gaps.length) return pass(`Trails record S3 object reads and writes for all ${phiBuckets.length} buckets that hold PHI.`, { phiBuckets: phiBuckets.length })
    if (acc.unknown) return manual(`${subject(trail)} or another trail selects S3 data events with values unknown at scan time.`, { path: 'EventSelectors' })
    if (gaps.length) return fail(`No trail records S3 object reads and writes for PHI bucket${gaps.length > 1 ? 's' : ''} ${gaps.slice(0, 5).join(', ')}.`, { evidence: { buckets: gaps.slice(0, 20) } })
    return fail(`${subject(trail)} does not record S3 object reads and writes for all buckets, and no other trail does.`)
  },
})
