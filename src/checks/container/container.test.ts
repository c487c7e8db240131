import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPORT_FORMATS, renderReport } from '../../compliance/index.js'
import { scan } from '../../scan/index.js'
import { CONTAINER_CHECKS } from './index.js'
import { literalSecret } from './lib/secrets.js'
import { installsSudo, pipesDownloadToShell, runsSudo } from './lib/shell.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const now = new Date('2026-11-23T00:00:00Z')

/** `<line> <status>` of a check's findings on one fixture, in order. */
async function outcomes(stem: string, fixture: string): Promise<string[]> {
  const check = CONTAINER_CHECKS.find((c) => c.id === `container/${stem}`)!
  const r = await scan([path.join(here, 'testdata', stem, fixture)], { checks: [check], now })
  expect(r.files[0]?.status).toBe('ok')
  return r.findings.filter((f) => f.checkId === check.id).map((f) => `${f.location.line} ${f.status}`)
}

describe('container checks on their fixtures: each finding on the right line', () => {
  it.each([
    ['dockerfile-non-root-user', 'fail-no-user.Dockerfile', ['2 fail']],
    ['dockerfile-non-root-user', 'fail-root.Dockerfile', ['5 fail']],
    ['dockerfile-non-root-user', 'pass-distroless.Dockerfile', ['1 pass']],
    ['dockerfile-add-remote-url', 'fail.Dockerfile', ['2 fail', '3 fail']],
    ['dockerfile-secrets-in-env-arg', 'fail-env-literal.Dockerfile', ['3 fail', '4 fail']],
    ['dockerfile-secrets-in-env-arg', 'fail-build-arg.Dockerfile', ['2 fail', '3 fail', '4 fail']],
    ['dockerfile-base-image-latest', 'fail.Dockerfile', ['1 fail', '5 fail']],
    ['dockerfile-base-image-digest', 'fail.Dockerfile', ['1 fail', '6 fail']],
    ['dockerfile-healthcheck', 'fail-missing.Dockerfile', ['1 fail']],
    ['dockerfile-healthcheck', 'fail-none.Dockerfile', ['4 fail']],
    ['dockerfile-curl-pipe-shell', 'fail-pipe.Dockerfile', ['2 fail']],
    ['dockerfile-curl-pipe-shell', 'fail-heredoc.Dockerfile', ['3 fail', '8 fail']],
    ['dockerfile-sudo', 'fail-runs-sudo.Dockerfile', ['3 fail']],
    ['dockerfile-sudo', 'fail-installs-sudo.Dockerfile', ['2 fail']],
    ['dockerfile-copy-secrets', 'fail.Dockerfile', ['3 fail', '9 fail', '10 fail', '11 fail']],
    ['compose-privileged', 'fail.compose.yaml', ['4 fail']],
    ['compose-host-namespaces', 'fail.compose.yaml', ['4 fail', '5 fail', '8 fail']],
    ['compose-docker-socket', 'fail.compose.yaml', ['5 fail', '9 fail']],
    ['compose-secrets-in-env', 'fail.compose.yaml', ['6 fail', '13 fail', '14 fail', '15 fail', '11 fail']],
    ['compose-secrets-in-env', 'pass.compose.yaml', ['2 pass', '11 pass']],
    ['compose-ports-all-interfaces', 'fail.compose.yaml', ['5 fail', '9 fail', '10 fail', '14 fail']],
    ['compose-cap-add', 'fail.compose.yaml', ['5 fail', '6 fail', '9 fail', '9 fail']],
    ['compose-read-only', 'fail.compose.yaml', ['2 fail', '6 fail']],
    ['compose-image-latest', 'fail.compose.yaml', ['3 fail', '5 fail', '6 pass']],
    ['compose-image-latest', 'pass.compose.yaml', ['2 pass', '5 pass', '7 pass', '9 pass']],
  ])('%s on %s', async (stem, fixture, expected) => {
    expect(await outcomes(stem, fixture)).toEqual(expected)
  })

  it('rates database and admin ports as high risk, other ports as medium', async () => {
    const check = CONTAINER_CHECKS.find((c) => c.id === 'container/compose-ports-all-interfaces')!
    const r = await scan([path.join(here, 'testdata/compose-ports-all-interfaces/fail.compose.yaml')], { checks: [check], now })
    expect(r.findings.map((f) => f.evidence['risk'])).toEqual(['high', 'medium', 'medium', 'medium'])
    expect(r.findings[0]!.message).toContain('PostgreSQL port 5432')
  })
})

