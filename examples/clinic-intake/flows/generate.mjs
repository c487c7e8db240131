#!/usr/bin/env node
/**
 * Generates the clinic app's recorded flows from its known service call graph (the CALLS table
 * below), deterministically (a seeded PRNG), over seven days from 2026-11-01T00:00Z:
 *
 *   vpc/process-intake.log          VPC Flow Logs (custom v5 format) of the ProcessIntake function's ENIs
 *   hubble/clinic-prod.json.gz      `hubble observe -o json` of the Kubernetes part (gzip)
 *   agent/hl7-engine.ndjson         `phiwall agent` NDJSON of the HL7 interface engine VM
 *   agent/lab-gateway.ndjson        … and of the lab gateway that feeds it
 *   cloudtrail/process-intake.json.gz  CloudTrail (S3 delivery shape) of the function's AWS API calls
 *
 * With noise real sources have: reply records, retries, ephemeral client ports, NAT (pkt-*
 * addresses), NODATA records, a port scan rejected by the security group, connections dropped by
 * the cluster's NetworkPolicies, inbound records of connections the other host also reports,
 * sockets no process could be mapped to, and a few malformed lines.
 *
 * Run: node examples/clinic-intake/flows/generate.mjs
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const T0 = Date.UTC(2026, 10, 1) // 2026-11-01T00:00:00Z
const DAYS = 7
const EVERY = 3 * 3600_000 // one round of the call graph every three hours

let seed = 0x5eed1e55
function rand() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1))
const ephemeral = () => int(32768, 60999)
/** RFC 3339 with nanoseconds, as Hubble writes its times. */
const iso = (ms) => new Date(ms).toISOString().replace(/Z$/, `${String(int(0, 999999)).padStart(6, '0')}Z`)

// ───────────────────────── Kubernetes (Hubble) ─────────────────────────
const NODE = ['ip-10-20-1-15.ec2.internal', 'ip-10-20-2-27.ec2.internal']
const pod = (ns, name, labels, podName, ip, identity, workload) => ({ ns, name, labels, podName, ip, identity, workload })
const appLabels = (ns, name, sa) => [`k8s:app.kubernetes.io/name=${name}`, 'k8s:app.kubernetes.io/part-of=clinic-intake', `k8s:io.cilium.k8s.policy.cluster=default`, `k8s:io.cilium.k8s.policy.serviceaccount=${sa}`, `k8s:io.kubernetes.pod.namespace=${ns}`]
const PODS = {
  intake: pod('clinic-prod', 'intake-worker', appLabels('clinic-prod', 'intake-worker', 'intake-worker'), 'intake-worker-6c8d9f7b54-q2w4z', '10.244.1.23', 48211, 'intake-worker'),
  intake2: pod('clinic-prod', 'intake-worker', appLabels('clinic-prod', 'intake-worker', 'intake-worker'), 'intake-worker-6c8d9f7b54-x9k7p', '10.244.2.18', 48211, undefined), // an older Hubble: no workloads field
  fhir: pod('clinic-prod', 'fhir-bridge', appLabels('clinic-prod', 'fhir-bridge', 'fhir-bridge'), 'fhir-bridge-7f9c5d8b6-h5n2m', '10.244.2.31', 30117, 'fhir-bridge'),
  db: pod('clinic-prod', 'patients-db', appLabels('clinic-prod', 'patients-db', 'patients-db'), 'patients-db-0', '10.244.1.40', 51002, 'patients-db'),
  dev: pod('clinic-dev', 'intake-worker-dev', appLabels('clinic-dev', 'intake-worker-dev', 'default'), 'intake-worker-dev-5b7d9c6f4-t7r2w', '10.244.2.55', 60881, 'intake-worker-dev'),
  dns: pod('kube-system', 'coredns', ['k8s:k8s-app=kube-dns', 'k8s:io.cilium.k8s.policy.serviceaccount=coredns', 'k8s:io.kubernetes.pod.namespace=kube-system'], 'coredns-5d78c9869d-8wzxk', '10.244.0.10', 102, 'coredns'),
  nginx: pod('ingress-nginx', 'ingress-nginx-controller', ['k8s:app.kubernetes.io/name=ingress-nginx', 'k8s:app.kubernetes.io/component=controller', 'k8s:io.kubernetes.pod.namespace=ingress-nginx'], 'ingress-nginx-controller-6b94c75599-j4h8s', '10.244.0.22', 7731, 'ingress-nginx-controller'),
  prom: pod('monitoring', 'prometheus', ['k8s:app.kubernetes.io/name=prometheus', 'k8s:io.kubernetes.pod.namespace=monitoring'], 'prometheus-k8s-0', '10.244.0.31', 9912, 'prometheus-k8s'),
}
const HOST = { labels: ['reserved:host'], identity: 1, ip: '10.20.1.15' }
const HIE = { name: 'hie.example-health.org', ip: '198.51.100.24' }

