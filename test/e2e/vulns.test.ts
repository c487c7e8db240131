import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = path.join(root, 'bin/phiwall.js')
const fixtures = 'test/e2e/testdata/vulns'
const VULNDB = [path.resolve(root, '../shared/vulndb'), '/work/shared/vulndb'].find((d) => fs.existsSync(path.join(d, 'npm', 'all.zip')))
const ZIPS = ['Go', 'crates.io', 'PyPI', 'npm'].map((e) => path.join(VULNDB ?? '../shared/vulndb', e, 'all.zip'))

function phiwall(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

interface JsonFinding {
  checkId: string
  resourceId: string
  status: string
  severity: string
  message: string
  evidence: Record<string, unknown> & { vulnerability?: string; fix?: string; cvss?: { score: number; vector: string }; ids?: string[]; paths?: string[] }
  location: { file: string; line?: number }
  suppressed?: { reason: string; source: string }
}

let dbDir = ''
let report: { findings: JsonFinding[]; summary: Record<string, unknown>; files: { file: string; format?: string; components?: number }[]; checks: { id: string }[] }
let vulns: JsonFinding[] = []
const of = (purl: string): JsonFinding[] => vulns.filter((f) => f.resourceId === purl && f.status === 'fail')

describe.runIf(VULNDB || process.env['CI'] === 'true')('vulnerable components end to end (real OSV data)', () => {
  beforeAll(() => {
    expect(VULNDB, 'the shared OSV data (../shared/vulndb) is required').toBeDefined()
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-e2e-vulndb-'))
    const imported = phiwall(['db', 'import', '--db-dir', dbDir, '--no-progress', ...ZIPS, `${fixtures}/debian-advisories`])
    expect(imported.err).toBe('')
    expect(imported.code).toBe(0)
    // every real record and the five constructed Debian ones
    expect(imported.out).toContain('Imported: 8,626 new, 0 updated, 0 unchanged, 0 invalid (crates.io 1,206, Debian 5, Go 4,291, npm 463, PyPI 2,661)')
    const r = phiwall(['scan', `${fixtures}/app`, `${fixtures}/debian-rootfs`, '--db-dir', dbDir, '--vex', `${fixtures}/vex/intake.openvex.json`, '--format', 'json', '--fail-on', 'none'])
    expect(r.code).toBe(0)
    report = JSON.parse(r.out)
    vulns = report.findings.filter((f) => f.checkId === 'vulns/known-vulnerability')
  }, 120_000)
  afterAll(() => {
    if (dbDir) fs.rmSync(dbDir, { recursive: true, force: true })
  })

  it('db status tells counts and age', () => {
    const r = phiwall(['db', 'status', '--db-dir', dbDir, '--json'])
    expect(r.code).toBe(0)
    const status = JSON.parse(r.out)
    expect(status.total).toBe(8626)
    expect(status.stale).toBe(false)
    expect(Object.fromEntries(status.ecosystems.map((e: { ecosystem: string; records: number }) => [e.ecosystem, e.records]))).toEqual({ Go: 4291, 'crates.io': 1206, PyPI: 2661, npm: 463, Debian: 5 })
  })

  it('re-import is idempotent', () => {
    const r = phiwall(['db', 'import', '--db-dir', dbDir, '--no-progress', ZIPS[3]!])
    expect(r.out).toContain('Imported: 0 new, 0 updated, 463 unchanged, 0 invalid')
  })

  it('npm: lodash 4.17.4 has CVE-2018-16487 (CVSS 3.0 5.7) and CVE-2018-3721, the latter suppressed by VEX', () => {
    const lodash = of('pkg:npm/lodash@4.17.4')
    expect(lodash.map((f) => f.evidence.vulnerability).sort()).toEqual(['CVE-2018-16487', 'CVE-2018-3721'])
    const proto = lodash.find((f) => f.evidence.vulnerability === 'CVE-2018-16487')!
    // AV:L/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N: impact 2.727, exploitability 2.516 → roundup(1.08 × 5.24) = 5.7
    expect(proto.evidence.cvss).toEqual({ version: '3.0', score: 5.7, vector: 'CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N' })
    expect(proto.severity).toBe('medium')
    expect(proto.evidence.fix).toBe('4.17.11')
    expect(proto.evidence.ids).toEqual(['CVE-2018-16487', 'NSWG-ECO-493'])
    expect(proto.evidence.paths).toEqual(['lodash@4.17.4'])
    expect(proto.location).toEqual({ file: `${fixtures}/app/package-lock.json`, line: 313 })
    expect(proto.suppressed).toBeUndefined()
    const vexed = lodash.find((f) => f.evidence.vulnerability === 'CVE-2018-3721')!
    expect(vexed.evidence.cvss?.score).toBe(1.8)
    expect(vexed.evidence.fix).toBe('4.17.5')
    expect(vexed.suppressed?.reason).toBe('VEX not_affected (vulnerable_code_not_in_execute_path): The intake service never calls lodash merge/defaultsDeep on request data.')
    expect(vexed.suppressed?.source).toContain('intake.openvex.json')
  })

  it('crates.io: smallvec 1.6.0 is hit by RUSTSEC-2021-0003 only (1.0.0 ≤ v < 1.6.1), critical 9.8', () => {
    const sv = of('pkg:cargo/smallvec@1.6.0')
    expect(sv).toHaveLength(1)
    expect(sv[0]!.evidence.ids).toEqual(['CVE-2021-25900', 'GHSA-43w2-9j62-hq99', 'RUSTSEC-2021-0003'])
    expect(sv[0]!.evidence.vulnerability).toBe('CVE-2021-25900')
    expect(sv[0]!.evidence.cvss?.score).toBe(9.8)
    expect(sv[0]!.severity).toBe('critical')
    expect(sv[0]!.evidence.fix).toBe('1.6.1')
  })

  it('Go: gin v1.6.0 — GO-2020-0001 is fixed in 1.6.0; GO-2021-0052 and GO-2023-1737 apply, fixes with the v prefix', () => {
    const gin = of('pkg:golang/github.com/gin-gonic/gin@v1.6.0')
    expect(gin.map((f) => [f.evidence.vulnerability, f.evidence.fix]).sort()).toEqual([
      ['CVE-2020-28483', 'v1.7.7'],
      ['CVE-2023-29401', 'v1.9.1'],
    ])
    // the Go database rates nothing: unrated advisories count as medium and say so
    expect(gin.every((f) => f.severity === 'medium' && f.evidence['severitySource'] === 'none')).toBe(true)
    expect(gin[0]!.message).toContain('severity not rated')
    const jwt = of('pkg:golang/github.com/dgrijalva/jwt-go@v3.2.0+incompatible')
    expect(jwt.map((f) => f.evidence.vulnerability)).toEqual(['CVE-2020-26160'])
    expect(jwt[0]!.evidence.fix).toBeUndefined()
    expect(jwt[0]!.message).toContain('no fixed version published')
  })

  it('PyPI: django 3.2.0 has the 25 PyPA advisories that Python packaging also finds, each with its own fix', () => {
    const django = of('pkg:pypi/django@3.2.0')
    expect(django).toHaveLength(25)
    const byId = new Map(django.map((f) => [f.evidence.vulnerability, f.evidence.fix]))
    expect(byId.get('CVE-2021-31542')).toBe('3.2.1')
    expect(byId.get('CVE-2024-27351')).toBe('3.2.25')
    // GHSA and PYSEC records of one CVE are one finding
    expect(django.find((f) => f.evidence.vulnerability === 'CVE-2021-35042')!.evidence.ids).toEqual(['CVE-2021-35042', 'GHSA-xpfp-f569-q3p2', 'PYSEC-2021-109'])
    const idna = of('pkg:pypi/idna@2.7')
    expect(idna.map((f) => [f.evidence.vulnerability, f.evidence.fix, f.evidence.cvss?.score, f.severity])).toEqual([['CVE-2024-3651', '3.7', 7.5, 'high']])
  })

  it('Debian root filesystem: source packages, release filtering, the ~ rule and epochs', () => {
    const debian = vulns.filter((f) => f.resourceId.startsWith('pkg:deb/') && f.status === 'fail')
    const bySource = (id: string) => debian.filter((f) => f.evidence.vulnerability === id).map((f) => f.resourceId.replace(/\?.*/, '')).sort()
    // bash 5.2.15-2+b8 is built from source 5.2.15-2 < 5.2.15-3
    expect(bySource('DEBIAN-CVE-2099-1001')).toEqual(['pkg:deb/debian/bash@5.2.15-2+b8'])
    // curl fixed in exactly the installed version; coreutils advisory is for Debian 11
    expect(bySource('DEBIAN-CVE-2099-1002')).toEqual([])
    expect(bySource('DEBIAN-CVE-2099-1004')).toEqual([])
    // 1.14.10-1~deb12u1 < 1.14.10-1: every binary package of source dbus
    expect(bySource('DEBIAN-CVE-2099-1003')).toEqual(['dbus', 'dbus-bin', 'dbus-daemon', 'dbus-session-bus-common', 'dbus-system-bus-common', 'dbus-user-session'].map((p) => `pkg:deb/debian/${p}@1.14.10-1~deb12u1`).sort())
    // bsdutils 1:2.38.1-5+deb12u3 carries an epoch; the advisory compares source util-linux 2.38.1-5+deb12u3
    expect(bySource('DEBIAN-CVE-2099-1005')).toEqual(['pkg:deb/debian/bsdextrautils@2.38.1-5+deb12u3', 'pkg:deb/debian/bsdutils@1:2.38.1-5+deb12u3'])
    const bash = debian.find((f) => f.evidence.vulnerability === 'DEBIAN-CVE-2099-1001')!
    expect(bash.evidence['sourcePackage']).toBe('bash')
    expect(bash.evidence['sourceVersion']).toBe('5.2.15-2')
    expect(bash.evidence.cvss?.score).toBe(7.8)
    expect(bash.location.file).toBe(`${fixtures}/debian-rootfs/var/lib/dpkg/status`)
  })

  it('the report: per-file pass where nothing is vulnerable, controls, summary', () => {
    expect(report.checks.map((c) => c.id)).toContain('vulns/known-vulnerability')
    const summary = report.summary['components'] as { total: number; vulnerabilities: { open: number; suppressed: number }; database: { total: number } }
    expect(summary.database.total).toBe(8626)
    expect(summary.vulnerabilities.suppressed).toBe(1)
    expect(summary.vulnerabilities.open).toBe(vulns.filter((f) => f.status === 'fail' && !f.suppressed).length)
    expect(report.files.find((f) => f.file === `${fixtures}/app/package-lock.json`)).toMatchObject({ format: 'package-lock' })
    const fail = vulns.find((f) => f.status === 'fail')!
    expect(fail).toBeDefined()
  })

  it('--fail-on gates on the CVSS base score', () => {
    const args = ['scan', `${fixtures}/app`, '--db-dir', dbDir, '--format', 'json', '--fail-on']
    // smallvec 9.8 is the highest score; unscored findings count in the band of the threshold (9.9 → critical: none)
    expect(phiwall([...args, '9.8']).code).toBe(1)
    expect(phiwall([...args, '9.9']).code).toBe(0)
    expect(phiwall([...args, 'critical']).code).toBe(1)
    expect(phiwall([...args, '11']).code).toBe(2)
  })

  it('sbom writes CycloneDX 1.6 and SPDX 2.3 of the same components', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-sbom-'))
    const cdx = phiwall(['sbom', `${fixtures}/app`, `${fixtures}/debian-rootfs`, '--format', 'cyclonedx', '-o', path.join(out, 'bom.json')])
    expect(cdx.code).toBe(0)
    const bom = JSON.parse(fs.readFileSync(path.join(out, 'bom.json'), 'utf8'))
    expect(bom.specVersion).toBe('1.6')
    const purls = bom.components.map((c: { purl: string }) => c.purl)
    expect(purls).toContain('pkg:npm/lodash@4.17.4')
    expect(purls).toContain('pkg:deb/debian/bash@5.2.15-2+b8?arch=amd64&distro=debian-12')
    const spdx = phiwall(['sbom', `${fixtures}/app`, `${fixtures}/debian-rootfs`, '--format', 'spdx'])
    expect(spdx.code).toBe(0)
    const doc = JSON.parse(spdx.out)
    expect(doc.spdxVersion).toBe('SPDX-2.3')
    expect(doc.packages.length - 1).toBe(bom.components.length)
    fs.rmSync(out, { recursive: true })
  })

  it('bad input: a corrupt lockfile and a truncated image tarball are errors with file and line; the rest is judged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-bad-input-'))
    // a root filesystem tarball (what `docker export` writes), cut in the middle of the dpkg database
    const { pack } = await import('tar-stream')
    const p = pack()
    const chunks: Buffer[] = []
    p.on('data', (c: unknown) => {
      chunks.push(c as Buffer)
    })
    const done = new Promise<void>((resolve) => p.on('end', () => resolve()))
    const lock = fs.readFileSync(path.join(root, fixtures, 'app/package-lock.json'))
    p.entry({ name: 'app/package-lock.json' }, lock)
    p.entry({ name: 'etc/os-release' }, fs.readFileSync(path.join(root, fixtures, 'debian-rootfs/etc/os-release')))
    p.entry({ name: 'var/lib/dpkg/status' }, fs.readFileSync(path.join(root, fixtures, 'debian-rootfs/var/lib/dpkg/status')))
    p.finalize()
    await done
    const tar = Buffer.concat(chunks)
    fs.writeFileSync(path.join(dir, 'rootfs.tar'), tar.subarray(0, lock.length + 512 * 4 + 2000))
    fs.mkdirSync(path.join(dir, 'svc'))
    fs.writeFileSync(path.join(dir, 'svc', 'Cargo.lock'), 'version = 3\n\n[[package]]\nname = "smallvec"\nversion = "1.6.0"\n\n[[package]\nname = "broken"\n')
    fs.copyFileSync(path.join(root, fixtures, 'app/requirements.txt'), path.join(dir, 'svc', 'requirements.txt'))
    const r = phiwall(['scan', path.join(dir, 'rootfs.tar'), path.join(dir, 'svc'), '--db-dir', dbDir, '--format', 'json', '--fail-on', 'none'])
    expect(r.code).toBe(2)
    const json = JSON.parse(r.out) as typeof report & { errors: { file: string; line?: number; code: string; level: string; message: string }[] }
    const tarError = json.errors.find((e) => e.code === 'PW_ERR_ARCHIVE_INVALID')!
    expect(tarError.message).toMatch(/truncated or corrupt/)
    expect(tarError.file).toContain('rootfs.tar')
    const lockError = json.errors.find((e) => e.code === 'PW_ERR_LOCKFILE_INVALID' && e.level === 'error')!
    expect(lockError.file).toContain('svc/Cargo.lock')
    expect(lockError.line).toBe(7) // the unclosed `[[package]` header
    const failing = new Set(json.findings.filter((f) => f.status === 'fail').map((f) => f.resourceId))
    // the lockfile read before the cut, and the valid requirements.txt beside the broken Cargo.lock
    expect(failing.has('pkg:npm/lodash@4.17.4')).toBe(true)
    expect(failing.has('pkg:pypi/django@3.2.0')).toBe(true)
    fs.rmSync(dir, { recursive: true })
  })

  it('without a database: a warning, manual findings, nothing judged', () => {
    const missing = path.join(os.tmpdir(), `phiwall-no-db-${process.pid}`)
    const r = phiwall(['scan', `${fixtures}/app`, '--db-dir', missing, '--format', 'json', '--fail-on', 'none'])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out) as typeof report & { errors: { code: string }[] }
    expect(json.errors.map((e) => e.code)).toContain('PW_ERR_VULNDB_MISSING')
    const v = json.findings.filter((f) => f.checkId === 'vulns/known-vulnerability')
    expect(v.length).toBeGreaterThan(0)
    expect(v.every((f) => f.status === 'manual')).toBe(true)
    expect(fs.existsSync(missing)).toBe(false)
  })
})
