import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyVex, parseVex, purlCovers, vexSuppresses } from './index.js'
import type { VexStatement } from './index.js'

const read = (name: string): string => readFileSync(fileURLToPath(new URL(`testdata/${name}`, import.meta.url)), 'utf8')
const parseFixture = (name: string) => parseVex(`vex/${name}`, read(name))

describe('parseVex — OpenVEX', () => {
  it('reads the spec example (Spring Boot, log4shell)', () => {
    expect(parseFixture('openvex-spring-boot.json')).toEqual({
      statements: [{
        vulnerability: 'CVE-2021-44228',
        aliases: ['GHSA-jfh8-c2jp-5v3q'],
        products: ['pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3'],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        detail: 'Spring Boot users are only affected by this vulnerability if they have switched the default logging system to Log4J2. The log4j-to-slf4j and log4j-api jars that we include in spring-boot-starter-logging cannot be exploited on their own. Only applications using log4j-core and including user input in log messages are vulnerable.',
        timestamp: '2023-01-16T19:07:16.853479631-06:00',
        source: { file: 'vex/openvex-spring-boot.json', format: 'openvex', line: 9 },
      }],
      diagnostics: [],
    })
  })
  it('reports the verbatim spec example, which is not valid JSON, with file and line', () => {
    const r = parseFixture('openvex-spec-example-verbatim.json')
    expect(r.statements).toEqual([])
    expect(r.diagnostics.length).toBeGreaterThan(0)
    expect(r.diagnostics[0]).toMatchObject({ code: 'PW_ERR_VEX_INVALID', level: 'error', file: 'vex/openvex-spec-example-verbatim.json', line: 23 })
  })
  it('statement timestamps override the document timestamp (inheritance example)', () => {
    const r = parseFixture('openvex-inheritance.json')
    expect(r.diagnostics).toEqual([])
    expect(r.statements.map((s) => [s.status, s.timestamp, s.source.line])).toEqual([
      ['under_investigation', '2023-01-08T18:02:03-06:00', 9],
      ['fixed', '2023-01-09T09:08:42-06:00', 19],
    ])
  })
  it('lists subcomponents as products (Docker Scout example)', () => {
    const [s] = parseFixture('openvex-docker-scout.json').statements
    expect(s?.products).toEqual(['pkg:docker/<ORG>/scout-demo-service@v1', 'pkg:npm/express@4.17.1', 'pkg:npm/qs@6.7.0'])
    expect(s?.timestamp).toBe('2024-02-03T09:33:28.913574+01:00')
  })
  it('skips untrustworthy statements with a diagnostic and keeps the rest', () => {
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/1',
      author: 'Clinic Security <security@clinic.example>',
      timestamp: '2024-03-01T00:00:00Z',
      version: 1,
      statements: [
        { vulnerability: { name: 'CVE-2024-1' }, products: [{ '@id': 'pkg:npm/a@1.0.0' }], status: 'not_affected' },
        { vulnerability: { name: 'CVE-2024-2' }, products: [{ '@id': 'pkg:npm/a@1.0.0' }], status: 'wontfix' },
        { vulnerability: { name: 'CVE-2024-3' }, products: [{ '@id': 'pkg:npm/a@1.0.0' }], status: 'not_affected', justification: 'because' },
        { vulnerability: { description: 'no name' }, products: [{ '@id': 'pkg:npm/a@1.0.0' }], status: 'fixed' },
        { vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2024-5' }, products: [{ identifiers: { purl: 'pkg:pypi/b@2.0' } }], status: 'affected', action_statement: 'Upgrade to 2.1' },
        { vulnerability: { name: 'CVE-2024-6' }, products: [{ '@id': 'https://example.com/product/x' }], status: 'under_investigation' },
      ],
    }
    const r = parseVex('vex.json', JSON.stringify(doc, null, 2))
    expect(r.statements.map((s) => [s.vulnerability, s.status, s.products, s.action])).toEqual([
      ['CVE-2024-5', 'affected', ['pkg:pypi/b@2.0'], 'Upgrade to 2.1'],
      ['CVE-2024-6', 'under_investigation', [], undefined],
    ])
    expect(r.diagnostics.map((d) => [d.level, d.line, d.message.split(' (')[0]])).toEqual([
      ['error', 8, 'OpenVEX statement 1 is not_affected without a justification or impact_statement and is not applied'],
      ['error', 28, 'OpenVEX statement 2 is invalid and not applied: status: Invalid option: expected one of "not_affected"|"affected"|"fixed"|"under_investigation"'],
      ['error', 40, 'OpenVEX statement 3 is invalid and not applied: justification: Invalid option: expected one of "component_not_present"|"vulnerable_code_not_present"|"vulnerable_code_not_in_execute_path"|"vulnerable_code_cannot_be_controlled_by_adversary"|"inline_mitigations_already_exist"'],
      ['error', 43, 'OpenVEX statement 4 names no vulnerability and is not applied'],
      ['warning', 71, 'OpenVEX statement 6 names no product by Package URL and applies to nothing'],
    ])
    expect(r.diagnostics.every((d) => d.code === 'PW_ERR_VEX_INVALID' && d.file === 'vex.json')).toBe(true)
  })
})

