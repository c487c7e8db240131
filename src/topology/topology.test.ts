import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildInventory } from '../inventory/index.js'
import { collect } from '../sources/index.js'
import { buildTopology, renderTopology, type Topology } from './index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const corpus = [path.resolve(root, '../shared/corpus'), '/work/shared/corpus'].find((d) => fs.existsSync(path.join(d, 'online-boutique')))
const hasDot = spawnSync('dot', ['-V']).status === 0

async function topologyOf(...paths: string[]): Promise<Topology> {
  const c = await collect(paths, { components: false })
  return buildTopology(buildInventory(c.documents))
}

/** `caller → callee` pairs of workload calls, by name. */
function calls(t: Topology): string[] {
  const name = new Map(t.nodes.map((n) => [n.id, n.name]))
  return [...new Set(t.edges.filter((e) => e.kind === 'calls').map((e) => `${name.get(e.from)} → ${name.get(e.to)}`))].sort()
}

describe('topology', () => {
  it.skipIf(!corpus && !process.env['CI'])('draws Online Boutique with its real call graph (the *_ADDR variables of the manifests)', async () => {
    if (!corpus) throw new Error('../shared/corpus/online-boutique is required under CI=true')
    const t = await topologyOf(path.join(corpus, 'online-boutique'))
    expect(calls(t)).toEqual(
      [
        'cartservice → redis-cart',
        'checkoutservice → cartservice',
        'checkoutservice → currencyservice',
        'checkoutservice → emailservice',
        'checkoutservice → paymentservice',
        'checkoutservice → productcatalogservice',
        'checkoutservice → shippingservice',
        'frontend → adservice',
        'frontend → cartservice',
        'frontend → checkoutservice',
        'frontend → currencyservice',
        'frontend → productcatalogservice',
        'frontend → recommendationservice',
        'frontend → shippingservice',
        'loadgenerator → frontend',
        'recommendationservice → productcatalogservice',
      ].sort(),
    )
    const workloads = t.nodes.filter((n) => n.kind === 'workload').map((n) => n.name).sort()
    expect(workloads).toHaveLength(12)
    // the callee's listening port, through the Service that fronts it
    const email = t.edges.find((e) => e.kind === 'calls' && e.to.endsWith('/emailservice'))!
    expect([email.port, email.via]).toEqual([8080, 'emailservice'])
    // frontend-external is a LoadBalancer: the internet reaches it, and through it the frontend
    const exposed = t.nodes.filter((n) => n.internetExposed && n.kind !== 'internet').map((n) => `${n.kind} ${n.name}`).sort()
    expect(exposed).toEqual(['container server', 'service frontend-external', 'workload frontend'])
    // every workload runs its container image
    const runs = t.edges.filter((e) => e.kind === 'runs')
    expect(runs.length).toBeGreaterThanOrEqual(12)
    expect(t.nodes.find((n) => n.id === 'image:redis:alpine')).toBeDefined()
  })

  it('nests the clinic example as environment → application → workload → container → image, with PHI and exposure', async () => {
    const t = await topologyOf(path.join(root, 'examples/clinic-intake/k8s'))
    const byId = new Map(t.nodes.map((n) => [n.id, n]))
    const parent = (id: string): string | undefined => t.edges.find((e) => e.kind === 'contains' && e.to === id)?.from
    const worker = t.nodes.find((n) => n.kind === 'workload' && n.name === 'intake-worker')!
    expect(parent(worker.id)).toBe('application:prod/clinic-intake')
    expect(parent('application:prod/clinic-intake')).toBe('environment:prod')
    const container = t.edges.find((e) => e.kind === 'contains' && e.from === worker.id)!.to
    expect(byId.get(container)!.kind).toBe('container')
    expect(t.edges.find((e) => e.kind === 'runs' && e.from === container)!.to).toMatch(/^image:ghcr\.io\/clinic\/intake-worker:3\.2\.0@sha256:/)
    expect(worker).toMatchObject({ namespace: 'clinic-prod', environment: 'prod', holdsPhi: 'yes', internetExposed: true })
    expect(t.nodes.find((n) => n.name === 'patients-db' && n.kind === 'workload')).toMatchObject({ holdsPhi: 'yes', internetExposed: false })
    expect(calls(t)).toEqual(['intake-worker → fhir-bridge', 'intake-worker → patients-db', 'intake-worker-dev → patients-db'])
    expect(t.edges.filter((e) => e.kind === 'exposes').map((e) => byId.get(e.to)!.name)).toEqual(['portal'])
    // the Service takes the application of the pods it routes to
    const svc = t.nodes.find((n) => n.kind === 'service' && n.name === 'patients-db')!
    expect(parent(svc.id)).toBe('application:prod/clinic-intake')
  })

  it('renders the JSON contract with every key on every node and edge', async () => {
    const t = await topologyOf(path.join(root, 'examples/clinic-intake/k8s'))
    const json = JSON.parse(renderTopology(t, 'json')) as { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] }
    for (const n of json.nodes) for (const k of ['id', 'kind', 'name', 'namespace', 'environment', 'holdsPhi', 'internetExposed']) expect(n, k).toHaveProperty(k)
    for (const e of json.edges) for (const k of ['from', 'to', 'port', 'protocol', 'kind', 'source']) expect(e, k).toHaveProperty(k)
    const ids = new Set(json.nodes.map((n) => n['id']))
    for (const e of json.edges) expect(ids.has(e['from']) && ids.has(e['to'])).toBe(true)
  })

  it('renders Mermaid with one declaration per node, subgraphs balanced, and every edge between declared nodes', async () => {
    const t = await topologyOf(path.join(root, 'examples/clinic-intake/k8s'))
    const text = renderTopology(t, 'mermaid')
    const lines = text.trim().split('\n')
    expect(lines[0]).toBe('flowchart LR')
    expect(lines.filter((l) => /^\s*subgraph /.test(l)).length).toBe(lines.filter((l) => /^\s*end$/.test(l)).length)
    const declared = lines.map((l) => /^\s*(n\d+)[[(>]/.exec(l)?.[1]).filter(Boolean)
    expect(new Set(declared).size).toBe(declared.length)
    for (const l of lines.filter((x) => /-->|-\.-/.test(x))) {
      const [, a, b] = /^\s*(n\d+) .*\| (n\d+)$/.exec(l) ?? []
      expect(declared.includes(a) && declared.includes(b), l).toBe(true)
    }
    expect(text).not.toMatch(/"[^"\n]*"[^|\]\)>\/]*"/) // no unescaped quote inside a label
  })

  it.skipIf(!hasDot && !process.env['CI'])('renders DOT that Graphviz draws', async () => {
    if (!hasDot) throw new Error('Graphviz (dot) is required under CI=true: apt-get install graphviz')
    for (const p of [path.join(root, 'examples/clinic-intake/k8s'), ...(corpus ? [path.join(corpus, 'online-boutique')] : [])]) {
      const t = await topologyOf(p)
      const svg = execFileSync('dot', ['-Tsvg'], { input: renderTopology(t, 'dot'), encoding: 'utf8' })
      expect(svg).toContain('<svg')
      // every node that is not a cluster is drawn once; every edge between them is drawn
      const drawn = t.nodes.filter((n) => n.kind !== 'environment' && n.kind !== 'application').length
      expect(svg.match(/<g id="node\d+" class="node">/g)?.length).toBe(drawn)
      const clusterEdges = t.edges.filter((e) => e.kind === 'contains' && /^(environment|application):/.test(e.from)).length
      expect(svg.match(/<g id="edge\d+" class="edge">/g)?.length).toBe(t.edges.length - clusterEdges)
    }
  })

  it('draws the serverless side too: API → function invokes, queues trigger functions, functions write tables; public APIs and Elastic IPs are exposed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-topology-'))
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Records:',
        '    Type: AWS::DynamoDB::Table',
        '    Properties:',
        '      BillingMode: PAY_PER_REQUEST',
        '      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]',
        '      KeySchema: [{ AttributeName: id, KeyType: HASH }]',
        '      Tags: [{ Key: data-classification, Value: phi }]',
        '  Submit:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Runtime: nodejs20.x',
        '      Handler: index.handler',
        '      CodeUri: src/',
        '      Policies: [{ DynamoDBCrudPolicy: { TableName: !Ref Records } }]',
        '      Events:',
        '        Post: { Type: Api, Properties: { Path: /intake, Method: post } }',
        '  Engine:',
        '    Type: AWS::EC2::Instance',
        '    Properties: { ImageId: ami-0c55b159cbfafe1f0, InstanceType: t3.micro }',
        '  EngineIp:',
        '    Type: AWS::EC2::EIP',
        '    Properties: { InstanceId: !Ref Engine }',
      ].join('\n') + '\n',
    )
    const t = await topologyOf(dir)
    const byName = (kind: string, name: string) => t.nodes.find((n) => n.kind === kind && n.name === name)
    const fn = byName('function', 'Submit')!
    expect(fn).toMatchObject({ holdsPhi: 'yes', internetExposed: true })
    expect(t.edges.some((e) => e.kind === 'writes' && e.from === fn.id && e.to === byName('data-store', 'Records')!.id)).toBe(true)
    const api = t.nodes.find((n) => n.kind === 'api')!
    expect(t.edges.some((e) => e.kind === 'invokes' && e.from === api.id && e.to === fn.id)).toBe(true)
    expect(t.edges.filter((e) => e.kind === 'exposes').map((e) => t.nodes.find((n) => n.id === e.to)!.kind).sort()).toEqual(['api', 'vm'])
    expect(byName('vm', 'Engine')!.exposure).toEqual(['Elastic IP EngineIp'])
  })
})
