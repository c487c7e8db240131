/**
 * @module sources/serverless
 * Serverless Framework services (serverless.yml): static variables, and compilation to the
 * CloudFormation the framework deploys.
 */
export { readServerless, looksLikeServerless } from './parse.js'
export type { ServerlessOptions } from './parse.js'
export { compileServerless, normalizeFunctionName } from './compile.js'
export { resolveVariables, hasUnresolvedVariable } from './variables.js'
