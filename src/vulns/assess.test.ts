import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Component } from '../model/index.js'
import { openStore, type Store } from '../store/index.js'
import { assessComponents } from './assess.js'
import { importOsv } from './db/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const advisories = path.join(root, 'test/e2e/testdata/vulns/debian-advisories')

const bash: Component = {
  ecosystem: 'Debian',
  release: '12',
  name: 'bash',
  version: '5.2.15-2+b8',
  sourceVersion: '5.2.15-2',
  purl: 'pkg:deb/debian/bash@5.2.15-2+b8?arch=amd64&distro=debian-12',
  type: 'os-package',
  locations: [{ file: 'rootfs/var/lib/dpkg/status', line: 276 }],
  foundBy: 'dpkg',
}

describe('the vulnerability stage of a scan', () => {
  let store: Store
  beforeAll(async () => {
    store = await openStore()
    await importOsv(store, [advisories])
  }, 60_000)
  afterAll(async () => {
    await store?.close()
  })

  it('judges components against the store and reports the database it used', async () => {
    const r = await assessComponents([bash], { store })
    expect(r.findings.filter((f) => f.status === 'fail').map((f) => f.evidence['vulnerability'])).toEqual(['DEBIAN-CVE-2099-1001'])
    expect(r.db?.total).toBe(fs.readdirSync(advisories).length)
    expect(r.diagnostics).toEqual([])
  })

  it('warns when the database was last updated more than 7 days before the scan, and still judges', async () => {
    const later = new Date(Date.now() + 8 * 86_400_000)
    const r = await assessComponents([bash], { store, now: later })
    const stale = r.diagnostics.find((d) => d.code === 'PW_ERR_VULNDB_STALE')!
    expect(stale.level).toBe('warning')
    expect(stale.message).toMatch(/last updated 8 days ago/)
    expect(r.db?.stale).toBe(true)
    expect(r.findings.some((f) => f.status === 'fail')).toBe(true)
    // 7 days is not yet stale
    const week = await assessComponents([bash], { store, now: new Date(Date.now() + 6 * 86_400_000) })
    expect(week.diagnostics.map((d) => d.code)).not.toContain('PW_ERR_VULNDB_STALE')
  })

  it('without a database directory: a warning and manual findings, and no directory is created', async () => {
    const dir = path.join(root, '.bench-tmp', `no-db-${process.pid}`)
    const r = await assessComponents([bash], { dbDir: dir })
    expect(r.diagnostics.map((d) => d.code)).toEqual(['PW_ERR_VULNDB_MISSING'])
    expect(r.findings.map((f) => [f.status, f.resourceId])).toEqual([['manual', 'file:rootfs/var/lib/dpkg/status']])
    expect(fs.existsSync(dir)).toBe(false)
  })
})
