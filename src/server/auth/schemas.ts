import { z } from '@hono/zod-openapi'
import { ROLES, TOKEN_SCOPES } from '../types.js'

/** The error answer (see router.ts ApiErrorBody). */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), remediation: z.string().optional(), requestId: z.string().optional() }),
})

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (`field` names it)',
  401: 'Not signed in, or the sign-in is not finished',
  403: 'Not allowed (role, scope or CSRF token)',
  404: 'No such object',
  409: 'Conflicts with the current state',
  429: 'Too many attempts (Retry-After)',
}

/** Response entries of the given error statuses, for `createRoute({ responses })`. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 429)[]): Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }> {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_TEXT[s]!, content: { 'application/json': { schema: ErrorBody } } }]))
}

/** A JSON response entry. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string): { description: string; content: { 'application/json': { schema: T } } } {
  return { description, content: { 'application/json': { schema } } }
}

/** A JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T): { body: { required: true; content: { 'application/json': { schema: T } } } } {
  return { body: { required: true, content: { 'application/json': { schema } } } }
}

/** A role of ROLES. */
export const RoleSchema = z.enum(ROLES)
/** A token scope of TOKEN_SCOPES. */
export const ScopeSchema = z.enum(TOKEN_SCOPES)
/** A sign-in step. */
export const StageSchema = z.enum(['password', 'enrol', 'totp', 'done'])

/** The API's User. */
export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: RoleSchema,
    team: z.string().nullable(),
    disabled: z.boolean(),
    totpEnrolled: z.boolean(),
    lockedUntil: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('User')

/** The API's Token (never its secret). */
export const TokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(ScopeSchema),
    prefix: z.string().openapi({ description: 'The first characters of the secret, to recognise it' }),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
    owner: z.string().openapi({ description: 'Username of the owner' }),
  })
  .openapi('Token')

/** Usernames: lower-case letters, digits, `.`, `_`, `-`; 2–64 characters. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'Usernames have 2–64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit')

/** Team names. */
export const TeamSchema = z.string().trim().min(1).max(100)
