import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { osvRecordSchema, type OsvAffected } from '../osv.js'
import { affectedRanges, fixedVersions, isAffected, smallestFix } from './index.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The `affected` entry for `pkg` of a real OSV record copied from /work/shared/vulndb into testdata/. */
function entry(id: string, pkg: string): OsvAffected {
  const record = osvRecordSchema.parse(JSON.parse(readFileSync(join(here, 'testdata', `${id}.json`), 'utf8')))
  const found = (record.affected ?? []).find((a) => a.package?.name === pkg)
  if (found === undefined) throw new Error(`${id} has no entry for ${pkg}`)
  return found
}

const withoutVersions = (a: OsvAffected): OsvAffected => ({ ...a, versions: undefined })
const affectedSet = (eco: string, a: OsvAffected, versions: string[]): string[] => versions.filter((v) => isAffected(eco, v, a))

describe('PyPI records (ECOSYSTEM ranges + versions lists)', () => {
  const u212 = entry('PYSEC-2023-212', 'urllib3') // ECOSYSTEM [2.0.0, 2.0.7) and [0, 1.26.18), written out of order
  const u192 = entry('PYSEC-2023-192', 'urllib3') // [2.0.0, 2.0.6) and [0, 1.26.17)
  const u108 = entry('PYSEC-2021-108', 'urllib3') // [0, 1.26.5)
  const jinja = entry('PYSEC-2021-66', 'jinja2') // [0, 2.11.3), versions list from 2.0rc1

  it('evaluates events sorted by version, not in record order', () => {
    const ranges = withoutVersions(u212)
    expect(affectedSet('PyPI', ranges, ['1.25.11', '1.26.17', '1.26.18', '1.26.19', '2.0.0', '2.0.3', '2.0.6', '2.0.7', '2.1.0'])).toEqual([
      '1.25.11', '1.26.17', '2.0.0', '2.0.3', '2.0.6',
    ])
    expect(affectedRanges('PyPI', u212)).toEqual([
      { introduced: '0', fixed: '1.26.18' },
      { introduced: '2.0.0', fixed: '2.0.7' },
    ])
  })

  it('ignores GIT ranges and reads the fixed versions of the others', () => {
    expect(fixedVersions(u212)).toEqual(['2.0.7', '1.26.18'])
    expect(fixedVersions(u108)).toEqual(['1.26.5'])
    expect(isAffected('PyPI', '4e98d57809dacab1cbe625fddeec1a290c478ea9', { ranges: u212.ranges?.filter((r) => r.type === 'GIT') })).toBe(false)
  })

  it('matches the versions list with PEP 440 normalisation', () => {
    const list: OsvAffected = { versions: jinja.versions }
    expect(affectedSet('PyPI', list, ['2.0rc1', '2.0.0rc1', '2.0-RC1', '2.10', '2.10.0', '2.11.2', '2.11.3', '3.0.0'])).toEqual([
      '2.0rc1', '2.0.0rc1', '2.0-RC1', '2.10', '2.10.0', '2.11.2',
    ])
    expect(isAffected('PyPI', '1.0', jinja)).toBe(true) // in the range from 0, though not listed
    expect(isAffected('PyPI', '2.11.3', jinja)).toBe(false)
    expect(isAffected('PyPI', '2.11.3+local', withoutVersions(jinja))).toBe(false)
  })

  it('finds the smallest upgrade that clears every advisory', () => {
    expect(smallestFix('PyPI', '1.26.5', [u212])).toBe('1.26.18')
    expect(smallestFix('PyPI', '2.0.2', [u212])).toBe('2.0.7')
    // 1.26.5 (u108) and 1.26.17 (u192) are still affected by u212: the first fix that clears all three is 1.26.18.
    expect(smallestFix('PyPI', '1.25.0', [u108, u192, u212])).toBe('1.26.18')
    expect(smallestFix('PyPI', '2.0.0', [u108, u192, u212])).toBe('2.0.7')
    expect(smallestFix('PyPI', '2.11.2', [jinja])).toBe('2.11.3')
    expect(smallestFix('PyPI', '2.11.3', [jinja])).toBeUndefined()
  })
})