function endpoint(p) {
  if (!p.ns) return { identity: p.identity, labels: p.labels }
  const e = { ID: 1000 + (p.identity % 3000), identity: p.identity, cluster_name: 'default', namespace: p.ns, labels: p.labels, pod_name: p.podName }
  if (p.workload) e.workloads = [{ name: p.workload, kind: p.podName.endsWith('-0') ? 'StatefulSet' : 'Deployment' }]
  return e
}
const hubble = []
function hubbleFlow(at, src, dst, sport, dport, { proto = 'TCP', reply = false, direction = 'EGRESS', verdict = 'FORWARDED', flags, names, wrap = true, drop } = {}) {
  const l4 = proto === 'TCP' ? { TCP: { source_port: sport, destination_port: dport, flags: flags ?? (reply ? { SYN: true, ACK: true } : { SYN: true }) } } : { UDP: { source_port: sport, destination_port: dport } }
  const node = NODE[src.ip?.startsWith('10.244.2') ? 1 : 0]
  const flow = {
    time: iso(at),
    uuid: `${(at % 1e9).toString(16)}-${int(1000, 9999)}-${int(1000, 9999)}`,
    verdict,
    ...(drop ? { drop_reason: 133, drop_reason_desc: drop } : {}),
    ethernet: { source: '2a:1f:3c:4d:5e:6f', destination: '6e:5d:4c:3b:2a:19' },
    IP: { source: src.ip, destination: dst.ip, ipVersion: 'IPv4' },
    l4,
    source: endpoint(src),
    destination: endpoint(dst),
    Type: 'L3_L4',
    node_name: node,
    ...(names ? { destination_names: names } : {}),
    event_type: { type: verdict === 'DROPPED' ? 1 : 4, sub_type: 3 },
    traffic_direction: direction,
    trace_observation_point: direction === 'EGRESS' ? 'TO_STACK' : 'TO_ENDPOINT',
    is_reply: reply,
    Summary: proto === 'TCP' ? `TCP Flags: ${Object.keys(l4.TCP.flags).join(', ')}` : 'UDP',
  }
  hubble.push(JSON.stringify(wrap ? { flow, node_name: node, time: flow.time } : flow))
}
/** A TCP connection as Hubble sees it: SYN at the source (egress), at the destination (ingress) when it is a pod, and the SYN-ACK reply. */
function k8sConnect(at, src, dst, dport, opts = {}) {
  const sport = ephemeral()
  hubbleFlow(at, src, dst, sport, dport, { ...opts })
  if (dst.ns) hubbleFlow(at + 1, src, dst, sport, dport, { ...opts, direction: 'INGRESS' })
  if (opts.verdict !== 'DROPPED') hubbleFlow(at + 2, dst, src, dport, sport, { ...opts, names: undefined, reply: true, direction: dst.ns ? 'EGRESS' : 'INGRESS' })
}
function k8sDns(at, src, query, ip) {
  const sport = ephemeral()
  hubbleFlow(at, src, PODS.dns, sport, 53, { proto: 'UDP' })
  hubbleFlow(at + 1, PODS.dns, src, 53, sport, { proto: 'UDP', reply: true })
  // the DNS proxy's L7 record of the answer
  const node = NODE[0]
  hubble.push(
    JSON.stringify({
      flow: {
        time: iso(at + 2),
        verdict: 'FORWARDED',
        IP: { source: PODS.dns.ip, destination: src.ip, ipVersion: 'IPv4' },
        l4: { UDP: { source_port: 53, destination_port: sport } },
        source: endpoint(PODS.dns),
        destination: endpoint(src),
        Type: 'L7',
        node_name: node,
        l7: { type: 'RESPONSE', latency_ns: String(int(200000, 900000)), dns: { query: `${query}.`, ips: [ip], ttl: 300, cnames: [], observation_source: 'proxy', rcode: 0, qtypes: ['A'], rrtypes: ['A'] } },
        traffic_direction: 'INGRESS',
        is_reply: true,
        Summary: `DNS Answer "${ip}" TTL: 300 (Proxy ${query}. A)`,
      },
      node_name: node,
      time: iso(at + 2),
    }),
  )
}

