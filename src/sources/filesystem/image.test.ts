import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Component } from '../../model/index.js'
import { detectFilesystemKind, readFilesystem, type FilesystemFile } from './index.js'
import { dockerSave, ociLayout, tarBuffer, type TarSpec } from './testdata/build.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = (name: string): string => fs.readFileSync(path.join(here, 'testdata', name), 'utf8')
const pkg = (name: string, version: string, license?: string): string => JSON.stringify({ name, version, ...(license ? { license } : {}) }, null, 2)
const summary = (cs: Component[]): string[] => cs.filter((c) => c.type === 'library').map((c) => `${c.foundBy}:${c.name}@${c.version}`).sort()

let tmp: string
let base: Buffer
let top: Buffer
const topEntries: TarSpec[] = [
  { name: 'app/', type: 'directory' },
  { name: 'app/node_modules/.wh.minimist' },
  { name: 'opt/cache/.wh..wh..opq' },
  { name: 'opt/cache/node_modules/express/package.json', content: pkg('express', '4.17.1', 'MIT') },
  { name: 'app/package-lock.json', content: JSON.stringify({ name: 'intake', lockfileVersion: 3, packages: {} }) },
  { name: 'usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\nRequests' },
  { name: '../../../tmp/evil', content: 'x' },
]

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-fs-'))
  base = await tarBuffer([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
    { name: 'usr/lib/os-release', content: fixture('debian-os-release') },
    { name: 'var/lib/dpkg/status', content: fixture('dpkg-status') },
    { name: 'usr/bin/node', content: Buffer.alloc(4096, 7) },
    { name: 'usr/lib/node_modules/npm/package.json', content: pkg('npm', '9.2.0', 'Artistic-2.0') },
    { name: 'usr/lib/node_modules/npm/node_modules/semver/package.json', content: pkg('semver', '7.5.1', 'ISC') },
    { name: 'app/node_modules/minimist/package.json', content: pkg('minimist', '1.2.5', 'MIT') },
    { name: 'opt/cache/node_modules/lodash/package.json', content: pkg('lodash', '4.17.20', 'MIT') },
  ])
  top = await tarBuffer(topEntries)
})

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

async function write(name: string, files: TarSpec[], gzip = false): Promise<string> {
  const p = path.join(tmp, name)
  const buf = await tarBuffer(files)
  fs.writeFileSync(p, gzip ? zlib.gzipSync(buf) : buf)
  return p
}

function writeDir(name: string, files: TarSpec[]): string {
  const root = path.join(tmp, name)
  for (const f of files) {
    const p = path.join(root, f.name)
    if (f.type === 'directory') fs.mkdirSync(p, { recursive: true })
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true })
      fs.writeFileSync(p, f.content ?? '')
    }
  }
  return root
}

const EXPECTED_LIBS = ['dist-info:requests@2.31.0', 'node_modules:express@4.17.1', 'node_modules:npm@9.2.0', 'node_modules:semver@7.5.1']

