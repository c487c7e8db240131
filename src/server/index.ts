/**
 * @module server
 * `phiwall serve`: the HTTP API (Hono, OpenAPI 3.1 at /api/openapi.json) over the store, with
 * sign-in (argon2id + TOTP), roles, API tokens, CSRF protection, the audit trail, and the dashboard's files.
 */
export { createApp, CSP } from './app.js'
export { openServerContext, DEFAULT_SERVER_CONFIG } from './context.js'
export { startServer, defaultWebRoot } from './serve.js'
export type { ServeOptions, RunningServer } from './serve.js'
export { uploadScan, scansUrl } from './upload.js'
export type { UploadOptions, UploadResult } from './upload.js'
export { can, visibleTeam } from './authz.js'
export { ROLES, TOKEN_SCOPES } from './types.js'
export type { Role, TokenScope, Permission, Principal, ServerConfig, ServerContext } from './types.js'
export type { ApiErrorBody } from './router.js'