describe('parseVex — CycloneDX', () => {
  it('reads the bom-examples VEX with a BOM-Link ref and a string response', () => {
    expect(parseFixture('cyclonedx-vex-jackson.json')).toEqual({
      statements: [{
        vulnerability: 'CVE-2020-25649',
        aliases: ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302'],
        products: ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar'],
        status: 'not_affected',
        justification: 'code_not_reachable',
        detail: 'Automated dataflow analysis and manual code review indicates that the vulnerable code is not reachable, either directly or indirectly.',
        action: 'will_not_fix',
        timestamp: '2021-10-26T00:00:00.000Z',
        source: { file: 'vex/cyclonedx-vex-jackson.json', format: 'cyclonedx', line: 6 },
      }],
      diagnostics: [],
    })
  })
  it('warns when affects names a component without a purl (CISA case 1)', () => {
    const r = parseFixture('cyclonedx-cisa-case1-not-affected.json')
    expect(r.statements).toMatchObject([{ vulnerability: 'CVE-2021-44228', products: [], status: 'not_affected', justification: 'code_not_present', action: 'will_not_fix', timestamp: '2022-03-03T00:00:00Z' }])
    expect(r.diagnostics).toMatchObject([{ code: 'PW_ERR_VEX_INVALID', level: 'warning', line: 41, path: 'vulnerabilities.0.affects.0.ref' }])
  })
  it('maps every analysis state and resolves bom-refs of nested components', () => {
    const r = parseFixture('cyclonedx-vex-clinic-api.json')
    expect(r.statements.map((s) => [s.vulnerability, s.aliases, s.status, s.justification, s.products, s.action, s.timestamp, s.source.line])).toEqual([
      ['CVE-2022-24999', ['GHSA-hrpp-h998-j3pp'], 'not_affected', 'code_not_reachable', ['pkg:npm/qs@6.7.0'], undefined, '2024-05-01T09:30:00Z', 49],
      ['CVE-2022-23529', ['GHSA-27h2-hvpr-p74q'], 'affected', undefined, ['pkg:npm/jsonwebtoken@8.5.1'], 'update', '2024-05-01T09:00:00Z', 63],
      ['CVE-2021-33503', [], 'not_affected', undefined, ['pkg:pypi/urllib3@1.26.4'], undefined, '2024-05-02T10:00:00Z', 74],
      ['CVE-2022-23539', [], 'fixed', undefined, [], undefined, '2024-05-02T10:00:00Z', 79],
      ['CVE-2024-0001', [], 'under_investigation', undefined, ['pkg:npm/express@4.17.1'], undefined, '2024-05-02T10:00:00Z', 89],
    ])
    expect(r.diagnostics.map((d) => [d.level, d.line, d.path])).toEqual([
      ['warning', 77, 'vulnerabilities.2.affects.1.ref'],
      ['warning', 81, 'vulnerabilities.3.analysis.justification'],
      ['warning', 82, 'vulnerabilities.3.affects.0.versions'],
    ])
  })
  it('rejects a BOM of an unsupported spec version and a non-VEX document', () => {
    expect(parseVex('old.json', '{"bomFormat":"CycloneDX","specVersion":"1.3","vulnerabilities":[]}').diagnostics).toMatchObject([{ code: 'PW_ERR_VEX_INVALID', level: 'error', line: 1 }])
    expect(parseVex('x.json', '{\n  "hello": 1\n}').diagnostics).toMatchObject([{ code: 'PW_ERR_VEX_INVALID', level: 'error', message: 'Not an OpenVEX document (no @context) nor a CycloneDX BOM (no bomFormat) (x.json at line 1)' }])
    expect(parseVex('x.json', '[]').statements).toEqual([])
    expect(parseVex('x.json', '').diagnostics[0]).toMatchObject({ code: 'PW_ERR_VEX_INVALID', level: 'error' })
  })
  it('never throws on garbled input and reports it (fuzz)', () => {
    const base = read('cyclonedx-vex-clinic-api.json')
    const open = read('openvex-docker-scout.json')
    fc.assert(
      fc.property(fc.constantFrom(base, open), fc.nat(), fc.nat(), fc.string(), (text, a, b, junk) => {
        const i = a % text.length
        const garbled = text.slice(0, i) + junk + text.slice(i + (b % 20))
        const r = parseVex('g.json', garbled)
        expect(Array.isArray(r.statements)).toBe(true)
        for (const d of r.diagnostics) expect(d.code).toBe('PW_ERR_VEX_INVALID')
      }),
      { numRuns: 300 },
    )
    fc.assert(fc.property(fc.json(), (j) => { parseVex('j.json', j) }), { numRuns: 300 })
    fc.assert(fc.property(fc.anything(), (v) => { parseVex('v.json', JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [v] }) ?? '') }), { numRuns: 200 })
  })
})

