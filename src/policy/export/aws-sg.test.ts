import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import type { ExportResult, WorkloadIdentity } from '../types.js'
import { CFN_PATH, NO_EGRESS_RULE, TF_PATH, exportAwsSecurityGroups, hclString, sgDescription } from './aws-sg.js'
import { CLINIC_IDS, cidr, clinic, emptySet, findTool, fqdn, k8s, reordered, rule, run, to, withIdentity, withWorkload } from './testdata/fixtures.js'
import { CFN_SCHEMA } from './yaml.js'

type Ref = { Ref: string }
interface CfnRule {
  IpProtocol: string
  FromPort?: number
  ToPort?: number
  CidrIp?: string
  CidrIpv6?: string
  SourceSecurityGroupId?: string | Ref
  DestinationSecurityGroupId?: string | Ref
  Description: string
  GroupId?: Ref
}
interface CfnResource {
  Type: string
  Properties: { GroupDescription?: string; VpcId?: Ref; SecurityGroupIngress?: CfnRule[]; SecurityGroupEgress?: CfnRule[]; Tags?: { Key: string; Value: string }[] } & Partial<CfnRule>
}
interface Template {
  AWSTemplateFormatVersion: string
  Parameters: Record<string, { Type: string }>
  Resources: Record<string, CfnResource>
}

const DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/

function template(r: ExportResult): Template {
  const f = r.files.find((x) => x.path === CFN_PATH)
  expect(f).toBeDefined()
  return yaml.load(f!.content, { schema: CFN_SCHEMA }) as Template
}
function hcl(r: ExportResult): string {
  const f = r.files.find((x) => x.path === TF_PATH)
  expect(f).toBeDefined()
  return f!.content
}
const notesOf = (r: ExportResult, id: string): string => r.notes.filter((n) => n.workload === id).map((n) => n.message).join('\n')

/** Every rule in the template with the group it belongs to. */
function allRules(t: Template): { group: string; direction: 'ingress' | 'egress'; rule: CfnRule }[] {
  const out: { group: string; direction: 'ingress' | 'egress'; rule: CfnRule }[] = []
  for (const [name, res] of Object.entries(t.Resources)) {
    if (res.Type === 'AWS::EC2::SecurityGroup') {
      for (const r of res.Properties.SecurityGroupIngress ?? []) out.push({ group: name, direction: 'ingress', rule: r })
      for (const r of res.Properties.SecurityGroupEgress ?? []) out.push({ group: name, direction: 'egress', rule: r })
    } else out.push({ group: res.Properties.GroupId!.Ref, direction: res.Type.endsWith('Ingress') ? 'ingress' : 'egress', rule: res.Properties as CfnRule })
  }
  return out
}

