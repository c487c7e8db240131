import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckResult } from '../types.js'
import { judgeBool, subject } from './lib/judge.js'
import { bool, describe, isObj, list } from './lib/values.js'

/** A table of patient records cannot be deleted by a stray stack update or console click. */
export default defineCheck({
  id: 'aws/dynamodb-table-deletion-protection',
  title: 'DynamoDB table has deletion protection on',
  severity: 'medium',
  resourceKinds: ['aws:dynamodb:table', 'aws:dynamodb:global-table'],
  rationale:
    'Without deletion protection one DeleteTable call, a renamed logical id in a template or a mistaken cleanup script destroys the table and every record in it; backups restore to a new table only after downtime, and changes since the last backup are lost.',
  remediation: {
    text: 'Set DeletionProtectionEnabled: true on tables that hold PHI (and keep DeletionPolicy: Retain in templates).',
    cloudformation: 'DeletionProtectionEnabled: true',
    terraform: 'deletion_protection_enabled = true',
  },
  controls: { csf: ['PR.DS-1', 'PR.IP-4'], hipaa: ['164.312(c)(1)', '164.308(a)(7)(ii)(A)'], ferpa: ['FERPA-DATA-BACKUP'] },
  references: { prowler: ['dynamodb_table_deletion_protection_enabled'] },
  evaluate(table) {
    if (table.type !== 'AWS::DynamoDB::GlobalTable') {
      return judgeBool(table, { path: 'DeletionProtectionEnabled', want: true, fallback: false, good: 'has deletion protection on', bad: 'has deletion protection off', defaultNote: 'off unless set' })
    }
    // a global table sets deletion protection per replica
    const out: CheckResult[] = []
    list(table.props['Replicas']).forEach((rep, i) => {
      if (!isObj(rep)) return
      const region = typeof rep['Region'] === 'string' ? rep['Region'] : `#${i}`
      const raw = rep['DeletionProtectionEnabled']
      const v = bool(raw, false)
      const path = `Replicas.${i}.DeletionProtectionEnabled`
      if (v === undefined) out.push(manual(`Replica ${region} of ${subject(table)} takes deletion protection from ${describe(raw)}, unknown at scan time.`, { path }))
      else if (!v) out.push(fail(`Replica ${region} of ${subject(table)} has deletion protection off.`, { path: raw === undefined ? `Replicas.${i}` : path }))
    })
    return out.length ? out : pass(`Every replica of ${subject(table)} has deletion protection on.`)
  },
})
