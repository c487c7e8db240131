import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import Ajv2019Module from 'ajv/dist/2019.js'
import { describe, expect, it } from 'vitest'
import type { Component } from '../../model/index.js'
import { ROOT_BOM_REF, SPDX_ROOT_ID, toCycloneDx, toSpdx } from './index.js'
import type { SbomMeta } from './index.js'

const read = (name: string): string => readFileSync(fileURLToPath(new URL(`testdata/${name}`, import.meta.url)), 'utf8')
const components = JSON.parse(read('components.json')) as Component[]
const meta: SbomMeta = { name: 'clinic-intake', version: '2.3.0', timestamp: '2024-05-02T10:00:00Z', toolVersion: '0.4.0' }

const Ajv2019 = Ajv2019Module.default
const spdxValidator = new Ajv2019({ allErrors: true, strict: false }).compile(JSON.parse(read('spdx-2.3.schema.json')) as object)

interface CdxComponent { 'bom-ref': string; name: string; group?: string; version: string; purl: string; scope?: string; licenses?: Array<{ expression?: string; license?: { name?: string } }>; properties?: Array<{ name: string; value: string }> }
interface CdxBom { serialNumber: string; specVersion: string; metadata: { timestamp: string; component: { 'bom-ref': string; name: string; version?: string }; tools: { components: Array<{ name: string; version: string }> } }; components: CdxComponent[]; dependencies: Array<{ ref: string; dependsOn?: string[] }> }
interface SpdxDoc { spdxVersion: string; documentNamespace: string; creationInfo: { created: string; creators: string[] }; packages: Array<{ SPDXID: string; name: string; versionInfo?: string; licenseDeclared: string; externalRefs?: Array<{ referenceLocator: string }>; sourceInfo?: string; primaryPackagePurpose?: string }>; relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }> }

describe('toCycloneDx', () => {
  const text = toCycloneDx(components, meta)
  const bom = JSON.parse(text) as CdxBom

  it("is valid CycloneDX 1.6 by the library's strict validator", async () => {
    expect(bom.specVersion).toBe('1.6')
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text)).toBeNull()
  })
  it('the validator can fail (an unknown component scope is rejected)', async () => {
    const broken = text.replace('"scope": "excluded"', '"scope": "devOnly"')
    expect(broken).not.toBe(text)
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(broken)).not.toBeNull()
  })
  it('has one component per purl, sorted, bom-ref = purl, locations joined', () => {
    expect(bom.components.map((c) => c['bom-ref'])).toEqual([
      'pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19',
      'pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&distro=alpine-3.19',
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl',
      'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib',
      'pkg:golang/golang.org/x/net@v0.17.0',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      'pkg:npm/%40aws-sdk/client-s3@3.450.0',
      'pkg:npm/body-parser@1.19.0',
      'pkg:npm/express@4.17.1',
      'pkg:npm/jest@29.7.0',
      'pkg:npm/qs@6.7.0',
      'pkg:pypi/urllib3@1.26.4',
    ])
    for (const c of bom.components) expect(c.purl).toBe(c['bom-ref'])
    const qs = bom.components.find((c) => c.name === 'qs')
    expect(qs?.properties?.filter((p) => p.name === 'phiwall:location').map((p) => p.value)).toEqual(['api/package-lock.json:301', 'worker/package-lock.json:88'])
  })
  it('writes groups, scopes, licenses and OS-package facts', () => {
    const by = (purlStart: string): CdxComponent | undefined => bom.components.find((c) => c.purl.startsWith(purlStart))
    expect(by('pkg:npm/%40aws-sdk')).toMatchObject({ group: '@aws-sdk', name: 'client-s3', scope: 'required', licenses: [{ expression: 'Apache-2.0' }] })
    expect(by('pkg:maven/')).toMatchObject({ group: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.14.1' })
    expect(by('pkg:npm/jest')?.scope).toBe('excluded')
    expect(by('pkg:apk/alpine/ssl_client')?.licenses).toEqual([{ license: { name: 'GPL-2.0-only AND MIT/X11' } }])
    expect(by('pkg:deb/debian/libssl3')?.properties).toEqual([
      { name: 'phiwall:ecosystem', value: 'Debian' },
      { name: 'phiwall:foundBy', value: 'dpkg' },
      { name: 'phiwall:location', value: 'image.tar!/var/lib/dpkg/status:1204@sha256:8d9f7b4e1c1a9b0f7d3a5d5c8e2f0a1b3c4d5e6f708192a3b4c5d6e7f8091a2b' },
      { name: 'phiwall:release', value: '12' },
      { name: 'phiwall:sourceName', value: 'openssl' },
    ])
  })
  it('records the project, the tool and the dependency graph from paths', () => {
    expect(bom.metadata).toMatchObject({ timestamp: '2024-05-02T10:00:00.000Z', component: { 'bom-ref': ROOT_BOM_REF, name: 'clinic-intake', version: '2.3.0' }, tools: { components: [{ name: 'phiwall', version: '0.4.0' }] } })
    const deps = Object.fromEntries(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]))
    expect(deps[ROOT_BOM_REF]).toEqual([
      'pkg:golang/golang.org/x/net@v0.17.0',
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      'pkg:npm/%40aws-sdk/client-s3@3.450.0',
      'pkg:npm/express@4.17.1',
      'pkg:npm/jest@29.7.0',
      'pkg:pypi/urllib3@1.26.4',
    ])
    expect(deps['pkg:npm/express@4.17.1']).toEqual(['pkg:npm/body-parser@1.19.0', 'pkg:npm/qs@6.7.0'])
    expect(deps['pkg:npm/body-parser@1.19.0']).toEqual(['pkg:npm/qs@6.7.0'])
    expect(deps['pkg:npm/qs@6.7.0']).toEqual([])
  })
  it('is deterministic: input order does not matter, the serial number comes from the content', () => {
    expect(toCycloneDx([...components].reverse(), meta)).toBe(text)
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect((JSON.parse(toCycloneDx(components.slice(1), meta)) as CdxBom).serialNumber).not.toBe(bom.serialNumber)
    const given = JSON.parse(toCycloneDx(components, { ...meta, serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79' })) as CdxBom
    expect(given.serialNumber).toBe('urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79')
  })
  it('an empty component list is still a valid BOM; a bad timestamp is a usage error', async () => {
    const empty = toCycloneDx([], { name: 'empty', timestamp: '2024-01-01T00:00:00Z', toolVersion: '0.4.0' })
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(empty)).toBeNull()
    expect(() => toCycloneDx(components, { ...meta, timestamp: 'yesterday' })).toThrow(expect.objectContaining({ code: 'PW_ERR_USAGE' }))
  })
})

