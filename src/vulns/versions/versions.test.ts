import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { compareVersions, isSupportedEcosystem, isValidVersion, normalizePackageName } from './index.js'
import { normalizeComposer, phpVersionCompare } from './packagist.js'
import { legacyKey } from './pep440.js'

const here = dirname(fileURLToPath(import.meta.url))

/** Asserts that `versions` are in strictly ascending order, pairwise, both ways round. */
function expectAscending(ecosystem: string, versions: string[]): void {
  for (let i = 0; i < versions.length; i++) {
    for (let j = i + 1; j < versions.length; j++) {
      const a = versions[i] as string
      const b = versions[j] as string
      expect([a, b, compareVersions(ecosystem, a, b)]).toEqual([a, b, -1])
      expect([b, a, compareVersions(ecosystem, b, a)]).toEqual([b, a, 1])
    }
  }
}

function expectEqual(ecosystem: string, pairs: [string, string][]): void {
  for (const [a, b] of pairs) {
    expect([a, b, compareVersions(ecosystem, a, b)]).toEqual([a, b, 0])
    expect([b, a, compareVersions(ecosystem, b, a)]).toEqual([b, a, 0])
  }
}

const OPS: Record<string, -1 | 0 | 1> = { '<': -1, '=': 0, '>': 1 }

describe('ecosystem names', () => {
  it('uses the base scheme for release-suffixed ecosystems', () => {
    expect(compareVersions('Debian:12', '1.0~rc1-1', '1.0-1')).toBe(-1)
    expect(compareVersions('Ubuntu:22.04:LTS', '2:1.0', '1:9.9')).toBe(1)
    expect(compareVersions('Alpine:v3.19', '1.2.3_rc1-r0', '1.2.3-r0')).toBe(-1)
    expect(compareVersions('Red Hat:enterprise_linux:9::appstream', '1.0~rc1', '1.0')).toBe(-1)
    expect(compareVersions('Rocky Linux:9', '1:1.0-1.el9', '2.0-1.el9')).toBe(1)
    expect(compareVersions('AlmaLinux:8', '2.0-1.el8', '2.0-1.el8')).toBe(0)
  })

  it('throws for an unknown ecosystem, naming it', () => {
    expect(() => compareVersions('CRAN', '1.0', '2.0')).toThrow('no version ordering for ecosystem "CRAN"')
    expect(() => isValidVersion('Hackage:ghc', '1.0')).toThrow('"Hackage:ghc"')
    expect(isSupportedEcosystem('Debian:11')).toBe(true)
    expect(isSupportedEcosystem('NuGet')).toBe(false)
  })
})

describe('npm (node-semver, loose)', () => {
  it('orders the SemVer 2.0 §11 precedence example', () => {
    expectAscending('npm', [
      '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11',
      '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '2.0.0',
    ])
  })

  it('ignores build metadata and accepts loose forms', () => {
    expectEqual('npm', [['1.0.0+build.1', '1.0.0+build.2'], ['1.0.0', '1.0.0+20130313144700'], ['v1.2.3', '1.2.3'], ['=1.2.3', '1.2.3']])
    expect(isValidVersion('npm', 'v1.2.3')).toBe(true)
    expect(isValidVersion('npm', '1.2')).toBe(false)
    expect(isValidVersion('npm', 'latest')).toBe(false)
  })

  it('sorts unparseable strings before every valid version, never throwing', () => {
    expect(compareVersions('npm', 'latest', '0.0.0-0')).toBe(-1)
    expect(compareVersions('npm', '0.0.1', 'git+https://x')).toBe(1)
    expect(compareVersions('npm', 'abc', 'abd')).toBe(-1)
  })
})

describe('crates.io (SemVer, strict)', () => {
  it('orders pre-releases and ignores build metadata', () => {
    expectAscending('crates.io', ['0.0.0-0', '0.2.1-0', '0.2.1', '0.2.23', '1.0.0-alpha.1', '1.0.0', '1.0.10'])
    expectEqual('crates.io', [['1.0.0+deadbeef', '1.0.0']])
    expect(isValidVersion('crates.io', 'v1.0.0')).toBe(false)
    expect(isValidVersion('crates.io', '01.0.0')).toBe(false)
    expect(isValidVersion('crates.io', '1.0.0-rc.1+build.5')).toBe(true)
  })
})