// ───────────────────────── VPC Flow Logs (ProcessIntake in a VPC) ─────────────────────────
const VPC_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path'
const ENIS = [
  { eni: 'eni-0a1b2c3d4e5f60718', ip: '10.30.1.25', subnet: 'subnet-0f1e2d3c4b5a69788', az: 'use1-az1' },
  { eni: 'eni-0a1b2c3d4e5f60729', ip: '10.30.2.41', subnet: 'subnet-0f1e2d3c4b5a69799', az: 'use1-az2' },
]
const VPC = 'vpc-0c1d2e3f4a5b6c7d8'
const vpc = [VPC_HEADER]
function vpcRecord(e, src, dst, sport, dport, proto, packets, bytes, start, action, flags, direction, { pktSrc = src, pktDst = dst, srcSvc = '-', dstSvc = '-', path = '-' } = {}) {
  const s = Math.floor(start / 1000)
  vpc.push(['5', '123456789012', e.eni, src, dst, sport, dport, proto, packets, bytes, s, s + int(5, 59), action, 'OK', VPC, e.subnet, '-', flags, 'IPv4', pktSrc, pktDst, 'us-east-1', e.az, '-', '-', srcSvc, dstSvc, direction, path].join(' '))
}
/** A TCP connection from the function's ENI: the egress record and the reply's ingress record. */
function vpcConnect(at, e, dst, dport, opts = {}) {
  const sport = ephemeral()
  const packets = int(6, 40)
  vpcRecord(e, e.ip, dst, sport, dport, 6, packets, packets * int(80, 1400), at, 'ACCEPT', 2 | 1, 'egress', opts) // SYN, FIN: the initiator
  const back = { pktSrc: opts.pktDst ?? dst, pktDst: e.ip, srcSvc: opts.dstSvc ?? '-', path: opts.path ?? '-' }
  vpcRecord(e, dst, e.ip, dport, sport, 6, packets + 1, (packets + 1) * int(80, 1400), at, 'ACCEPT', 18 | 1, 'ingress', back) // SYN-ACK, FIN: the reply
}
function vpcDns(at, e) {
  const sport = ephemeral()
  vpcRecord(e, e.ip, '10.30.0.2', sport, 53, 17, 2, 150, at, 'ACCEPT', 0, 'egress')
  vpcRecord(e, '10.30.0.2', e.ip, 53, sport, 17, 2, 310, at, 'ACCEPT', 0, 'ingress')
}

