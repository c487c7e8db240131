import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultDbDir, normalizePackageName, packageKey, releaseKey } from './index.js'
import { parseOsvTime, prepareRecord } from './import.js'
import { releaseApplies } from './names.js'

describe('package names and releases', () => {
  it('normalises PyPI names per PEP 503 and leaves other ecosystems alone', () => {
    expect(normalizePackageName('PyPI', 'Zope.Interface__x')).toBe('zope-interface-x')
    expect(normalizePackageName('PyPI', 'jw.util')).toBe('jw-util')
    expect(normalizePackageName('PyPI', 'A-_.-b')).toBe('a-b')
    expect(normalizePackageName('npm', '@Scope/Pkg_x')).toBe('@Scope/Pkg_x')
    expect(normalizePackageName('Go', 'github.com/Foo/Bar')).toBe('github.com/Foo/Bar')
    expect(packageKey('PyPI', 'Django')).toBe('PyPI\u0000django')
  })

  it('keys releases on their number and matches point releases', () => {
    expect(releaseKey('12')).toBe('12')
    expect(releaseKey('22.04:LTS')).toBe('22.04')
    expect(releaseKey('Pro:18.04:LTS')).toBe('18.04')
    expect(releaseKey('v3.19')).toBe('3.19')
    expect(releaseKey('Edge')).toBe('edge')
    expect(releaseApplies('12', '12.5')).toBe(true)
    expect(releaseApplies('12', '1')).toBe(false)
    expect(releaseApplies('3.1', '3.19')).toBe(false)
    expect(releaseApplies(null, '11')).toBe(true)
    expect(releaseApplies('11', undefined)).toBe(true)
  })

  it('puts the database under $PHIWALL_DB_DIR, else the XDG cache', () => {
    expect(defaultDbDir({ PHIWALL_DB_DIR: '/data/pw' })).toBe('/data/pw')
    expect(defaultDbDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/phiwall/vulndb')
    expect(defaultDbDir({})).toBe(path.join(os.homedir(), '.cache', 'phiwall', 'vulndb'))
  })
})

describe('record preparation', () => {
  it('accepts RFC 3339 times PostgreSQL can store, including the zeroed Go ones', () => {
    expect(parseOsvTime('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5))
    expect(parseOsvTime('2024-01-02T03:04:05.123456789Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 123))
    expect(parseOsvTime('2024-01-02T05:04:05+02:00')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5))
    expect(parseOsvTime('0001-01-01T00:00:00Z')).toBe(-62135596800000)
    expect(parseOsvTime('yesterday')).toBeUndefined()
    expect(parseOsvTime('2024-13-45T00:00:00Z')).toBeUndefined()
  })

  it('indexes each package once, keeps the original name in the record, drops self-aliases', () => {
    const text = JSON.stringify({
      id: 'PYSEC-1',
      modified: '2024-01-01T00:00:00Z',
      aliases: ['PYSEC-1', 'CVE-1', 'CVE-1'],
      affected: [{ package: { ecosystem: 'PyPI', name: 'Foo.Bar' } }, { package: { ecosystem: 'PyPI', name: 'foo_bar' } }, { package: { ecosystem: 'Debian:12', name: 'foo' } }, {}],
    })
    const p = prepareRecord({ text, file: 'x.zip', entry: 'PYSEC-1.json' }, 'src')
    expect('code' in p).toBe(false)
    if ('code' in p) return
    expect(p.affected).toEqual([
      ['PYSEC-1', 'PyPI', 'PyPI', null, 'foo-bar'],
      ['PYSEC-1', 'Debian:12', 'Debian', '12', 'foo'],
    ])
    expect(p.aliases).toEqual(['CVE-1'])
    expect(p.row).toEqual(['PYSEC-1', '2024-01-01T00:00:00.000Z', null, null, null, 'src', text])
    expect(JSON.parse(p.row[6] as string).affected[0].package.name).toBe('Foo.Bar')
  })

  it('names the zip entry of an invalid record', () => {
    expect(prepareRecord({ text: '{"id":"X"}', file: 'all.zip', entry: 'X.json' }, 'src')).toEqual({
      code: 'PW_ERR_VULNDB_RECORD_INVALID',
      level: 'error',
      file: 'all.zip',
      path: 'X.json',
      message: 'OSV record X.json in all.zip is invalid at modified: Invalid input: expected string, received undefined',
    })
  })
})
