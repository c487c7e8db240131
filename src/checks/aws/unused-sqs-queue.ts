import { defineCheck, fail, pass } from '../define-check.js'

/** Queues that nothing reads are removed: messages (often PHI) otherwise pile up unseen until they expire. */
export default defineCheck({
  id: 'aws/unused-sqs-queue',
  title: 'SQS queue has a consumer',
  severity: 'low',
  resourceKinds: ['aws:sqs:queue'],
  rationale: 'Messages sent to a queue nobody reads sit there for up to 14 days; for a PHI queue that is unprocessed patient data with no owner, and often a silently broken integration.',
  remediation: { text: 'Add the consumer (an event source mapping, or a workload with sqs:ReceiveMessage on the queue) or delete the queue. Dead-letter queues are exempt; alarm on their depth instead.' },
  controls: { csf: ['PR.PT-3', 'ID.AM-3'], hipaa: ['164.308(a)(1)(ii)(B)', '164.308(a)(1)(ii)(D)'], ferpa: ['FERPA-SHUT-DOWN-UNNECESSARY-SERVICES'] },
  evaluate(q, ctx) {
    const isDlq = ctx.view.edgesOf(q, 'in', ['writes']).some((e) => e.evidence === 'dead-letter queue' || /destination$/.test(e.evidence))
    if (isDlq) return pass(`SQS queue ${q.name} is a dead-letter queue.`)
    const consumers = [...ctx.view.edgesOf(q, 'out', ['triggers']), ...ctx.view.edgesOf(q, 'in', ['reads'])]
    if (consumers.length) return pass(`SQS queue ${q.name} is consumed (${consumers[0]!.evidence}).`)
    return fail(`SQS queue ${q.name} has no consumer in the inventory: no event source mapping and no workload that receives its messages.`)
  },
})