describe('purlCovers', () => {
  it('matches type, namespace and name after normalisation, version when given', () => {
    expect(purlCovers('pkg:npm/qs@6.7.0', 'pkg:npm/qs@6.7.0')).toBe(true)
    expect(purlCovers('pkg:npm/qs', 'pkg:npm/qs@6.7.0')).toBe(true)
    expect(purlCovers('pkg:npm/qs@6.7.0', 'pkg:npm/qs@6.7.1')).toBe(false)
    expect(purlCovers('pkg:npm/qs@6.7.0', 'pkg:npm/qs')).toBe(false)
    expect(purlCovers('pkg:NPM/%40angular/core@1.0.0', 'pkg:npm/@angular/core@1.0.0')).toBe(true)
    expect(purlCovers('pkg:pypi/Django_Rest@1.0', 'pkg:pypi/django-rest@1.0')).toBe(true)
    expect(purlCovers('pkg:npm/qs@6.7.0', 'pkg:pypi/qs@6.7.0')).toBe(false)
    expect(purlCovers('pkg:maven/org.a/b@1', 'pkg:maven/org.c/b@1')).toBe(false)
  })
  it('qualifiers in the statement restrict; Maven type=jar is the default', () => {
    expect(purlCovers('pkg:apk/wolfi/git@2.39.0-r1?arch=armv7', 'pkg:apk/wolfi/git@2.39.0-r1?arch=armv7')).toBe(true)
    expect(purlCovers('pkg:apk/wolfi/git@2.39.0-r1?arch=armv7', 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64')).toBe(false)
    expect(purlCovers('pkg:apk/wolfi/git@2.39.0-r1?arch=armv7', 'pkg:apk/wolfi/git@2.39.0-r1')).toBe(false)
    expect(purlCovers('pkg:deb/debian/openssl@3.0.11-1~deb12u2', 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12')).toBe(true)
    expect(purlCovers('pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0')).toBe(true)
    expect(purlCovers('pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=pom', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0')).toBe(false)
  })
  it('an invalid purl matches only itself', () => {
    expect(purlCovers('pkg:docker/<ORG>/x@v1', 'pkg:docker/<ORG>/x@v1')).toBe(true)
    expect(purlCovers('not a purl', 'pkg:npm/qs@6.7.0')).toBe(false)
  })
})

describe('applyVex', () => {
  const all = [
    ...parseFixture('openvex-spring-boot.json').statements,
    ...parseFixture('openvex-inheritance.json').statements,
    ...parseFixture('openvex-docker-scout.json').statements,
    ...parseFixture('cyclonedx-vex-clinic-api.json').statements,
    ...parseFixture('cyclonedx-vex-jackson.json').statements,
  ]
  it('suppresses a subcomponent by CVE (Docker Scout) and by alias (GHSA id of the finding)', () => {
    const byCve = applyVex({ ids: ['GHSA-hrpp-h998-j3pp', 'CVE-2022-24999'], purl: 'pkg:npm/qs@6.7.0' }, all)
    expect(byCve?.source.file).toBe('vex/cyclonedx-vex-clinic-api.json')
    expect(byCve && vexSuppresses(byCve)).toBe(true)
    const byAlias = applyVex({ ids: ['GHSA-jfh8-c2jp-5v3q'], purl: 'pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3' }, all)
    expect(byAlias).toMatchObject({ vulnerability: 'CVE-2021-44228', status: 'not_affected' })
    expect(applyVex({ ids: ['ghsa-JFH8-c2jp-5v3q'], purl: 'pkg:maven/org.springframework.boot/spring-boot@2.6.0' }, all)).toBeUndefined()
  })
  it('the later statement wins: fixed after under_investigation', () => {
    expect(applyVex({ ids: ['CVE-2023-12345'], purl: 'pkg:apk/wolfi/git@2.39.0-r1?arch=armv7' }, all)?.status).toBe('fixed')
    expect(applyVex({ ids: ['CVE-2023-12345'], purl: 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64' }, all)).toBeUndefined()
  })
  it('a later-listed but older statement does not override a newer one', () => {
    const mk = (status: VexStatement['status'], timestamp?: string): VexStatement => ({
      vulnerability: 'CVE-2024-9', aliases: [], products: ['pkg:npm/a'], status, ...(timestamp ? { timestamp } : {}), source: { file: 'v.json', format: 'openvex' },
    })
    const finding = { ids: ['CVE-2024-9'], purl: 'pkg:npm/a@1.2.3' }
    expect(applyVex(finding, [mk('not_affected', '2024-03-01T00:00:00Z'), mk('affected', '2024-01-01T00:00:00Z')])?.status).toBe('not_affected')
    expect(applyVex(finding, [mk('affected', '2024-01-01T00:00:00Z'), mk('not_affected', '2024-01-01T00:00:00+00:00')])?.status).toBe('not_affected')
    expect(applyVex(finding, [mk('not_affected', '2024-03-01T00:00:00Z'), mk('under_investigation')])?.status).toBe('under_investigation')
  })
  it('returns affected and under_investigation statements, which do not suppress', () => {
    const s = applyVex({ ids: ['CVE-2022-23529'], purl: 'pkg:npm/jsonwebtoken@8.5.1' }, all)
    expect(s).toMatchObject({ status: 'affected', action: 'update' })
    expect(s && vexSuppresses(s)).toBe(false)
    expect(vexSuppresses({ status: 'under_investigation' })).toBe(false)
    expect(vexSuppresses({ status: 'fixed' })).toBe(true)
  })
})
