import { defineCheck, fail, manual, pass } from '../define-check.js'
import { describe, isUnknown, num } from './lib/values.js'

/** A function's concurrency is capped, so one runaway function cannot take the account's whole concurrency pool. */
export default defineCheck({
  id: 'aws/lambda-function-reserved-concurrency',
  title: 'Lambda function has reserved concurrency set',
  severity: 'low',
  resourceKinds: ['aws:lambda:function'],
  rationale:
    'All functions in a Region share one concurrency pool (1,000 by default). A flood of requests or a recursive trigger on one function can consume it and throttle the functions that serve patients; reserved concurrency caps the function (and guarantees it capacity), and also limits how many connections it can open to a PHI database.',
  remediation: {
    text: 'Set ReservedConcurrentExecutions to the peak the function needs plus headroom, leaving enough unreserved concurrency for the other functions.',
    cloudformation: 'ReservedConcurrentExecutions: 20   (Serverless Framework: reservedConcurrency: 20)',
    terraform: 'resource "aws_lambda_function" "f" { … reserved_concurrent_executions = 20 }',
  },
  controls: { csf: ['PR.DS-4'], hipaa: ['164.308(a)(7)(ii)(C)'], ferpa: ['FERPA-SECURE-CONFIGURATIONS'] },
  references: { cdkNag: ['HIPAA.Security-LambdaConcurrency'] },
  evaluate(fn) {
    const v = fn.props['ReservedConcurrentExecutions']
    if (v === undefined || v === null) return fail(`Lambda function ${fn.name} has no reserved concurrency, so it shares the account pool without a cap.`)
    if (isUnknown(v)) return manual(`Lambda function ${fn.name} takes its reserved concurrency from ${describe(v)}, unknown at scan time.`, { path: 'ReservedConcurrentExecutions' })
    const n = num(v)
    if (n === undefined) return manual(`Lambda function ${fn.name} sets reserved concurrency to ${describe(v)}, which is not a number.`, { path: 'ReservedConcurrentExecutions' })
    return pass(n === 0 ? `Lambda function ${fn.name} has reserved concurrency 0, so it cannot run (throttled on purpose).` : `Lambda function ${fn.name} has reserved concurrency ${n}.`, { reserved: n })
  },
})