describe('Go module versions', () => {
  it('accepts the v prefix or none (OSV writes 1.2.3) and the v1 / v1.2 shorthands', () => {
    expectEqual('Go', [['v1.2.3', '1.2.3'], ['v1', 'v1.0.0'], ['v1.2', '1.2.0']])
    expect(isValidVersion('Go', 'v1.2.03')).toBe(false)
    expect(isValidVersion('Go', 'master')).toBe(false)
  })

  it('orders pseudo-versions by their timestamps, before the release they precede', () => {
    expectAscending('Go', [
      'v0.0.0-20190125002852-4b62a64f59f7',
      'v0.0.0-20220524220425-1d687d428aca',
      'v0.0.0-20220906165146-f3363e06e74c',
      'v0.1.0',
      'v0.1.1-0.20221104162952-702349b0e862',
      'v0.1.1',
      'v0.7.0',
    ])
  })

  it('ignores +incompatible and orders the stdlib pre-release floor 1.19.0-0', () => {
    expectEqual('Go', [['v2.0.0+incompatible', 'v2.0.0'], ['v4.5.0+incompatible', '4.5.0']])
    expect(compareVersions('Go', 'v3.2.0+incompatible', 'v2.9.9')).toBe(1)
    expectAscending('Go', ['1.18.6', '1.19.0-0', '1.19.0-rc.1', '1.19.0', '1.19.1'])
  })
})

describe('PyPI (PEP 440)', () => {
  it('orders the packaging test-suite list of versions', () => {
    expectAscending('PyPI', [
      '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2',
      '1.0b2.post345.dev456', '1.0b2.post345', '1.0b2-346', '1.0c1.dev456', '1.0c1', '1.0rc2', '1.0c3', '1.0',
      '1.0.post456.dev34', '1.0.post456', '1.1.dev1', '1.2+123abc', '1.2+123abc456', '1.2+abc', '1.2+abc123',
      '1.2+abc123def', '1.2+1234.abc', '1.2+123456', '1.2.r32+123456', '1.2.rev33+123456',
      '1!1.0b2.post345.dev456', '1!1.0b2.post345', '1!1.0', '1!1.2.rev33+123456',
    ])
  })

  it('treats normalisation equivalents as equal', () => {
    expectEqual('PyPI', [
      ['1.0', '1.0.0'], ['1.0c1', '1.0rc1'], ['1.0alpha1', '1.0a1'], ['1.0-post1', '1.0.post1'],
      ['1.0-1', '1.0.post1'], ['v1.0', '1.0'], ['1.0.DEV1', '1.0.dev1'], ['0!1.0', '1.0'], ['1.0+ubuntu-1', '1.0+ubuntu.1'],
    ])
  })

  it('sorts local versions after their public version and dev before pre', () => {
    expect(compareVersions('PyPI', '1.0+local.1', '1.0')).toBe(1)
    expect(compareVersions('PyPI', '1.0+local.1', '1.0.post1')).toBe(-1)
    expect(compareVersions('PyPI', '2.0.dev1', '2.0a1')).toBe(-1)
    expect(compareVersions('PyPI', '2.0.post1.dev1', '2.0.post1')).toBe(-1)
    expect(compareVersions('PyPI', '2.0.post1.dev1', '2.0')).toBe(1)
  })

  it('falls back to the legacy order for non-PEP 440 strings, below every PEP 440 version', () => {
    expect(isValidVersion('PyPI', '2004d')).toBe(false)
    expect(compareVersions('PyPI', '2004d', '0.0.1')).toBe(-1)
    expect(compareVersions('PyPI', '0.1-beta-foo', '0.1-alpha-foo')).toBe(1)
    expect(compareVersions('PyPI', 'r1234', 'r1235')).toBe(-1)
    expect(compareVersions('PyPI', '1.0-SNAPSHOT', '1.0-snapshot')).toBe(0)
    expect(legacyKey('1.0-beta')).toEqual(['00000001', '*beta', '*final'])
    expect(legacyKey('1.0-1')).toEqual(['00000001', '*final-', '00000001', '*final'])
    expect(legacyKey('2004d')).toEqual(['00002004', '*d', '*final'])
  })
})