describe('docker save archives', () => {
  it('applies layers in order with whiteouts and opaque dirs, naming each file’s layer', async () => {
    const img = dockerSave([base, top])
    const file = await write('intake.tar', img.files)
    expect(await detectFilesystemKind(file)).toBe('docker-archive')
    const seen: FilesystemFile[] = []
    const r = await readFilesystem(file, { displayName: 'intake.tar', extraFileFilter: (p) => p.endsWith('package-lock.json'), onFile: (f) => seen.push(f) })
    expect(r.kind).toBe('docker-archive')
    expect(r.layers).toEqual(img.diffIds)
    expect(r.os).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian', release: '12' })
    expect(summary(r.components)).toEqual(EXPECTED_LIBS)
    const osPkgs = r.components.filter((c) => c.type === 'os-package')
    expect(osPkgs).toHaveLength(40)
    expect(osPkgs.find((c) => c.name === 'bash')!.locations).toEqual([{ file: 'intake.tar!/var/lib/dpkg/status', line: 276, layer: img.diffIds[0] }])
    expect(r.components.find((c) => c.name === 'express')!.locations).toEqual([{ file: 'intake.tar!/opt/cache/node_modules/express/package.json', layer: img.diffIds[1] }])
    expect(r.components.find((c) => c.name === 'requests')!.purl).toBe('pkg:pypi/requests@2.31.0')
    expect(seen).toEqual([{ path: 'app/package-lock.json', file: 'intake.tar!/app/package-lock.json', layer: img.diffIds[1], text: JSON.stringify({ name: 'intake', lockfileVersion: 3, packages: {} }) }])
    expect(r.diagnostics).toEqual([
      { code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `intake.tar!/${img.files.find((f) => f.name.endsWith('layer.tar') && f.content === top)!.name} has an entry that escapes the archive root ("../../../tmp/evil"); skipped.`, file: `intake.tar!/${img.files.find((f) => f.name.endsWith('layer.tar') && f.content === top)!.name}` },
    ])
  })

  it('reads a gzip-compressed docker save and keeps what came before a truncated layer', async () => {
    const tail = await tarBuffer([
      { name: 'usr/local/lib/node_modules/left-pad/package.json', content: pkg('left-pad', '1.3.0') },
      { name: 'usr/local/bin/big', content: Buffer.alloc(64 * 1024, 1) },
      { name: 'usr/local/lib/node_modules/late/package.json', content: pkg('late', '1.0.0') },
    ])
    const truncated = tail.subarray(0, 20 * 1024)
    const img = dockerSave([base, top, truncated])
    const file = await write('truncated.tar.gz', img.files, true)
    expect(await detectFilesystemKind(file)).toBe('docker-archive')
    const r = await readFilesystem(file, { displayName: 'truncated.tar.gz' })
    expect(summary(r.components)).toEqual([...EXPECTED_LIBS.slice(0, 2), 'node_modules:left-pad@1.3.0', ...EXPECTED_LIBS.slice(2)])
    const layerName = img.files.find((f) => f.content === truncated)!.name
    const truncDiag = r.diagnostics.find((d) => d.message.includes('truncated or corrupt'))
    expect(truncDiag).toEqual({ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `truncated.tar.gz!/${layerName} is truncated or corrupt (Unexpected end of data); 2 entries read before it were kept.`, file: `truncated.tar.gz!/${layerName}` })
    expect(r.components.find((c) => c.name === 'left-pad')!.locations[0]!.layer).toBe(img.diffIds[2])
  })

  it('reports an image tarball cut in the middle, with the layers it could read', async () => {
    const img = dockerSave([base, top])
    const full = await tarBuffer(img.files)
    const file = path.join(tmp, 'cut.tar')
    // cut inside the second layer, before manifest.json: nothing says which layers there are
    fs.writeFileSync(file, full.subarray(0, Math.floor(full.length / 2)))
    expect(await detectFilesystemKind(file)).toBe('tar')
    const r = await readFilesystem(file, { displayName: 'cut.tar' })
    expect(r.kind).toBe('tar')
    expect(r.diagnostics.map((d) => d.code)).toContain('PW_ERR_ARCHIVE_INVALID')
    expect(r.components).toEqual([])
  })
})

describe('OCI image layouts', () => {
  it('reads an OCI tarball with a gzip layer', async () => {
    const img = ociLayout([base, zlib.gzipSync(top)])
    const file = await write('intake-oci.tar', img.files)
    expect(await detectFilesystemKind(file)).toBe('oci-layout')
    const r = await readFilesystem(file, { displayName: 'intake-oci.tar' })
    expect(r.kind).toBe('oci-layout')
    expect(r.layers).toEqual(img.diffIds)
    expect(summary(r.components)).toEqual(EXPECTED_LIBS)
    expect(r.components.filter((c) => c.type === 'os-package')).toHaveLength(40)
    expect(r.components.find((c) => c.name === 'requests')!.locations).toEqual([{ file: 'intake-oci.tar!/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA', layer: img.diffIds[1] }])
  })

  it('reads an OCI layout directory, and names a missing blob', async () => {
    const img = ociLayout([base, zlib.gzipSync(top)])
    const dir = writeDir('oci-dir', img.files)
    expect(await detectFilesystemKind(dir)).toBe('oci-layout')
    const r = await readFilesystem(dir, { displayName: 'oci-dir' })
    expect(summary(r.components)).toEqual(EXPECTED_LIBS)
    expect(r.components.find((c) => c.name === 'npm')!.locations).toEqual([{ file: 'oci-dir!/usr/lib/node_modules/npm/package.json', layer: img.diffIds[0] }])
    const topBlob = img.files.find((f) => f.content !== undefined && Buffer.from(f.content).equals(zlib.gzipSync(top)))!.name
    fs.rmSync(path.join(dir, topBlob))
    const r2 = await readFilesystem(dir, { displayName: 'oci-dir' })
    expect(summary(r2.components)).toEqual(['node_modules:lodash@4.17.20', 'node_modules:minimist@1.2.5', 'node_modules:npm@9.2.0', 'node_modules:semver@7.5.1'])
    expect(r2.diagnostics).toEqual([{ code: 'PW_ERR_ARCHIVE_INVALID', level: 'error', message: `oci-dir: layer ${img.diffIds[1]} (${topBlob}) is missing from the image; the layers above it are applied without it.`, file: 'oci-dir' }])
  })
})

