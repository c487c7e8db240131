import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lineOfProperty } from '../located/index.js'
import { dockerfileSourceId, expandWord, isDockerfileName, looksLikeDockerfile, readDockerfile, splitImageReference, type DockerfileProps } from './index.js'

const fixture = (rel: string): string => fs.readFileSync(fileURLToPath(new URL(`testdata/${rel}`, import.meta.url)), 'utf8')
const read = (text: string, file = 'svc/Dockerfile'): { props: DockerfileProps; doc: ReturnType<typeof readDockerfile> } => {
  const doc = readDockerfile(text, file)
  expect(doc.resources).toHaveLength(1)
  return { props: doc.resources[0]!.properties as unknown as DockerfileProps, doc }
}

describe('isDockerfileName', () => {
  it('accepts the conventional names and rejects look-alikes', () => {
    for (const n of ['Dockerfile', 'Containerfile', 'dockerfile', 'Dockerfile.worker', 'Dockerfile.prod', 'worker.Dockerfile', 'api.dockerfile', 'services/api/Dockerfile']) expect(isDockerfileName(n), n).toBe(true)
    for (const n of ['Dockerfile.dockerignore', 'Dockerfile.md', 'docker-compose.yml', 'Dockerfiles', 'MyDockerfile', '.Dockerfile', 'package.json']) expect(isDockerfileName(n), n).toBe(false)
  })
})

describe('looksLikeDockerfile', () => {
  it('recognises FROM first, after comments and parser directives, or after global ARGs', () => {
    expect(looksLikeDockerfile('FROM alpine:3.19\nRUN true\n')).toBe(true)
    expect(looksLikeDockerfile('# syntax=docker/dockerfile:1.7\n# escape=`\n\n# builder\nfrom golang:1.22 as build\n')).toBe(true)
    expect(looksLikeDockerfile('ARG BASE=python:3.12\nARG TAG\n\nFROM ${BASE}\n')).toBe(true)
    expect(looksLikeDockerfile('FROM --platform=$BUILDPLATFORM node:20 AS deps\n')).toBe(true)
  })
  it('does not take Python, SQL, YAML or a lone ARG for a Dockerfile', () => {
    expect(looksLikeDockerfile('from typing import List\n')).toBe(false)
    expect(looksLikeDockerfile('SELECT id FROM patients;\n')).toBe(false)
    expect(looksLikeDockerfile('services:\n  api:\n    image: x\n')).toBe(false)
    expect(looksLikeDockerfile('ARG X=1\n')).toBe(false)
    expect(looksLikeDockerfile('ARG X=1\nRUN echo\n')).toBe(false)
    expect(looksLikeDockerfile('')).toBe(false)
  })
})

describe('dockerfileSourceId', () => {
  it('is the directory name, with the variant of Dockerfile.<x> and <x>.Dockerfile', () => {
    expect(dockerfileSourceId('services/intake-api/Dockerfile')).toBe('intake-api')
    expect(dockerfileSourceId('services/intake-api/Dockerfile.worker')).toBe('intake-api:worker')
    expect(dockerfileSourceId('services/intake-api/worker.Dockerfile')).toBe('intake-api:worker')
    expect(dockerfileSourceId('deploy/Containerfile')).toBe('deploy')
    expect(dockerfileSourceId('Dockerfile')).toBe('Dockerfile')
  })
})

