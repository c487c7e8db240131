import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ExportResult } from '../types.js'
import { LOG_RATE, cgroupV2Path, exportNftables, nftComment } from './nftables.js'
import { CLINIC_IDS, cidr, clinic, emptySet, findTool, fqdn, k8s, proc, reordered, requireTool, rule, run, skipUnlessTool, to, withWorkload } from './testdata/fixtures.js'

const NFT = findTool('nft')
const IP = findTool('ip')
const UNSHARE = findTool('unshare')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-nft-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function write(result: ExportResult, tag: string): string[] {
  const dir = path.join(tmp, tag)
  fs.mkdirSync(dir, { recursive: true })
  return result.files.map((f) => {
    const p = path.join(dir, f.path)
    fs.writeFileSync(p, f.content)
    return p
  })
}

const file = (r: ExportResult, p: string): string => {
  const f = r.files.find((x) => x.path === p)
  expect(f, `${p} in ${r.files.map((x) => x.path).join(', ')}`).toBeDefined()
  return f!.content
}
const notesOf = (r: ExportResult, id: string): string => r.notes.filter((n) => n.workload === id).map((n) => n.message).join('\n')
/** The lines of one chain. */
function chain(text: string, name: 'input' | 'output'): string[] {
  const start = text.indexOf(`\tchain ${name} {`)
  expect(start).toBeGreaterThan(0)
  const end = text.indexOf('\n\t}', start)
  return text
    .slice(start, end)
    .split('\n')
    .map((l) => l.trim())
}

