import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildInventory } from '../../inventory/index.js'
import { collect } from '../../sources/index.js'
import { evaluateChecks } from '../evaluate.js'
import check from './lambda-env-plaintext-secrets.js'

describe('aws/lambda-env-plaintext-secrets on serverless.yml variables', () => {
  it('fails a literal (a fallback included), asks for review of a secret resolved at deploy time, ignores other deploy-time values', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-envsecrets-'))
    fs.writeFileSync(
      path.join(dir, 'serverless.yml'),
      [
        'service: svc',
        'provider:',
        '  name: aws',
        '  runtime: nodejs20.x',
        '  environment:',
        '    DB_PASSWORD: ${env:DB_PASSWORD}',
        "    API_TOKEN: ${ssm:/svc/prod/token}",
        "    FALLBACK_PASSWORD: ${env:NOPE, 'fallbackPassw0rd!'}",
        '    REGION_NAME: ${env:AWS_REGION}',
        'functions:',
        '  fn:',
        '    handler: h.h',
        '',
      ].join('\n'),
    )
    const inv = buildInventory((await collect([dir])).documents)
    const got = evaluateChecks(inv, [check], { now: new Date(0) }).map((f) => `${f.status} L${f.location.line} ${f.message}`)
    expect(got).toHaveLength(3)
    expect(got).toContainEqual(expect.stringMatching(/^manual L6 .*DB_PASSWORD from \$\{env…\} at deploy time: .* in plaintext/))
    expect(got).toContainEqual(expect.stringMatching(/^manual L7 .*API_TOKEN from \$\{ssm…\} at deploy time/))
    expect(got).toContainEqual(expect.stringMatching(/^fail L8 .*FALLBACK_PASSWORD to a plaintext secret/))
    expect(got.join('\n')).not.toContain('fallbackPassw0rd!')
    fs.rmSync(dir, { recursive: true })
  })
})
