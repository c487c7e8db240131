import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collect, sniff } from '../index.js'

let dir: string
const write = (rel: string, content: string): void => {
  const p = path.join(dir, rel)
  fs.mkdirSync(path.dirname(p), { recursive: true })
  fs.writeFileSync(p, content)
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-containers-'))
  write('portal/Dockerfile', '# syntax=docker/dockerfile:1\nFROM node:20.11-alpine\nUSER node\nCMD ["node", "server.js"]\n')
  write('portal/worker.Dockerfile', 'FROM python:3.12-slim\nCOPY worker.py /app/\nCMD ["python", "/app/worker.py"]\n')
  write('portal/docker-compose.yml', 'services:\n  api:\n    build: .\n    ports:\n      - "127.0.0.1:8080:8080"\n  db:\n    image: postgres:16\n')
  write('portal/compose.override.yaml', 'services:\n  api:\n    environment:\n      LOG_LEVEL: debug\n')
  // no Compose name and no image/build: not claimed
  write('portal/settings.yaml', 'services:\n  mail:\n    host: smtp.example.org\n')
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('collect: Dockerfiles and Compose files', () => {
  it('recognises Dockerfile, worker.Dockerfile, docker-compose.yml and compose.override.yaml in a directory', async () => {
    const r = await collect([dir])
    const byName = new Map(r.files.map((f) => [path.basename(f.file), f]))
    expect(byName.get('Dockerfile')).toMatchObject({ status: 'ok', format: 'dockerfile', resources: 1 })
    expect(byName.get('worker.Dockerfile')).toMatchObject({ status: 'ok', format: 'dockerfile', resources: 1 })
    expect(byName.get('docker-compose.yml')).toMatchObject({ status: 'ok', format: 'compose', resources: 2 })
    expect(byName.get('compose.override.yaml')).toMatchObject({ status: 'ok', format: 'compose', resources: 1 })
    expect(byName.get('settings.yaml')).toMatchObject({ status: 'skipped' })
    const docs = r.documents.filter((d) => d.origin === 'dockerfile' || d.origin === 'compose')
    expect(docs.flatMap((d) => d.resources.map((x) => `${x.type}#${x.sourceId}`)).sort()).toEqual([
      'Docker::Compose::Service#api',
      'Docker::Compose::Service#api',
      'Docker::Compose::Service#db',
      'Docker::Image::Dockerfile#portal',
      'Docker::Image::Dockerfile#portal:worker',
    ])
  })

  it('sniffs by content when the name says nothing', () => {
    expect(sniff('FROM alpine:3.19\nRUN true\n', 'build.txt')).toBe('dockerfile')
    expect(sniff('services:\n  db:\n    image: postgres:16\n', 'stack.yml')).toBe('compose')
    expect(sniff('apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n', 'compose.yaml')).toBe('kubernetes')
  })
})
