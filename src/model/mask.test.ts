import { execFileSync } from 'node:child_process'
import { createHash, createHmac } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { maskValue } from './mask.js'

const built = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/model/mask.js')).href

/** maskValue of `value` in a fresh process (the compiled module), with `PHIWALL_FINGERPRINT_KEY` set to `key` or unset. */
function maskInChild(value: string, key?: string): string {
  const env = { ...process.env }
  delete env['PHIWALL_FINGERPRINT_KEY']
  if (key !== undefined) env['PHIWALL_FINGERPRINT_KEY'] = key
  const code = `import(${JSON.stringify(built)}).then((m) => process.stdout.write(m.maskValue(${JSON.stringify(value)})))`
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8' })
}

describe('maskValue', () => {
  it('gives the length and an 8-hex fingerprint, never the value', () => {
    const m = maskValue('123-45-6789')
    expect(m).toMatch(/^\*{4}\(11 chars, fp [0-9a-f]{8}\)$/)
    expect(m).not.toContain('6789')
    expect(maskValue('123-45-6789')).toBe(m)
    expect(maskValue('123-45-6788')).not.toBe(m)
  })

  it('is keyed: the fingerprint is not a hash anyone can recompute from candidate values', () => {
    const value = '1958-07-04'
    const fp = maskValue(value).slice(-9, -1)
    for (const salt of ['', 'phiwall', 'phiwall\u0000']) {
      expect(createHash('sha256').update(`${salt}${value}`).digest('hex').slice(0, 8)).not.toBe(fp)
    }
    expect(createHmac('sha256', 'phiwall').update(value).digest('hex').slice(0, 8)).not.toBe(fp)
  })

  it('draws a new key per process unless PHIWALL_FINGERPRINT_KEY sets one', () => {
    const a = maskInChild('62704')
    const b = maskInChild('62704')
    expect(a).toMatch(/^\*{4}\(5 chars, fp [0-9a-f]{8}\)$/)
    expect(a).not.toBe(b)
    const key = 'k'.repeat(40)
    const c = maskInChild('62704', key)
    expect(maskInChild('62704', key)).toBe(c)
    expect(c).toBe(`****(5 chars, fp ${createHmac('sha256', key).update('62704').digest('hex').slice(0, 8)})`)
  })
})
