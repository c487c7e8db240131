import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { hipaaEntry, isKnownControl } from '../compliance/index.js'
import { scan } from '../scan/index.js'
import { ALL_CHECKS, NOT_COVERED_CONFIG_RULES } from './index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const providers = ['aws', 'k8s', 'container', 'vm']

describe('check catalog', () => {
  it('has unique ids equal to provider folder + file stem, every check file registered', () => {
    const ids = ALL_CHECKS.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    const files = providers.flatMap((p) =>
      fs
        .readdirSync(path.join(here, p))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('registry') && f !== 'index.ts')
        .map((f) => `${p}/${f.replace(/\.ts$/, '')}`),
    )
    expect([...ids].sort()).toEqual([...files].sort())
  })

  it.each(ALL_CHECKS.map((c) => [c.id, c] as const))('%s has complete, known metadata', (_id, c) => {
    expect(c.title.length).toBeGreaterThan(10)
    expect(c.title).not.toMatch(/^Ensure/i)
    expect(c.rationale.length).toBeGreaterThan(20)
    expect(c.remediation.text.length).toBeGreaterThan(10)
    expect(c.resourceKinds.length).toBeGreaterThan(0)
    expect(c.controls.csf.length).toBeGreaterThan(0)
    expect(c.controls.hipaa.length).toBeGreaterThan(0)
    expect(c.controls.ferpa.length, `${c.id}: each check lists FERPA practices`).toBeGreaterThan(0)
    for (const id of c.controls.csf) expect(isKnownControl('csf', id), `unknown CSF id ${id}`).toBe(true)
    for (const id of c.controls.ferpa) expect(isKnownControl('ferpa', id), `unknown FERPA id ${id}`).toBe(true)
    for (const id of c.controls.hipaa) expect(hipaaEntry(id)?.id, `HIPAA citation ${id} is not a catalog entry`).toBe(id)
  })

  it('names peer rules that exist: AWS Config rules of the HIPAA pack, cdk-nag HIPAA.Security rules', () => {
    const pack = fs.readFileSync(path.join(here, '../../data/aws-config/hipaa-conformance-pack.yaml'), 'utf8')
    const configRules = new Set([...pack.matchAll(/SourceIdentifier:\s*(\S+)/g)].map((m) => m[1]))
    expect(configRules.size).toBe(130)
    const nagPack = fs.readFileSync(path.join(here, '../../node_modules/cdk-nag/lib/packs/hipaa-security.js'), 'utf8')
    const nagRules = new Set([...nagPack.matchAll(/rule: [a-z_0-9]+\.([A-Za-z0-9]+)/g)].map((m) => `HIPAA.Security-${m[1]}`))
    expect(nagRules.size).toBeGreaterThan(80)
    for (const c of ALL_CHECKS) {
      for (const r of c.references.awsConfig) expect(configRules.has(r), `${c.id}: ${r} is not a rule of the HIPAA pack`).toBe(true)
      for (const r of c.references.cdkNag) expect(nagRules.has(r), `${c.id}: ${r} is not a cdk-nag HIPAA.Security rule`).toBe(true)
    }
    // every pack rule is covered by a check or listed as not covered with a reason, never both
    const covered = new Set(ALL_CHECKS.flatMap((c) => c.references.awsConfig))
    for (const rule of configRules) {
      const listed = rule! in NOT_COVERED_CONFIG_RULES
      expect(covered.has(rule!) !== listed, `${rule}: covered=${covered.has(rule!)} listed as not covered=${listed}`).toBe(true)
    }
    for (const rule of Object.keys(NOT_COVERED_CONFIG_RULES)) expect(configRules.has(rule)).toBe(true)
  })

  it.each(ALL_CHECKS.map((c) => [c.id] as const))('%s has a passing and a failing fixture that behave', async (id) => {
    const dir = path.join(here, ...id.split('/').slice(0, 1), 'testdata', id.split('/')[1]!)
    expect(fs.existsSync(dir), `missing fixtures in ${path.relative(process.cwd(), dir)}`).toBe(true)
    // `<fixture>.options.json` beside a fixture: scan options it needs (PHI sample evidence)
    const files = fs.readdirSync(dir).filter((f) => !f.endsWith('.md') && !f.endsWith('.options.json'))
    const optionsOf = (f: string): Record<string, unknown> => {
      const p = path.join(dir, `${f}.options.json`)
      return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, unknown>) : {}
    }
    const passes = files.filter((f) => f.startsWith('pass'))
    const fails = files.filter((f) => f.startsWith('fail'))
    expect(passes.length, 'a pass* fixture').toBeGreaterThan(0)
    expect(fails.length, 'a fail* fixture').toBeGreaterThan(0)
    const check = ALL_CHECKS.find((c) => c.id === id)!
    for (const f of passes) {
      const r = await scan([path.join(dir, f)], { ...optionsOf(f), checks: [check], now: new Date('2026-11-23T00:00:00Z') })
      expect(r.files[0]?.status, `${f} reads without errors: ${JSON.stringify(r.files[0]?.diagnostics)}`).toBe('ok')
      const mine = r.findings.filter((x) => x.checkId === id)
      expect(mine.filter((x) => x.status === 'fail').map((x) => x.message), `${f} has no failures`).toEqual([])
      expect(mine.some((x) => x.status === 'pass'), `${f} has a pass`).toBe(true)
    }
    for (const f of fails) {
      const r = await scan([path.join(dir, f)], { ...optionsOf(f), checks: [check], now: new Date('2026-11-23T00:00:00Z') })
      expect(r.files[0]?.status, `${f} reads without errors: ${JSON.stringify(r.files[0]?.diagnostics)}`).toBe('ok')
      const failing = r.findings.filter((x) => x.checkId === id && x.status === 'fail')
      expect(failing.length, `${f} has a failure`).toBeGreaterThan(0)
      for (const x of failing) {
        expect(x.message).toMatch(/\.$/)
        expect(x.location.line, `${f}: a failing finding points at a line`).toBeGreaterThan(0)
      }
    }
  })
})
