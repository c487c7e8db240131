import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { EdgeAggregator, IdentityResolver } from '../../flows/index.js'
import { readFlowFiles, sniffFlowFormat } from './index.js'

const VPC = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
`
const HUBBLE = `{"flow":{"time":"2026-11-01T00:00:01Z","verdict":"FORWARDED","IP":{"source":"10.244.1.2","destination":"10.244.1.3","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":40000,"destination_port":8080,"flags":{"SYN":true}}},"source":{"namespace":"clinic","labels":["k8s:app=frontend"],"pod_name":"frontend-7d9f8c6b5-x2x9z"},"destination":{"namespace":"clinic","labels":["k8s:app=api"],"pod_name":"api-5d8f7c9b6-q2w4z"},"Type":"L3_L4","traffic_direction":"EGRESS","is_reply":false}}
`
const AGENT = `{"schema":"phiwall.agent/v1","kind":"listen","host":"vm-1","hostAddresses":["10.0.0.5"],"protocol":"tcp","local":{"ip":"0.0.0.0","port":5432},"process":{"pid":1,"exePath":"/usr/bin/postgres","exeSha256":"${'a'.repeat(64)}","uid":105},"source":"procfs","firstSeen":1,"lastSeen":2,"count":1}
`

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-flowfiles-'))
}
const ctx = () => ({ resolver: new IdentityResolver(), aggregator: new EdgeAggregator() })

describe('sniffFlowFormat', () => {
  it('recognises each format by content', () => {
    expect(sniffFlowFormat(VPC)).toBe('vpc')
    expect(sniffFlowFormat(HUBBLE)).toBe('hubble')
    expect(sniffFlowFormat(AGENT)).toBe('agent')
    expect(sniffFlowFormat('{"Records":[{"eventVersion":"1.09","eventSource":"kms.amazonaws.com","eventName":"Decrypt"}]}')).toBe('cloudtrail')
    expect(sniffFlowFormat('hello world\n')).toBeUndefined()
    expect(sniffFlowFormat('AWSTemplateFormatVersion: "2010-09-09"\n')).toBeUndefined()
  })
})

describe('readFlowFiles', () => {
  it('walks a directory, reads plain and gzip files by content whatever their names, and aggregates them', async () => {
    const dir = tmpdir()
    fs.writeFileSync(path.join(dir, 'eni.log'), VPC)
    fs.writeFileSync(path.join(dir, 'cluster.json.gz'), zlib.gzipSync(HUBBLE))
    fs.writeFileSync(path.join(dir, 'not-gzip-named.gz'), AGENT) // named .gz, plain inside: recognised by magic bytes
    fs.writeFileSync(path.join(dir, 'README.txt'), 'notes about the export\n') // not a flow file, found by walking: ignored
    const c = ctx()
    const r = await readFlowFiles([dir], { context: c })
    expect(r.diagnostics).toEqual([])
    expect(r.stats.map((s) => `${path.basename(s.file)} ${s.format}`).sort()).toEqual(['cluster.json.gz hubble', 'eni.log vpc', 'not-gzip-named.gz agent'])
    expect(c.aggregator.edges().map((e) => e.key)).toContain('k8s:clinic/frontend|k8s:clinic/api|8080/tcp')
    expect(c.resolver.hosts()).toEqual({ 'vm-1': ['10.0.0.5'] })
  })

  it('names files it cannot use, and goes on with the rest', async () => {
    const dir = tmpdir()
    fs.writeFileSync(path.join(dir, 'a.log'), VPC)
    const unknown = path.join(dir, 'notes.txt')
    fs.writeFileSync(unknown, 'hello\n')
    const truncated = path.join(dir, 'cut.log.gz')
    fs.writeFileSync(truncated, zlib.gzipSync(VPC.repeat(200)).subarray(0, 300))
    const r = await readFlowFiles([path.join(dir, 'a.log'), unknown, truncated, path.join(dir, 'missing.log')], { context: ctx() })
    const codes = r.diagnostics.map((d) => `${d.code} ${path.basename(d.file)}`).sort()
    expect(codes).toEqual(['PW_ERR_FLOW_FORMAT notes.txt', 'PW_ERR_PATH_NOT_FOUND missing.log', 'PW_ERR_SOURCE_UNREADABLE cut.log.gz'])
    expect(r.diagnostics.find((d) => d.code === 'PW_ERR_SOURCE_UNREADABLE')!.message).toMatch(/truncated or corrupt gzip.*what was read before is kept/)
    expect(r.stats.find((s) => s.file.endsWith('a.log'))!.flows).toBeGreaterThan(0)
    // the lines read before the break are counted, and the break is the line after them
    const cut = r.stats.find((s) => s.file.endsWith('cut.log.gz'))!
    expect(cut.lines).toBeGreaterThan(0)
    expect(cut.flows).toBeGreaterThan(0)
    expect(cut.malformedSamples.at(-1)).toEqual({ line: cut.lines + 1, reason: 'file could not be read to the end (truncated gzip or I/O error)' })
  })

  it('reads a headerless default-format VPC file with the format named', async () => {
    const dir = tmpdir()
    const f = path.join(dir, 'x.dat')
    // no header: default v2 format
    fs.writeFileSync(f, VPC.split('\n').slice(1).join('\n'))
    const r = await readFlowFiles([f], { format: 'vpc', context: ctx() })
    expect(r.stats[0]).toMatchObject({ format: 'vpc', malformed: 0 })
    expect(r.stats[0]!.flows).toBe(2)
  })
})
