import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = path.join(root, 'bin/phiwall.js')

/** Run the built CLI as a user would (`npm test` builds first). */
function phiwall(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' }, maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

describe('phiwall CLI', () => {
  it('scans the example app: summary, per-control table, exit 1 for high findings', () => {
    const r = phiwall(['scan', 'examples/clinic-intake'])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/Resources: \d+ \(\d+ hold or handle PHI\)/)
    expect(r.out).toContain('aws:lambda:function')
    expect(r.out).toMatch(/Findings: \d+ failing, \d+ passing/)
    expect(r.out).toContain('PR.AC-1')
    expect(r.out).toContain('164.312(d)')
    expect(r.out).toContain('examples/clinic-intake/template.yaml:')
    expect(r.out).not.toContain('sk_live_')
  })

  it('--check-param sets a check parameter; an unknown check, parameter or a malformed value is a usage error', () => {
    const fixture = 'src/checks/aws/testdata/igw-authorized-vpc/fail.yaml'
    const judged = (extra: string[]) => {
      const r = phiwall(['scan', fixture, '--only', 'aws/igw-authorized-vpc', '--format', 'json', '--fail-on', 'none', '--no-progress', ...extra])
      expect(r.code, r.err).toBe(0)
      return (JSON.parse(r.out) as { findings: { status: string }[] }).findings.map((f) => f.status).sort()
    }
    expect(judged([])).toEqual(['manual', 'manual'])
    expect(judged(['--check-param', 'aws/igw-authorized-vpc.authorizedVpcIds=EgressVpc'])).toEqual(['fail', 'pass'])
    expect(judged(['--check-param', 'aws/igw-authorized-vpc.authorizedVpcIds=EgressVpc,ClaimsVpc'])).toEqual(['pass', 'pass'])
    for (const [arg, says] of [
      ['aws/igw-authorized-vpcs.authorizedVpcIds=x', 'No check aws/igw-authorized-vpcs.'],
      ['aws/igw-authorized-vpc.vpcs=x', 'has no parameter vpcs (it has: authorizedVpcIds)'],
      ['aws/acm-certificate-expiry.daysToExpiration=soon', 'takes a whole number of days'],
      ['authorizedVpcIds', 'expected <check id>.<parameter>=<value>'],
    ] as const) {
      const r = phiwall(['scan', fixture, '--check-param', arg, '--no-progress'])
      expect(r.code, arg).toBe(2)
      expect(r.err).toContain(says)
    }
    // a second value would silently replace the first
    const twice = phiwall(['scan', fixture, '--check-param', 'aws/igw-authorized-vpc.authorizedVpcIds=EgressVpc', '--check-param', 'aws/igw-authorized-vpc.authorizedVpcIds=ClaimsVpc', '--no-progress'])
    expect(twice.code).toBe(2)
    expect(twice.err).toContain('is given twice')
  })

  it('--fail-on decides the exit code', () => {
    expect(phiwall(['scan', 'examples/clinic-intake', '--fail-on', 'none']).code).toBe(0)
    expect(phiwall(['scan', 'examples/clinic-intake', '--fail-on', 'critical']).code).toBe(1)
    const clean = phiwall(['scan', 'src/checks/aws/testdata/dynamodb-table-pitr/pass.yaml', '--fail-on', 'high'])
    expect(clean.code).toBe(0)
  })

  it('writes every report format to --out', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-out-'))
    const r = phiwall(['scan', 'examples/clinic-intake', '--format', 'html,sarif,oscal,json,csv', '--out', out, '--fail-on', 'none'])
    expect(r.code).toBe(0)
    expect(fs.readdirSync(out).sort()).toEqual(['phiwall-report.csv', 'phiwall-report.html', 'phiwall-report.json', 'phiwall-report.oscal.json', 'phiwall-report.sarif'])
    const json = JSON.parse(fs.readFileSync(path.join(out, 'phiwall-report.json'), 'utf8'))
    expect(json.schemaVersion).toMatch(/^1\./)
    expect(r.out).toContain('Reports written to')
    fs.rmSync(out, { recursive: true })
  })

  it('prints one machine format on stdout', () => {
    const r = phiwall(['scan', 'examples/clinic-intake', '--format', 'json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).findings.length).toBeGreaterThan(50)
  })

  it('exits 2 on usage errors and bad input, naming the file and line', () => {
    expect(phiwall(['scan']).code).toBe(2)
    expect(phiwall(['scan', 'examples', '--format', 'bogus']).code).toBe(2)
    expect(phiwall(['scan', 'examples', '--format', 'json,sarif']).code).toBe(2)
    const noFormat = phiwall(['scan', 'examples/clinic-intake', '--out', path.join(os.tmpdir(), 'phiwall-never-written')])
    expect(noFormat.code).toBe(2)
    expect(noFormat.err).toMatch(/--out .* writes report files: name their formats with --format/)
    expect(fs.existsSync(path.join(os.tmpdir(), 'phiwall-never-written'))).toBe(false)
    expect(phiwall(['inventory', 'examples/clinic-intake', '--format', 'xml']).code).toBe(2)
    expect(phiwall(['scan', 'examples', '--fail-on', 'sometimes']).code).toBe(2)
    const missing = phiwall(['scan', 'no/such/dir'])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('PW_ERR_PATH_NOT_FOUND')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-bad-'))
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: x\n')
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'Resources:\n  T:\n    Type: AWS::SNS::Topic\n')
    const bad = phiwall(['scan', dir, '--format', 'json'])
    expect(bad.code).toBe(2)
    const report = JSON.parse(bad.out)
    expect(report.files.map((f: { status: string }) => f.status).sort()).toEqual(['error', 'ok'])
    expect(report.errors[0]).toMatchObject({ code: 'PW_ERR_YAML_SYNTAX', line: 4 })
    expect(report.resources.some((r: { sourceId: string }) => r.sourceId === 'T')).toBe(true)
    fs.rmSync(dir, { recursive: true })
  })

  it('lists the inventory as a table and as JSON without properties', () => {
    const t = phiwall(['inventory', 'examples/clinic-intake', '--edges'])
    expect(t.code).toBe(0)
    expect(t.out).toMatch(/\d+ resources, \d+ edges/)
    expect(t.out).toContain('route POST /forms')
    const j = JSON.parse(phiwall(['inventory', 'examples/clinic-intake', '--format', 'json', '--kind', 'aws:lambda:function']).out)
    expect(j.resources.every((r: { kind: string; props?: unknown }) => r.kind === 'aws:lambda:function' && r.props === undefined)).toBe(true)
  })

  it('lists controls and checks', () => {
    const c = phiwall(['controls'])
    expect(c.code).toBe(0)
    expect(c.out).toContain('PR.DS-7')
    const h = JSON.parse(phiwall(['controls', '--framework', 'hipaa', '--format', 'json']).out)
    expect(h.find((x: { id: string }) => x.id === '164.312(a)(2)(iv)').status).toBe('addressable')
    // each subcategory lists a HIPAA entry once, though the crosswalk may cite it twice (164.308(b)(1) and (b)(2))
    for (const row of JSON.parse(phiwall(['controls', '--format', 'json']).out) as { id: string; hipaa: string[] }[]) expect(new Set(row.hipaa).size, row.id).toBe(row.hipaa.length)
    const ferpa = phiwall(['controls', '--framework', 'ferpa']).out
    expect(ferpa).toContain('Automated vulnerability scanning')
    expect(ferpa).toContain('FERPA-SHUT-DOWN-UNNECESSARY-SERVICES') // ids are never cut
    for (const bad of [['--framework', 'iso'], ['--format', 'yaml']]) {
      const r = phiwall(['controls', ...bad])
      expect(r.code, bad.join(' ')).toBe(2)
      expect(r.err).toContain(`"${bad[1]}"`)
    }
    const checks = JSON.parse(phiwall(['checks', '--format', 'json']).out)
    expect(checks.length).toBeGreaterThanOrEqual(45)
  })

  it('prints help and version', () => {
    expect(phiwall(['--help']).out).toContain('scan')
    expect(phiwall(['--version']).out.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })
})
