import { describe, expect, it } from 'vitest'
import { plaintextSecret } from './secrets.js'

describe('plaintextSecret', () => {
  it.each([
    ['DB_PASSWORD', 'Clearinghouse#2024', 'password'],
    ['POSTGRES_PASSWORD', 'hunter22', 'password'],
    ['PGPASSWORD', 'reports-ro-2024', 'password'],
    ['SMTP_PASS', 'mailpass1', 'password'],
    ['JWT_SECRET', 'a-very-long-signing-secret', 'secret'],
    ['STRIPE_API_KEY', 'not-a-real-key-1234', 'API key'],
    ['VAULT_TOKEN', 's.abcdefgh12345678', 'token'],
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'access key'],
    ['SSO_PRIVATE_KEY', 'base64-key-material', 'private key'],
  ])('%s with a literal value is a plaintext %s (by name)', (name, value, kind) => {
    expect(plaintextSecret(name, value)).toEqual({ kind, by: 'name' })
  })

  it.each([
    ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE', 'AWS access key id'],
    ['SIGNING_MATERIAL', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA...', 'private key'],
    ['SIGNING_MATERIAL', '-----BEGIN OPENSSH PRIVATE KEY-----', 'private key'],
    ['EHR_BEARER', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c', 'JSON Web Token'],
    ['CI_HOOK', `ghp_${'a1B2'.repeat(9)}`, 'GitHub token'],
    ['ALERTS_WEBHOOK', 'xoxb-123456789012-abcdefghijkl', 'Slack token'],
    ['DATABASE_URL', 'postgres://intake:S3cret@db.clinic-prod.svc:5432/intake', 'password in a connection string'],
    ['REDIS_URL', 'redis://:r3dis-pass@redis:6379/0', 'password in a connection string'],
    ['ConnectionStrings__Ehr', 'Server=sql01;Database=Ehr;User Id=svc;Password=Winter2024!;', 'password in a connection string'],
    ['JDBC_URL', 'jdbc:postgresql://db:5432/ehr?user=svc&password=pa55word', 'password in a connection string'],
  ])('%s holding %s… is recognised by its value (%s)', (name, value, kind) => {
    expect(plaintextSecret(name, value)).toEqual({ kind, by: 'value' })
  })

  it.each([
    ['DB_PASSWORD', ''],
    ['DB_PASSWORD', '   '],
    ['DB_PASSWORD', '$(PG_PASSWORD)'],
    ['DB_PASSWORD', '${DB_PASSWORD}'],
    ['DB_PASSWORD', '{{ .Values.db.password }}'],
    ['DB_PASSWORD', '<path:secret/data/intake#password>'],
    ['DB_PASSWORD', 'vault:secret/data/intake#password'],
    ['DB_PASSWORD', 'ref+vault://secret/intake#/password'],
    ['DB_PASSWORD', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:intake-db'],
    ['DB_PASSWORD', 'op://clinic/intake-db/password'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/var/run/secrets/gcp/key.json'],
    ['SESSION_TOKEN', 'true'],
    ['MAX_TOKEN', '4096'],
    ['API_KEY', 'abc'],
    ['PASSWORD_MIN_LENGTH', '12'],
    ['SECRET_NAME', 'intake-db'],
    ['TOKEN_URL', 'https://login.clinic.example/oauth2/token'],
    ['BYPASS', 'cache-layer'],
    ['DATABASE_URL', 'postgres://intake:$(DB_PASSWORD)@db:5432/intake'],
    ['DATABASE_URL', 'postgres://db.clinic-prod.svc:5432/intake'],
    ['DATABASE_URL', 'postgres://intake:****@db:5432/intake'],
    ['LOG_LEVEL', 'debug'],
  ])('%s = %j is not a plaintext secret', (name, value) => {
    expect(plaintextSecret(name, value)).toBeUndefined()
  })
})