// ───────────────────────── Agent (the HL7 VMs) ─────────────────────────
const java = { pid: 1422, exePath: '/opt/mirth/jre/bin/java', exeSha256: 'b6f5c1a3e9d2847f0c3b5a6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f708192', uid: 1001, user: 'mirth', cgroup: '/system.slice/mirth-connect.service' }
const postgres = { pid: 811, exePath: '/usr/lib/postgresql/15/bin/postgres', exeSha256: '3c9a7e1f5b2d4c6e8a0f1b3d5c7e9a2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a3c', uid: 105, user: 'postgres', cgroup: '/system.slice/system-postgresql.slice/postgresql@15-main.service' }
const resolved = { pid: 402, exePath: '/usr/lib/systemd/systemd-resolved', exeSha256: '7d1e3f5a9c2b4e6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d', uid: 991, user: 'systemd-resolve', cgroup: '/system.slice/systemd-resolved.service' }
const feeder = { pid: 2210, exePath: '/usr/local/bin/lab-feeder', exeSha256: 'e4c2a0f8d6b4e2c0a8f6d4b2e0c8a6f4d2b0e8c6a4f2d0b8e6c4a2f0d8b6e4c2', uid: 1002, user: 'labfeed', cgroup: '/system.slice/lab-feeder.service' }
const HL7 = { host: 'hl7-engine', addrs: ['10.40.1.10'] }
const LAB = { host: 'lab-gateway', addrs: ['10.40.1.20'] }
const agentLines = { 'hl7-engine': [], 'lab-gateway': [] }
function agentRecord(h, rec) {
  agentLines[h.host].push(JSON.stringify({ schema: 'phiwall.agent/v1', host: h.host, hostAddresses: h.addrs, ...rec }))
}
function listen(h, at, process, ip, port, protocol = 'tcp') {
  agentRecord(h, { kind: 'listen', protocol, local: { ip, port }, process, source: 'procfs', firstSeen: at, lastSeen: at + 9000, count: 5 })
}
function conn(h, at, process, direction, local, remote, { protocol = 'tcp', source = 'procfs', count = int(1, 12) } = {}) {
  agentRecord(h, { kind: 'connection', protocol, direction, local, remote, ...(process ? { process } : {}), source, firstSeen: at, lastSeen: at + int(1000, 9000), count })
}

