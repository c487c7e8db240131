import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseApkInstalled, parseDpkgStatus, parseOsRelease, parseRpmBerkeleyDb, parseRpmHeader, parseRpmSqlite, parseSourceRpm, readBerkeleyDbValues, rpmComponent } from './index.js'
import { berkeleyDb, rpmHeaderBlob, rpmPackage, rpmdbSqlite, RPM_TYPE } from './testdata/build.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixture = (name: string): string => fs.readFileSync(path.join(here, 'testdata', name), 'utf8')
const debian = parseOsRelease(fixture('debian-os-release'))!
const alpine = parseOsRelease(fixture('alpine-os-release'))!

describe('parseOsRelease', () => {
  it('maps Debian, Alpine, Ubuntu and Red Hat rebuilds to OSV ecosystems and releases', () => {
    expect(debian).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian', release: '12' })
    expect(alpine).toEqual({ id: 'alpine', versionId: '3.19.1', prettyName: 'Alpine Linux v3.19', ecosystem: 'Alpine', release: 'v3.19' })
    expect(parseOsRelease('ID=ubuntu\nVERSION_ID="22.04"\n')).toEqual({ id: 'ubuntu', versionId: '22.04', ecosystem: 'Ubuntu', release: '22.04' })
    expect(parseOsRelease('ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n')).toEqual({ id: 'rocky', versionId: '9.3', ecosystem: 'Red Hat', release: '9' })
    expect(parseOsRelease('ID="rhel"\nVERSION_ID="8.9"\n')).toMatchObject({ ecosystem: 'Red Hat', release: '8' })
    expect(parseOsRelease('ID=fedora\nVERSION_ID=39\n')).toEqual({ id: 'fedora', versionId: '39' })
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux trixie/sid"\nID=debian\n')).toEqual({ id: 'debian', prettyName: 'Debian GNU/Linux trixie/sid', ecosystem: 'Debian' })
    expect(parseOsRelease('# nothing\n')).toBeUndefined()
  })
})

describe('parseDpkgStatus', () => {
  it('reads the 40 stanzas of a real Debian 12 status file with source packages and purls', () => {
    const { components, diagnostics } = parseDpkgStatus({ file: 'rootfs/var/lib/dpkg/status', os: debian }, fixture('dpkg-status'))
    expect(diagnostics).toEqual([])
    expect(components).toHaveLength(40)
    expect(components[0]!.name).toBe('adduser')
    const bash = components.find((c) => c.name === 'bash')
    expect(bash).toEqual({
      ecosystem: 'Debian',
      release: '12',
      name: 'bash',
      version: '5.2.15-2+b8',
      sourceVersion: '5.2.15-2',
      purl: 'pkg:deb/debian/bash@5.2.15-2+b8?arch=amd64&distro=debian-12',
      type: 'os-package',
      locations: [{ file: 'rootfs/var/lib/dpkg/status', line: 276 }],
      foundBy: 'dpkg',
    })
    const bsdutils = components.find((c) => c.name === 'bsdutils')!
    expect([bsdutils.version, bsdutils.sourceName, bsdutils.sourceVersion]).toEqual(['1:2.38.1-5+deb12u3', 'util-linux', '2.38.1-5+deb12u3'])
    expect(bsdutils.purl).toBe('pkg:deb/debian/bsdutils@1:2.38.1-5+deb12u3?arch=amd64&distro=debian-12')
    const apt = components.find((c) => c.name === 'apt')!
    expect(apt.sourceName).toBeUndefined()
    expect(apt.sourceVersion).toBeUndefined()
  })

  it('lists only installed stanzas, warns on stanzas without a version, reads distroless status.d', () => {
    const text = [
      'Package: libssl3\nStatus: deinstall ok config-files\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64',
      'Package: openssl\nStatus: install ok half-configured\nVersion: 3.0.11-1~deb12u2',
      'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64',
      'Package: libzstd1\nStatus: install ok installed\nArchitecture: amd64\nSource: libzstd\nVersion: 1.5.4+dfsg2-5',
      'Package: linux-image-amd64\nStatus: hold ok installed\nArchitecture: amd64\nSource: linux-signed-amd64 (6.1.76+1)\nVersion: 6.1.76-1',
    ].join('\n\n')
    const r = parseDpkgStatus('status', text)
    expect(r.components.map((c) => `${c.name}@${c.version}:${c.sourceName ?? ''}:${c.release ?? '-'}`)).toEqual(['libzstd1@1.5.4+dfsg2-5:libzstd:-', 'linux-image-amd64@6.1.76-1:linux-signed-amd64:-'])
    expect(r.diagnostics).toEqual([{ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: 'dpkg stanza without Version in status at line 10; skipped.', file: 'status', line: 10 }])
    const distroless = parseDpkgStatus({ file: 'img!/var/lib/dpkg/status.d/libc6', layer: 'sha256:aa', os: debian }, 'Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nSource: glibc\n', { requireStatus: false })
    expect(distroless.components.map((c) => [c.name, c.version, c.sourceName, c.locations])).toEqual([['libc6', '2.36-9+deb12u4', 'glibc', [{ file: 'img!/var/lib/dpkg/status.d/libc6', line: 1, layer: 'sha256:aa' }]]])
  })

  it("reads this machine's dpkg database when there is one", () => {
    if (!fs.existsSync('/var/lib/dpkg/status')) return
    const text = fs.readFileSync('/var/lib/dpkg/status', 'utf8')
    const installed = text.split('\n').filter((l) => /^Status: \S+ \S+ installed$/.test(l)).length
    const { components, diagnostics } = parseDpkgStatus('/var/lib/dpkg/status', text)
    expect(diagnostics).toEqual([])
    expect(components).toHaveLength(installed)
    expect(installed).toBeGreaterThan(100)
    for (const c of components) {
      expect(c.version).toMatch(/^[0-9]/)
      expect(decodeURIComponent(c.purl).startsWith(`pkg:deb/debian/${c.name}@`)).toBe(true)
    }
    const withSource = text.split('\n\n').filter((s) => /^Status: \S+ \S+ installed$/m.test(s) && /^Source: /m.test(s)).length
    expect(components.filter((c) => c.sourceName !== undefined || c.sourceVersion !== undefined).length).toBeLessThanOrEqual(withSource)
    expect(components.filter((c) => c.sourceName !== undefined).length).toBeGreaterThan(0)
  })
})

