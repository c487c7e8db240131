import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { storedZip } from '../../src/phi/formats/testdata/archive-builder.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const bin = path.join(root, 'bin/phiwall.js')
const data = 'src/phi/formats/testdata'

function phiwall(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env }, maxBuffer: 64 * 1024 * 1024 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

interface Contract {
  files: { file: string; status: string; containsPhi: boolean }[]
  findings: { type: string; file: string; line: number; column: number; length: number; confidence: number; masked: string }[]
}

describe('phiwall phi', () => {
  it('scan --format json keeps the contract: files with containsPhi, 1-based positions, masked values only', () => {
    const r = phiwall(['phi', 'scan', data, '--format', 'json'])
    expect(r.code).toBe(1) // files hold PHI
    const json = JSON.parse(r.out) as Contract
    const phi = Object.fromEntries(json.files.filter((f) => f.file.match(/\.(csv|hl7|json|sql|log)$/)).map((f) => [path.basename(f.file), f.containsPhi]))
    // identifiers with health information are PHI; a staff directory and a server log are not
    expect(phi).toEqual({ 'adt_a01.hl7': true, 'dump.sql': true, 'fhir_bundle.json': true, 'patients_dx.csv': true, 'patients_nodx.csv': false, 'service.log': false, 'staff_directory.csv': false, 'hospital_staff.csv': false })
    const csv = fs.readFileSync(path.join(root, data, 'patients_dx.csv'), 'utf8').split('\n')
    const ssn = json.findings.find((f) => f.file.endsWith('patients_dx.csv') && f.type === 'SSN')!
    // line/column point at the value; the value itself is nowhere in the output
    expect(csv[ssn.line - 1]!.slice(ssn.column - 1, ssn.column - 1 + ssn.length)).toBe('555-12-3456')
    expect(r.out).not.toContain('555-12-3456')
    expect(r.out).not.toContain('Hartwell')
    for (const f of json.findings) {
      expect(f.line).toBeGreaterThan(0)
      expect(f.column).toBeGreaterThan(0)
      expect(f.confidence).toBeGreaterThan(0)
    }
  })

  it('scan --format sarif and html name locations and types, never values', () => {
    const sarif = JSON.parse(phiwall(['phi', 'scan', data, '--format', 'sarif', '--no-fail']).out)
    expect(sarif.version).toBe('2.1.0')
    const rules = sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)
    expect(rules).toContain('phi/SSN')
    expect(rules).toContain('phi/file-contains-phi')
    // code scanning matches alerts across runs by partialFingerprints: the same in every run, with
    // or without PHIWALL_FINGERPRINT_KEY (the masked values' random per-process key never enters them)
    const prints = (env: Record<string, string> = {}) => (JSON.parse(phiwall(['phi', 'scan', data, '--format', 'sarif', '--no-fail'], env).out).runs[0].results as { partialFingerprints: Record<string, string> }[]).map((r) => JSON.stringify(r.partialFingerprints))
    expect(prints()).toEqual(sarif.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => JSON.stringify(r.partialFingerprints)))
    const key = { PHIWALL_FINGERPRINT_KEY: 'k'.repeat(40) }
    expect(prints(key)).toEqual(prints(key))
    const short = phiwall(['phi', 'scan', data, '--format', 'sarif'], { PHIWALL_FINGERPRINT_KEY: 'abc' })
    expect(short.code).toBe(2)
    expect(short.err).toMatch(/PHIWALL_FINGERPRINT_KEY is 3 bytes; it must be at least 32/)
    const html = phiwall(['phi', 'scan', data, '--format', 'html', '--no-fail'])
    expect(html.code).toBe(0)
    expect(html.out).toContain('<h1>PHI scan</h1>')
    expect(html.out).not.toContain('555-12-3456')
    expect(html.out).not.toMatch(/<script/i)
  })

  it('redact replaces identifiers with pseudonyms that stay the same for the same value and key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-redact-'))
    const key = path.join(dir, 'key')
    fs.writeFileSync(key, 'a-32-byte-secret-for-the-tests!!')
    const note = path.join(dir, 'note.txt')
    fs.writeFileSync(note, 'Patient Eleanor Hartwell (SSN 555-12-3456) called; Eleanor Hartwell will return Friday.\n')
    const a = phiwall(['phi', 'redact', note, '--key-file', key])
    const b = phiwall(['phi', 'redact', note, '--key-file', key])
    expect(a.code).toBe(0)
    expect(a.out).toBe(b.out)
    expect(a.out).not.toContain('555-12-3456')
    expect(a.out).not.toContain('Hartwell')
    const names = a.out.match(/\[NAME-[0-9a-f]{6}\]/g) ?? []
    expect(names.length).toBe(2)
    expect(names[0]).toBe(names[1])
    expect(a.err).toMatch(/identifiers? replaced/)
    // a key file's final newline is not part of the key: the same key in the environment gives the same pseudonyms
    fs.writeFileSync(key, 'a-32-byte-secret-for-the-tests!!\n')
    expect(phiwall(['phi', 'redact', note, '--key-file', key]).out).toBe(a.out)
    expect(phiwall(['phi', 'redact', note], { PHIWALL_REDACT_KEY: 'a-32-byte-secret-for-the-tests!!' }).out).toBe(a.out)
    expect(phiwall(['phi', 'redact', note]).code).toBe(2) // a key is required for pseudonyms
    expect(phiwall(['phi', 'redact', note, '--types-only']).out).toContain('[SSN]')
    fs.rmSync(dir, { recursive: true })
  })

  it('scan exits 2 when none of its files could be scanned: nothing read is no verdict', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-unreadable-'))
    fs.writeFileSync(path.join(dir, 'blob.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)))
    const r = phiwall(['phi', 'scan', dir, '--format', 'json'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/none of the 1 file could be scanned/)
    fs.rmSync(dir, { recursive: true })
  })

  it('redact reads a file as phi scan does (by its name and content): a CSV with quoted commas keeps its columns and no identifier', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-redact-csv-'))
    const csv = path.join(dir, 'lastfirst.csv')
    fs.writeFileSync(csv, 'name,mrn,address,dx\n"Smith, John",MRN-12345,"12 Elm Ave Apt 4, Boston MA",E11.9\n"Vasquez-Lin, Maria",MRN-448812,"9 Oak St, Boston MA",I10\n')
    const r = phiwall(['phi', 'redact', csv, '--types-only'])
    expect(r.code).toBe(0)
    for (const raw of ['Smith', 'John', 'MRN-12345', 'Vasquez-Lin', 'Maria', 'MRN-448812', 'Elm Ave', 'Oak St']) expect(r.out).not.toContain(raw)
    // every row still has its four columns
    const rows = r.out.trim().split('\n').map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.filter((x) => x !== '').length)
    expect(rows).toEqual([4, 4, 4])
    fs.rmSync(dir, { recursive: true })
  })

  it('redact refuses JSON nested too deep to read field by field, and never writes over its input or another input’s output', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-redact-deep-'))
    const deep = path.join(dir, 'deep.json')
    fs.writeFileSync(deep, `${'{"a":'.repeat(300)}{"name": "Cornelius Wainwright", "ssn": "456-78-9012"}${'}'.repeat(300)}`)
    const r = phiwall(['phi', 'redact', deep, '--types-only'])
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toMatch(/deep\.json: not redacted, nothing written: JSON nested deeper/)
    expect(r.err).not.toContain('Wainwright')
    const a = path.join(dir, 'a')
    const b = path.join(dir, 'b')
    fs.mkdirSync(a)
    fs.mkdirSync(b)
    fs.writeFileSync(path.join(a, 'note.txt'), 'Patient Eleanor Hartwell (SSN 555-12-3456).\n')
    fs.writeFileSync(path.join(b, 'note.txt'), 'Patient Ruth Okafor (SSN 555-98-7654).\n')
    const same = phiwall(['phi', 'redact', path.join(a, 'note.txt'), '--types-only', '-o', a])
    expect(same.code).toBe(2)
    expect(same.err).toMatch(/the output would replace the input/)
    expect(fs.readFileSync(path.join(a, 'note.txt'), 'utf8')).toContain('Hartwell')
    const out = path.join(dir, 'out')
    const two = phiwall(['phi', 'redact', path.join(a, 'note.txt'), path.join(b, 'note.txt'), '--types-only', '-o', out])
    expect(two.code).toBe(2)
    expect(two.err).toMatch(/another input already wrote/)
    expect(fs.readFileSync(path.join(out, 'note.txt'), 'utf8')).toBe('Patient [NAME] (SSN [SSN]).\n')
    fs.rmSync(dir, { recursive: true })
  })

  it('redact refuses archives, compressed, image and binary files with a note, writes nothing for them, and exits 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-redact-bad-'))
    const line = 'Patient Eleanor Hartwell (SSN 555-12-3456) called.\n'
    const files: Record<string, Buffer> = {
      'lambda.zip': storedZip([{ name: 'export.csv', data: line }]),
      'export.log.gz': zlib.gzipSync(line),
      'scan.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]),
      'blob.bin': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      'note.txt': Buffer.from(line),
    }
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data)
    const out = path.join(dir, 'out')
    const r = phiwall(['phi', 'redact', ...Object.keys(files).map((f) => path.join(dir, f)), '--types-only', '-o', out])
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${path.join(dir, 'lambda.zip')}: not redacted, nothing written: a zip archive`)
    expect(r.err).toContain(`${path.join(dir, 'export.log.gz')}: not redacted, nothing written: gzip-compressed`)
    expect(r.err).toContain(`${path.join(dir, 'scan.png')}: not redacted, nothing written: a png image`)
    expect(r.err).toMatch(/blob\.bin: not redacted, nothing written: binary data/)
    expect(r.err).toContain('4 of 5 files not redacted')
    expect(r.err).not.toContain('555-12-3456')
    expect(fs.readdirSync(out)).toEqual(['note.txt'])
    expect(fs.readFileSync(path.join(out, 'note.txt'), 'utf8')).toBe('Patient [NAME] (SSN [SSN]) called.\n')
    // readable by its owner only, like the reports
    expect(fs.statSync(path.join(out, 'note.txt')).mode & 0o777).toBe(0o600)
    fs.rmSync(dir, { recursive: true })
  })

  it('scan --phi-sample attaches evidence: a bucket tagged as not PHI whose samples hold PHI fails the classification check', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-samples-'))
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Exports:', '    Type: AWS::S3::Bucket', '    Properties:', '      BucketName: clinic-analytics-exports', '      Tags:', '        - { Key: data-classification, Value: internal }', ''].join('\n'),
    )
    const samples = path.join(dir, 'samples')
    fs.mkdirSync(samples)
    fs.copyFileSync(path.join(root, data, 'patients_dx.csv'), path.join(samples, 'export-2026-11.csv'))
    const r = phiwall(['scan', path.join(dir, 'template.yaml'), '--phi-sample', `clinic-analytics-exports=${samples}`, '--format', 'json', '--fail-on', 'none'])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out)
    const bucket = json.resources.find((x: { name: string }) => x.name === 'clinic-analytics-exports')
    expect(bucket.holdsPhi).toBe('yes')
    expect(bucket.evidence.phi.some((e: { source: string; detail: string }) => e.source === 'scan' && /1 of 1 files hold PHI/.test(e.detail))).toBe(true)
    const f = json.findings.find((x: { checkId: string }) => x.checkId === 'aws/phi-classification-evidence')
    expect(f.status).toBe('fail')
    expect(r.out).not.toContain('555-12-3456')
    // a classification that does not say PHI either way (`confidential`) is a mismatch with PHI samples too
    fs.writeFileSync(path.join(dir, 'template.yaml'), fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8').replace('Value: internal', 'Value: confidential'))
    const conf = JSON.parse(phiwall(['scan', path.join(dir, 'template.yaml'), '--phi-sample', `clinic-analytics-exports=${samples}`, '--format', 'json', '--fail-on', 'none']).out)
    const byCheck = (id: string) => conf.findings.find((x: { checkId: string }) => x.checkId === id)
    expect(byCheck('aws/phi-classification-evidence')).toMatchObject({ status: 'fail', message: expect.stringMatching(/classified data-classification=confidential, which does not say PHI, but its samples hold PHI/) })
    expect(byCheck('aws/data-store-classification-tag').message).toMatch(/its tag data-classification=confidential does not say PHI/)
    // a sample path that does not exist is a usage error, not "no PHI"
    const missing = phiwall(['scan', path.join(dir, 'template.yaml'), '--phi-sample', `clinic-analytics-exports=${path.join(dir, 'nope')}`, '--format', 'json'])
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/PW_ERR_PATH_NOT_FOUND/)
    const unknown = phiwall(['scan', path.join(dir, 'template.yaml'), '--phi-sample', `no-such-bucket=${samples}`, '--format', 'json', '--fail-on', 'none'])
    expect(JSON.parse(unknown.out).errors.map((e: { code: string }) => e.code)).toContain('PW_ERR_PHI_SAMPLE_TARGET')
    fs.rmSync(dir, { recursive: true })
  })
})