// ───────────────────────── CloudTrail (the function's AWS API calls) ─────────────────────────
const ACCOUNT = '123456789012'
const ROLE = 'clinic-intake-ProcessIntakeRole-1Q2W3E4R5T6Y'
const FN = 'clinic-intake-process-prod'
const trail = []
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f`
function apiCall(at, source, name, requestParameters, resources = [], extra = {}) {
  trail.push({
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA4EXAMPLEPROCESS01:${FN}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/${FN}`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIA4EXAMPLEPROCESS1',
      sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROA4EXAMPLEPROCESS01', arn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, accountId: ACCOUNT, userName: ROLE }, attributes: { creationDate: new Date(at - 60_000).toISOString(), mfaAuthenticated: 'false' } },
    },
    eventTime: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: `${source}.amazonaws.com`,
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '10.30.1.25',
    userAgent: `aws-sdk-js/3.700.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.aarch64 lang/js md/nodejs#22.11.0 api/${source}#3.700.0 exec-env/AWS_Lambda_nodejs22.x`,
    requestParameters,
    responseElements: null,
    requestID: `${(at % 1e12).toString(16)}-${int(1000, 9999)}`,
    eventID: `${int(1e7, 9e7).toString(16)}-${int(1000, 9999)}-${int(1000, 9999)}`,
    readOnly: name.startsWith('Get') || name === 'Decrypt',
    resources,
    eventType: 'AwsApiCall',
    managementEvent: source !== 'dynamodb' && source !== 's3',
    recipientAccountId: ACCOUNT,
    ...extra,
  })
}
function trailRound(at) {
  apiCall(at, 'secretsmanager', 'GetSecretValue', { secretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:clinic-intake/ehr-api-Xy12Ab` })
  apiCall(at + 40, 'kms', 'Decrypt', { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:lambda:FunctionArn': `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${FN}` } }, [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }])
  // a patient's record: the key holds an MRN, which must never reach PhiWall's output
  apiCall(at + 90, 'dynamodb', 'PutItem', { tableName: 'clinic-intake-patients-prod', key: { mrn: `MRN-${int(100000, 999999)}` } })
  apiCall(at + 120, 'dynamodb', 'GetItem', { tableName: 'clinic-intake-patients-prod', key: { mrn: `MRN-${int(100000, 999999)}` } })
  if (rand() < 0.1) apiCall(at + 150, 'dynamodb', 'DeleteItem', { tableName: 'clinic-intake-patients-prod' }, [], { errorCode: 'AccessDeniedException', errorMessage: 'not authorized' }) // denied: never a grant
}

// ───────────────────────── the call graph, round after round ─────────────────────────
for (let at = T0; at <= T0 + DAYS * 86400_000; at += EVERY) { // a little over seven days: a complete learning window
  const j = () => at + int(0, EVERY - 60_000)
  // Kubernetes: the ingress controller reaches the intake worker; the worker the database and the FHIR bridge; the bridge the HIE
  k8sConnect(j(), PODS.nginx, PODS.intake, 8080)
  k8sConnect(j(), PODS.nginx, PODS.intake2, 8080, { wrap: false })
  k8sDns(j(), PODS.intake, 'patients-db.clinic-prod.svc.cluster.local', '172.20.14.3')
  k8sConnect(j(), PODS.intake, PODS.db, 5432)
  k8sConnect(j(), PODS.intake2, PODS.db, 5432)
  k8sConnect(j(), PODS.intake, PODS.fhir, 8080)
  const hieAt = j()
  k8sDns(hieAt, PODS.fhir, HIE.name, HIE.ip)
  k8sConnect(hieAt + 50, PODS.fhir, { ip: HIE.ip, identity: 2, labels: ['reserved:world'] }, 443, { names: [HIE.name] })
  k8sConnect(j(), PODS.prom, PODS.intake, 9090)
  k8sConnect(j(), HOST, PODS.intake, 8080) // kubelet probes
  k8sConnect(j(), HOST, PODS.fhir, 8080)
  // the developer's copy tries the prod database: the cluster's NetworkPolicy drops it
  if (rand() < 0.3) k8sConnect(j(), PODS.dev, PODS.db, 5432, { verdict: 'DROPPED', drop: 'POLICY_DENIED' })
  if (rand() < 0.1) {
    // a retry: the same SYN again
    const t = j()
    const sport = ephemeral()
    hubbleFlow(t, PODS.intake, PODS.db, sport, 5432)
    hubbleFlow(t + 1000, PODS.intake, PODS.db, sport, 5432)
  }

  // Serverless: ProcessIntake (in a VPC) resolves names, reads its secret through the interface endpoint, writes DynamoDB
  // through the gateway endpoint and calls the EHR vendor's API through the NAT gateway
  for (const e of ENIS) {
    if (rand() < 0.5) continue
    vpcDns(j(), e)
    vpcConnect(j(), e, '10.30.1.150', 443) // Secrets Manager interface endpoint
    vpcConnect(j(), e, `52.94.${int(24, 27)}.${int(1, 254)}`, 443, { dstSvc: 'DYNAMODB', path: '7' })
    vpcConnect(j(), e, '203.0.113.50', 443, { path: '8' }) // EHR API through the NAT gateway
    trailRound(j())
  }
  if (rand() < 0.2) vpc.push(['5', '123456789012', ENIS[0].eni, '-', '-', '-', '-', '-', '-', '-', Math.floor(j() / 1000), Math.floor(j() / 1000) + 60, '-', 'NODATA', VPC, ENIS[0].subnet, '-', '-', '-', '-', '-', 'us-east-1', 'use1-az1', '-', '-', '-', '-', '-', '-'].join(' '))
  if (rand() < 0.15) vpcRecord(ENIS[1], `198.51.100.${int(2, 250)}`, ENIS[1].ip, ephemeral(), 22, 6, 1, 60, j(), 'REJECT', 2, 'ingress')

  // VMs: the lab gateway feeds results to the HL7 engine (MLLP 6661); the engine stores them and posts to the FHIR bridge
  const t = j()
  listen(HL7, t, java, '0.0.0.0', 6661)
  listen(HL7, t, java, '0.0.0.0', 8443)
  listen(HL7, t, postgres, '127.0.0.1', 5432)
  listen(HL7, t, resolved, '127.0.0.53', 53, 'udp')
  const labPort = ephemeral()
  conn(LAB, t + 5, feeder, 'outbound', { ip: '10.40.1.20', port: 0 }, { ip: '10.40.1.10', port: 6661 })
  conn(HL7, t + 6, java, 'inbound', { ip: '10.40.1.10', port: 6661 }, { ip: '10.40.1.20', port: labPort }) // also reported by the lab gateway: skipped
  conn(HL7, t + 7, java, 'inbound', { ip: '10.40.1.10', port: 6661 }, { ip: `10.50.0.${int(7, 9)}`, port: ephemeral() }) // an analyzer on the hospital network (no agent)
  conn(HL7, t + 8, java, 'outbound', { ip: '127.0.0.1', port: 0 }, { ip: '127.0.0.1', port: 5432 })
  conn(HL7, t + 9, java, 'outbound', { ip: '127.0.0.1', port: 0 }, { ip: '127.0.0.53', port: 53 }, { protocol: 'udp' })
  conn(HL7, t + 10, resolved, 'outbound', { ip: '10.40.1.10', port: 0 }, { ip: '10.40.0.2', port: 53 }, { protocol: 'udp' })
  conn(HL7, t + 11, java, 'outbound', { ip: '10.40.1.10', port: 0 }, { ip: '10.20.5.10', port: 443 }) // internal NLB of the FHIR bridge
  if (rand() < 0.3) conn(LAB, t + 12, undefined, 'outbound', { ip: '10.40.1.20', port: 0 }, { ip: '10.40.1.10', port: 8443 }, { source: 'conntrack', count: 1 }) // a short-lived admin call nobody could attribute
}

// a few malformed lines, as real exports have (a truncated line, a header fragment)
vpc.splice(200, 0, '5 123456789012 eni-0a1b2c3d4e5f60718 10.30.1.25 10.30.0.2 41234')
hubble.splice(300, 0, '{"flow": {"time": "2026-11-02T03:04:05Z", "verdict": "FORWARDED", "IP": {"sou')
agentLines['hl7-engine'].splice(50, 0, '{"schema":"phiwall.agent/v1","kind":"connection","host":"hl7-engine"}')

fs.mkdirSync(path.join(here, 'vpc'), { recursive: true })
fs.mkdirSync(path.join(here, 'hubble'), { recursive: true })
fs.mkdirSync(path.join(here, 'agent'), { recursive: true })
fs.mkdirSync(path.join(here, 'cloudtrail'), { recursive: true })
trail.sort((a, b) => (a.eventTime < b.eventTime ? -1 : 1))
fs.writeFileSync(path.join(here, 'cloudtrail/process-intake.json.gz'), zlib.gzipSync(JSON.stringify({ Records: trail }) + '\n', { level: 9 }))
fs.writeFileSync(path.join(here, 'vpc/process-intake.log'), vpc.join('\n') + '\n')
fs.writeFileSync(path.join(here, 'hubble/clinic-prod.json.gz'), zlib.gzipSync(hubble.join('\n') + '\n', { level: 9 }))
fs.writeFileSync(path.join(here, 'agent/hl7-engine.ndjson'), agentLines['hl7-engine'].join('\n') + '\n')
fs.writeFileSync(path.join(here, 'agent/lab-gateway.ndjson'), agentLines['lab-gateway'].join('\n') + '\n')
process.stdout.write(`vpc ${vpc.length} lines, hubble ${hubble.length} lines, agent ${agentLines['hl7-engine'].length + agentLines['lab-gateway'].length} lines, cloudtrail ${trail.length} events\n`)
