/**
 * @module sources/cloudtrail
 * AWS CloudTrail records (S3 delivery files, `aws cloudtrail lookup-events` output, NDJSON from
 * CloudWatch Logs or EventBridge) → the AWS API calls each workload made, as IAM service prefix,
 * action and resource ARNs (`ctx.apiCalls`): the input of the IAM policy exporter. Calls are
 * attributed to Lambda functions by their execution-role session (see `attribute.ts`); request
 * parameters other than resource names are never copied, and S3 object keys are collapsed to
 * `<bucket>/*` (see `grants.ts`).
 */
export { readCloudTrail, looksLikeCloudTrail, createCloudTrailReader, elementLines, MAX_DOCUMENT_BYTES } from './read.js'
export type { CloudTrailReaderOptions } from './read.js'
export { attribute, assumedRole, isDenied } from './attribute.js'
export type { Attribution } from './attribute.js'
export { grantsOf, iamService, safeArn, stripApiVersion, SERVICE_PREFIX_EXCEPTIONS } from './grants.js'
export type { Grant, ResourceEnv } from './grants.js'
