import { defineCheck } from '../define-check.js'
import { judgeBool } from './lib/judge.js'

/** Tampering with or deleting audit log files is detectable. */
export default defineCheck({
  id: 'aws/cloudtrail-log-file-validation',
  title: 'CloudTrail trail validates its log files',
  severity: 'medium',
  resourceKinds: ['aws:cloudtrail:trail'],
  rationale:
    'EnableLogFileValidation defaults to false. Without signed digest files, an intruder who reaches the log bucket can delete or edit the entries that show what PHI they accessed, and nobody can prove the audit trail is complete, as HIPAA audit and integrity controls expect.',
  remediation: {
    text: 'Set EnableLogFileValidation: true and validate with aws cloudtrail validate-logs during investigations.',
    cloudformation: 'EnableLogFileValidation: true',
    terraform: 'enable_log_file_validation = true',
  },
  controls: { csf: ['PR.DS-6', 'PR.PT-1'], hipaa: ['164.312(b)', '164.312(c)(1)', '164.312(c)(2)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  references: { awsConfig: ['CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED'], cdkNag: ['HIPAA.Security-CloudTrailLogFileValidationEnabled'], prowler: ['cloudtrail_log_file_validation_enabled'] },
  evaluate: (trail) => judgeBool(trail, { path: 'EnableLogFileValidation', want: true, fallback: false, good: 'validates its log files', bad: 'does not validate its log files', defaultNote: 'EnableLogFileValidation defaults to false' }),
})