describe('parseApkInstalled', () => {
  it('reads a real Alpine database with origin and license; a record without version is a warning', () => {
    const { components, diagnostics } = parseApkInstalled({ file: 'a.tar!/lib/apk/db/installed', os: alpine }, fixture('alpine-installed'))
    expect(components.map((c) => `${c.name}@${c.version}`)).toEqual(['musl@1.1.14-r10', 'busybox@1.24.2-r9', 'alpine-keys@1.1-r0', 'zlib@1.2.8-r2', 'libcrypto1.0@1.0.2h-r1', 'libssl1.0@1.0.2h-r1', 'scanelf@1.1.6-r0', 'ada-libs@2.7.4-r0'])
    expect(diagnostics).toEqual([{ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: 'apk record without version (V:) in a.tar!/lib/apk/db/installed at line 23; skipped.', file: 'a.tar!/lib/apk/db/installed', line: 23 }])
    expect(components.find((c) => c.name === 'libssl1.0')).toEqual({
      ecosystem: 'Alpine',
      release: 'v3.19',
      name: 'libssl1.0',
      version: '1.0.2h-r1',
      sourceName: 'openssl',
      license: 'openssl',
      purl: 'pkg:apk/alpine/libssl1.0@1.0.2h-r1?arch=x86_64&distro=alpine-3.19.1',
      type: 'os-package',
      locations: [{ file: 'a.tar!/lib/apk/db/installed', line: 115 }],
      foundBy: 'apk',
    })
    expect(components.find((c) => c.name === 'ada-libs')!.license).toBe('( Apache-2.0 OR MIT ) AND MPL-2.0')
    expect(components.find((c) => c.name === 'musl')!.sourceName).toBeUndefined()
  })
})