describe('Maven (ComparableVersion)', () => {
  it('orders ComparableVersionTest VERSIONS_QUALIFIER', () => {
    expectAscending('Maven', [
      '1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2',
      '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1',
      '1-2', '1-123',
    ])
  })

  it('orders ComparableVersionTest VERSIONS_NUMBER (Maven 3.8.7: .a after a number opens a sub-list)', () => {
    expectEqual('Maven', [['2.0.a', '2.0.0.a']])
    expectAscending('Maven', [
      '2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1',
      '2.2', '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m',
    ])
  })

  it('treats ComparableVersionTest testVersionsEqual pairs as equal', () => {
    expectEqual('Maven', [
      ['1', '1'], ['1', '1.0'], ['1', '1.0.0'], ['1.0', '1.0.0'], ['1', '1-0'], ['1', '1.0-0'], ['1.0', '1.0-0'],
      ['1a', '1.a'], ['1a', '1-a'], ['1a', '1.0-a'], ['1a', '1.0.0-a'], ['1.0a', '1.0.a'], ['1.0.0a', '1.0.0.a'],
      ['1x', '1.x'], ['1x', '1-x'], ['1x', '1.0-x'], ['1x', '1.0.0-x'], ['1.0x', '1.0.x'], ['1.0.0x', '1.0.0.x'],
      ['1ga', '1'], ['1final', '1'], ['1cr', '1rc'], ['1a1', '1alpha1'], ['1b2', '1beta2'], ['1m3', '1milestone3'],
      ['1X', '1x'], ['1A', '1a'], ['1Ga', '1'], ['1GA', '1'], ['1Final', '1'], ['1FINAL', '1'], ['1Cr', '1Rc'],
      ['1m3', '1MileStone3'], ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
    ])
  })

  it('orders ComparableVersionTest testVersionComparing pairs', () => {
    const pairs: [string, string][] = [
      ['1', '2'], ['1.5', '2'], ['1', '2.5'], ['1.0', '1.1'], ['1.1', '1.2'], ['1.0.0', '1.1'], ['1.0.1', '1.1'],
      ['1.1', '1.2.0'], ['1.0-alpha-1', '1.0'], ['1.0-alpha-1', '1.0-alpha-2'], ['1.0-alpha-1', '1.0-beta-1'],
      ['1.0-beta-1', '1.0-SNAPSHOT'], ['1.0-SNAPSHOT', '1.0'], ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'], ['1.0', '1.0-1'],
      ['1.0-1', '1.0-2'], ['1.0.0', '1.0-1'], ['2.0-1', '2.0.1'], ['2.0.1-klm', '2.0.1-lmn'], ['2.0.1', '2.0.1-xyz'],
      ['2.0.1', '2.0.1-123'], ['2.0.1-xyz', '2.0.1-123'],
    ]
    for (const [a, b] of pairs) expectAscending('Maven', [a, b])
  })

  it("reproduces Maven's own non-transitive answers on odd strings (maven-artifact 3.8.7)", () => {
    expect(compareVersions('Maven', 'final.alpha0.', '0.')).toBe(-1)
    expect(compareVersions('Maven', '0.', 'RELEASE.1.')).toBe(-1)
    expect(compareVersions('Maven', 'RELEASE.1.', 'final.alpha0.')).toBe(-1)
  })

  it('orders real artifact versions (log4j-core, jackson-databind, spring)', () => {
    expectAscending('Maven', ['2.0-beta9', '2.0-rc1', '2.0', '2.3.1', '2.12.2', '2.15.0', '2.16.0', '2.17.0', '2.17.1'])
    expectAscending('Maven', ['2.9.10', '2.9.10.1', '2.9.10.8', '2.10.0', '2.12.6.1', '2.13.4.2'])
    // Maven 3 quirk: an unknown qualifier such as jackson's `pr1` sorts after the release.
    expect(compareVersions('Maven', '2.10.0.pr1', '2.10.0')).toBe(1)
    expectAscending('Maven', ['5.2.0.RELEASE', '5.2.1.RELEASE', '5.3.18', '6.0.0-M1', '6.0.0-RC1', '6.0.0'])
    expect(isValidVersion('Maven', '1.0.0-SNAPSHOT')).toBe(true)
    expect(compareVersions('Maven', '1.0.0.RELEASE', '1')).toBe(0)
    expect(compareVersions('Maven', '1.0.0.Final', '1.0.0.GA')).toBe(0)
    expect(isValidVersion('Maven', '')).toBe(false)
  })
})

