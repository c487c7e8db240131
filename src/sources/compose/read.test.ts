import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { lineOfProperty } from '../located/index.js'
import {
  composeBoolean,
  composeBuild,
  composeDependsOn,
  composeEnvironment,
  composeLabels,
  composeLinks,
  composeNetworks,
  composePorts,
  composeServiceSecrets,
  composeVolumes,
  interpolate,
  interpolationsIn,
  isComposeName,
  looksLikeCompose,
  parsePortSpec,
  readCompose,
} from './index.js'

const fixture = (rel: string): string => fs.readFileSync(fileURLToPath(new URL(`testdata/${rel}`, import.meta.url)), 'utf8')
const MAIN = 'deploy/clinic/docker-compose.yml'

describe('looksLikeCompose', () => {
  it('recognises Compose file names with a top-level services mapping', () => {
    for (const n of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'docker-compose.prod.yml', 'docker-compose-dev.yml', 'compose.override.yaml', 'clinic.compose.yaml', 'pass.compose.yaml']) {
      expect(isComposeName(n), n).toBe(true)
      expect(looksLikeCompose('services:\n  web:\n    ports: ["80:80"]\n', n), n).toBe(true)
    }
    expect(isComposeName('values.yaml')).toBe(false)
    expect(isComposeName('compose.json')).toBe(false)
  })

  it('recognises any YAML whose services have image or build, after comments and a version key', () => {
    expect(looksLikeCompose('# stack\nversion: "3.8"\nservices:\n\n  # the API\n  api:\n    build: .\n', 'stack.yml')).toBe(true)
    expect(looksLikeCompose('services:\n  db:\n    image: postgres:16\n', 'infra.yaml')).toBe(true)
    expect(looksLikeCompose('services:\r\n  db:\r\n    image: postgres:16\r\n', 'infra.yaml')).toBe(true)
  })

  it('does not claim Kubernetes, serverless.yml, CloudFormation, GitLab CI or GitHub workflows', () => {
    expect(looksLikeCompose('apiVersion: v1\nkind: Pod\nservices:\n  a:\n    image: x\n', 'compose.yaml')).toBe(false)
    expect(looksLikeCompose('service: intake\nprovider:\n  name: aws\nservices:\n  a:\n    image: x\n', 'serverless.yml')).toBe(false)
    expect(looksLikeCompose('Resources:\n  Q:\n    Type: AWS::SQS::Queue\nservices:\n  a:\n    image: x\n', 'template.yaml')).toBe(false)
    expect(looksLikeCompose('image: node:20\nservices:\n  - postgres:16\n  - name: redis:7\n', '.gitlab-ci.yml')).toBe(false)
    expect(looksLikeCompose('on: push\njobs:\n  test:\n    services:\n      db:\n        image: postgres\n', 'ci.yml')).toBe(false)
    expect(looksLikeCompose('services:\n  web:\n    ports: ["80:80"]\n', 'values.yaml')).toBe(false)
    expect(looksLikeCompose('services:\n  api:\n    image:\n      repository: ghcr.io/clinic/api\n      tag: 1.2.0\n', 'values.yaml')).toBe(false)
    expect(looksLikeCompose('{"services": {"a": {"image": "x"}}}', 'compose.json')).toBe(false)
  })
})

