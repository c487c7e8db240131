import { describe, expect, it } from 'vitest'
import {
  containerIdFromCgroup,
  containerIdFromParsed,
  parseCgroup,
  parseExeLink,
  parsePasswd,
  parseStatCpu,
  parseStatStartTime,
  parseStatusUid,
  socketInode,
} from './procfiles.js'

const ID = 'a3f5c0e1b2d4968776655443322110ffeeddccbbaa99887766554433221100aa'

describe('parseCgroup', () => {
  it('cgroup v2: the unified path', () => {
    const cg = parseCgroup('0::/system.slice/api.service\n')
    expect(cg.path).toBe('/system.slice/api.service')
    expect(cg.unified).toBe('/system.slice/api.service')
    expect(cg.systemd).toBeUndefined()
  })

  it('cgroup v1: the name=systemd path', () => {
    const text = [
      '12:pids:/system.slice/nginx.service',
      '11:cpu,cpuacct:/system.slice/nginx.service',
      '5:memory:/system.slice/nginx.service',
      '1:name=systemd:/system.slice/nginx.service',
      '',
    ].join('\n')
    const cg = parseCgroup(text)
    expect(cg.path).toBe('/system.slice/nginx.service')
    expect(cg.lines).toHaveLength(4)
    expect(cg.lines[1]!.controllers).toEqual(['cpu', 'cpuacct'])
  })

  it('hybrid: the v2 path unless it is the root while name=systemd names a unit', () => {
    expect(parseCgroup('1:name=systemd:/user.slice/user-1000.slice/session-3.scope\n0::/user.slice/user-1000.slice/session-3.scope\n').path).toBe('/user.slice/user-1000.slice/session-3.scope')
    // this sandbox: memory controller elsewhere, both unified and systemd at the root
    const sandbox = '9:name=systemd:/\n4:memory:/process_api/9ae2d0f1d6b80ab6e270f60885896546\n0::/\n'
    expect(parseCgroup(sandbox).path).toBe('/')
    expect(parseCgroup('1:name=systemd:/system.slice/cron.service\n0::/\n').path).toBe('/system.slice/cron.service')
  })

  it('ignores lines that are not cgroup lines', () => {
    expect(parseCgroup('garbage\n:x:/a\nx::/b\n3:cpu:relative\n').lines).toEqual([])
    expect(parseCgroup('').path).toBeUndefined()
  })
})

describe('containerIdFromCgroup', () => {
  it.each([
    [`/system.slice/docker-${ID}.scope`, ID],
    [`/docker/${ID}`, ID],
    [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1f2e3d4c_5b6a_7980_1a2b_3c4d5e6f7a8b.slice/cri-containerd-${ID}.scope`, ID],
    [`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-podabc.slice/crio-${ID}.scope`, ID],
    [`/machine.slice/libpod-${ID}.scope/container`, ID],
    [`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope`, ID],
    [`/kubepods/besteffort/pod1f2e3d4c-5b6a-7980-1a2b-3c4d5e6f7a8b/${ID}`, ID],
    [`/k8s.io/${ID}`, ID],
    [`/system.slice/api.service`, undefined],
    [`/machine.slice/libpod-conmon-${ID}.scope`, undefined],
    [`/kubepods.slice/crio-conmon-${ID}.scope`, undefined],
    [`/`, undefined],
    [`/system.slice/docker-nothex.scope`, undefined],
  ])('%s', (path, id) => {
    expect(containerIdFromCgroup(path)).toBe(id)
  })

  it('the innermost id wins (docker in docker)', () => {
    const inner = 'b'.repeat(64)
    expect(containerIdFromCgroup(`/docker/${ID}/docker/${inner}`)).toBe(inner)
  })

  it('v1 hosts: found on any controller line when name=systemd is the root', () => {
    const cg = parseCgroup(`1:name=systemd:/\n4:memory:/docker/${ID}\n`)
    expect(containerIdFromParsed(cg)).toBe(ID)
  })
})

describe('small /proc files', () => {
  it('parseStatusUid reads the real uid', () => {
    const status = 'Name:\tnginx\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t812\nUid:\t33\t0\t33\t33\nGid:\t33\t33\t33\t33\n'
    expect(parseStatusUid(status)).toBe(33)
    expect(parseStatusUid('Uid:\t0\t0\t0\t0\n')).toBe(0)
    expect(parseStatusUid('Name:\tx\nGid:\t0\n')).toBeUndefined()
    expect(parseStatusUid('Name:\tUid: 5\n')).toBeUndefined()
  })

  it('parseStatStartTime counts fields after the last parenthesis', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3))
    expect(parseStatStartTime(`4242 (node) ${fields.join(' ')}`)).toBe('22')
    // a command name with spaces and parentheses
    expect(parseStatStartTime(`4242 (my (evil) proc) ${fields.join(' ')}`)).toBe('22')
    expect(parseStatStartTime('4242 (x) S 1 2')).toBeUndefined()
    expect(parseStatStartTime('no parens')).toBeUndefined()
  })

  it('parseStatCpu reads utime, stime, cutime, cstime', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3))
    expect(parseStatCpu(`7 (a b) ${fields.join(' ')}`)).toEqual({ utime: 14, stime: 15, cutime: 16, cstime: 17 })
    expect(parseStatCpu('7 (a) S')).toBeUndefined()
  })

  it('parsePasswd maps uids to the first name', () => {
    const users = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\ntoor:x:0:0::/:/bin/sh\n+nis\nbroken\nbad:x:notanumber:0::/:\n')
    expect([...users]).toEqual([
      [0, 'root'],
      [33, 'www-data'],
    ])
  })

  it('socketInode and parseExeLink', () => {
    expect(socketInode('socket:[12345]')).toBe(12345)
    expect(socketInode('pipe:[12345]')).toBe(-1)
    expect(socketInode('socket:[]')).toBe(-1)
    expect(socketInode('/dev/null')).toBe(-1)
    expect(parseExeLink('/usr/bin/python3.12 (deleted)')).toEqual({ path: '/usr/bin/python3.12', deleted: true })
    expect(parseExeLink('/usr/sbin/nginx')).toEqual({ path: '/usr/sbin/nginx', deleted: false })
  })
})
