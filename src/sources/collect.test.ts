import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collect, sniff } from './index.js'

let dir: string
const write = (rel: string, content: string | Buffer): string => {
  const p = path.join(dir, rel)
  fs.mkdirSync(path.dirname(p), { recursive: true })
  fs.writeFileSync(p, content)
  return p
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-collect-'))
  write('good/template.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n')
  write('good/serverless.yml', 'service: s\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h.h\n')
  write('good/no-extension-match.txt', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n')
  write('named-oddly/infra.cfn', '{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
  write('not-an-input/package.json', '{"name": "x", "version": "1.0.0"}')
  write('not-an-input/docker-compose.yml', 'services:\n  web:\n    image: nginx\n')
  write('bad/malformed.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: [unclosed\n')
  write('bad/unknown-type.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queueue\n  Ok:\n    Type: AWS::SQS::Queue\n')
  write('bad/cycle.yaml', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: !GetAtt B.TopicName }\n  B:\n    Type: AWS::SNS::Topic\n    Properties: { DisplayName: !GetAtt A.TopicName }\n')
  write('bad/binary.yaml', Buffer.from([0x52, 0x65, 0x73, 0x00, 0xff, 0xfe, 0x01, 0x02]))
  write('bad/latin1.json', Buffer.from('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "caf\xe9"}}}}', 'latin1'))
  // a 50 MB template: over the default 32 MiB limit
  const big = Buffer.alloc(50 * 1024 * 1024, 0x20)
  Buffer.from('Resources:\n').copy(big)
  write('bad/huge.yaml', big)
  fs.mkdirSync(path.join(dir, 'loop'), { recursive: true })
  write('loop/inner/t.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n')
  fs.symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop/inner/back'))
  fs.symlinkSync(path.join(dir, 'does-not-exist'), path.join(dir, 'good/dangling.yaml'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('collect', () => {
  it('recognises inputs by content, reads the good ones and keeps going past bad ones', async () => {
    const r = await collect([dir])
    const status = Object.fromEntries(r.files.map((f) => [path.relative(dir, path.resolve(f.file)), `${f.status}${f.format ? ':' + f.format : ''}`]))
    expect(status['good/template.yaml']).toBe('ok:cloudformation')
    expect(status['good/serverless.yml']).toBe('ok:serverless')
    expect(status['named-oddly/infra.cfn']).toBe('ok:cloudformation')
    expect(status['not-an-input/package.json']).toBe('skipped')
    expect(status['not-an-input/docker-compose.yml']).toBe('ok:compose')
    expect(status['good/no-extension-match.txt']).toBeUndefined() // .txt is not walked
    for (const bad of ['bad/malformed.yaml', 'bad/unknown-type.yaml', 'bad/cycle.yaml', 'bad/binary.yaml', 'bad/latin1.json', 'bad/huge.yaml']) {
      expect(status[bad]?.startsWith('error'), bad).toBe(true)
    }
    const byName = (n: string) => r.files.find((f) => f.file.endsWith(n))!
    expect(byName('malformed.yaml').diagnostics[0]).toMatchObject({ code: 'PW_ERR_YAML_SYNTAX', line: 5 })
    expect(byName('unknown-type.yaml').diagnostics[0]).toMatchObject({ code: 'PW_ERR_UNKNOWN_RESOURCE_TYPE', line: 3 })
    expect(byName('unknown-type.yaml').resources).toBe(1) // the valid resource is still read
    expect(byName('cycle.yaml').diagnostics[0]!.code).toBe('PW_ERR_CIRCULAR_DEPENDENCY')
    expect(byName('binary.yaml').diagnostics[0]!.code).toBe('PW_ERR_BINARY_FILE')
    expect(byName('latin1.json').diagnostics[0]!.code).toBe('PW_ERR_BINARY_FILE')
    expect(byName('huge.yaml').diagnostics[0]!.code).toBe('PW_ERR_FILE_TOO_LARGE')
    // the symlink loop is reported once, the file under it read once
    expect(r.diagnostics.filter((d) => d.code === 'PW_ERR_SYMLINK_LOOP')).toHaveLength(1)
    expect(r.files.filter((f) => f.file.endsWith('inner/t.yaml'))).toHaveLength(1)
    expect(r.diagnostics.some((d) => d.code === 'PW_ERR_SOURCE_UNREADABLE' && d.file.endsWith('dangling.yaml'))).toBe(true)
    // every diagnostic names its file
    for (const f of r.files) for (const d of f.diagnostics) expect(d.message).toContain(path.basename(f.file))
  })

  it('reads a file named on the command line whatever its extension, and says when it is not an input', async () => {
    const r = await collect([path.join(dir, 'good/no-extension-match.txt'), path.join(dir, 'not-an-input/package.json')])
    expect(r.files.map((f) => f.status)).toEqual(['ok', 'skipped'])
    expect(r.files[1]!.diagnostics[0]!.level).toBe('warning')
  })

  it('says when a --param names no parameter of any template, and when its value is not an allowed one (without repeating it)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-params-'))
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Stage:\n    Type: String\n    AllowedValues: [dev, prod]\n    Default: dev\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n",
    )
    const c = await collect([dir], { parameters: { Nope: '1', Stage: 'stagingSecret' } })
    const messages = [...c.diagnostics, ...c.files.flatMap((f) => f.diagnostics)].map((d) => d.message)
    expect(messages).toContainEqual('--param Nope is not a parameter of any scanned CloudFormation template; it is not used.')
    expect(messages).toContainEqual(expect.stringMatching(/^Parameter Stage: the --param value is not one of its AllowedValues \(dev, prod\); CloudFormation would reject it in .*template\.yaml at line 3\.$/))
    expect(messages.join('\n')).not.toContain('stagingSecret')
    const ok = await collect([dir], { parameters: { Stage: 'prod' } })
    expect([...ok.diagnostics, ...ok.files.flatMap((f) => f.diagnostics)]).toEqual([])
    fs.rmSync(dir, { recursive: true })
  })

  it('refuses a path that does not exist', async () => {
    await expect(collect([path.join(dir, 'nope')])).rejects.toMatchObject({ code: 'PW_ERR_PATH_NOT_FOUND' })
  })

  it('sniffs formats from content', () => {
    expect(sniff('AWSTemplateFormatVersion: "2010-09-09"\n')).toBe('cloudformation')
    expect(sniff('{"format_version":"1.2","planned_values":{}}')).toBe('terraform')
    expect(sniff('{"kind": "phiwall-aws-snapshot"}')).toBe('aws-snapshot')
    expect(sniff('service: x\nprovider:\n  name: aws\n')).toBe('serverless')
    expect(sniff('apiVersion: v1\nkind: Pod\n')).toBe('kubernetes')
    expect(sniff('{"kind": "phiwall-k8s-snapshot", "items": []}')).toBe('kubernetes')
    expect(sniff('services:\n  api:\n    image: ghcr.io/clinic/api:1.0\n', 'compose.yaml')).toBe('compose')
    expect(sniff('FROM node:20-alpine\nUSER node\n')).toBe('dockerfile')
    expect(sniff('just text\n', 'Dockerfile')).toBe('dockerfile')
    expect(sniff('kind: Pod\n')).toBeUndefined()
  })
})