describe('readCompose: the clinic stack', () => {
  const doc = readCompose(fixture('clinic/docker-compose.yml'), MAIN)
  const byId = new Map(doc.resources.map((r) => [`${r.type}#${r.sourceId}`, r]))
  const svc = (name: string): Record<string, unknown> => byId.get(`Docker::Compose::Service#${name}`)!.properties

  it('reads services, networks, volumes and secrets with their lines; the project name is the context', () => {
    expect(doc.origin).toBe('compose')
    expect(doc.diagnostics).toEqual([])
    expect(doc.context.service).toBe('riverside-portal')
    expect(doc.resources.map((r) => [r.type, r.sourceId, r.line])).toEqual([
      ['Docker::Compose::Service', 'api', 11],
      ['Docker::Compose::Service', 'worker', 60],
      ['Docker::Compose::Service', 'postgres', 80],
      ['Docker::Compose::Service', 'redis', 99],
      ['Docker::Compose::Service', 'nginx', 108],
      ['Docker::Compose::Service', 'mailhog', 124],
      ['Docker::Compose::Network', 'frontend', 134],
      ['Docker::Compose::Network', 'backend', 135],
      ['Docker::Compose::Volume', 'pgdata', 139],
      ['Docker::Compose::Volume', 'exports', 140],
      ['Docker::Compose::Secret', 'db_password', 144],
    ])
    expect(byId.get('Docker::Compose::Network#backend')!.properties).toEqual({ internal: true })
    expect(byId.get('Docker::Compose::Network#frontend')!.properties).toEqual({})
    expect(byId.get('Docker::Compose::Service#api')!.dependsOn).toEqual(['postgres', 'redis'])
    expect(byId.get('Docker::Compose::Service#worker')!.dependsOn).toEqual(['redis', 'postgres'])
  })

  it('keeps the service mapping as written, with defaults interpolated and run-time variables as written', () => {
    expect(svc('api')['image']).toBe('registry.riverside.example/portal/intake-api:1.8.3')
    expect((svc('api')['environment'] as Record<string, unknown>)['DB_PASSWORD']).toBe('${DB_PASSWORD}')
    expect((svc('api')['environment'] as Record<string, unknown>)['SESSION_SECRET']).toBe('${SESSION_SECRET:?set SESSION_SECRET}')
    expect((svc('worker')['environment'] as string[])[2]).toBe('SMTP_HOST=mailhog')
    // the YAML merge of the x-logging anchor
    expect(svc('api')['logging']).toMatchObject({ driver: 'json-file' })
    expect(byId.get('Docker::Compose::Service#api')!.propLines).toMatchObject({ image: 17, environment: 20, 'environment.DB_PASSWORD': 23, ports: 26, 'ports.0': 27 })
    expect(lineOfProperty(svc('redis'), 'ports.0.host_ip')).toBe(105)
  })

  it('composePorts: short and long syntax, host IPs, lines', () => {
    expect(composePorts(svc('api'))).toEqual([{ hostIp: '127.0.0.1', published: '8080', target: '8080', targetPort: 8080, publishedPort: 8080, protocol: 'tcp', path: 'ports.0', line: 27, interpolated: false }])
    expect(composePorts(svc('postgres'))).toEqual([{ published: '5432', target: '5432', targetPort: 5432, publishedPort: 5432, protocol: 'tcp', path: 'ports.0', line: 92, interpolated: false }])
    expect(composePorts(svc('redis'))).toMatchObject([{ hostIp: '127.0.0.1', published: '6379', targetPort: 6379, line: 103 }])
    expect(composePorts(svc('nginx')).map((p) => [p.publishedPort, p.hostIp])).toEqual([
      [443, undefined],
      [80, undefined],
    ])
    expect(composePorts(svc('worker'))).toEqual([])
  })

  it('parsePortSpec covers the short syntax of the specification', () => {
    expect(parsePortSpec('3000')).toEqual({ target: '3000', protocol: 'tcp' })
    expect(parsePortSpec('3000-3005')).toEqual({ target: '3000-3005', protocol: 'tcp' })
    expect(parsePortSpec('9090-9091:8080-8081')).toEqual({ published: '9090-9091', target: '8080-8081', protocol: 'tcp' })
    expect(parsePortSpec('127.0.0.1:5000-5010:5000-5010')).toEqual({ hostIp: '127.0.0.1', published: '5000-5010', target: '5000-5010', protocol: 'tcp' })
    expect(parsePortSpec('127.0.0.1::5000')).toEqual({ hostIp: '127.0.0.1', target: '5000', protocol: 'tcp' })
    expect(parsePortSpec('6060:6060/udp')).toEqual({ published: '6060', target: '6060', protocol: 'udp' })
    expect(parsePortSpec('[::1]:6001:6001')).toEqual({ hostIp: '::1', published: '6001', target: '6001', protocol: 'tcp' })
    expect(parsePortSpec('0.0.0.0:22:22/tcp')).toEqual({ hostIp: '0.0.0.0', published: '22', target: '22', protocol: 'tcp' })
  })

  it('composeEnvironment: map and list form, values from the shell, interpolations', () => {
    const api = composeEnvironment(svc('api'))
    expect(api.map((e) => [e.name, e.interpolated, e.line])).toEqual([
      ['NODE_ENV', false, 21],
      ['DATABASE_URL', false, 22],
      ['DB_PASSWORD', true, 23],
      ['REDIS_URL', false, 24],
      ['SESSION_SECRET', true, 25],
    ])
    const worker = composeEnvironment(svc('worker'))
    expect(worker.map((e) => [e.name, e.value, e.path, e.line])).toEqual([
      ['NODE_ENV', 'production', 'environment.0', 64],
      ['QUEUE_URL', 'redis://redis:6379/1', 'environment.1', 65],
      ['SMTP_HOST', 'mailhog', 'environment.2', 66],
      ['DB_PASSWORD', undefined, 'environment.3', 67],
    ])
  })

  it('composeVolumes, composeNetworks, composeDependsOn, composeLinks, composeLabels, secrets and build', () => {
    expect(composeVolumes(svc('postgres')).map((v) => [v.type, v.source, v.target, v.readOnly, v.line])).toEqual([
      ['volume', 'pgdata', '/var/lib/postgresql/data', false, 89],
      ['bind', './db/init', '/docker-entrypoint-initdb.d', true, 90],
    ])
    expect(composeVolumes(svc('worker'))).toMatchObject([{ type: 'volume', source: 'exports', target: '/var/exports', readOnly: false }])
    expect(composeNetworks(svc('api')).map((n) => n.name)).toEqual(['frontend', 'backend'])
    expect(composeNetworks(svc('worker'))).toMatchObject([{ name: 'backend', aliases: ['jobs'], line: 69 }])
    expect(composeNetworks({ image: 'x' })).toEqual([{ name: 'default', implicit: true, path: 'networks' }])
    expect(composeNetworks({ image: 'x', network_mode: 'host' })).toEqual([])
    expect(composeDependsOn(svc('api')).map((d) => [d.service, d.condition, d.required, d.line])).toEqual([
      ['postgres', 'service_healthy', true, 32],
      ['redis', 'service_started', true, 34],
    ])
    expect(composeDependsOn(svc('nginx'))).toMatchObject([{ service: 'api', condition: 'service_started' }])
    expect(composeLinks({ links: ['db', 'cache:redis'] })).toEqual([
      { service: 'db', path: 'links.0' },
      { service: 'cache', alias: 'redis', path: 'links.1' },
    ])
    expect(composeLabels(svc('api'))).toEqual({ 'com.riverside.data-classification': 'phi', 'com.riverside.owner': 'portal-team' })
    expect(composeLabels({ labels: ['a=1', 'b'] })).toEqual({ a: '1', b: '' })
    expect(composeServiceSecrets(svc('api'))).toMatchObject([{ source: 'db_password', target: '/run/secrets/db_password' }])
    expect(composeServiceSecrets(svc('postgres'))).toMatchObject([{ source: 'db_password' }])
    expect(composeBuild(svc('api'), MAIN)).toMatchObject({ context: './services/intake-api', dockerfile: 'Dockerfile', dockerfilePath: 'deploy/clinic/services/intake-api/Dockerfile', args: [{ name: 'NODE_VERSION', value: '20.11.1' }], line: 12 })
    expect(composeBuild(svc('worker'), MAIN)).toMatchObject({ context: './services/worker', dockerfilePath: 'deploy/clinic/services/worker/Dockerfile' })
    expect(composeBuild({ build: 'https://github.com/clinic/api.git#main' }, MAIN)!.dockerfilePath).toBeUndefined()
    expect(composeBuild(svc('postgres'), MAIN)).toBeUndefined()
  })

  it('composeBoolean converts as Compose does after interpolation', () => {
    expect([true, 'true', 'Yes', 'on', 'y'].map(composeBoolean)).toEqual([true, true, true, true, true])
    expect([false, 'false', 'NO', 'off'].map(composeBoolean)).toEqual([false, false, false, false])
    expect(['${PRIV}', 1, undefined].map(composeBoolean)).toEqual([undefined, undefined, undefined])
  })
})

