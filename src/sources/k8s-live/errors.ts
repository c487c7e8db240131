/**
 * Messages of failed calls, safe for a file that is shared and for the terminal: the
 * credentials the kubeconfig gave (bearer token, basic password) never appear, nor anything
 * shaped like one.
 */

/** A JSON Web Token (service account tokens, OIDC id tokens). */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g
/** `Bearer <token>`, `Basic <credentials>` in an echoed header. */
const AUTH_HEADER = /\b(Bearer|Basic) +[A-Za-z0-9._~+/=-]+/g
/** `token=…`, `password: …` and the like. */
const SECRET_ASSIGN = /((?:password|passwd|secret|token|access[_-]?key|client[_-]?key)["']?\s*[=:]\s*["']?)([^\s,;"'&]+)/gi
/** User info in a URL (`https://user:pass@host`). */
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi

/**
 * Removes the known secrets (the exact strings given) and anything shaped like a credential from a
 * message, joins its lines and bounds its length.
 */
export function redactMessage(raw: string, secrets: Iterable<string> = []): string {
  let text = raw
  for (const s of secrets) if (s.length >= 4) text = text.split(s).join('[redacted]')
  text = text
    .replace(JWT, '[redacted]')
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} [redacted]`)
    .replace(SECRET_ASSIGN, (_m, pre: string) => `${pre}[redacted]`)
    .replace(URL_USERINFO, '$1')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > 400 ? `${text.slice(0, 397)}...` : text || 'no message'
}

/** Error codes of a failed TLS handshake or certificate verification. */
const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL)/

/** Why a request got no HTTP answer, in words, and whether TLS was the cause. */
export function transportFailure(err: unknown, timeoutMs: number): { tls: boolean; reason: string } {
  const e = (err ?? {}) as { code?: unknown; errno?: unknown; name?: unknown; message?: unknown; cause?: unknown }
  const code = typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : undefined
  const message = typeof e.message === 'string' ? e.message : String(err)
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || code === 'ETIMEDOUT') return { tls: false, reason: `no answer within ${Math.round(timeoutMs / 1000)} s` }
  if ((code && TLS_CODE.test(code)) || /\b(SSL|TLS)\b|certificate/i.test(message)) {
    return { tls: true, reason: `TLS failed${code ? ` (${code})` : ''}: ${tlsDetail(message)}` }
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { tls: false, reason: 'connection refused' }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { tls: false, reason: `the host name does not resolve (${code})` }
    case 'ECONNRESET':
      return { tls: false, reason: 'the connection was reset' }
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { tls: false, reason: `no route to the host (${code})` }
    default:
      return { tls: false, reason: code ? `${code}: ${lastReason(message)}` : lastReason(message) }
  }
}

/** The part of a fetch error after "reason:", which names the cause without repeating the URL. */
function lastReason(message: string): string {
  const i = message.lastIndexOf('reason: ')
  return i === -1 ? message : message.slice(i + 8)
}

function tlsDetail(message: string): string {
  const m = lastReason(message)
  // OpenSSL's "…:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…" → "wrong version number"
  const ssl = /SSL routines:[^:]*:([^:]+)/.exec(m)
  return ssl ? ssl[1]!.trim() : m
}