describe('readDockerfile: multi-stage Node.js patient-intake API', () => {
  const { props, doc } = read(fixture('services/intake-api/Dockerfile'), 'services/intake-api/Dockerfile')
  const r = doc.resources[0]!

  it('is one Docker::Image::Dockerfile resource named after its directory, at the first FROM', () => {
    expect(doc.origin).toBe('dockerfile')
    expect(doc.diagnostics).toEqual([])
    expect(r).toMatchObject({ sourceId: 'intake-api', type: 'Docker::Image::Dockerfile', line: 6 })
    expect(props.Syntax).toBe('docker/dockerfile:1.7')
  })

  it('reads the stages, resolving FROM with the global ARG defaults and linking stages built on stages', () => {
    expect(props.Stages.map((s) => [s.Name, s.Line, s.FromStage])).toEqual([
      ['deps', 6, undefined],
      ['build', 13, 0],
      ['runtime', 19, undefined],
    ])
    expect(props.Stages[0]).toMatchObject({ Image: 'node:20.11.1-bookworm-slim', ImageWritten: 'node:${NODE_VERSION}-bookworm-slim', BaseImage: 'node', BaseTag: '20.11.1-bookworm-slim', Platform: '$BUILDPLATFORM' })
    expect(props.Stages[0]!.BaseDigest).toBeUndefined()
    expect(props.Stages[2]).toMatchObject({ BaseTag: '20.11.1-bookworm-slim', BaseDigest: 'sha256:4b4cbd0d0ab4c6f4e1cb1b50b1b1c9de1c5f1e0b0c6dd3f4a1e8a2f0c6b7d8e9' })
    expect(props.FinalStage).toBe(2)
  })

  it('keeps RUN mounts and the continuation-joined command', () => {
    const run = props.Stages[0]!.Instructions.find((i) => i.Keyword === 'RUN')!
    expect(run).toMatchObject({ Line: 9, EndLine: 11, Form: 'shell', Command: 'npm ci --ignore-scripts' })
    expect(run.Mounts).toEqual([
      { type: 'cache', target: '/root/.npm' },
      { type: 'secret', id: 'npmrc', target: '/root/.npmrc' },
    ])
    const build = props.Stages[1]!.Instructions.find((i) => i.Keyword === 'RUN')!
    expect(build.Command).toBe('npm run build && npm prune --omit=dev')
  })

  it('expands ENV, ARG, WORKDIR, EXPOSE and USER with the stage variables, and leaves RUN to the shell', () => {
    const ins = props.Stages[2]!.Instructions
    expect(ins.map((i) => [i.Keyword, i.Line])).toEqual([
      ['ARG', 20], ['ENV', 21], ['WORKDIR', 24], ['RUN', 25], ['COPY', 27], ['COPY', 28], ['LABEL', 29], ['EXPOSE', 31], ['USER', 32], ['HEALTHCHECK', 33], ['CMD', 35],
    ])
    expect(ins[1]!.Variables!.map((v) => [v.Name, v.Value, v.Line])).toEqual([
      ['NODE_ENV', 'production', 21],
      ['PORT', '8080', 22],
      ['APP_HOME', '/srv/intake', 23],
    ])
    expect(ins[2]!.Arguments).toEqual(['/srv/intake'])
    expect(ins[3]!.Command).toContain('--gid ${APP_UID}')
    expect(ins[4]).toMatchObject({ Flags: { from: 'build', chown: 'intake:intake' }, Sources: ['/src/node_modules'], Destination: './node_modules' })
    expect(ins[8]!.Arguments).toEqual(['10001:10001'])
    expect(ins[10]).toMatchObject({ Form: 'exec', Exec: ['node', 'dist/server.js'] })
  })

  it('summarises the final image: user, healthcheck, ports, labels, env names, args', () => {
    expect(props.User).toBe('10001:10001')
    expect(r.propLines['User']).toBe(32)
    expect(props.Healthcheck).toEqual({ Disabled: false, Form: 'exec', Exec: ['node', 'dist/healthcheck.js'], Flags: { interval: '30s', timeout: '3s', retries: '3' }, Stage: 2, Line: 33 })
    expect(props.ExposedPorts).toEqual([{ Value: '8080/tcp', Port: 8080, Protocol: 'tcp', Stage: 2, Line: 31 }])
    expect(props.Labels).toEqual({ 'org.opencontainers.image.title': 'patient-intake-api', 'com.clinic.data-classification': 'phi' })
    expect(props.Env.map((e) => e.Name)).toEqual(['NODE_ENV', 'PORT', 'APP_HOME'])
    expect(props.Args).toEqual([
      { Name: 'NODE_VERSION', Stage: -1, HasDefault: true, Line: 3 },
      { Name: 'BASE_DIGEST', Stage: -1, HasDefault: true, Line: 4 },
      { Name: 'APP_UID', Stage: 2, HasDefault: true, Line: 20 },
    ])
  })

  it('resolves property paths to the line of the instruction, variable or stage', () => {
    expect(lineOfProperty(r.properties, 'Stages.2.Instructions.3')).toBe(25)
    expect(lineOfProperty(r.properties, 'Stages.2.Instructions.1.Variables.2')).toBe(23)
    expect(lineOfProperty(r.properties, 'Stages.1')).toBe(13)
    expect(lineOfProperty(r.properties, 'Stages.2.Instructions.9.Exec')).toBe(33)
    expect(lineOfProperty(r.properties, 'Healthcheck')).toBe(33)
    expect(r.propLines['Stages.2']).toBe(19)
    expect(r.propLines['FinalStage']).toBe(19)
  })
})