describe('RubyGems (Gem::Version)', () => {
  it('follows test_gem_version.rb test_spaceship', () => {
    expect(compareVersions('RubyGems', '1.0', '1.0.0')).toBe(0)
    expect(compareVersions('RubyGems', '1.0', '1.0.a')).toBe(1)
    expect(compareVersions('RubyGems', '1.8.2', '0.0.0')).toBe(1)
    expect(compareVersions('RubyGems', '1.8.2', '1.8.2.a')).toBe(1)
    expect(compareVersions('RubyGems', '1.8.2.b', '1.8.2.a')).toBe(1)
    expect(compareVersions('RubyGems', '1.8.2.a', '1.8.2')).toBe(-1)
    expect(compareVersions('RubyGems', '1.8.2.a10', '1.8.2.a9')).toBe(1)
    expect(compareVersions('RubyGems', '', '0')).toBe(0)
    expectEqual('RubyGems', [['1.2.b1', '1.2.b.1'], ['1.0', ' 1.0 '], ['1.0', '1.0\n']])
  })

  it('orders SemVer-style pre-releases (test_semver) and real gem versions', () => {
    expectAscending('RubyGems', ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'])
    expectAscending('RubyGems', ['5.2.4.rc1', '5.2.4', '5.2.4.1', '5.2.4.3', '6.0.0.beta1', '6.0.0.rc1', '6.0.0', '6.0.3.1', '6.1.7.10'])
    expectAscending('RubyGems', ['1.10.9', '1.11.0.rc1', '1.11.0', '1.13.10'])
  })

  it('rejects malformed strings as Gem::Version.new does', () => {
    expect(isValidVersion('RubyGems', 'junk')).toBe(false)
    expect(isValidVersion('RubyGems', '1.0\n2.0')).toBe(false)
    expect(isValidVersion('RubyGems', '1.0.0-rc.1+build.1')).toBe(false)
    expect(isValidVersion('RubyGems', '1.2.3.pre')).toBe(true)
    expect(compareVersions('RubyGems', 'junk', '0')).toBe(-1)
  })
})

describe('Packagist (Composer)', () => {
  it('normalises like VersionParserTest', () => {
    const cases: [string, string][] = [
      ['1.0.0', '1.0.0.0'], ['1.2.3.4', '1.2.3.4'], ['1.0.0RC1dev', '1.0.0.0-RC1-dev'], ['1.0.0-rC15-dev', '1.0.0.0-RC15-dev'],
      ['1.0.0.RC.15-dev', '1.0.0.0-RC15-dev'], ['1.0.0-rc1', '1.0.0.0-RC1'], ['1.0.0-pl3', '1.0.0.0-patch3'],
      ['1.0-dev', '1.0.0.0-dev'], ['0', '0.0.0.0'], ['10.4.13-beta', '10.4.13.0-beta'], ['10.4.13beta2', '10.4.13.0-beta2'],
      ['10.4.13beta.2', '10.4.13.0-beta2'], ['10.4.13-b', '10.4.13.0-beta'], ['10.4.13-b5', '10.4.13.0-beta5'],
      ['v1.0.0', '1.0.0.0'], ['v20100102', '20100102'], ['2010.01', '2010.01.0.0'], ['2010.01.02', '2010.01.02.0'],
      ['2010-01-02', '2010.01.02'], ['2010-01-02.5', '2010.01.02.5'], ['20100102-203040', '20100102.203040'],
      ['20100102203040-10', '20100102203040.10'], ['20100102-203040-p1', '20100102.203040-patch1'],
      ['1.0.0-stable', '1.0.0.0'], ['1.0.0+foo', '1.0.0.0'], ['1.0.0-rc1+foo', '1.0.0.0-RC1'], ['1.x-dev', '1.9999999.9999999.9999999-dev'],
      ['2.0.*-dev', '2.0.9999999.9999999-dev'], ['1.0.0 as 1.0.x-dev', '1.0.0.0'], ['1.0.0@beta', '1.0.0.0'],
      // composer/semver tests/VersionParserTest.php successfulNormalizedVersions
      ['1.0.0.pl3-dev', '1.0.0.0-patch3-dev'], ['2010.1.555', '2010.1.555.0'], ['2010.10.200', '2010.10.200.0'],
      ['20150920.0.0', '20150920.0.0'], ['1.0.0-beta.5+foo', '1.0.0.0-beta5'], ['1.0.0-alpha.3.1+foo', '1.0.0.0-alpha3.1'],
      ['1.0.0-alpha2.1+foo', '1.0.0.0-alpha2.1'], ['1.0.0-alpha-2.1-3+foo', '1.0.0.0-alpha2.1-3'], ['1.0.0+foo as 2.0', '1.0.0.0'],
    ]
    for (const [input, normal] of cases) expect([input, normalizeComposer(input)]).toEqual([input, normal])
    expect(normalizeComposer('dev-master')).toBeNull()
    expect(normalizeComposer('1.0.0-meh')).toBeNull()
    expect(normalizeComposer('feature-foo')).toBeNull()
    // failingNormalizedVersions
    for (const bad of ['', 'a', '1.0.0-meh', '1.0.0.0.0', 'feature-foo', '1.0.0+foo bar']) expect([bad, normalizeComposer(bad)]).toEqual([bad, null])
  })

  it('sorts like composer/semver SemverTest sortProvider', () => {
    const sorted = ['1.0', '0.1', '0.1', '3.2.1', '2.4.0-alpha', '2.4.0'].sort((a, b) => compareVersions('Packagist', a, b))
    expect(sorted).toEqual(['0.1', '0.1', '1.0', '2.4.0-alpha', '2.4.0', '3.2.1'])
    expect(compareVersions('Packagist', '1.0.0beta', '1')).toBe(-1)
    expect(compareVersions('Packagist', '1.2.3-beta', '1.2.3')).toBe(-1)
    expect(compareVersions('Packagist', 'v0.1.93', '0.1.97')).toBe(-1)
  })

  it('orders stability suffixes dev < alpha < beta < RC < stable < patch', () => {
    expectAscending('Packagist', [
      '1.0.0-dev', '1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-beta1', '1.0.0-beta.2', '1.0.0-RC1', '1.0.0-rc2', '1.0.0',
      '1.0.0-p1', '1.0.0-patch2', '1.0.1', '1.1.x-dev',
    ])
    expectEqual('Packagist', [['v1.2.3', '1.2.3'], ['1.2', '1.2.0.0'], ['1.0.0-b2', '1.0.0-beta2'], ['1.0.0-rc1', '1.0.0-RC1'], ['3.0.0+build', '3.0.0']])
    expectAscending('Packagist', ['4.4.9', '4.4.10', '5.4.0-BETA1', '5.4.0', 'v5.4.46', '6.0.0'])
  })

  it("implements PHP's version_compare", () => {
    expect(phpVersionCompare('1.0', '1.0.0')).toBe(-1)
    expect(phpVersionCompare('1.0rc1', '1.0')).toBe(-1)
    expect(phpVersionCompare('1.0pl1', '1.0')).toBe(1)
    expect(phpVersionCompare('5.2', '5.10')).toBe(-1)
    expect(phpVersionCompare('1.0-dev', '1.0a1')).toBe(-1)
    expect(phpVersionCompare('1.0.0', '1.0.0')).toBe(0)
    expect(phpVersionCompare('1.0foo', '1.0dev')).toBe(-1)
  })
})

describe('Debian and Ubuntu (dpkg)', () => {
  it('follows dpkg lib/dpkg/t/t-version.c comparisons', () => {
    expect(compareVersions('Debian', '1-1', '2-1')).toBe(-1)
    expect(compareVersions('Debian', '1-1', '1-2')).toBe(-1)
    expectEqual('Debian', [['0-0', '0-0'], ['0-00', '00-0'], ['1:2-3', '1:2-3']])
    expect(compareVersions('Debian', '0-0', '1:0-0')).toBe(-1)
    expect(compareVersions('Debian', '1:0-0', '0-0')).toBe(1)
    expect(compareVersions('Debian', 'a-0', 'b-0')).toBe(-1)
    expect(compareVersions('Debian', '0-a', '0-b')).toBe(-1)
  })

  it('parses like t-version.c test_version_parse', () => {
    expectEqual('Debian', [
      ['0', '0:0'], ['0', '0:0-'], ['0:0-0', '0-0'], ['0:0.0-0.0', '0.0-0.0'], ['1:0', '1:0-'], ['5:1', '5:1'],
      ['0:0-0-0', '0-0-0'], ['0:0:0-0', '0:0:0-0'], ['  \t0:0-1', '0:0-1'], ['0:0-1\t  ', '0-1'],
    ])
    for (const v of ['0', '0:0', '0:0-', '0:0-0-0', '0:0:0:0-0', '0:09azAZ.-+~:-0', '0:0-azAZ09.+~', '  \t0:0-1']) {
      expect([v, isValidVersion('Debian', v)]).toEqual([v, true])
    }
    expect(isValidVersion('Debian', '2147483647:1.0')).toBe(true)
    for (const v of ['', '  ', '0:', '0:0 0-1', '-1:0-1', '2147483648:1.0', '999999999999999999999999:0-1', 'a:0-0', 'A:0-0', '-0', '0:-0', '0:abc3-0', '0:0-0:0']) {
      expect([v, isValidVersion('Debian', v)]).toEqual([v, false])
    }
    for (const c of "!#@$%&/|\\<>()[]{};,_=*^'") expect(isValidVersion('Debian', `0:0${c}-0`)).toBe(false)
    for (const c of "!#@$%&/|\\<>()[]{}:;,_=*^'") expect(isValidVersion('Debian', `0:0-0${c}`)).toBe(false)
  })

  it('applies the ~ rule and letters-before-non-letters from Policy 5.6.12', () => {
    expectAscending('Debian', ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a', '1.0+', '1.0.', '1.0.1'])
    expectAscending('Debian', ['1.2.3-1~bpo11+1', '1.2.3-1', '1.2.3-1ubuntu1', '1.2.3-1+deb11u1', '1.2.3-1+deb11u2', '1.2.3-2'])
    expectAscending('Debian', ['2.7.4-0ubuntu1.6', '2.7.4-0ubuntu1.10', '2.7.4-0ubuntu2'])
    expectAscending('Ubuntu', ['1.1.1f-1ubuntu2', '1.1.1f-1ubuntu2.16', '1.1.1f-1ubuntu2.20', '3.0.2-0ubuntu1.10'])
    expectAscending('Debian', ['7.6p2-4', '7.6p2-4.1', '1:2.30.2-1', '1:2.30.2-1ubuntu1', '2:1.0'])
    expect(compareVersions('Debian', '1.0+dfsg-1', '1.0-1')).toBe(1)
    expect(compareVersions('Debian', '1.18.10', '1.18.9')).toBe(1)
    expect(compareVersions('Debian', '1.0-0', '1.0')).toBe(0)
  })
})

describe('Alpine (apk-tools)', () => {
  const lines = readFileSync(join(here, 'testdata', 'apk-version.data'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '')

  it(`agrees with ${lines.length} lines of apk-tools test/version.data`, () => {
    for (const line of lines) {
      const [a, op, b] = line.split(/\s+/) as [string, string, string]
      expect([line, compareVersions('Alpine', a, b)]).toEqual([line, OPS[op]])
      expect([line, compareVersions('Alpine', b, a)]).toEqual([line, -(OPS[op] as number) || 0])
    }
  })

  it('orders suffixes, letters and -r revisions', () => {
    expectAscending('Alpine', [
      '1.2.3_alpha', '1.2.3_alpha2', '1.2.3_beta', '1.2.3_pre1', '1.2.3_rc1', '1.2.3_rc2', '1.2.3', '1.2.3-r1', '1.2.3-r10',
      '1.2.3_cvs', '1.2.3_svn', '1.2.3_git20240101', '1.2.3_hg', '1.2.3_p1', '1.2.3_p2-r0', '1.2.3a', '1.2.3b', '1.2.4',
    ])
    expectAscending('Alpine', ['3.0.8-r0', '3.0.12-r0', '3.0.12-r1', '3.1.4-r5'])
    expect(compareVersions('Alpine', '1.01', '1.1')).toBe(-1)
  })

  it('validates like apk_version_validate', () => {
    for (const v of ['1.2.3', '1.2.3-r0', '1.2.3a_rc1_p2-r9', '20240101', '0.1.0_alpha_pre2']) expect([v, isValidVersion('Alpine', v)]).toEqual([v, true])
    for (const v of ['', 'abc', '1.0bc', '23_foo', '1.2-3', '1.2.3-x', '1.2_foo', '_1.0', '1.0_rc1-r1a']) expect([v, isValidVersion('Alpine', v)]).toEqual([v, false])
  })
})

describe('RPM (Red Hat, Rocky Linux, AlmaLinux)', () => {
  const RPMVERCMP: [string, string, number][] = [
    ['1.0', '1.0', 0], ['1.0', '2.0', -1], ['2.0', '1.0', 1], ['2.0.1', '2.0.1', 0], ['2.0', '2.0.1', -1], ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1a', 0], ['2.0.1a', '2.0.1', 1], ['2.0.1', '2.0.1a', -1], ['5.5p1', '5.5p1', 0], ['5.5p1', '5.5p2', -1],
    ['5.5p2', '5.5p1', 1], ['5.5p10', '5.5p10', 0], ['5.5p1', '5.5p10', -1], ['5.5p10', '5.5p1', 1], ['10xyz', '10.1xyz', -1],
    ['10.1xyz', '10xyz', 1], ['xyz10', 'xyz10', 0], ['xyz10', 'xyz10.1', -1], ['xyz10.1', 'xyz10', 1], ['xyz.4', 'xyz.4', 0],
    ['xyz.4', '8', -1], ['8', 'xyz.4', 1], ['xyz.4', '2', -1], ['2', 'xyz.4', 1], ['5.5p2', '5.6p1', -1], ['5.6p1', '5.5p2', 1],
    ['5.6p1', '6.5p1', -1], ['6.5p1', '5.6p1', 1], ['6.0.rc1', '6.0', 1], ['6.0', '6.0.rc1', -1], ['10b2', '10a1', 1],
    ['10a2', '10b2', -1], ['1.0aa', '1.0aa', 0], ['1.0a', '1.0aa', -1], ['1.0aa', '1.0a', 1], ['10.0001', '10.0001', 0],
    ['10.0001', '10.1', 0], ['10.1', '10.0001', 0], ['10.0001', '10.0039', -1], ['10.0039', '10.0001', 1], ['4.999.9', '5.0', -1],
    ['5.0', '4.999.9', 1], ['20101121', '20101121', 0], ['20101121', '20101122', -1], ['20101122', '20101121', 1],
    ['2_0', '2_0', 0], ['2.0', '2_0', 0], ['2_0', '2.0', 0], ['a', 'a', 0], ['a+', 'a+', 0], ['a+', 'a_', 0], ['a_', 'a+', 0],
    ['+a', '+a', 0], ['+a', '_a', 0], ['_a', '+a', 0], ['+_', '+_', 0], ['_+', '+_', 0], ['_+', '_+', 0], ['+', '_', 0], ['_', '+', 0],
    ['1.0~rc1', '1.0~rc1', 0], ['1.0~rc1', '1.0', -1], ['1.0', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc2', -1], ['1.0~rc2', '1.0~rc1', 1],
    ['1.0~rc1~git123', '1.0~rc1~git123', 0], ['1.0~rc1~git123', '1.0~rc1', -1], ['1.0~rc1', '1.0~rc1~git123', 1],
    ['1.0^', '1.0^', 0], ['1.0^', '1.0', 1], ['1.0', '1.0^', -1], ['1.0^git1', '1.0^git1', 0], ['1.0^git1', '1.0', 1],
    ['1.0', '1.0^git1', -1], ['1.0^git1', '1.0^git2', -1], ['1.0^git2', '1.0^git1', 1], ['1.0^git1', '1.01', -1],
    ['1.01', '1.0^git1', 1], ['1.0^20160101', '1.0^20160101', 0], ['1.0^20160101', '1.0.1', -1], ['1.0.1', '1.0^20160101', 1],
    ['1.0^20160101^git1', '1.0^20160101^git1', 0], ['1.0^20160102', '1.0^20160101^git1', 1], ['1.0^20160101^git1', '1.0^20160102', -1],
    ['1.0~rc1^git1', '1.0~rc1^git1', 0], ['1.0~rc1^git1', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc1^git1', -1],
    ['1.0^git1~pre', '1.0^git1~pre', 0], ['1.0^git1', '1.0^git1~pre', 1], ['1.0^git1~pre', '1.0^git1', -1],
  ]

  it(`agrees with all ${RPMVERCMP.length} cases of rpm tests/rpmvercmp.at`, () => {
    // The at-file compares bare versions; none contains '-' or ':', so the EVR split leaves them whole.
    for (const [a, b, r] of RPMVERCMP) expect([a, b, compareVersions('Red Hat', a, b)]).toEqual([a, b, r])
  })

  it('compares epoch:version-release', () => {
    expectAscending('Red Hat', ['3.0.7-24.el9', '3.0.7-25.el9', '3.0.7-27.el9_5', '3.2.2-6.el9', '1:1.0.0-1.el9', '1:3.0.7-16.el9_2'])
    expectEqual('Rocky Linux', [['0:2.4.57-5.el9', '2.4.57-5.el9']])
    expect(compareVersions('AlmaLinux', '1.0-1', '1.0')).toBe(1)
    expect(compareVersions('AlmaLinux', '8.0.1763-19.el9_4~', '8.0.1763-19.el9_4')).toBe(-1)
    expect(isValidVersion('Red Hat', '1:2.3-4.el9')).toBe(true)
    expect(isValidVersion('Red Hat', '1.0 beta')).toBe(false)
    expect(isValidVersion('Red Hat', '')).toBe(false)
  })
})

describe('agreement with the reference implementations', () => {
  const cases: [string, string][] = [
    ['Maven', 'maven-oracle.tsv'],
    ['PyPI', 'pypi-oracle.tsv'],
    ['Debian', 'debian-oracle.tsv'],
  ]
  it.each(cases)('%s agrees with %s', (ecosystem, file) => {
    const rows = readFileSync(join(here, 'testdata', file), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split('\t') as [string, string, string])
    expect(rows.length).toBeGreaterThanOrEqual(300)
    for (const [a, b, r] of rows) expect([a, b, compareVersions(ecosystem, a, b)]).toEqual([a, b, Number(r)])
  })
})

describe('normalizePackageName', () => {
  it('applies PEP 503 to PyPI names and leaves case-sensitive ecosystems alone', () => {
    expect(normalizePackageName('PyPI', 'Django_REST.framework')).toBe('django-rest-framework')
    expect(normalizePackageName('PyPI', 'zope.interface')).toBe('zope-interface')
    expect(normalizePackageName('PyPI', 'Pillow')).toBe('pillow')
    expect(normalizePackageName('PyPI', 'a__-.b')).toBe('a-b')
    expect(normalizePackageName('Packagist', 'Symfony/HTTP-Kernel')).toBe('symfony/http-kernel')
    expect(normalizePackageName('Go', 'github.com/BurntSushi/toml')).toBe('github.com/BurntSushi/toml')
    expect(normalizePackageName('npm', 'JSONStream')).toBe('JSONStream')
    expect(normalizePackageName('Maven', 'org.apache.logging.log4j:log4j-core')).toBe('org.apache.logging.log4j:log4j-core')
    expect(normalizePackageName('Debian:12', 'libssl3')).toBe('libssl3')
  })
})