/** Structural check of the template: known types, resolvable refs, no dependency cycle, valid rules. */
function checkTemplate(t: Template): void {
  expect(t.AWSTemplateFormatVersion).toBe('2010-09-09')
  expect(t.Parameters['VpcId']).toEqual({ Type: 'AWS::EC2::VPC::Id', Description: expect.any(String) })
  const deps = new Map<string, Set<string>>()
  const refs = (v: unknown, into: Set<string>): void => {
    if (Array.isArray(v)) v.forEach((x) => refs(x, into))
    else if (v && typeof v === 'object') {
      if ('Ref' in v) into.add((v as Ref).Ref)
      else Object.values(v).forEach((x) => refs(x, into))
    }
  }
  for (const [name, res] of Object.entries(t.Resources)) {
    expect(name).toMatch(/^[A-Za-z0-9]{1,255}$/)
    expect(['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']).toContain(res.Type)
    const d = new Set<string>()
    refs(res.Properties, d)
    for (const ref of d) expect(ref in t.Resources || ref in t.Parameters, `${name} refers to ${ref}`).toBe(true)
    deps.set(name, new Set([...d].filter((x) => x in t.Resources)))
    if (res.Type === 'AWS::EC2::SecurityGroup') {
      expect(res.Properties.GroupDescription).toMatch(DESCRIPTION)
      expect(res.Properties.VpcId).toEqual({ Ref: 'VpcId' })
      // inline rules never reference other groups of this template (that would risk a cycle)
      expect(JSON.stringify([res.Properties.SecurityGroupIngress, res.Properties.SecurityGroupEgress])).not.toContain('"Ref"')
      // an empty egress list would keep AWS's default allow-all egress
      expect(res.Properties.SecurityGroupEgress?.length).toBeGreaterThan(0)
    }
  }
  // no dependency cycle
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (n: string): void => {
    expect(state.get(n), `cycle through ${n}`).not.toBe('visiting')
    if (state.get(n) === 'done') return
    state.set(n, 'visiting')
    for (const m of deps.get(n) ?? []) visit(m)
    state.set(n, 'done')
  }
  for (const n of deps.keys()) visit(n)
  for (const { rule: r } of allRules(t)) {
    expect(r.Description, JSON.stringify(r)).toMatch(DESCRIPTION)
    expect(r.Description.length).toBeGreaterThan(0)
    const peers = ['CidrIp', 'CidrIpv6', 'SourceSecurityGroupId', 'DestinationSecurityGroupId'].filter((k) => (r as unknown as Record<string, unknown>)[k] !== undefined)
    expect(peers, JSON.stringify(r)).toHaveLength(1)
    if (r.IpProtocol !== '-1') {
      expect(Number.isInteger(r.FromPort) && Number.isInteger(r.ToPort)).toBe(true)
      expect(r.ToPort!).toBeGreaterThanOrEqual(r.FromPort!)
    }
    for (const id of [r.SourceSecurityGroupId, r.DestinationSecurityGroupId]) if (typeof id === 'string') expect(id).toMatch(/^sg-[0-9a-f]{8,17}$/)
  }
}

/** Structural check of the HCL: balanced braces and quotes, unique blocks, every reference defined, rule shape. */
function checkHcl(text: string): { groups: Set<string>; rules: Map<string, Record<string, string>> } {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '#') {
      i = text.indexOf('\n', i)
      if (i < 0) break
      continue
    }
    if (c === '"') inString = true
    else if (c === '{') depth++
    else if (c === '}') {
      depth--
      expect(depth, `unbalanced } at ${i}`).toBeGreaterThanOrEqual(0)
    }
  }
  expect(inString).toBe(false)
  expect(depth).toBe(0)
  const blocks = [...text.matchAll(/^resource "([a-z0-9_]+)" "([A-Za-z_][A-Za-z0-9_-]*)" \{\n([\s\S]*?)\n\}$/gm)]
  const names = blocks.map((b) => `${b[1]}.${b[2]}`)
  expect(new Set(names).size).toBe(names.length)
  const groups = new Set(blocks.filter((b) => b[1] === 'aws_security_group').map((b) => b[2]!))
  for (const m of text.matchAll(/aws_security_group\.([A-Za-z0-9_-]+)\.id/g)) expect(groups.has(m[1]!), `aws_security_group.${m[1]} is defined`).toBe(true)
  expect(text).toMatch(/^variable "vpc_id" \{/m)
  const rules = new Map<string, Record<string, string>>()
  for (const b of blocks.filter((x) => x[1]!.startsWith('aws_vpc_security_group_'))) {
    const attrs = Object.fromEntries([...b[3]!.matchAll(/^ {2}([a-z_0-9]+)\s*= (.*)$/gm)].map((m) => [m[1]!, m[2]!]))
    expect(attrs['security_group_id']).toMatch(/^aws_security_group\.[A-Za-z0-9_-]+\.id$/)
    expect(attrs['ip_protocol']).toBeDefined()
    expect(attrs['description']).toBeDefined()
    expect(JSON.parse(attrs['description']!)).toMatch(DESCRIPTION)
    expect(['cidr_ipv4', 'cidr_ipv6', 'referenced_security_group_id'].filter((k) => k in attrs)).toHaveLength(1)
    rules.set(b[2]!, attrs)
  }
  return { groups, rules }
}