describe('RPM headers and rpmdb.sqlite', () => {
  const openssl = { name: 'openssl-libs', version: '3.0.7', release: '24.el9', epoch: 1, arch: 'x86_64', sourcerpm: 'openssl-3.0.7-24.el9.src.rpm', license: 'ASL 2.0' }
  const rocky = parseOsRelease('ID="rocky"\nVERSION_ID="9.3"\n')!

  it('parses a header blob encoded per the RPM file format', () => {
    const r = parseRpmHeader(rpmPackage(openssl))
    if ('error' in r) throw new Error(r.error)
    expect(r.header.get(1000)).toBe('openssl-libs')
    expect(r.header.get(1003)).toEqual([1])
    expect(r.header.get(1004)).toEqual(['openssl-libs package'])
    expect(rpmComponent(r.header, { file: 'img!/var/lib/rpm/rpmdb.sqlite', os: rocky })).toEqual({
      ecosystem: 'Red Hat',
      release: '9',
      name: 'openssl-libs',
      version: '1:3.0.7-24.el9',
      sourceName: 'openssl',
      license: 'ASL 2.0',
      purl: 'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1',
      type: 'os-package',
      locations: [{ file: 'img!/var/lib/rpm/rpmdb.sqlite' }],
      foundBy: 'rpm',
    })
    expect(parseSourceRpm('python3.11-3.11.5-1.el9_3.src.rpm')).toEqual({ name: 'python3.11', version: '3.11.5', release: '1.el9_3' })
    expect(parseSourceRpm('not-a-source')).toBeUndefined()
  })

  it('rejects malformed blobs with a reason instead of throwing', () => {
    const good = rpmPackage(openssl)
    expect(parseRpmHeader(good.subarray(0, good.length - 20))).toEqual({ error: `header of ${good.length - 20} bytes shorter than its 9 entries and ${good.length - 8 - 9 * 16} data bytes` })
    expect(parseRpmHeader(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({ error: 'index count 0 out of range' })
    const unterminated = Buffer.alloc(8 + 16 + 3)
    unterminated.writeUInt32BE(1, 0)
    unterminated.writeUInt32BE(3, 4)
    unterminated.writeInt32BE(1000, 8)
    unterminated.writeUInt32BE(RPM_TYPE.STRING, 12)
    unterminated.writeInt32BE(0, 16)
    unterminated.writeUInt32BE(1, 20)
    unterminated.write('abc', 24)
    expect(parseRpmHeader(unterminated)).toEqual({ error: 'entry 0 (tag 1000): unterminated string' })
  })

  it('reads an SQLite rpmdb built from real package headers, skipping gpg-pubkey and a bad blob', async () => {
    const db = await rpmdbSqlite([
      rpmPackage({ name: 'bash', version: '5.1.8', release: '6.el9_1', arch: 'x86_64', sourcerpm: 'bash-5.1.8-6.el9_1.src.rpm', license: 'GPLv3+' }),
      rpmPackage(openssl),
      rpmPackage({ name: 'gpg-pubkey', version: '350d275d', release: '6395edd0' } as unknown as typeof openssl),
      Buffer.from('garbage'),
    ])
    const r = await parseRpmSqlite({ file: 'img!/var/lib/rpm/rpmdb.sqlite', os: rocky }, db)
    expect(r.components.map((c) => [c.name, c.version, c.sourceName, c.license])).toEqual([
      ['bash', '5.1.8-6.el9_1', undefined, 'GPLv3+'],
      ['openssl-libs', '1:3.0.7-24.el9', 'openssl', 'ASL 2.0'],
    ])
    expect(r.diagnostics).toEqual([{ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'warning', message: 'RPM header 4 in img!/var/lib/rpm/rpmdb.sqlite cannot be read (header shorter than its 8-byte preamble); skipped.', file: 'img!/var/lib/rpm/rpmdb.sqlite' }])
    const notDb = await parseRpmSqlite('x.sqlite', Buffer.from('SQLite format 3\0 but not really'))
    expect(notDb.components).toEqual([])
    expect(notDb.diagnostics[0]).toMatchObject({ code: 'PW_ERR_PACKAGE_DB_INVALID', level: 'error', file: 'x.sqlite' })
  })
})

describe('fuzz: parsers never throw on garbled input', () => {
  const dpkgText = fixture('dpkg-status').slice(0, 4000)
  const apkText = fixture('alpine-installed').slice(0, 3000)
  const mutate = (base: string) =>
    fc.tuple(fc.nat(base.length), fc.nat(base.length), fc.string()).map(([a, b, s]) => base.slice(0, Math.min(a, b)) + s + base.slice(Math.max(a, b)))

  it('dpkg and apk', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), mutate(dpkgText), mutate(apkText)), (text) => {
        for (const r of [parseDpkgStatus('s', text), parseApkInstalled('i', text)]) {
          for (const c of r.components) expect(c.name.length).toBeGreaterThan(0)
          for (const d of r.diagnostics) expect(d.code).toBe('PW_ERR_PACKAGE_DB_INVALID')
        }
        parseOsRelease(text)
      }),
      { numRuns: 300 },
    )
  })

  it('RPM header blobs: random bytes and mutated real headers', () => {
    const good = rpmPackage({ name: 'bash', version: '5.1.8', release: '6.el9_1', epoch: 0, arch: 'x86_64', sourcerpm: 'bash-5.1.8-6.el9_1.src.rpm' })
    const mutated = fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(good.length)).map(([at, byte, cut]) => {
      const b = Buffer.from(good)
      b[at] = byte
      return b.subarray(0, Math.max(cut, 8))
    })
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated), (blob) => {
        const r = parseRpmHeader(blob)
        if ('header' in r) rpmComponent(r.header, { file: 'f' })
        else expect(typeof r.error).toBe('string')
      }),
      { numRuns: 500 },
    )
  })
})

