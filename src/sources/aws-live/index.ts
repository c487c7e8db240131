/**
 * @module sources/aws-live
 * `phiwall collect aws`: reads a live AWS account, read-only, into a snapshot that `phiwall scan`
 * reads. Loads the AWS SDK: import it dynamically, only where a live account is read, so scans
 * do not pay for it at start-up.
 */
export { collectAwsSnapshot } from './collect.js'
export type { CollectAwsOptions } from './collect.js'
export { writeSnapshot } from './write.js'
export { RESOURCE_TYPES } from './resource-types.js'
export type { TypeSpec, TypeScope } from './resource-types.js'
export { MASKED_PROPERTIES, maskSecrets } from './mask.js'
export { lambdaPermissions, permissionPrincipals } from './policies.js'
export { parseCredentialReport } from './credential-report.js'
export type { PhiWallCredentials, AccessKeyState } from './credential-report.js'