describe('reports carry no secret values', () => {
  const secrets = ['9f8e7d6c5b4a39281706f5e4d3c2b1a0', 'Winter2024!', 'AKIAIOSFODNN7EXAMPLE', 'Riverside2024!', 'npm_0123456789abcdefghijABCDEFGHIJ012345', 'not-so-secret-default']
  it.each([
    ['dockerfile-secrets-in-env-arg', 'fail-env-literal.Dockerfile'],
    ['dockerfile-secrets-in-env-arg', 'fail-build-arg.Dockerfile'],
    ['compose-secrets-in-env', 'fail.compose.yaml'],
  ])('%s on %s: not in findings nor in any report format', async (stem, fixture) => {
    const r = await scan([path.join(here, 'testdata', stem, fixture)], { checks: CONTAINER_CHECKS, now })
    expect(r.findings.some((f) => f.status === 'fail' && f.checkId === `container/${stem}`)).toBe(true)
    const texts = [JSON.stringify(r.findings), JSON.stringify(r.files), ...REPORT_FORMATS.map((fmt) => renderReport(r, fmt).text)]
    for (const t of texts) for (const s of secrets) expect(t.includes(s), `${s} leaked`).toBe(false)
  })
})

describe('the reader fixtures, judged by every container check', () => {
  let dir: string
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-container-checks-'))
    const src = path.join(here, '../../sources')
    for (const svc of ['intake-api', 'fhir-bridge', 'hl7-engine']) {
      fs.mkdirSync(path.join(dir, svc))
      fs.copyFileSync(path.join(src, 'dockerfile/testdata/services', svc, 'Dockerfile'), path.join(dir, svc, 'Dockerfile'))
    }
    fs.copyFileSync(path.join(src, 'compose/testdata/clinic/docker-compose.yml'), path.join(dir, 'docker-compose.yml'))
    fs.copyFileSync(path.join(src, 'compose/testdata/clinic/compose.override.yaml'), path.join(dir, 'compose.override.yaml'))
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('fails what is wrong in each service and passes the patient-intake API where it is right', async () => {
    const r = await scan([dir], { checks: CONTAINER_CHECKS, now })
    const failing = (name: string): string[] =>
      [...new Set(r.findings.filter((f) => f.status === 'fail' && f.resourceId.endsWith(`#${name}`)).map((f) => f.checkId.replace('container/', '')))].sort()
    expect(failing('intake-api')).toEqual(['dockerfile-base-image-digest'])
    expect(failing('fhir-bridge')).toEqual([
      'dockerfile-add-remote-url',
      'dockerfile-base-image-digest',
      'dockerfile-copy-secrets',
      'dockerfile-curl-pipe-shell',
      'dockerfile-healthcheck',
      'dockerfile-non-root-user',
      'dockerfile-secrets-in-env-arg',
    ])
    expect(failing('hl7-engine')).toEqual(['dockerfile-base-image-digest', 'dockerfile-copy-secrets', 'dockerfile-healthcheck', 'dockerfile-non-root-user', 'dockerfile-secrets-in-env-arg', 'dockerfile-sudo'])
    const composeFail = (file: string, name: string): string[] =>
      [...new Set(r.findings.filter((f) => f.status === 'fail' && f.location.file.endsWith(file) && f.resourceId.endsWith(`#${name}`)).map((f) => f.checkId.replace('container/', '')))].sort()
    expect(composeFail('docker-compose.yml', 'api')).toEqual([])
    expect(composeFail('docker-compose.yml', 'postgres')).toEqual(['compose-ports-all-interfaces', 'compose-read-only'])
    expect(composeFail('docker-compose.yml', 'mailhog')).toEqual(['compose-image-latest', 'compose-ports-all-interfaces', 'compose-read-only'])
    expect(composeFail('compose.override.yaml', 'api')).toEqual(['compose-docker-socket', 'compose-ports-all-interfaces', 'compose-read-only', 'compose-secrets-in-env'])
    // the ADD of a certificate over https is not a copied secret; the .env is
    const copy = r.findings.filter((f) => f.checkId === 'container/dockerfile-copy-secrets' && f.status === 'fail' && f.resourceId.endsWith('#fhir-bridge'))
    expect(copy.map((f) => f.location.line)).toEqual([25])
  })
})

