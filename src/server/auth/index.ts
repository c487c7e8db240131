/**
 * @module server/auth
 * Sign-in (argon2id passwords, mandatory TOTP with recovery codes), sessions with CSRF tokens,
 * lockout and rate limits, users and API tokens — the "Authentication and users" routes of docs/api.md
 * and the `authenticate` middleware that app.ts installs on /api/*.
 */
export { AUTH_MIGRATIONS } from './db.js'
export { authRoutes } from './routes.js'
export { authenticate, TOKEN_PATTERN } from './middleware.js'
export { bootstrapAdmin } from './bootstrap.js'
export { checkPasswordPolicy, hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './passwords.js'
export { SESSION_COOKIE } from './sessions.js'
export { MAX_FAILURES, LOCK_MS, ADDRESS_LIMIT } from './limits.js'