describe('Go records (SEMVER ranges, pseudo-versions)', () => {
  const stdlib = entry('GO-2022-0969', 'stdlib') // [0, 1.18.6) and [1.19.0-0, 1.19.1)
  const net0969 = entry('GO-2022-0969', 'golang.org/x/net') // [0, 0.0.0-20220906165146-f3363e06e74c)
  const net1495 = entry('GO-2023-1495', 'golang.org/x/net') // [0.0.0-20220524220425-1d687d428aca, 0.1.1-0.20221104162952-702349b0e862)
  const net1571 = entry('GO-2023-1571', 'golang.org/x/net') // [0, 0.7.0)
  const net2102 = entry('GO-2023-2102', 'golang.org/x/net') // [0, 0.17.0)
  const jwt = entry('GO-2020-0017', 'github.com/dgrijalva/jwt-go') // introduced only: no fix
  const jwt4 = entry('GO-2020-0017', 'github.com/dgrijalva/jwt-go/v4') // [0, 4.0.0-preview1)

  it('compares v-prefixed module versions with OSV versions', () => {
    expect(affectedSet('Go', stdlib, ['v1.18.5', '1.18.5', 'v1.18.6', 'v1.19.0-rc.1', 'v1.19.0', 'v1.19.1', 'v1.20.0'])).toEqual([
      'v1.18.5', '1.18.5', 'v1.19.0-rc.1', 'v1.19.0',
    ])
  })

  it('orders pseudo-versions', () => {
    expect(
      affectedSet('Go', net0969, ['v0.0.0-20220812174116-3211cb980234', 'v0.0.0-20220906165146-f3363e06e74c', 'v0.0.0-20221004154528-8021a29435af', 'v0.1.0']),
    ).toEqual(['v0.0.0-20220812174116-3211cb980234'])
    expect(
      affectedSet('Go', net1495, ['v0.0.0-20220101000000-aaaaaaaaaaaa', 'v0.0.0-20220524220425-1d687d428aca', 'v0.1.0', 'v0.1.1-0.20221104162952-702349b0e862', 'v0.1.1']),
    ).toEqual(['v0.0.0-20220524220425-1d687d428aca', 'v0.1.0'])
  })

  it('handles +incompatible and introduced-only ranges', () => {
    expect(isAffected('Go', 'v3.2.0+incompatible', jwt)).toBe(true)
    expect(isAffected('Go', 'v0.0.0-20150101000000-aaaaaaaaaaaa', jwt)).toBe(false)
    expect(smallestFix('Go', 'v3.2.0+incompatible', [jwt])).toBeUndefined()
    expect(isAffected('Go', 'v4.0.0-preview1', jwt4)).toBe(false)
    expect(smallestFix('Go', 'v3.9.0', [jwt4])).toBe('v4.0.0-preview1')
  })

  it('finds the smallest upgrade across several advisories, keeping the v of the installed version', () => {
    expect(smallestFix('Go', 'v0.0.0-20220812174116-3211cb980234', [net0969])).toBe('v0.0.0-20220906165146-f3363e06e74c')
    expect(smallestFix('Go', 'v0.1.0', [net1495, net1571, net2102])).toBe('v0.17.0')
    expect(smallestFix('Go', '0.1.0', [net1495, net1571])).toBe('0.7.0')
    expect(smallestFix('Go', 'v1.19.0', [stdlib])).toBe('v1.19.1')
  })
})

describe('npm records (last_affected)', () => {
  const azure = entry('NSWG-ECO-151', 'passport-azure-ad') // [1.0.0, 1.4.6) and [2.0.0, 2.0.0]
  const fury = entry('NSWG-ECO-305', 'fury-adapter-swagger') // [0.2.0, 0.9.6] and [0.8.0-pre, 0.9.0-0)

  it('treats last_affected as inclusive and fixed as exclusive', () => {
    expect(affectedSet('npm', azure, ['0.9.0', '1.0.0', '1.4.5', '1.4.6', '1.5.0', '2.0.0', '2.0.1', '3.0.0'])).toEqual(['1.0.0', '1.4.5', '2.0.0'])
    expect(affectedSet('npm', fury, ['0.1.0', '0.2.0', '0.8.0-pre', '0.8.5', '0.9.0-0', '0.9.6', '0.9.7'])).toEqual([
      '0.2.0', '0.8.0-pre', '0.8.5', '0.9.0-0', '0.9.6',
    ])
    expect(affectedRanges('npm', azure)).toEqual([
      { introduced: '1.0.0', fixed: '1.4.6' },
      { introduced: '2.0.0', lastAffected: '2.0.0' },
    ])
  })

  it('has no fix when only last_affected bounds the affected version', () => {
    expect(smallestFix('npm', '1.4.5', [azure])).toBe('1.4.6')
    expect(smallestFix('npm', '2.0.0', [azure])).toBeUndefined()
    // 0.9.0-0 fixes the second range but is inside the first (up to 0.9.6 inclusive).
    expect(smallestFix('npm', '0.5.0', [fury])).toBeUndefined()
  })
})