describe('readCompose: the override file', () => {
  const doc = readCompose(fixture('clinic/compose.override.yaml'), 'deploy/clinic/compose.override.yaml')
  it('is its own document: the project name is the directory name, services are partial', () => {
    expect(doc.diagnostics.filter((d) => d.level === 'error')).toEqual([])
    expect(doc.context.service).toBe('clinic')
    expect(doc.resources.map((r) => [r.sourceId, r.line])).toEqual([
      ['api', 3],
      ['postgres', 14],
    ])
    const api = doc.resources[0]!.properties
    expect(composeVolumes(api).map((v) => [v.source, v.line])).toEqual([
      ['./services/intake-api/src', 12],
      ['/var/run/docker.sock', 13],
    ])
  })
  it('takes the environment word of docker-compose.<env>.yml as the stage', () => {
    expect(readCompose('services:\n  a:\n    image: x:1\n', 'docker-compose.prod.yml').context.stage).toBe('prod')
    expect(readCompose('services:\n  a:\n    image: x:1\n', 'compose.override.yml').context.stage).toBeUndefined()
  })
})

describe('interpolation', () => {
  it('resolves defaults, keeps run-time variables and $$ as written', () => {
    expect(interpolate('${PORT:-8080}:80').value).toBe('8080:80')
    expect(interpolate('${A-x}${B:-${C:-nested}}').value).toBe('xnested')
    expect(interpolate('${DB_PASSWORD}').value).toBe('${DB_PASSWORD}')
    expect(interpolate('${X:?need X} $Y ${Z:+alt}').value).toBe('${X:?need X} $Y ${Z:+alt}')
    expect(interpolate('echo $$HOME').value).toBe('echo $$HOME')
    expect(interpolationsIn('echo $$HOME ${A} $B ${C:-d}')).toEqual(['A', 'B', 'C'])
  })
})

