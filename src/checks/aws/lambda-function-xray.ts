import { defineCheck, fail, manual, pass } from '../define-check.js'
import { at, describe, isUnknown } from './lib/values.js'

/** Each invocation is traced with AWS X-Ray, so the path of a request through the PHI workload can be reconstructed. */
export default defineCheck({
  id: 'aws/lambda-function-xray',
  title: 'Lambda function has active X-Ray tracing',
  severity: 'low',
  resourceKinds: ['aws:lambda:function'],
  rationale:
    'Active tracing records each invocation and the AWS calls it makes (which table, bucket or queue, how long, with what error), which shows during an incident what a function touched and helps spot unexpected calls. PassThrough only traces requests that arrive already sampled.',
  remediation: {
    text: 'Set tracing to Active (the function role needs xray:PutTraceSegments and xray:PutTelemetryRecords, which SAM adds). Do not put PHI in trace annotations or metadata.',
    cloudformation: 'TracingConfig: { Mode: Active }   (SAM: Tracing: Active, also in Globals.Function; Serverless Framework: provider.tracing.lambda: true)',
    terraform: 'tracing_config { mode = "Active" }',
  },
  controls: { csf: ['DE.CM-1', 'DE.AE-2'], hipaa: ['164.312(b)'], ferpa: ['FERPA-AUDIT-MONITORING'] },
  evaluate(fn) {
    const mode = at(fn.props, 'TracingConfig.Mode')
    if (isUnknown(mode)) return manual(`Lambda function ${fn.name} takes its tracing mode from ${describe(mode)}, unknown at scan time.`, { path: 'TracingConfig.Mode' })
    if (mode === 'Active') return pass(`Lambda function ${fn.name} has active X-Ray tracing.`)
    return fail(`Lambda function ${fn.name} has X-Ray tracing ${mode === 'PassThrough' ? 'in PassThrough mode only' : 'off'}.`, { path: mode === undefined ? undefined : 'TracingConfig', evidence: { mode: mode ?? 'not set' } })
  },
})
