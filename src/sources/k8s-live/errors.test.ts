import { describe, expect, it } from 'vitest'
import { redactMessage, transportFailure } from './errors.js'

describe('redactMessage', () => {
  it('removes the credentials it is given and anything shaped like one', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl'
    expect(redactMessage('token k8s-aws-v1.aHR0cHM6Ly9zdHM rejected', ['k8s-aws-v1.aHR0cHM6Ly9zdHM'])).toBe('token [redacted] rejected')
    expect(redactMessage(`invalid bearer token ${jwt}`)).toBe('invalid bearer token [redacted]')
    expect(redactMessage('header Authorization: Bearer abc.def-ghi was refused')).toBe('header Authorization: Bearer [redacted] was refused')
    expect(redactMessage('exec plugin said token=s3cr3t-value; retry')).toBe('exec plugin said token=[redacted]; retry')
    expect(redactMessage('proxy https://admin:hunter2@proxy.example.com:3128 refused')).toBe('proxy https://proxy.example.com:3128 refused')
    expect(redactMessage('a\n  multi-line\tmessage')).toBe('a multi-line message')
    expect(redactMessage('x'.repeat(500))).toHaveLength(400)
  })
})

describe('transportFailure', () => {
  const fetchError = (code: string, message: string): Error => Object.assign(new Error(message), { name: 'FetchError', type: 'system', code, errno: code })

  it('names refused connections, DNS failures and timeouts', () => {
    expect(transportFailure(fetchError('ECONNREFUSED', 'request to https://10.0.0.1:6443/version failed, reason: connect ECONNREFUSED 10.0.0.1:6443'), 30_000)).toEqual({ tls: false, reason: 'connection refused' })
    expect(transportFailure(fetchError('ENOTFOUND', 'request failed, reason: getaddrinfo ENOTFOUND api.example'), 30_000)).toEqual({ tls: false, reason: 'the host name does not resolve (ENOTFOUND)' })
    expect(transportFailure(Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' }), 30_000)).toEqual({ tls: false, reason: 'no answer within 30 s' })
  })

  it('recognises TLS failures: an unknown certificate authority, a wrong host name, plain HTTP', () => {
    expect(transportFailure(fetchError('DEPTH_ZERO_SELF_SIGNED_CERT', 'request to https://x/version failed, reason: self-signed certificate'), 1000)).toEqual({ tls: true, reason: 'TLS failed (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate' })
    expect(transportFailure(fetchError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'request failed, reason: unable to verify the first certificate'), 1000).tls).toBe(true)
    expect(transportFailure(fetchError('ERR_TLS_CERT_ALTNAME_INVALID', "request failed, reason: Hostname/IP does not match certificate's altnames"), 1000).tls).toBe(true)
    expect(transportFailure(fetchError('EPROTO', 'request failed, reason: write EPROTO 80CC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:'), 1000)).toEqual({ tls: true, reason: 'TLS failed (EPROTO): wrong version number' })
  })
})
