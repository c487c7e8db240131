import { describe, expect, it } from 'vitest'
import { applyLayer, normalizeEntryPath, resolvePath } from './index.js'
import type { FsEntry, VirtualFs } from './index.js'

const file = (path: string, content?: string): FsEntry => (content === undefined ? { path, type: 'file', size: 0 } : { path, type: 'file', size: content.length, content: Buffer.from(content) })

describe('virtual filesystem', () => {
  it('normalises entry names and refuses ones that escape the root', () => {
    expect(normalizeEntryPath('./usr/lib/')).toBe('usr/lib')
    expect(normalizeEntryPath('usr//lib/./x')).toBe('usr/lib/x')
    expect(normalizeEntryPath('../etc/passwd')).toBeUndefined()
    expect(normalizeEntryPath('usr/../../etc/passwd')).toBeUndefined()
    expect(normalizeEntryPath('/etc/shadow')).toBeUndefined()
    expect(normalizeEntryPath('C:\\Windows\\x')).toBeUndefined()
    expect(normalizeEntryPath('a\\..\\..\\b')).toBeUndefined()
    expect(normalizeEntryPath('a\0b')).toBeUndefined()
  })

  it('applies whiteouts and opaque directories to lower layers only', () => {
    const fs: VirtualFs = new Map()
    applyLayer(fs, [file('app/node_modules/minimist/package.json', '{}'), file('app/node_modules/minimist/index.js'), file('opt/cache/a', 'a'), file('opt/cache/sub/b'), file('opt/keep')], 'sha256:l1')
    applyLayer(fs, [file('app/node_modules/.wh.minimist'), file('opt/cache/new', 'n'), file('opt/cache/.wh..wh..opq'), file('etc/x', 'x')], 'sha256:l2')
    expect([...fs.keys()].sort()).toEqual(['etc/x', 'opt/cache/new', 'opt/keep'])
    expect(fs.get('opt/cache/new')!.layer).toBe('sha256:l2')
    expect(fs.get('opt/keep')!.layer).toBe('sha256:l1')
    applyLayer(fs, [file('opt/keep', 'v2')], 'sha256:l3')
    expect(fs.get('opt/keep')).toEqual({ path: 'opt/keep', type: 'file', size: 2, content: Buffer.from('v2'), layer: 'sha256:l3' })
  })

  it('hard links share the kept contents of their target', () => {
    const fs: VirtualFs = new Map()
    applyLayer(fs, [file('store/lodash/package.json', '{"name":"lodash"}'), { path: 'app/node_modules/lodash/package.json', type: 'hardlink', size: 0, linkTarget: 'store/lodash/package.json' }], 'sha256:l1')
    expect(fs.get('app/node_modules/lodash/package.json')!.content!.toString()).toBe('{"name":"lodash"}')
  })

  it('resolves symlinks as if chrooted: never outside the root, loops give up', () => {
    const fs: VirtualFs = new Map()
    applyLayer(fs, [
      file('usr/lib/os-release', 'ID=debian'),
      { path: 'etc/os-release', type: 'symlink', size: 0, linkTarget: '../usr/lib/os-release' },
      { path: 'etc/abs', type: 'symlink', size: 0, linkTarget: '/usr/lib/os-release' },
      { path: 'etc/escape', type: 'symlink', size: 0, linkTarget: '../../../../usr/lib/os-release' },
      { path: 'lib', type: 'symlink', size: 0, linkTarget: 'usr/lib' },
      { path: 'loop1', type: 'symlink', size: 0, linkTarget: 'loop2' },
      { path: 'loop2', type: 'symlink', size: 0, linkTarget: 'loop1' },
    ])
    expect(resolvePath(fs, 'etc/os-release')).toBe('usr/lib/os-release')
    expect(resolvePath(fs, 'etc/abs')).toBe('usr/lib/os-release')
    expect(resolvePath(fs, 'etc/escape')).toBe('usr/lib/os-release')
    expect(resolvePath(fs, 'lib/os-release')).toBe('usr/lib/os-release')
    expect(resolvePath(fs, 'loop1')).toBeUndefined()
    expect(resolvePath(fs, 'nope')).toBeUndefined()
  })
})