describe('readDockerfile: Python FHIR bridge (heredoc RUN, continuations with comments)', () => {
  const { props, doc } = read(fixture('services/fhir-bridge/Dockerfile'), 'services/fhir-bridge/Dockerfile')
  const ins = props.Stages[0]!.Instructions

  it('reads the continued RUN as one instruction without the comment line', () => {
    expect(doc.diagnostics).toEqual([])
    const apt = ins[1]!
    expect(apt).toMatchObject({ Keyword: 'RUN', Line: 9, EndLine: 15 })
    expect(apt.Command).toBe('apt-get update && apt-get install -y --no-install-recommends curl ca-certificates libpq5 && rm -rf /var/lib/apt/lists/*')
  })

  it('keeps the heredoc script with its newlines, and its line', () => {
    const h = ins[2]!
    expect(h).toMatchObject({ Keyword: 'RUN', Line: 17, EndLine: 22, Form: 'shell', Arguments: ['<<EOF'] })
    expect(h.Heredocs).toHaveLength(1)
    expect(h.Heredocs![0]).toMatchObject({ Name: 'EOF', Line: 17 })
    expect(h.Heredocs![0]!.Content.split('\n')).toHaveLength(4)
    expect(h.Command).toContain('\ncurl -fsSL https://install.example-tools.dev/agent.sh | sh\n')
  })

  it('reads a four-line ENV with the line of every variable, and COPY / ADD sources', () => {
    expect(ins[0]!.Variables!.map((v) => [v.Name, v.Line])).toEqual([
      ['PYTHONDONTWRITEBYTECODE', 4],
      ['PYTHONUNBUFFERED', 5],
      ['FHIR_BASE_URL', 6],
      ['FHIR_CLIENT_SECRET', 7],
    ])
    expect(ins.filter((i) => i.Keyword === 'COPY' || i.Keyword === 'ADD').map((i) => [i.Keyword, i.Sources, i.Line])).toEqual([
      ['COPY', ['bridge/'], 24],
      ['COPY', ['.env'], 25],
      ['ADD', ['https://example-clinic.org/certs/partner-root.pem'], 26],
    ])
    expect(props.User).toBeUndefined()
    expect(props.Healthcheck).toBeUndefined()
    expect(props.ExposedPorts.map((p) => [p.Port, p.Protocol, p.Line])).toEqual([
      [8000, 'tcp', 28],
      [2575, 'tcp', 28],
    ])
  })
})

describe('readDockerfile: Java HL7 interface engine', () => {
  const { props, doc } = read(fixture('services/hl7-engine/Dockerfile'), 'services/hl7-engine/Dockerfile')

  it('resolves whole-image ARGs in FROM and keeps build-arg-fed ENV values unresolved', () => {
    expect(doc.diagnostics).toEqual([])
    expect(props.Stages.map((s) => [s.Image, s.ImageWritten, s.Line])).toEqual([
      ['eclipse-temurin:21-jdk', '${JDK_IMAGE}', 5],
      ['eclipse-temurin:21-jre', '${JRE_IMAGE}', 13],
    ])
    const env = props.Stages[1]!.Instructions.find((i) => i.Keyword === 'ENV')!
    expect(env.Variables![0]).toMatchObject({ Name: 'JAVA_OPTS', Value: '-XX:MaxRAMPercentage=75 -Djava.security.egd=file:/dev/./urandom', Line: 15 })
    expect(env.Variables![1]).toMatchObject({ Name: 'KEYSTORE_PASSWORD', Value: '${KEYSTORE_PASSWORD}', Unresolved: ['KEYSTORE_PASSWORD'], Line: 16 })
    expect(props.Args.find((a) => a.Name === 'KEYSTORE_PASSWORD')).toEqual({ Name: 'KEYSTORE_PASSWORD', Stage: 1, HasDefault: false, Line: 14 })
  })

  it('records HEALTHCHECK NONE as disabled and the exec-form ENTRYPOINT', () => {
    expect(props.Healthcheck).toEqual({ Disabled: true, Stage: 1, Line: 21 })
    expect(props.Stages[1]!.Instructions.at(-1)).toMatchObject({ Keyword: 'ENTRYPOINT', Form: 'exec', Exec: ['java', '-jar', '/opt/hl7/hl7-engine.jar'] })
  })
})