describe('root filesystems', () => {
  it('reads a directory without following links out of it', async () => {
    const root = writeDir('rootfs', [
      { name: 'usr/lib/os-release', content: fixture('alpine-os-release') },
      { name: 'lib/apk/db/installed', content: fixture('alpine-installed') },
      { name: 'usr/lib/python3.11/site-packages/urllib3-1.26.18.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.18\n' },
      { name: 'proc/1/environ', content: 'SECRET=1' },
    ])
    fs.symlinkSync('../usr/lib/os-release', path.join(root, 'etc-os-release-tmp'))
    fs.mkdirSync(path.join(root, 'etc'))
    fs.renameSync(path.join(root, 'etc-os-release-tmp'), path.join(root, 'etc/os-release'))
    fs.mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true })
    fs.symlinkSync('/var/lib/dpkg/status', path.join(root, 'var/lib/dpkg/status')) // the host's database: must not be read
    expect(await detectFilesystemKind(root)).toBe('directory')
    const r = await readFilesystem(root, { displayName: 'rootfs' })
    expect(r.os).toMatchObject({ id: 'alpine', ecosystem: 'Alpine', release: 'v3.19' })
    expect(r.components.filter((c) => c.foundBy === 'dpkg')).toEqual([])
    expect(r.components.filter((c) => c.foundBy === 'apk')).toHaveLength(8)
    expect(r.components.find((c) => c.name === 'urllib3')!.locations).toEqual([{ file: 'rootfs/usr/lib/python3.11/site-packages/urllib3-1.26.18.dist-info/METADATA' }])
    expect(r.components.find((c) => c.name === 'zlib')!.locations).toEqual([{ file: 'rootfs/lib/apk/db/installed', line: 72 }])
    expect(r.diagnostics.map((d) => d.code)).toEqual(['PW_ERR_PACKAGE_DB_INVALID'])
  })

  it('lists OS packages of an unknown distribution with a warning', async () => {
    const file = await write('fedora-rootfs.tar', [
      { name: 'etc/os-release', content: 'NAME="Fedora Linux"\nVERSION_ID=39\nID=fedora\n' },
      { name: 'var/lib/dpkg/status', content: 'Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1\n' },
      { name: 'var/lib/rpm/Packages', content: Buffer.alloc(1024) },
      { name: 'usr/lib/sysimage/rpm/Packages.db', content: Buffer.alloc(1024) },
    ])
    const r = await readFilesystem(file, { displayName: 'fedora-rootfs.tar' })
    expect(r.kind).toBe('tar')
    expect(r.components.map((c) => [c.ecosystem, c.name, c.release, c.purl])).toEqual([['Debian', 'tzdata', undefined, 'pkg:deb/fedora/tzdata@2024a-0+deb12u1?arch=all&distro=fedora-39']])
    expect(r.diagnostics.map((d) => [d.level, d.message])).toEqual([
      ['warning', 'RPM database fedora-rootfs.tar!/usr/lib/sysimage/rpm/Packages.db is in the NDB format, which PhiWall does not read; its packages are not listed. Rebuild it as SQLite (`rpmdb --rebuilddb` with RPM ≥ 4.16) or scan a lockfile/SBOM instead.'],
      ['error', 'RPM database fedora-rootfs.tar!/var/lib/rpm/Packages cannot be read as Berkeley DB (not a Berkeley DB hash database).'],
      ['warning', 'fedora-rootfs.tar!/etc/os-release names fedora 39, a distribution PhiWall does not match advisories for; its 1 packages are listed without a release.'],
    ])
  })

  it('throws for a missing path or a file that is no archive', async () => {
    await expect(readFilesystem(path.join(tmp, 'nope.tar'))).rejects.toMatchObject({ code: 'PW_ERR_PATH_NOT_FOUND' })
    const junk = path.join(tmp, 'junk.bin')
    fs.writeFileSync(junk, 'not an archive at all')
    expect(await detectFilesystemKind(junk)).toBeUndefined()
    await expect(readFilesystem(junk)).rejects.toMatchObject({ code: 'PW_ERR_ARCHIVE_INVALID' })
  })
})