describe('bad input is data', () => {
  it('a YAML syntax error is a diagnostic with its line', () => {
    const d = readCompose('services:\n  api:\n    image: [unclosed\n', 'compose.yaml')
    expect(d.resources).toEqual([])
    expect(d.diagnostics[0]).toMatchObject({ code: 'PW_ERR_YAML_SYNTAX', level: 'error' })
    expect(d.diagnostics[0]!.line).toBeGreaterThanOrEqual(3)
  })

  it('a service that is not a mapping is skipped with its line; the others are read', () => {
    const d = readCompose('services:\n  broken: nginx\n  ok:\n    image: nginx:1.25\n', 'compose.yaml')
    expect(d.diagnostics).toMatchObject([{ code: 'PW_ERR_COMPOSE_INVALID', level: 'error', line: 2 }])
    expect(d.resources.map((r) => r.sourceId)).toEqual(['ok'])
  })

  it('a field of the wrong shape is reported at its line and the service is still read', () => {
    const d = readCompose('services:\n  api:\n    image: x:1\n    ports:\n      - true\n    cap_add: SYS_ADMIN\n', 'compose.yaml')
    expect(d.diagnostics.map((x) => [x.code, x.line])).toEqual([
      ['PW_ERR_COMPOSE_INVALID', 5],
      ['PW_ERR_COMPOSE_INVALID', 6],
    ])
    expect(d.resources).toHaveLength(1)
    expect(composePorts(d.resources[0]!.properties)).toEqual([])
  })

  it('an empty file, a list at the top, unknown top-level keys and extra documents', () => {
    expect(readCompose('', 'compose.yaml').diagnostics).toMatchObject([{ code: 'PW_ERR_COMPOSE_INVALID', line: 1 }])
    expect(readCompose('- a\n- b\n', 'compose.yaml').diagnostics).toMatchObject([{ code: 'PW_ERR_COMPOSE_INVALID', level: 'error', line: 1 }])
    const d = readCompose('services:\n  a:\n    image: x:1\nservice_defaults:\n  x: 1\n---\nservices: {}\n', 'compose.yaml')
    expect(d.diagnostics.map((x) => [x.level, x.line])).toEqual([
      ['warning', 7],
      ['warning', 4],
    ])
    expect(d.resources).toHaveLength(1)
  })

  it('never throws on random text or random YAML-ish structures (fuzz)', () => {
    const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('${A:-1}', '127.0.0.1:80:80', '/var/run/docker.sock:/x', 'K=V', '$$x', '${B'))
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('image', 'build', 'ports', 'environment', 'volumes', 'networks', 'depends_on', 'privileged', 'cap_add', 'x', 'target', 'published', 'host_ip', 'source', 'type'), tie('node'), { maxKeys: 5 })),
    })).node
    const compose = fc.record({ services: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tree, { maxKeys: 4 }), networks: tree, volumes: tree, secrets: tree }, { requiredKeys: [] })
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), compose.map((c) => yaml.dump(c))), (text) => {
        const d = readCompose(text, 'fuzz/compose.yaml')
        for (const x of d.diagnostics) {
          expect(x.code).toMatch(/^PW_ERR_/)
          expect(x.file).toBe('fuzz/compose.yaml')
        }
        for (const r of d.resources) {
          if (r.type !== 'Docker::Compose::Service') continue
          composePorts(r.properties)
          composeEnvironment(r.properties)
          composeVolumes(r.properties)
          composeNetworks(r.properties)
          composeDependsOn(r.properties)
          composeLabels(r.properties)
          composeBuild(r.properties, 'fuzz/compose.yaml')
        }
      }),
      { numRuns: 300 },
    )
  })
})
