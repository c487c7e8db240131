import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { snapshotSchema, type Snapshot } from '../aws-snapshot/index.js'
import { writeSnapshot } from './write.js'

const snap: Snapshot = snapshotSchema.parse({
  kind: 'phiwall-aws-snapshot',
  schemaVersion: 1,
  collectedAt: '2025-01-21T10:20:00.000Z',
  account: '123456789012',
  regions: ['us-east-1'],
  resources: [{ type: 'AWS::Lambda::Function', identifier: 'intake-api', region: 'us-east-1', properties: { Environment: { Variables: { DB_PASSWORD: 'Sup3rS3cret!2024' } } } }],
})

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-write-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('writeSnapshot', () => {
  it.skipIf(process.platform === 'win32')('writes the file readable by its owner only', () => {
    const file = path.join(dir, 'snap.json')
    writeSnapshot(file, snap)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(snap)
  })

  it.skipIf(process.platform === 'win32')('replaces an existing world-readable file instead of reusing its mode', () => {
    const file = path.join(dir, 'snap.json')
    fs.writeFileSync(file, 'old', { mode: 0o644 })
    fs.chmodSync(file, 0o644)
    writeSnapshot(file, snap)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(['snap.json'])
  })

  it('creates missing directories and fails with PW_ERR_OUTPUT_UNWRITABLE on a bad path', () => {
    writeSnapshot(path.join(dir, 'a', 'b', 'snap.json'), snap)
    expect(fs.existsSync(path.join(dir, 'a', 'b', 'snap.json'))).toBe(true)
    fs.writeFileSync(path.join(dir, 'file'), 'x')
    expect(() => writeSnapshot(path.join(dir, 'file', 'snap.json'), snap)).toThrow(expect.objectContaining({ code: 'PW_ERR_OUTPUT_UNWRITABLE' }))
  })
})