describe('toSpdx', () => {
  const text = toSpdx(components, meta)
  const doc = JSON.parse(text) as SpdxDoc

  it('is valid against the official SPDX 2.3 JSON schema', () => {
    const ok = spdxValidator(doc)
    expect(spdxValidator.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })
  it('the schema check can fail (a package without downloadLocation is rejected)', () => {
    const broken = JSON.parse(text) as { packages: Array<Record<string, unknown>> }
    delete broken.packages[1]?.['downloadLocation']
    expect(spdxValidator(broken)).toBe(false)
  })
  it('writes the document header', () => {
    expect(doc).toMatchObject({ spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', name: 'clinic-intake@2.3.0', creationInfo: { created: '2024-05-02T10:00:00Z', creators: ['Tool: phiwall-0.4.0'] } })
    expect(doc.documentNamespace).toMatch(/^https:\/\/phiwall\.dev\/spdxdocs\/clinic-intake-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
  it('writes one package per purl with purl external refs, licenses and unique SPDXIDs', () => {
    expect(doc.packages.length).toBe(13)
    expect(doc.packages[0]).toMatchObject({ SPDXID: SPDX_ROOT_ID, name: 'clinic-intake', versionInfo: '2.3.0', primaryPackagePurpose: 'APPLICATION' })
    const ids = doc.packages.map((p) => p.SPDXID)
    expect(new Set(ids).size).toBe(13)
    for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/)
    const zlib = doc.packages.find((p) => p.name === 'zlib1g')
    expect(zlib).toMatchObject({ versionInfo: '1:1.2.13.dfsg-1', licenseDeclared: 'Zlib', externalRefs: [{ referenceLocator: 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12&upstream=zlib' }] })
    expect(zlib?.SPDXID).toMatch(/^SPDXRef-Package-Debian-zlib1g-1-1.2.13.dfsg-1-[0-9a-f]{8}$/)
    expect(zlib?.sourceInfo).toBe('found by dpkg in image.tar!/var/lib/dpkg/status:2210@sha256:8d9f7b4e1c1a9b0f7d3a5d5c8e2f0a1b3c4d5e6f708192a3b4c5d6e7f8091a2b; ecosystem=Debian; release=12; sourceName=zlib; sourceVersion=1:1.2.13.dfsg-1')
    expect(doc.packages.find((p) => p.name === 'ssl_client')?.licenseDeclared).toBe('NOASSERTION')
    expect(doc.packages.find((p) => p.name === 'golang.org/x/net')?.licenseDeclared).toBe('NOASSERTION')
  })
  it('relates document → root → direct dependencies → transitive ones', () => {
    const name = new Map(doc.packages.map((p) => [p.SPDXID, p.name]))
    const rels = doc.relationships.map((r) => `${name.get(r.spdxElementId) ?? r.spdxElementId} ${r.relationshipType} ${name.get(r.relatedSpdxElement)}`)
    expect(rels).toEqual([
      'SPDXRef-DOCUMENT DESCRIBES clinic-intake',
      'clinic-intake DEPENDS_ON golang.org/x/net',
      'clinic-intake DEPENDS_ON org.apache.logging.log4j:log4j-core',
      'clinic-intake DEPENDS_ON @aws-sdk/client-s3',
      'clinic-intake DEPENDS_ON express',
      'clinic-intake DEPENDS_ON jest',
      'clinic-intake DEPENDS_ON urllib3',
      'body-parser DEPENDS_ON qs',
      'express DEPENDS_ON body-parser',
      'express DEPENDS_ON qs',
    ])
  })
  it('is deterministic and takes the namespace UUID from a given serial number', () => {
    expect(toSpdx([...components].reverse(), meta)).toBe(text)
    const given = JSON.parse(toSpdx(components, { ...meta, serialNumber: 'urn:uuid:3E671687-395B-41F5-A30F-A58921A69B79' })) as SpdxDoc
    expect(given.documentNamespace).toBe('https://phiwall.dev/spdxdocs/clinic-intake-3e671687-395b-41f5-a30f-a58921a69b79')
    const empty = JSON.parse(toSpdx([], { name: 'x y', timestamp: '2024-01-01T00:00:00.123Z', toolVersion: '1' })) as SpdxDoc
    expect(spdxValidator(empty)).toBe(true)
    expect(empty.creationInfo.created).toBe('2024-01-01T00:00:00Z')
  })
})