describe('Berkeley DB rpmdb (var/lib/rpm/Packages)', () => {
  const centos = parseOsRelease('NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="7"\n')!
  const blobs = [
    rpmPackage({ name: 'openssl-libs', version: '1.0.2k', release: '26.el7_9', epoch: 1, arch: 'x86_64', sourcerpm: 'openssl-1.0.2k-26.el7_9.src.rpm', license: 'OpenSSL' }),
    rpmPackage({ name: 'bash', version: '4.2.46', release: '35.el7_9', arch: 'x86_64', sourcerpm: 'bash-4.2.46-35.el7_9.src.rpm', license: 'GPLv3+' }),
    // a header larger than a page, spanning three overflow pages
    rpmHeaderBlob([
      { tag: 1000, type: RPM_TYPE.STRING, value: 'tzdata' },
      { tag: 1001, type: RPM_TYPE.STRING, value: '2024a' },
      { tag: 1002, type: RPM_TYPE.STRING, value: '1.el7' },
      { tag: 1022, type: RPM_TYPE.STRING, value: 'noarch' },
      { tag: 1027, type: RPM_TYPE.STRING_ARRAY, value: Array.from({ length: 400 }, (_, i) => `/usr/share/zoneinfo/Zone${i}`) },
    ]),
  ]

  it('reads header blobs through overflow pages, little- and big-endian', () => {
    for (const bigEndian of [false, true]) {
      const r = parseRpmBerkeleyDb({ file: 'c7.tar!/var/lib/rpm/Packages', os: centos }, berkeleyDb(blobs, { bigEndian }))
      expect(r.diagnostics).toEqual([])
      expect(r.components.map((c) => `${c.ecosystem}:${c.release}:${c.name}@${c.version}:${c.sourceName ?? ''}`)).toEqual([
        'Red Hat:7:openssl-libs@1:1.0.2k-26.el7_9:openssl',
        'Red Hat:7:bash@4.2.46-35.el7_9:',
        'Red Hat:7:tzdata@2024a-1.el7:',
      ])
    }
    expect(blobs[2]!.length).toBeGreaterThan(2 * 4070)
  })

  it('names what is wrong with a damaged database', () => {
    const db = berkeleyDb(blobs)
    expect(parseRpmBerkeleyDb('P', db.subarray(0, 100)).diagnostics[0]!.message).toBe('RPM database P cannot be read as Berkeley DB (shorter than a metadata page).')
    expect(parseRpmBerkeleyDb('P', Buffer.alloc(4096)).diagnostics[0]!.message).toBe('RPM database P cannot be read as Berkeley DB (not a Berkeley DB hash database).')
    const cut = db.subarray(0, 4096 * 3)
    expect(parseRpmBerkeleyDb('P', cut).diagnostics[0]!.message).toBe('RPM database P cannot be read as Berkeley DB (overflow chain of page 1 item 3 is broken at page 3).')
    expect(readBerkeleyDbValues(db)).toMatchObject({ values: [{ id: 1 }, { id: 2 }, { id: 3 }] })
  })

  it('fuzz: mutated databases never throw', () => {
    const db = berkeleyDb(blobs.slice(0, 2), { pageSize: 512 })
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(db.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(db.length), (muts, cut) => {
        const b = Buffer.from(db)
        for (const [at, v] of muts) b[at] = v
        const r = parseRpmBerkeleyDb('P', b.subarray(0, cut))
        for (const d of r.diagnostics) expect(d.code).toBe('PW_ERR_PACKAGE_DB_INVALID')
      }),
      { numRuns: 400 },
    )
  })
})