describe('nftables exporter on the clinic policy', () => {
  const result = exportNftables(clinic())
  const vm1 = file(result, 'hl7-vm-1.nft')
  const vm2 = file(result, 'hl7-vm-2.nft')

  it('writes one ruleset per host with process identities', () => {
    expect(result.format).toBe('nftables')
    expect(result.files.map((f) => f.path)).toEqual(['hl7-vm-1.nft', 'hl7-vm-2.nft'])
    expect(result.files[0]!.workloads).toEqual([CLINIC_IDS.sender])
    expect(result.files[1]!.workloads).toEqual([CLINIC_IDS.nodeExporter, CLINIC_IDS.listener].sort())
  })

  it('replaces only its own table, idempotently', () => {
    for (const text of [vm1, vm2]) {
      expect(text).toMatch(/\ntable inet phiwall\ndelete table inet phiwall\n\ntable inet phiwall \{\n/)
      expect(text).not.toMatch(/flush ruleset/)
    }
  })

  it('has input and output chains with drop policy, conntrack, loopback and IPv6 neighbour discovery first', () => {
    for (const text of [vm1, vm2]) {
      for (const name of ['input', 'output'] as const) {
        const lines = chain(text, name)
        expect(lines[1]).toBe(`type filter hook ${name} priority filter; policy drop;`)
        expect(lines[2]).toMatch(/^ct state invalid counter drop/)
        expect(lines[3]).toMatch(/^ct state established,related counter accept/)
        expect(lines[4]).toBe(`${name === 'input' ? 'iif' : 'oif'} "lo" counter accept comment "phiwall infra: loopback"`)
        expect(lines[5]).toMatch(/^icmpv6 type \{ .*nd-neighbor-solicit.* \} counter accept comment "phiwall infra: ipv6-neighbor-discovery"$/)
        // ends by logging (rate-limited) and dropping
        expect(lines.at(-2)).toBe(`${LOG_RATE} counter log prefix "phiwall-drop: " comment "phiwall: log what nothing above allowed (rate-limited)"`)
        expect(lines.at(-1)).toBe('counter drop comment "phiwall: default deny"')
      }
    }
  })

  it('allows DNS over UDP and TCP 53 to the host resolvers only: those the host was seen using', () => {
    // of the two configured resolvers, the one the host's processes were seen using (10.20.0.2);
    // one address is written inline, several as a named set (below)
    expect(vm1).not.toContain('10.20.0.3')
    const out = chain(vm1, 'output')
    expect(out).toContain('ip daddr 10.20.0.2 udp dport 53 counter accept comment "phiwall infra: dns (UDP 53 to the host resolvers)"')
    expect(out).toContain('ip daddr 10.20.0.2 tcp dport 53 counter accept comment "phiwall infra: dns (TCP 53 to the host resolvers)"')
    expect(out.filter((l) => /dport 53\b/.test(l))).toHaveLength(2)
    expect(out.join('\n')).toMatch(/# phiwall infra: dns: cluster DNS resolver \(observed\): covered by the host-wide DNS allowance/)
  })

  it('lets the sender reach the listener host on 2575 by its uid, over IPv4 and IPv6', () => {
    const out = chain(vm1, 'output')
    const hl7 = out.filter((l) => l.includes('dport 2575'))
    expect(hl7).toEqual([expect.stringMatching(/^meta skuid 990 ip daddr 10\.20\.1\.12 tcp dport 2575 counter accept comment "observed: observed 5210x HL7 MLLP/), expect.stringMatching(/^meta skuid 990 ip6 daddr fd00:20:1::12 tcp dport 2575 counter accept comment "observed: /)])
    // the full reason sits on a file comment above (nft keeps 128 characters)
    expect(out.filter((l) => l.startsWith('# observed: observed 5210× HL7 MLLP ADT feed'))).toHaveLength(1)
  })

  it('turns the clearinghouse FQDN into a named set of the addresses DNS returned, with a stale warning', () => {
    expect(vm1).toMatch(/set fqdn_sftp_clearinghouse_example_v4 \{[^}]*elements = \{ 203\.0\.113\.25, 203\.0\.113\.26 \}/)
    const out = chain(vm1, 'output')
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 990 ip daddr @fqdn_sftp_clearinghouse_example_v4 tcp dport 22 counter accept comment "exception: /))
    expect(out).toContain('# sftp.clearinghouse.example as the addresses DNS returned when the baseline was learned; DNS answers GO STALE when the name moves (re-export)')
    expect(notesOf(result, CLINIC_IDS.sender)).toMatch(/nftables cannot match names; allowed as the addresses DNS returned/)
  })

  it('accepts ingress by source address and the listening port, and health checks from the load-balancer ranges', () => {
    const input = chain(vm2, 'input')
    expect(input).toContainEqual(expect.stringMatching(/^ip saddr 10\.20\.1\.11 tcp dport 2575 counter accept comment "observed: /))
    expect(input).toContainEqual(expect.stringMatching(/^ip saddr 10\.20\.0\.0\/16 tcp dport 8081 counter accept comment "phiwall infra: health-check: /))
    // the rule's own peer is the same range: written once
    expect(input.filter((l) => l.includes('dport 8081'))).toHaveLength(1)
    expect(chain(vm2, 'output')).toContainEqual(expect.stringMatching(/^meta skuid 991 ip daddr 10\.30\.4\.0\/24 tcp dport 5432 counter accept/))
  })

  it('passes the learning node exporter through explicitly, with a note', () => {
    expect(chain(vm2, 'output')).toContainEqual(expect.stringMatching(/^meta skuid 65534 counter accept comment "phiwall mode learn: host:hl7-vm-2:proc:51a2b3c4d5e6f708/))
    expect(chain(vm2, 'input')).toContainEqual(expect.stringMatching(/^tcp dport 9100 counter accept comment "phiwall mode learn: /))
    expect(notesOf(result, CLINIC_IDS.nodeExporter)).toMatch(/mode is 'learn'.*explicitly accepted/)
  })

  it('records each process binary and its hash, and withheld edges, as comments', () => {
    expect(vm1).toMatch(/# {3}- host:hl7-vm-1:proc:3f2a9c1d8e7b6a54:\/opt\/hl7\/bin\/mllp-sender:uid=990: \/opt\/hl7\/bin\/mllp-sender, sha256 3f2a9c1d8e7b6a5412c0ffee5e7d1b2a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f, uid 990 \(hl7\)/)
    expect(vm1).toMatch(/# Withheld \(NOT allowed; review before adding\):\n# {3}- .*mllp-sender.*: cidr:8\.8\.8\.0\/24 53\/udp: DNS is allowed to the cluster resolver only/)
    expect(vm1).not.toMatch(/^[^#]*8\.8\.8\./m)
  })

  it('keeps every nft comment within 128 characters and free of quotes', () => {
    for (const f of result.files) {
      for (const m of f.content.matchAll(/comment "([^"]*)"/g)) expect(m[1]!.length, m[1]).toBeLessThanOrEqual(128)
    }
    expect(nftComment('say "hi" \\ → there')).toBe(`"say 'hi' ' -> there"`)
  })

  it('notes Kubernetes and AWS workloads as not covered', () => {
    expect(notesOf(result, CLINIC_IDS.intake)).toBe('not a host process (kind k8s-workload): no nftables ruleset')
    expect(notesOf(result, CLINIC_IDS.claimsExport)).toBe('not a host process (kind function): no nftables ruleset')
  })

  it('is deterministic', () => {
    expect(exportNftables(reordered(clinic()))).toEqual(result)
  })

  it.skipIf(skipUnlessTool(NFT))('passes nft -c (nft must be installed in CI)', () => {
    const nft = requireTool('nft', NFT)
    for (const p of write(result, 'clinic-uid')) {
      const r = run(nft, ['-c', '-f', p])
      expect(r.ok, `${p}\n${r.output}`).toBe(true)
    }
  })

  it.skipIf(skipUnlessTool(NFT) || skipUnlessTool(UNSHARE))('passes nft -c with cgroup matching (cgroup paths made to exist in a private mount namespace)', () => {
    const nft = requireTool('nft', NFT)
    const unshare = requireTool('unshare', UNSHARE)
    const both = exportNftables(clinic(), { match: 'both' })
    const paths = write(both, 'clinic-both')
    const script = [
      'set -e',
      'mount -t tmpfs phiwall-test /sys/fs/cgroup',
      'mkdir -p /sys/fs/cgroup/system.slice/hl7-sender.service /sys/fs/cgroup/system.slice/hl7-listener.service',
      ...paths.map((p) => `${nft} -c -f '${p}'`),
    ].join('\n')
    const r = run(unshare, ['-m', '--propagation', 'private', 'sh', '-c', script])
    expect(r.ok, r.output).toBe(true)
    // and without the cgroups the same files are rejected: nft resolves the paths at load time
    const missing = run(nft, ['-c', '-f', paths[0]!])
    expect(missing.ok).toBe(false)
    expect(missing.output).toMatch(/cgroupv2 path fails/)
  })

  it.skipIf(skipUnlessTool(NFT) || skipUnlessTool(IP))('loads into a throwaway network namespace, twice, and lists its chains (nft and ip must be installed in CI)', () => {
    const nft = requireTool('nft', NFT)
    const ip = requireTool('ip', IP)
    const ns = `pw-export-test-${randomBytes(4).toString('hex')}`
    const added = run(ip, ['netns', 'add', ns])
    expect(added.ok, added.output).toBe(true)
    try {
      for (const p of write(result, 'clinic-netns')) {
        for (const attempt of [1, 2]) {
          const loaded = run(ip, ['netns', 'exec', ns, nft, '-f', p])
          expect(loaded.ok, `${p} (load ${attempt})\n${loaded.output}`).toBe(true)
        }
        const listed = run(ip, ['netns', 'exec', ns, nft, 'list', 'ruleset'])
        expect(listed.ok, listed.output).toBe(true)
        expect(listed.output).toMatch(/table inet phiwall \{/)
        expect(listed.output).toMatch(/chain input \{\n\s+type filter hook input priority filter; policy drop;/)
        expect(listed.output).toMatch(/chain output \{\n\s+type filter hook output priority filter; policy drop;/)
        expect(listed.output).toContain('log prefix "phiwall-drop: "')
        expect(listed.output.match(/table inet phiwall/g)).toHaveLength(1)
      }
    } finally {
      run(ip, ['netns', 'del', ns])
    }
    expect(run(ip, ['netns', 'list']).output).not.toContain(ns)
  })
})

describe('nftables exporter options and edge cases', () => {
  const host = (extra: Parameters<typeof proc>[2] = {}) => proc('vm-a', '/opt/app/bin/api', { uid: 1001, cgroup: '/system.slice/api.service', ...extra })

  it('matches by uid by default, by cgroup or both on request', () => {
    const set = withWorkload(emptySet(), host(), { egress: [rule(cidr('10.9.0.0/16'), 443)] })
    const line = (r: ExportResult): string => chain(file(r, 'vm-a.nft'), 'output').find((l) => l.includes('dport 443'))!
    expect(line(exportNftables(set))).toMatch(/^meta skuid 1001 ip daddr 10\.9\.0\.0\/16 tcp dport 443 counter accept/)
    expect(line(exportNftables(set, { match: 'cgroup' }))).toMatch(/^socket cgroupv2 level 2 "system\.slice\/api\.service" ip daddr 10\.9\.0\.0\/16/)
    expect(line(exportNftables(set, { match: 'both' }))).toMatch(/^meta skuid 1001 socket cgroupv2 level 2 "system\.slice\/api\.service" ip daddr/)
  })

  it('takes a name’s addresses from the address book (no stale warning) as well as from DNS answers', () => {
    const set = withWorkload(emptySet(), host(), { egress: [rule(fqdn('fhir-bridge.clinic.internal'), 443), rule(fqdn('api.vendor.example'), 443)] })
    set.addresses = [{ ip: '10.20.5.10', workload: 'fqdn:fhir-bridge.clinic.internal' }, { ip: '10.20.6.0/24', workload: 'fqdn:Api.Vendor.Example.' }]
    set.dns = { 'api.vendor.example': ['198.51.100.7'] }
    const r = exportNftables(set)
    const out = chain(file(r, 'vm-a.nft'), 'output')
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1001 ip daddr 10\.20\.5\.10 tcp dport 443 counter accept/))
    expect(file(r, 'vm-a.nft')).toMatch(/elements = \{ 10\.20\.6\.0\/24, 198\.51\.100\.7 \}/)
    // only the name with DNS answers carries the stale warning
    expect(out.filter((l) => l.includes('GO STALE'))).toEqual(['# api.vendor.example as the address book and the addresses DNS returned when the baseline was learned; DNS answers GO STALE when the name moves (re-export)'])
    expect(notesOf(r, set.workloads[0]!.identity.id)).not.toMatch(/no addresses are known/)
  })

  it('writes a host’s own connections (no owning process) into its ruleset, matching any process', () => {
    const set = withWorkload(emptySet(), host(), { egress: [rule(cidr('10.9.0.0/16'), 443)] })
    withWorkload(set, { id: 'host:vm-a', kind: 'vm', name: 'vm-a' }, { egress: [rule(cidr('10.40.1.10/32'), 8443)], ingress: [rule(cidr('10.50.0.0/24'), 22)] })
    withWorkload(set, { id: 'host:vm-b', kind: 'vm', name: 'vm-b' }, { mode: 'alert', egress: [rule(cidr('10.40.1.11/32'), 6661)] })
    const r = exportNftables(set)
    expect(r.files.map((f) => f.path)).toEqual(['vm-a.nft', 'vm-b.nft'])
    const out = chain(file(r, 'vm-a.nft'), 'output')
    expect(out).toContainEqual(expect.stringMatching(/^ip daddr 10\.40\.1\.10 tcp dport 8443 counter accept comment "observed: /))
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1001 ip daddr 10\.9\.0\.0\/16 tcp dport 443 counter accept/))
    expect(chain(file(r, 'vm-a.nft'), 'input')).toContainEqual(expect.stringMatching(/^ip saddr 10\.50\.0\.0\/24 tcp dport 22 counter accept/))
    expect(file(r, 'vm-a.nft')).toContain('#   - host:vm-a: connections of the host no process was found for (its rules match any process) [enforce]')
    expect(chain(file(r, 'vm-b.nft'), 'output')).toContainEqual(expect.stringMatching(/^ip daddr 10\.40\.1\.11 tcp dport 6661 counter accept/))
    expect(r.notes.some((n) => n.message.includes('not a host process'))).toBe(false)
  })

  it('falls back to what the process has, with a note, and notes a process it cannot match', () => {
    const noCgroup = withWorkload(emptySet(), host({ cgroup: undefined }), { egress: [rule(cidr('10.9.0.0/16'), 443)] })
    const r1 = exportNftables(noCgroup, { match: 'cgroup' })
    expect(file(r1, 'vm-a.nft')).toMatch(/meta skuid 1001 ip daddr 10\.9\.0\.0\/16/)
    expect(notesOf(r1, noCgroup.workloads[0]!.identity.id)).toMatch(/no cgroup v2 path; matched on uid/)

    const noUid = withWorkload(emptySet(), host({ uid: undefined }), { egress: [rule(cidr('10.9.0.0/16'), 443)] })
    expect(file(exportNftables(noUid), 'vm-a.nft')).toMatch(/socket cgroupv2 level 2 "system\.slice\/api\.service" ip daddr 10\.9\.0\.0\/16/)

    const neither = withWorkload(emptySet(), host({ uid: undefined, cgroup: '1:name=systemd:/system.slice/api.service' }), { egress: [rule(cidr('10.9.0.0/16'), 443)] })
    const r3 = exportNftables(neither)
    expect(file(r3, 'vm-a.nft')).not.toMatch(/dport 443/)
    expect(notesOf(r3, neither.workloads[0]!.identity.id)).toMatch(/neither a uid nor a usable cgroup v2 path/)
  })

  it('warns that uid 0 matches every root process', () => {
    const set = withWorkload(emptySet(), host({ uid: 0, cgroup: undefined }), { egress: [rule(cidr('10.9.0.0/16'), 443)] })
    expect(notesOf(exportNftables(set), set.workloads[0]!.identity.id)).toMatch(/uid 0 only: every root process/)
  })

  it('parses cgroup v2 paths and /proc/PID/cgroup lines, and rejects v1 and unsafe ones', () => {
    expect(cgroupV2Path('/system.slice/api.service')).toEqual({ level: 2, path: 'system.slice/api.service' })
    expect(cgroupV2Path('0::/kubepods.slice/pod1/cri-containerd-ab.scope')).toEqual({ level: 3, path: 'kubepods.slice/pod1/cri-containerd-ab.scope' })
    expect(cgroupV2Path('1:name=systemd:/system.slice/api.service')).toBeUndefined()
    expect(cgroupV2Path('/')).toBeUndefined()
    expect(cgroupV2Path('/system.slice/"evil".service')).toBeUndefined()
    expect(cgroupV2Path('/a/../b')).toBeUndefined()
    expect(cgroupV2Path('relative/path')).toBeUndefined()
  })

  it('alert mode logs and accepts at the end of each chain', () => {
    const set = withWorkload(emptySet(), host(), { mode: 'alert', egress: [rule(cidr('10.9.0.0/16'), 443)] })
    const text = file(exportNftables(set), 'vm-a.nft')
    for (const name of ['input', 'output'] as const) {
      const lines = chain(text, name)
      expect(lines[1]).toBe(`type filter hook ${name} priority filter; policy accept;`)
      expect(lines.at(-2)).toMatch(/^limit rate 10\/second burst 20 packets counter log prefix "phiwall-alert: "/)
      expect(lines.at(-1)).toBe('counter accept comment "phiwall: alert mode, not enforced"')
    }
    expect(text).not.toContain('phiwall-drop')
  })

  it('an alert-mode process on an enforcing host is logged and accepted by its own match and ports', () => {
    const enforcing = proc('vm-a', '/opt/app/bin/api', { uid: 1001 })
    const alerting = proc('vm-a', '/opt/app/bin/worker', { uid: 1002 })
    const set = withWorkload(withWorkload(emptySet(), enforcing, { egress: [rule(cidr('10.9.0.0/16'), 443)] }), alerting, { mode: 'alert', ingress: [rule(cidr('10.0.0.0/8'), 9000)] })
    const r = exportNftables(set)
    const text = file(r, 'vm-a.nft')
    const out = chain(text, 'output')
    expect(out.at(-1)).toBe('counter drop comment "phiwall: default deny"')
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1002 limit rate 10\/second burst 20 packets counter log prefix "phiwall-alert: "/))
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1002 counter accept comment "phiwall alert mode: /))
    expect(chain(text, 'input')).toContainEqual(expect.stringMatching(/^tcp dport 9000 counter accept comment "phiwall alert mode: /))
    expect(notesOf(r, alerting.id)).toMatch(/mode 'alert' on a host with enforcing workloads/)
  })

  it('writes no file for a host whose processes are all learning or off', () => {
    const set = withWorkload(emptySet(), host(), { mode: 'learn' })
    const r = exportNftables(set)
    expect(r.files).toEqual([])
    expect(notesOf(r, set.workloads[0]!.identity.id)).toMatch(/mode is 'learn'.*no ruleset for host vm-a/)
  })

  it('writes a process without rules as default deny with only the infrastructure allowances', () => {
    const set = withWorkload(emptySet(), host())
    const text = file(exportNftables(set), 'vm-a.nft')
    const out = chain(text, 'output').filter((l) => !l.startsWith('#'))
    expect(out.filter((l) => l.includes('accept')).map((l) => l.replace(/ comment .*/, ''))).toEqual([
      'ct state established,related counter accept',
      'oif "lo" counter accept',
      'icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld2-listener-report } counter accept',
      'udp sport 68 udp dport 67 counter accept',
      'udp sport 546 udp dport 547 counter accept',
      'ip daddr 10.20.0.2 udp dport 53 counter accept',
      'ip daddr 10.20.0.2 tcp dport 53 counter accept',
    ])
  })

  it('writes IPv6 CIDRs, port ranges, UDP, ICMP and sets for several peers; notes what it cannot match', () => {
    const peerHost = proc('vm-b', '/opt/db/bin/db')
    const set = withWorkload(withWorkload(emptySet(), host(), {
      egress: [
        rule(cidr('2001:db8:77::/48'), 8443),
        rule(cidr('10.1.0.0/16'), 30000, { endPort: 32767, protocol: 'udp' }),
        rule(cidr('10.2.0.0/16'), 0, { protocol: 'icmp' }),
        rule(to(peerHost.id), 5432),
        rule(fqdn('unknown.example.org'), 443),
        rule(to(k8s('api').id), 8080),
        rule(cidr('10.3.0.0/16'), 0, { protocol: 'other' }),
      ],
      ingress: [rule(cidr('fd00:1::/64'), 22)],
    }), peerHost, { mode: 'learn' })
    set.identities[k8s('api').id] = k8s('api')
    set.hosts['vm-b'] = ['10.5.0.7', '10.5.0.8', 'fd00:5::7']
    const r = exportNftables(set)
    const text = file(r, 'vm-a.nft')
    const out = chain(text, 'output')
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1001 ip6 daddr 2001:db8:77::\/48 tcp dport 8443 counter accept/))
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1001 ip daddr 10\.1\.0\.0\/16 udp dport 30000-32767 counter accept/))
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1001 ip daddr 10\.2\.0\.0\/16 meta l4proto icmp counter accept/))
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1001 ip daddr @host_vm_b_v4 tcp dport 5432 counter accept/))
    expect(out).toContainEqual(expect.stringMatching(/^meta skuid 1001 ip6 daddr fd00:5::7 tcp dport 5432 counter accept/))
    expect(text).toMatch(/set host_vm_b_v4 \{[^}]*elements = \{ 10\.5\.0\.7, 10\.5\.0\.8 \}/)
    expect(chain(text, 'input')).toContainEqual(expect.stringMatching(/^ip6 saddr fd00:1::\/64 tcp dport 22 counter accept/))
    const notes = notesOf(r, set.workloads[0]!.identity.id)
    expect(notes).toMatch(/nftables cannot match names and no addresses are known for unknown\.example\.org/)
    expect(notes).toMatch(/k8s:clinic\/api is a Kubernetes workload: pod addresses are not stable/)
    expect(notes).toMatch(/protocol other cannot be matched/)
  })

  it('writes nothing for an empty policy', () => {
    expect(exportNftables(emptySet())).toEqual({ format: 'nftables', files: [], notes: [] })
  })

  it('allows every configured resolver, as a named set with a note, when none was seen used', () => {
    const r = exportNftables(withWorkload(emptySet({ hostResolvers: ['10.30.0.2', '10.40.0.2'] }), proc('vm-q', '/opt/app/bin/quiet', { uid: 1003 })))
    const text = r.files[0]!.content
    expect(text).toMatch(/set resolvers_v4 \{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = \{ 10\.30\.0\.2, 10\.40\.0\.2 \}\n\t\}/)
    expect(r.notes.map((n) => n.message).join('\n')).toMatch(/no DNS query to a host resolver was observed: DNS is allowed to every configured host resolver \(10\.30\.0\.2\/32, 10\.40\.0\.2\/32\)/)
  })

  it('exempts a process switched off on an enforcing host, instead of dropping its traffic', () => {
    const enforced = proc('vm-a', '/opt/mirth/bin/java', { uid: 1001 })
    const off = proc('vm-a', '/opt/reports/bin/report-server', { uid: 1002 })
    const set = withWorkload(withWorkload(emptySet(), enforced, { egress: [rule(cidr('10.20.5.0/24'), 443)] }), off, { mode: 'off', egress: [rule(cidr('10.30.0.0/16'), 8443)] })
    const text = exportNftables(set).files[0]!.content
    expect(text).toContain('policy drop;')
    expect(text).toContain(`phiwall mode off: ${off.id} is not enforced`)
  })

  it('does not exempt an alert or off process that shares its match (one uid) with an enforced process', () => {
    const enforced = proc('vm-a', '/opt/mirth/bin/java', { uid: 1001 })
    const alerting = proc('vm-a', '/usr/bin/python3', { uid: 1001 })
    const off = proc('vm-a', '/opt/tools/bin/sync', { uid: 1001 })
    const set = withWorkload(withWorkload(withWorkload(emptySet(), enforced, { egress: [rule(cidr('10.20.5.0/24'), 443)] }), alerting, { mode: 'alert', egress: [rule(cidr('10.0.0.0/8'), 9001)] }), off, { mode: 'off' })
    const r = exportNftables(set)
    const text = r.files[0]!.content
    expect(text).not.toMatch(/meta skuid 1001 counter accept/)
    expect(r.notes.filter((n) => n.message.includes(`as enforced ${enforced.id} is`)).map((n) => n.workload).sort()).toEqual([alerting.id, off.id].sort())
  })

  it.skipIf(skipUnlessTool(NFT))('edge-case rulesets pass nft -c too', () => {
    const nft = requireTool('nft', NFT)
    const peerHost = proc('vm-b', '/opt/db/bin/db')
    const alerting = proc('vm-a', '/opt/app/bin/worker', { uid: 1002 })
    const set = withWorkload(
      withWorkload(
        withWorkload(emptySet({ hostResolvers: ['127.0.0.53', '10.20.0.2', 'fd00::53'] }), host(), {
          egress: [rule(cidr('2001:db8:77::/48'), 8443), rule(cidr('10.1.0.0/16'), 30000, { endPort: 32767, protocol: 'udp' }), rule(cidr('10.2.0.0/16'), 0, { protocol: 'icmp' }), rule(cidr('fd00:9::/64'), 0, { protocol: 'icmpv6' }), rule(to(peerHost.id), 5432), rule(cidr('10.4.0.0/16'), 9000, { protocol: 'sctp' })],
          ingress: [rule(cidr('fd00:1::/64'), 22), rule(cidr('10.0.0.0/8'), 8000, { endPort: 8100 })],
        }),
        peerHost,
        { mode: 'off' },
      ),
      alerting,
      { mode: 'alert', ingress: [rule(cidr('10.0.0.0/8'), 9000)], egress: [rule(cidr('10.0.0.0/8'), 9001)] },
    )
    set.hosts['vm-b'] = ['10.5.0.7', '10.5.0.8', 'fd00:5::7', 'fd00:5::8']
    for (const p of write(exportNftables(set), 'edge')) {
      const r = run(nft, ['-c', '-f', p])
      expect(r.ok, `${p}\n${r.output}\n${fs.readFileSync(p, 'utf8')}`).toBe(true)
    }
  })
})