describe('AWS security group exporter on the clinic policy', () => {
  const result = exportAwsSecurityGroups(clinic())
  const t = template(result)

  it('writes a CloudFormation template and Terraform for the functions and AWS services', () => {
    expect(result.format).toBe('aws-sg')
    expect(result.files.map((f) => f.path)).toEqual([CFN_PATH, TF_PATH])
    for (const f of result.files) expect(f.workloads).toEqual([CLINIC_IDS.claimsExport, CLINIC_IDS.faxIngest, CLINIC_IDS.claimsDb, CLINIC_IDS.sender, CLINIC_IDS.listener].sort())
    expect(Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::EC2::SecurityGroup').map(([n]) => n)).toEqual(['SgClaimsExport', 'SgFaxIngest', 'SgClaimsDb', 'SgHl7Vm1', 'SgHl7Vm2'])
  })

  it('folds the processes of a host into one group for the host: rules labelled by process, peers on other hosts by their host group', () => {
    expect(t.Resources['SgHl7Vm1EgressToSgHl7Vm2Tcp2575']!.Properties).toMatchObject({ GroupId: expect.anything(), IpProtocol: 'tcp', FromPort: 2575 })
    expect(t.Resources['SgHl7Vm2IngressFromSgHl7Vm1Tcp2575']!.Properties.Description).toMatch(/^observed: mllp-listener \(host:hl7-vm-2:proc:/)
    expect(t.Resources['SgHl7Vm2']!.Properties.SecurityGroupIngress).toContainEqual(expect.objectContaining({ FromPort: 8081, CidrIp: '10.20.0.0/16' }))
    expect(notesOf(result, CLINIC_IDS.sender)).toMatch(/rules are in the security group of its host \(host:hl7-vm-1\)/)
    expect(notesOf(result, CLINIC_IDS.nodeExporter)).toMatch(/cannot exempt one process/)
  })

  it('is structurally sound: refs resolve, no dependency cycle, every rule described', () => {
    checkTemplate(t)
  })

  it('references generated groups with !Ref in separate rule resources, both directions', () => {
    const text = result.files[0]!.content
    expect(text).toContain('SourceSecurityGroupId: !Ref SgClaimsExport')
    expect(text).toContain('DestinationSecurityGroupId: !Ref SgClaimsDb')
    expect(t.Resources['SgClaimsDbIngressFromSgClaimsExportTcp5432']).toEqual({
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: { Ref: 'SgClaimsDb' }, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: { Ref: 'SgClaimsExport' }, Description: expect.stringMatching(/^both: observed 77x; declared by template\.yaml/) },
    })
    expect(t.Resources['SgClaimsExportEgressToSgClaimsDbTcp5432']?.Properties).toMatchObject({ GroupId: { Ref: 'SgClaimsExport' }, DestinationSecurityGroupId: { Ref: 'SgClaimsDb' }, FromPort: 5432, ToPort: 5432 })
  })

  it('references a peer that is not exported by its existing security group id', () => {
    const egress = t.Resources['SgClaimsExport']!.Properties.SecurityGroupEgress!
    expect(egress).toContainEqual({ IpProtocol: 'tcp', FromPort: 2575, ToPort: 2575, DestinationSecurityGroupId: 'sg-0123456789abcdef0', Description: expect.stringMatching(/^observed: observed 12x/) })
    expect(egress).toContainEqual({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '52.94.0.0/22', Description: expect.stringMatching(/^phiwall infra: aws-endpoint/) })
  })

  it('adds DNS to the host resolvers (UDP and TCP) for functions, not for AWS services', () => {
    const dns = (g: string): CfnRule[] => t.Resources[g]!.Properties.SecurityGroupEgress!.filter((r) => r.FromPort === 53)
    // no DNS query was observed from the function: every configured resolver, with a note
    expect(dns('SgClaimsExport').map((r) => `${r.IpProtocol} ${r.CidrIp}`)).toEqual(['tcp 10.20.0.2/32', 'tcp 10.20.0.3/32', 'udp 10.20.0.2/32', 'udp 10.20.0.3/32'])
    expect(result.notes.find((n) => n.workload === 'aws:lambda:claims-export' && /no DNS query to a host resolver was observed/.test(n.message))).toBeDefined()
    for (const r of dns('SgClaimsExport')) expect(r.Description).toMatch(/^phiwall infra: dns/)
    expect(dns('SgClaimsDb')).toEqual([])
    // the database has no inline egress: the rule that replaces AWS's default allow-all egress
    expect(t.Resources['SgClaimsDb']!.Properties.SecurityGroupEgress).toEqual([NO_EGRESS_RULE])
  })

  it('notes FQDN peers, alert mode and the cases it cannot express, and shows withheld edges as comments', () => {
    expect(notesOf(result, CLINIC_IDS.claimsExport)).toMatch(/security groups cannot match names \(sftp\.clearinghouse\.example\) and the address book has no address for it; use a managed prefix list .* or a VPC endpoint/)
    expect(notesOf(result, CLINIC_IDS.faxIngest)).toMatch(/alert mode cannot be expressed.*VPC flow logs are the alert path/)
    expect(result.files[0]!.content).toMatch(/# ALERT MODE cannot be expressed: security groups have no deny or log/)
    expect(result.files[0]!.content).toMatch(/# {3}- fqdn:hooks\.slack\.com 443\/tcp: PHI workload/)
    expect(hcl(result)).toMatch(/# {3}- fqdn:hooks\.slack\.com 443\/tcp: PHI workload/)
    expect(JSON.stringify(t)).not.toContain('hooks.slack.com')
    expect(notesOf(result, CLINIC_IDS.intake)).toMatch(/not an AWS workload/)
  })

  it('writes the same groups and rules in Terraform', () => {
    const text = hcl(result)
    const { groups, rules } = checkHcl(text)
    expect([...groups]).toEqual(['claims_export', 'fax_ingest', 'claims_db', 'hl7_vm_1', 'hl7_vm_2'])
    const cfnCount = allRules(t).filter(({ rule: r }) => r.IpProtocol !== '-1').length
    expect(rules.size).toBe(cfnCount)
    expect(rules.get('claims_export_egress_tcp_5432_claims_db')).toMatchObject({ security_group_id: 'aws_security_group.claims_export.id', referenced_security_group_id: 'aws_security_group.claims_db.id', ip_protocol: '"tcp"', from_port: '5432', to_port: '5432' })
    expect(rules.get('claims_db_ingress_tcp_5432_claims_export')).toMatchObject({ referenced_security_group_id: 'aws_security_group.claims_export.id' })
    expect(rules.get('claims_export_egress_tcp_2575_sg_0123456789abcdef0')).toMatchObject({ referenced_security_group_id: '"sg-0123456789abcdef0"' })
    expect(rules.get('claims_export_egress_tcp_443_52_94_0_0_22')).toMatchObject({ cidr_ipv4: '"52.94.0.0/22"' })
    expect(text).toMatch(/resource "aws_security_group" "claims_db" \{\n {2}name {8}= "phiwall-claims-db"\n {2}description = "PhiWall allow-list for aws:rds:claims-db"\n {2}vpc_id {6}= var\.vpc_id/)
  })

  it.skipIf(!findTool('terraform'))('Terraform accepts the HCL (terraform fmt -check)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-tf-'))
    try {
      fs.writeFileSync(path.join(dir, TF_PATH), hcl(result))
      const r = run(findTool('terraform')!, ['fmt', '-check', '-diff', path.join(dir, TF_PATH)])
      expect(r.ok, r.output).toBe(true)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(!findTool('cfn-lint'))('cfn-lint accepts the template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-cfn-'))
    try {
      fs.writeFileSync(path.join(dir, CFN_PATH), result.files[0]!.content)
      const r = run(findTool('cfn-lint')!, [path.join(dir, CFN_PATH)])
      expect(r.ok, r.output).toBe(true)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it('is deterministic', () => {
    expect(exportAwsSecurityGroups(reordered(clinic()))).toEqual(result)
  })
})

describe('AWS security group exporter edge cases', () => {
  const vm = (name: string, extra: Partial<WorkloadIdentity> = {}): WorkloadIdentity => ({ id: `aws:ec2:${name}`, kind: 'vm', name, ...extra })

  it('writes nothing for an empty policy or one without AWS workloads', () => {
    expect(exportAwsSecurityGroups(emptySet())).toEqual({ format: 'aws-sg', files: [], notes: [] })
    const r = exportAwsSecurityGroups(withWorkload(emptySet(), k8s('api')))
    expect(r.files).toEqual([])
    expect(r.notes).toEqual([{ workload: 'k8s:clinic/api', message: 'not an AWS workload (kind k8s-workload, no security groups): no security group exported' }])
  })

  it('gives a workload without rules no ingress and no egress beyond DNS', () => {
    const r = exportAwsSecurityGroups(withWorkload(emptySet({ hostResolvers: ['169.254.169.253'] }), vm('bastion')))
    const t = template(r)
    checkTemplate(t)
    expect(t.Resources['SgBastion']!.Properties.SecurityGroupIngress).toEqual([])
    expect(t.Resources['SgBastion']!.Properties.SecurityGroupEgress).toEqual([NO_EGRESS_RULE])
    expect(notesOf(r, 'aws-sg')).toMatch(/AmazonProvidedDNS/)
    const { rules } = checkHcl(hcl(r))
    expect(rules.size).toBe(0)
  })

  it('allows DNS only to the host resolvers a workload was seen using, when it was seen using one', () => {
    const set = emptySet({ hostResolvers: ['10.30.0.2', '10.40.0.2'] })
    withWorkload(set, vm('lambda-net-app'), { egress: [rule(cidr('10.30.0.2/32'), 53, { protocol: 'udp', origin: 'infrastructure', infrastructure: 'dns' })] })
    withWorkload(set, vm('quiet-app'))
    const r = exportAwsSecurityGroups(set)
    const t = template(r)
    checkTemplate(t)
    const dns = (g: string): string[] => t.Resources[g]!.Properties.SecurityGroupEgress!.filter((x) => x.FromPort === 53).map((x) => `${x.IpProtocol} ${x.CidrIp}`).sort()
    expect(dns('SgLambdaNetApp')).toEqual(['tcp 10.30.0.2/32', 'udp 10.30.0.2/32'])
    expect(dns('SgQuietApp')).toEqual(['tcp 10.30.0.2/32', 'tcp 10.40.0.2/32', 'udp 10.30.0.2/32', 'udp 10.40.0.2/32'])
    expect(notesOf(r, 'aws:ec2:quiet-app')).toMatch(/no DNS query to a host resolver was observed: DNS is allowed to every configured host resolver \(10\.30\.0\.2\/32, 10\.40\.0\.2\/32\)/)
    expect(notesOf(r, 'aws:ec2:lambda-net-app')).not.toMatch(/no DNS query/)
  })

  it('allows a name by the address book’s addresses for it (an interface endpoint, a service range), never by DNS answers', () => {
    const set = withWorkload(emptySet(), vm('intake'), { egress: [rule(fqdn('secretsmanager.us-east-1.amazonaws.com'), 443), rule(fqdn('dynamodb.us-east-1.amazonaws.com'), 443), rule(fqdn('api.vendor.example'), 443)] })
    set.addresses = [{ ip: '10.30.1.150', workload: 'fqdn:secretsmanager.us-east-1.amazonaws.com' }, { ip: '52.94.24.0/22', workload: 'fqdn:dynamodb.us-east-1.amazonaws.com' }]
    set.dns = { 'api.vendor.example': ['198.51.100.7'] }
    const r = exportAwsSecurityGroups(set)
    const t = template(r)
    checkTemplate(t)
    const egress = t.Resources['SgIntake']!.Properties.SecurityGroupEgress!.filter((x) => x.FromPort === 443).map((x) => x.CidrIp).sort()
    expect(egress).toEqual(['10.30.1.150/32', '52.94.24.0/22'])
    expect(notesOf(r, 'aws:ec2:intake')).toMatch(/cannot match names \(api\.vendor\.example\) and the address book has no address for it/)
  })

  it('writes IPv6 CIDRs, port ranges, ICMP and health checks; two groups that allow each other stay acyclic', () => {
    const a = vm('app-a')
    const b = vm('app-b')
    const set = withWorkload(
      withWorkload(emptySet({ healthCheckCidrs: ['10.20.0.0/16', '2001:db8:20::/56'] }), a, {
        egress: [rule(to(b.id), 8443), rule(cidr('2001:db8:99::/48'), 443), rule(cidr('10.0.0.0/8'), 1024, { endPort: 65535, protocol: 'udp' }), rule(cidr('10.1.0.0/16'), 0, { protocol: 'icmp' }), rule(cidr('fd00::/8'), 0, { protocol: 'icmpv6' })],
        ingress: [rule(to(b.id), 9000), rule(cidr('10.9.9.9/32'), 8080, { origin: 'infrastructure', infrastructure: 'health-check' })],
      }),
      b,
      { egress: [rule(to(a.id), 9000)], ingress: [rule(to(a.id), 8443)] },
    )
    const r = exportAwsSecurityGroups(set)
    const t = template(r)
    checkTemplate(t)
    const aEgress = t.Resources['SgAppA']!.Properties.SecurityGroupEgress!
    expect(aEgress).toContainEqual(expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv6: '2001:db8:99::/48' }))
    expect(aEgress).toContainEqual(expect.objectContaining({ IpProtocol: 'udp', FromPort: 1024, ToPort: 65535, CidrIp: '10.0.0.0/8' }))
    expect(aEgress).toContainEqual(expect.objectContaining({ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, CidrIp: '10.1.0.0/16' }))
    expect(aEgress).toContainEqual(expect.objectContaining({ IpProtocol: 'icmpv6', FromPort: -1, ToPort: -1, CidrIpv6: 'fd00::/8' }))
    const aIngress = t.Resources['SgAppA']!.Properties.SecurityGroupIngress!
    expect(aIngress.filter((x) => x.FromPort === 8080).map((x) => x.CidrIp ?? x.CidrIpv6)).toEqual(['10.9.9.9/32', '10.20.0.0/16', '2001:db8:20::/56'])
    expect(Object.keys(t.Resources).filter((n) => t.Resources[n]!.Type !== 'AWS::EC2::SecurityGroup').sort()).toEqual(['SgAppAEgressToSgAppBTcp8443', 'SgAppAIngressFromSgAppBTcp9000', 'SgAppBEgressToSgAppATcp9000', 'SgAppBIngressFromSgAppATcp8443'])
    const { rules } = checkHcl(hcl(r))
    const v6 = [...rules.values()].find((x) => x['cidr_ipv6'] === '"2001:db8:99::/48"')
    expect(v6).toMatchObject({ from_port: '443', to_port: '443' })
    expect([...rules.values()].find((x) => x['ip_protocol'] === '"icmp"')).toMatchObject({ from_port: '-1', to_port: '-1' })
  })

  it('notes peers it cannot express and protocols security groups lack', () => {
    const a = vm('app-a')
    const set = withWorkload(emptySet(), a, { egress: [rule(fqdn('api.stripe.com'), 443), rule(to('k8s:clinic/ghost'), 80), rule(cidr('10.0.0.0/8'), 0, { protocol: 'other' })] })
    withIdentity(set, k8s('ghost'))
    const notes = notesOf(exportAwsSecurityGroups(set), a.id)
    expect(notes).toMatch(/cannot match names \(api\.stripe\.com\)/)
    expect(notes).toMatch(/k8s:clinic\/ghost \(k8s-workload\) has neither a security group nor known addresses/)
    expect(notes).toMatch(/protocol other cannot be expressed/)
  })

  it('keeps descriptions within what EC2 accepts and HCL strings escaped', () => {
    expect(sgDescription('observed 5× (a|b→c) "quoted" <tag> ’curly’')).toMatch(DESCRIPTION)
    expect(sgDescription('x'.repeat(400)).length).toBe(255)
    expect(hclString('a "b" \\ ${var} %{x}\n')).toBe('"a \\"b\\" \\\\ $${var} %%{x}\\n"')
  })
})