describe('crates.io records (several ranges)', () => {
  const time = entry('RUSTSEC-2020-0071', 'time')
  const wasmtime = entry('RUSTSEC-2023-0090', 'wasmtime')

  it('evaluates interleaved introduced/fixed pairs', () => {
    expect(affectedSet('crates.io', time, ['0.1.45', '0.2.0', '0.2.1-beta', '0.2.1', '0.2.6', '0.2.7', '0.2.22', '0.2.23', '0.3.0'])).toEqual([
      '0.1.45', '0.2.1-beta', '0.2.7', '0.2.22',
    ])
    expect(affectedSet('crates.io', wasmtime, ['3.0.0', '4.0.0', '4.0.1', '5.0.0', '5.0.1', '6.0.0', '6.0.1', '7.0.0'])).toEqual(['3.0.0', '4.0.0', '5.0.0', '6.0.0'])
  })

  it('picks the fix on the installed release line', () => {
    expect(smallestFix('crates.io', '0.1.45', [time])).toBe('0.2.0')
    expect(smallestFix('crates.io', '0.2.10', [time])).toBe('0.2.23')
    expect(smallestFix('crates.io', '5.0.0', [wasmtime])).toBe('5.0.1')
    expect(smallestFix('crates.io', '6.0.0', [wasmtime])).toBe('6.0.1')
    expect(smallestFix('crates.io', '7.0.0', [wasmtime])).toBeUndefined()
  })
})

describe('event edge cases', () => {
  const range = (type: 'SEMVER' | 'ECOSYSTEM', ...events: Record<string, string>[]): OsvAffected =>
    ({ ranges: [{ type, events }] }) as OsvAffected

  it('honours limit as an upper bound, "*" as none', () => {
    const limited = range('SEMVER', { introduced: '1.0.0' }, { limit: '1.5.0' })
    expect(affectedSet('npm', limited, ['0.9.0', '1.0.0', '1.4.9', '1.5.0', '2.0.0'])).toEqual(['1.0.0', '1.4.9'])
    expect(affectedSet('npm', range('SEMVER', { introduced: '0' }, { limit: '*' }), ['0.0.1', '99.0.0'])).toEqual(['0.0.1', '99.0.0'])
  })

  it('resolves ties: introduced X + fixed X is empty, introduced X + last_affected X is X', () => {
    expect(isAffected('npm', '1.0.0', range('SEMVER', { fixed: '1.0.0' }, { introduced: '1.0.0' }))).toBe(false)
    expect(affectedSet('npm', range('SEMVER', { last_affected: '1.0.0' }, { introduced: '1.0.0' }), ['0.9.0', '1.0.0', '1.0.1'])).toEqual(['1.0.0'])
  })

  it('treats an unparseable introduced as "0" and skips unparseable fixed/last_affected (errs towards reporting)', () => {
    expect(isAffected('npm', '0.5.0', range('SEMVER', { introduced: 'garbage' }, { fixed: '1.0.0' }))).toBe(true)
    expect(isAffected('npm', '1.0.0', range('SEMVER', { introduced: 'garbage' }, { fixed: '1.0.0' }))).toBe(false)
    expect(isAffected('npm', '9.9.9', range('SEMVER', { introduced: '1.0.0' }, { fixed: 'not-a-version' }))).toBe(true)
    expect(smallestFix('npm', '1.0.0', [range('SEMVER', { introduced: '1.0.0' }, { fixed: 'not-a-version' })])).toBeUndefined()
  })

  it('uses the distribution scheme for ECOSYSTEM ranges', () => {
    const deb = range('ECOSYSTEM', { introduced: '0' }, { fixed: '3.0.11-1~deb12u1' })
    expect(affectedSet('Debian:12', deb, ['3.0.9-1', '3.0.11-1~deb12u1', '3.0.11-1', '3.0.11-1~deb12u2'])).toEqual(['3.0.9-1'])
    expect(smallestFix('Debian:12', '3.0.9-1', [deb])).toBe('3.0.11-1~deb12u1')
    const apk = range('ECOSYSTEM', { introduced: '0' }, { fixed: '3.1.4-r5' })
    expect(affectedSet('Alpine:v3.19', apk, ['3.1.4-r4', '3.1.4_rc1-r9', '3.1.4-r5', '3.1.5-r0'])).toEqual(['3.1.4-r4', '3.1.4_rc1-r9'])
    const rh = range('ECOSYSTEM', { introduced: '0' }, { fixed: '1:3.0.7-27.el9' })
    expect(affectedSet('Red Hat', rh, ['3.0.7-30.el9', '1:3.0.7-26.el9', '1:3.0.7-27.el9'])).toEqual(['3.0.7-30.el9', '1:3.0.7-26.el9'])
  })

  it('throws for an unknown ecosystem', () => {
    expect(() => isAffected('CRAN', '1.0', range('ECOSYSTEM', { introduced: '0' }))).toThrow('"CRAN"')
  })
})