describe('variables follow Docker scoping', () => {
  it('global ARGs are visible to FROM only, unless redeclared in the stage (then with the global default)', () => {
    const { props } = read('ARG V=3.19\nARG U=app\nFROM alpine:${V}\nUSER ${U}\nARG V\nLABEL v=${V}\n')
    expect(props.Stages[0]!.Image).toBe('alpine:3.19')
    expect(props.User).toBe('${U}')
    expect(props.Stages[0]!.Instructions[0]!.Unresolved).toEqual(['U'])
    expect(props.Labels).toEqual({ v: '3.19' })
  })

  it('ENV beats ARG of the same name, carries into stages built on the stage, and ARGs do not', () => {
    const { props } = read('FROM alpine:3.19 AS base\nENV HOME_DIR=/srv\nARG HOME_DIR=/tmp\nARG ONLY_HERE=x\nFROM base\nWORKDIR ${HOME_DIR}/app\nLABEL a=${ONLY_HERE}\n')
    const ins = props.Stages[1]!.Instructions
    expect(ins[0]!.Arguments).toEqual(['/srv/app'])
    expect(ins[1]!.Variables![0]).toMatchObject({ Value: '${ONLY_HERE}', Unresolved: ['ONLY_HERE'] })
    expect(props.Stages[1]!.FromStage).toBe(0)
  })

  it('expands ${VAR:-default}, ${VAR:+alt}, quotes and escapes as the shell lexer does', () => {
    const look = (n: string): string | null | undefined => ({ SET: 'v', EMPTY: '', NOVAL: null } as Record<string, string | null>)[n]
    expect(expandWord('${UNSET:-def}', look)).toEqual({ value: 'def', unresolved: [] })
    expect(expandWord('${EMPTY:-def}|${EMPTY-def}', look).value).toBe('def|')
    expect(expandWord('${SET:+alt}${UNSET:+alt}', look).value).toBe('alt')
    expect(expandWord('${NOVAL}', look)).toEqual({ value: '${NOVAL}', unresolved: ['NOVAL'] })
    expect(expandWord('${SET:?required}${UNSET:?required}', look)).toEqual({ value: 'v${UNSET:?required}', unresolved: ['UNSET'] })
    expect(expandWord("'$SET' \"$SET\" \\$SET", look).value).toBe('$SET v $SET')
    expect(expandWord('${SET%.*}', look).unresolved).toEqual(['SET'])
    expect(expandWord('`$SET', look, '`').value).toBe('$SET')
  })

  it('honours the escape directive (Windows images)', () => {
    const { props } = read('# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV DIR=C:\\app `\n    X=1\nWORKDIR ${DIR}\n')
    const ins = props.Stages[0]!.Instructions
    expect(ins[0]!.Variables!.map((v) => [v.Name, v.Value, v.Line])).toEqual([
      ['DIR', 'C:\\app', 3],
      ['X', '1', 4],
    ])
    expect(ins[1]!.Arguments).toEqual(['C:\\app'])
  })

  it('splits image references with registry ports, tags and digests', () => {
    expect(splitImageReference('registry.local:5000/team/app:1.2@sha256:abc')).toEqual({ name: 'registry.local:5000/team/app', tag: '1.2', digest: 'sha256:abc' })
    expect(splitImageReference('registry.local:5000/team/app')).toEqual({ name: 'registry.local:5000/team/app' })
    expect(splitImageReference('ubuntu')).toEqual({ name: 'ubuntu' })
  })
})

