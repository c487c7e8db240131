import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Diagnostic } from '../../model/index.js'
import { readFilesystem } from './index.js'
import { readTarLayer } from './tar.js'
import { berkeleyDb, digest, dockerSave, ociLayout, rpmPackage, rpmdbSqlite, tarBuffer, zipBuffer } from './testdata/build.js'
import { crc32, crc32Table, readZip } from './zip.js'

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-arch-'))
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('archive readers', () => {
  it('CRC-32 of the check string, native and table-driven', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32Table(Buffer.alloc(0))).toBe(0)
  })

  it('a Rocky Linux image with an SQLite rpmdb, a distroless dpkg status.d, gems, Composer and a hard link', async () => {
    const rpmdb = await rpmdbSqlite([
      rpmPackage({ name: 'openssl-libs', version: '3.0.7', release: '24.el9', epoch: 1, arch: 'x86_64', sourcerpm: 'openssl-3.0.7-24.el9.src.rpm', license: 'ASL 2.0' }),
      rpmPackage({ name: 'glibc', version: '2.34', release: '83.el9.7', arch: 'x86_64', sourcerpm: 'glibc-2.34-83.el9.7.src.rpm', license: 'LGPLv2+' }),
    ])
    const layer = await tarBuffer([
      { name: 'etc/os-release', content: 'NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n' },
      { name: 'var/lib/rpm/rpmdb.sqlite', content: rpmdb },
      { name: 'var/lib/dpkg/status.d/tzdata', content: 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n' },
      { name: 'var/lib/dpkg/status.d/tzdata.md5sums', content: '0123 usr/share/zoneinfo/UTC\n' },
      { name: 'usr/local/bundle/specifications/rack-2.2.8.gemspec', content: 'Gem::Specification.new do |s|\n  s.name = "rack".freeze\n  s.version = "2.2.8"\nend\n' },
      { name: 'srv/app/vendor/composer/installed.json', content: JSON.stringify({ packages: [{ name: 'guzzlehttp/psr7', version: '2.4.4' }] }) },
      { name: 'srv/app/node_modules/.pnpm/qs@6.7.0/node_modules/qs/package.json', content: '{"name":"qs","version":"6.7.0"}' },
      { name: 'srv/app/node_modules/qs/package.json', type: 'link', linkname: 'srv/app/node_modules/.pnpm/qs@6.7.0/node_modules/qs/package.json' },
    ])
    const img = dockerSave([zlib.gzipSync(layer)])
    const file = path.join(tmp, 'rocky.tar')
    fs.writeFileSync(file, await tarBuffer(img.files))
    const r = await readFilesystem(file, { displayName: 'rocky.tar' })
    expect(r.os).toMatchObject({ id: 'rocky', ecosystem: 'Red Hat', release: '9' })
    expect(r.components.map((c) => `${c.foundBy}:${c.ecosystem}:${c.name}@${c.version}`).sort()).toEqual([
      'composer-installed:Packagist:guzzlehttp/psr7@2.4.4',
      'dpkg:Red Hat:tzdata@2024a-0+deb12u1',
      'gemspec:RubyGems:rack@2.2.8',
      'node_modules:npm:qs@6.7.0',
      'rpm:Red Hat:glibc@2.34-83.el9.7',
      'rpm:Red Hat:openssl-libs@1:3.0.7-24.el9',
    ])
    expect(r.components.find((c) => c.name === 'qs')!.locations.map((l) => l.file)).toEqual(['rocky.tar!/srv/app/node_modules/.pnpm/qs@6.7.0/node_modules/qs/package.json', 'rocky.tar!/srv/app/node_modules/qs/package.json'])
    expect(r.components.find((c) => c.name === 'glibc')!.locations).toEqual([{ file: 'rocky.tar!/var/lib/rpm/rpmdb.sqlite', layer: img.diffIds[0] }])
    expect(r.diagnostics).toEqual([])
  })

  it('a CentOS 7 root filesystem tarball with a Berkeley DB rpmdb', async () => {
    const file = path.join(tmp, 'centos7.tar.gz')
    const packages = berkeleyDb([rpmPackage({ name: 'openssl-libs', version: '1.0.2k', release: '26.el7_9', epoch: 1, arch: 'x86_64', sourcerpm: 'openssl-1.0.2k-26.el7_9.src.rpm' })])
    fs.writeFileSync(file, zlib.gzipSync(await tarBuffer([{ name: './etc/os-release', content: 'NAME="CentOS Linux"\nID="centos"\nVERSION_ID="7"\n' }, { name: './var/lib/rpm/Packages', content: packages }])))
    const r = await readFilesystem(file, { displayName: 'centos7.tar.gz' })
    expect(r.kind).toBe('tar')
    expect(r.components.map((c) => [c.name, c.version, c.release, c.purl, c.locations])).toEqual([
      ['openssl-libs', '1:1.0.2k-26.el7_9', '7', 'pkg:rpm/centos/openssl-libs@1.0.2k-26.el7_9?arch=x86_64&distro=centos-7&epoch=1', [{ file: 'centos7.tar.gz!/var/lib/rpm/Packages' }]],
    ])
    expect(r.diagnostics).toEqual([])
  })

  it('an OCI multi-platform index: the linux image is read, attestation manifests are ignored', async () => {
    const layer = await tarBuffer([{ name: 'usr/lib/node_modules/npm/package.json', content: '{"name":"npm","version":"10.2.4"}' }])
    const amd = ociLayout([zlib.gzipSync(layer)])
    const indexFile = amd.files.find((f) => f.name === 'index.json')!
    const inner = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { ...JSON.parse(String(indexFile.content)).manifests[0], platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 566, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }, platform: { architecture: 'unknown', os: 'unknown' } },
      ],
    }))
    const files = [...amd.files.filter((f) => f.name !== 'index.json'), { name: `blobs/sha256/${digest(inner).slice(7)}`, content: inner }, { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: digest(inner), size: inner.length }] }) }]
    const file = path.join(tmp, 'multi.tar')
    fs.writeFileSync(file, await tarBuffer(files))
    const r = await readFilesystem(file, { displayName: 'multi.tar' })
    expect(r.kind).toBe('oci-layout')
    expect(r.components.map((c) => `${c.name}@${c.version}`)).toEqual(['npm@10.2.4'])
    expect(r.layers).toEqual(amd.diffIds)
    expect(r.diagnostics).toEqual([])
  })

  it('fuzz: garbled tar and zip bytes never throw, and only give archive diagnostics', async () => {
    const goodTar = await tarBuffer([{ name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4-r2\n' }, { name: 'x/node_modules/a/package.json', content: '{"name":"a","version":"1.0.0"}' }])
    const goodZip = zipBuffer([{ name: 'node_modules/a/package.json', content: '{"name":"a","version":"1.0.0"}', deflate: true }])
    const garble = (base: Buffer) =>
      fc.tuple(fc.nat(base.length - 1), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat(base.length)).map(([at, bytes, cut]) => {
        const b = Buffer.from(base)
        b.set(bytes.subarray(0, b.length - at), at)
        return b.subarray(0, cut)
      })
    await fc.assert(
      fc.asyncProperty(fc.oneof(garble(goodTar), garble(zlib.gzipSync(goodTar)), fc.uint8Array({ maxLength: 2048 }).map((u) => Buffer.from(u))), async (bytes) => {
        const diagnostics: Diagnostic[] = []
        await readTarLayer([bytes], { archive: 't.tar', want: () => true, maxFileBytes: 1 << 20, diagnostics })
        for (const d of diagnostics) expect(['PW_ERR_ARCHIVE_INVALID', 'PW_ERR_FILE_TOO_LARGE']).toContain(d.code)
      }),
      { numRuns: 150 },
    )
    await fc.assert(
      fc.asyncProperty(fc.oneof(garble(goodZip), fc.uint8Array({ maxLength: 1024 }).map((u) => Buffer.from(u))), async (bytes) => {
        const diagnostics: Diagnostic[] = []
        await readZip({ buffer: bytes }, { archive: 'z.zip', want: () => true, maxFileBytes: 1 << 20, diagnostics }, { maxEntryBytes: 1 << 20, maxRatio: 200 })
        for (const d of diagnostics) expect(['PW_ERR_ARCHIVE_INVALID', 'PW_ERR_FILE_TOO_LARGE']).toContain(d.code)
      }),
      { numRuns: 150 },
    )
  })

  it('wanted files over the size limit are skipped with a warning', async () => {
    const file = path.join(tmp, 'big.tar')
    fs.writeFileSync(file, await tarBuffer([{ name: 'var/lib/dpkg/status', content: 'Package: a\nStatus: install ok installed\nVersion: 1\n'.repeat(50) }]))
    const r = await readFilesystem(file, { displayName: 'big.tar', maxFileBytes: 100 })
    expect(r.components).toEqual([])
    expect(r.diagnostics).toEqual([{ code: 'PW_ERR_FILE_TOO_LARGE', level: 'warning', message: 'big.tar: var/lib/dpkg/status is 2550 bytes, over the 100-byte limit; not read.', file: 'big.tar' }])
  })
})