describe('shell reading', () => {
  it('finds downloads piped into interpreters, through sudo, tee, sh -c and process substitution', () => {
    for (const cmd of [
      'curl -fsSL https://x.example/install.sh | sh',
      'wget -qO- https://x.example/i | sudo -E bash -s -- --yes',
      'curl -s https://x.example/a | tee /tmp/a | python3 -',
      'sh -c "curl -fsSL https://x.example/i | sh"',
      'bash <(curl -s https://x.example/i)',
      'sh -c "$(curl -fsSL https://x.example/i)"',
      '/usr/bin/curl -L https://x.example/i | /bin/bash',
      'set -e\ncd /tmp\ncurl https://x.example/i |\\\n  env FOO=1 sh',
    ])
      expect(pipesDownloadToShell(cmd), cmd).toBe(true)
    for (const cmd of ['curl -fsSLo /tmp/i.sh https://x.example/i && sh /tmp/i.sh', 'curl -fsS https://x.example/health | grep -q ok', 'curl -L https://x.example/a.tgz | tar xz -C /opt', 'curl https://x.example || sh fallback.sh', 'pip install requests | tee log'])
      expect(pipesDownloadToShell(cmd), cmd).toBe(false)
  })

  it('tells running sudo from installing it', () => {
    expect(runsSudo('sudo apt-get update')).toBe(true)
    expect(runsSudo('echo ok && sudo -u app whoami')).toBe(true)
    expect(runsSudo('sh -c "sudo whoami"')).toBe(true)
    expect(runsSudo('apt-get install -y sudo')).toBe(false)
    expect(runsSudo('echo "no sudo here"')).toBe(false)
    expect(installsSudo('apt-get install -y --no-install-recommends sudo')).toBe(true)
    expect(installsSudo('apk add --no-cache bash sudo')).toBe(true)
    expect(installsSudo('apt-get install -y sudo-ldap')).toBe(false)
    expect(installsSudo('echo sudo')).toBe(false)
  })
})

describe('secret recognition', () => {
  it('flags credential formats whatever the name, and literals under secret names', () => {
    expect(literalSecret('ANYTHING', 'AKIAIOSFODNN7EXAMPLE')).toBe('AWS access key id')
    expect(literalSecret('CERT', '-----BEGIN RSA PRIVATE KEY-----\nMIIE')).toBe('private key')
    expect(literalSecret('X', 'ghp_0123456789abcdefghijABCDEFGHIJ012345')).toBe('GitHub token')
    expect(literalSecret('HOOK', 'xoxb-1234567890-abcdefghij')).toBe('Slack token')
    expect(literalSecret('DATABASE_URL', 'postgres://u:hunter22@db/x')).toBe('connection URL with a password')
    expect(literalSecret('PGPASSWORD', 'hunter22')).toBe('secret')
    expect(literalSecret('SECRET_KEY_BASE', 'abc123def')).toBe('secret')
    expect(literalSecret('DB_PASS', 'abc123def')).toBe('secret')
  })
  it('does not flag references, interpolations, flags and non-secret names', () => {
    expect(literalSecret('DATABASE_URL', 'postgres://u:${DB_PASSWORD}@db/x')).toBeUndefined()
    expect(literalSecret('DB_PASSWORD', '${DB_PASSWORD}')).toBeUndefined()
    expect(literalSecret('DB_PASSWORD_FILE', '/run/secrets/db')).toBeUndefined()
    expect(literalSecret('GOOGLE_APPLICATION_CREDENTIALS', '/var/secrets/google/key.json')).toBeUndefined()
    expect(literalSecret('API_TOKEN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api')).toBeUndefined()
    expect(literalSecret('REQUIRE_TOKEN', 'true')).toBeUndefined()
    expect(literalSecret('BYPASS', 'yes-please')).toBeUndefined()
    expect(literalSecret('PASSWORD_MIN_LENGTH', '12')).toBeUndefined()
  })
})