describe('bad input is data', () => {
  const codes = (text: string): { code: string; level: string; line?: number; message: string }[] => readDockerfile(text, 'bad/Dockerfile').diagnostics

  it('an empty file or one with comments only: a diagnostic at line 1, no resource', () => {
    for (const text of ['', '\n\n', '# just a comment\n']) {
      const d = readDockerfile(text, 'bad/Dockerfile')
      expect(d.resources).toEqual([])
      expect(d.diagnostics).toMatchObject([{ code: 'PW_ERR_DOCKERFILE_INVALID', level: 'error', line: 1, file: 'bad/Dockerfile' }])
    }
  })

  it('no FROM: one diagnostic per instruction before FROM and one for the missing FROM', () => {
    const d = readDockerfile('ARG A=1\nRUN echo hi\nCOPY . /app\n', 'bad/Dockerfile')
    expect(d.resources).toEqual([])
    expect(d.diagnostics.map((x) => [x.code, x.line])).toEqual([
      ['PW_ERR_DOCKERFILE_INVALID', 2],
      ['PW_ERR_DOCKERFILE_INVALID', 3],
      ['PW_ERR_DOCKERFILE_INVALID', 1],
    ])
  })

  it('an unknown instruction is reported with its line and skipped; the rest is read', () => {
    const d = readDockerfile('FROM alpine:3.19\nRUN apk add curl\nINSTALL curl\nUSER app\n', 'bad/Dockerfile')
    expect(d.diagnostics).toMatchObject([{ code: 'PW_ERR_DOCKERFILE_INVALID', level: 'error', line: 3 }])
    expect(d.diagnostics[0]!.message).toContain('INSTALL')
    const p = d.resources[0]!.properties as unknown as DockerfileProps
    expect(p.Stages[0]!.Instructions.map((i) => i.Keyword)).toEqual(['RUN', 'USER'])
    expect(p.User).toBe('app')
  })

  it('never quotes a line that may hold a secret', () => {
    const d = readDockerfile('FROM alpine:3.19\nDB_PASSWORD=Sup3rS3cret!\nghp_0123456789abcdefghijABCDEFGHIJ012345\n', 'bad/Dockerfile')
    expect(d.diagnostics.map((x) => x.line)).toEqual([2, 3])
    for (const x of d.diagnostics) {
      expect(x.message).not.toContain('Sup3rS3cret')
      expect(x.message).not.toContain('ghp_')
    }
  })

  it('a FROM without image drops its stage only; duplicate stage names and incomplete instructions are reported', () => {
    expect(codes('FROM\nRUN x\nFROM alpine AS a\nFROM alpine AS A\nCOPY onlyone\nUSER\n').map((x) => x.line)).toEqual([1, 4, 5, 6])
    const d = readDockerfile('FROM\nRUN x\nFROM alpine:3.19\nRUN y\n', 'bad/Dockerfile')
    const p = d.resources[0]!.properties as unknown as DockerfileProps
    expect(p.Stages).toHaveLength(1)
    expect(p.Stages[0]!.Instructions.map((i) => i.Command)).toEqual(['y'])
  })

  it('binary content is refused with a diagnostic', () => {
    const d = readDockerfile('FROM alpine\u0000\u0001\u0002', 'bad/Dockerfile')
    expect(d.resources).toEqual([])
    expect(d.diagnostics).toMatchObject([{ code: 'PW_ERR_DOCKERFILE_INVALID', level: 'error' }])
  })

  it('never throws on random text or random instruction soup (fuzz)', () => {
    const keyword = fc.constantFrom('FROM', 'RUN', 'ARG', 'ENV', 'COPY', 'ADD', 'USER', 'HEALTHCHECK', 'ONBUILD', 'EXPOSE', 'LABEL', 'CMD', 'BOGUS', '#', '# escape=`', '# syntax=x')
    const word = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('${A:-b}', '$B', '"q w"', "'x'", '\\', '`', '[', ']', '["a", "b c"]', '<<EOF', 'EOF', 'AS', 'x=1', '--from=a', '--mount=type=secret,id=x', 'NONE', 'CMD'))
    const line = fc.tuple(keyword, fc.array(word, { maxLength: 5 })).map(([k, ws]) => [k, ...ws].join(' '))
    const soup = fc.array(line, { maxLength: 25 }).map((ls) => ls.join('\n'))
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), soup), (text) => {
        const d = readDockerfile(text, 'fuzz/Dockerfile')
        const lineCount = text.split('\n').length
        for (const x of d.diagnostics) {
          expect(x.code).toBe('PW_ERR_DOCKERFILE_INVALID')
          if (x.line !== undefined) expect(x.line).toBeGreaterThanOrEqual(1)
          if (x.line !== undefined) expect(x.line).toBeLessThanOrEqual(lineCount)
        }
        expect(d.resources.length).toBeLessThanOrEqual(1)
        if (d.resources.length === 0) expect(d.diagnostics.length).toBeGreaterThan(0)
      }),
      { numRuns: 400 },
    )
  })
})
