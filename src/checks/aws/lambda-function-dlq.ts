import type { Resource } from '../../model/index.js'
import { defineCheck, fail, manual, pass } from '../define-check.js'
import type { CheckContext } from '../types.js'
import { at, describe, isObj } from './lib/values.js'

// event sources that invoke Lambda asynchronously: failed events are retried twice, then dropped
const ASYNC_SOURCES: Record<string, string> = {
  'AWS::S3::Bucket': 'S3 notifications',
  'AWS::SNS::Topic': 'SNS',
  'AWS::Events::Rule': 'EventBridge',
  'AWS::Scheduler::Schedule': 'EventBridge Scheduler',
  'AWS::Logs::LogGroup': 'CloudWatch Logs subscription',
  'AWS::IoT::TopicRule': 'IoT rule',
  'AWS::SES::ReceiptRule': 'SES receipt rule',
}
const ASYNC_PRINCIPALS = /^(s3|sns|events|iot|ses|codecommit|config|logs(\.[a-z0-9-]+)?)\.amazonaws\.com$/

/** Why a function is invoked asynchronously, from its triggers and resource-based permissions. */
function asyncTriggers(fn: Resource, ctx: CheckContext): string[] {
  const out = new Set<string>()
  for (const src of ctx.view.related(fn, { direction: 'in', kinds: ['triggers'] })) {
    const what = ASYNC_SOURCES[src.type]
    if (what) out.add(`${what} (${src.name})`)
  }
  for (const p of ctx.view.related(fn, { direction: 'in', kinds: ['attached'], types: ['AWS::Lambda::Permission'] })) {
    const principal = p.props['Principal']
    if (typeof principal === 'string' && ASYNC_PRINCIPALS.test(principal) && out.size === 0) out.add(`${principal} (permission ${p.sourceId})`)
  }
  return [...out]
}

/** Failure destination of an asynchronous invocation configuration attached to the function. */
function onFailure(fn: Resource, ctx: CheckContext): { config: Resource; destination: unknown } | undefined {
  for (const c of ctx.view.related(fn, { direction: 'in', kinds: ['attached'], types: ['AWS::Lambda::EventInvokeConfig'] })) {
    const d = at(c.props, 'DestinationConfig.OnFailure.Destination')
    if (d !== undefined && d !== '') return { config: c, destination: d }
  }
  return undefined
}

/** Events that an asynchronously invoked function fails to process are kept, not silently dropped. */
export default defineCheck({
  id: 'aws/lambda-function-dlq',
  title: 'Asynchronously invoked Lambda function keeps failed events (dead-letter queue or on-failure destination)',
  severity: 'medium',
  resourceKinds: ['aws:lambda:function'],
  rationale:
    'When S3, SNS, EventBridge or a schedule invokes a function and it keeps failing, Lambda retries twice and then discards the event: an uploaded lab result is never filed, a referral notification never sent, and nobody knows. A dead-letter queue or on-failure destination keeps the event for replay and alarming. Functions called only synchronously (API Gateway, queue and stream polling, Step Functions) report failures to their caller and pass.',
  remediation: {
    text: 'Give the function an on-failure destination (SQS, SNS, EventBridge or another function) in its asynchronous invocation configuration, or a dead-letter queue; encrypt the queue with KMS (it will hold event payloads) and alarm on its depth.',
    cloudformation: 'SAM: EventInvokeConfig: { MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Type: SQS, Destination: !GetAtt FailedEvents.Arn } } }   or   DeadLetterQueue: { Type: SQS, TargetArn: !GetAtt FailedEvents.Arn }\nServerless Framework: destinations: { onFailure: arn:… }  or  onError: arn:…',
    terraform: 'resource "aws_lambda_function_event_invoke_config" "f" { function_name = aws_lambda_function.f.function_name  destination_config { on_failure { destination = aws_sqs_queue.failed.arn } } }',
  },
  controls: { csf: ['PR.DS-4', 'DE.AE-5', 'PR.PT-5'], hipaa: ['164.308(a)(7)(ii)(B)', '164.312(c)(1)'], ferpa: ['FERPA-INCIDENT-HANDLING', 'FERPA-DATA-BACKUP'] },
  references: { cdkNag: ['HIPAA.Security-LambdaDLQ'] },
  evaluate(fn, ctx) {
    const dlq = at(fn.props, 'DeadLetterConfig.TargetArn')
    if (dlq !== undefined && dlq !== '') {
      const target = ctx.view.refs(dlq, fn)[0]
      return pass(`Lambda function ${fn.name} sends failed asynchronous events to dead-letter target ${target ? target.name : describe(dlq)}.`, { deadLetter: target?.id ?? describe(dlq) })
    }
    const dest = onFailure(fn, ctx)
    if (dest) {
      const target = ctx.view.refs(dest.destination, dest.config)[0]
      return pass(`Lambda function ${fn.name} sends failed asynchronous events to on-failure destination ${target ? target.name : describe(dest.destination)}.`, { onFailure: target?.id ?? describe(dest.destination) })
    }
    const triggers = asyncTriggers(fn, ctx)
    // live snapshots do not carry asynchronous invocation configurations (Cloud Control has no Lambda EventInvokeConfig list)
    if (triggers.length && fn.origin === 'aws-snapshot' && ctx.view.ofType('AWS::Lambda::EventInvokeConfig').length === 0) {
      return manual(`Lambda function ${fn.name} is invoked asynchronously by ${triggers.join(', ')} and has no dead-letter queue; the snapshot does not record on-failure destinations, so check aws lambda get-function-event-invoke-config.`, { evidence: { triggers } })
    }
    if (triggers.length === 0) return pass(`Lambda function ${fn.name} has no asynchronous event source in the scanned files; synchronous callers receive its errors.`, { asynchronous: false })
    const eic = ctx.view.related(fn, { direction: 'in', kinds: ['attached'], types: ['AWS::Lambda::EventInvokeConfig'] })[0]
    return fail(`Lambda function ${fn.name} is invoked asynchronously by ${triggers.join(', ')} but has no dead-letter queue or on-failure destination, so events that keep failing are dropped.`, {
      path: isObj(fn.props['DeadLetterConfig']) ? 'DeadLetterConfig' : undefined,
      evidence: { triggers, eventInvokeConfig: eic?.id },
    })
  },
})
