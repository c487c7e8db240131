import fs from 'node:fs'
import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import { buildInventory } from '../../inventory/index.js'
import { collect } from '../../sources/index.js'
import { buildTopology, renderTopology, type TopologyFormat } from '../../topology/index.js'
import { PhiwallError } from '../../model/index.js'
import { EXIT } from '../main.js'
import { collectKeyValue } from './options.js'

interface TopologyFlags {
  format: TopologyFormat
  out?: string
  stage?: string
  region?: string
  param?: Record<string, string>
  environment?: string
  baseline?: string
}

function parseEnvironment(v: string): string {
  if (['prod', 'staging', 'dev', 'test', 'unknown'].includes(v)) return v
  throw new InvalidArgumentError('expected prod, staging, dev, test or unknown')
}

function parseFormat(v: string): TopologyFormat {
  if (v === 'json' || v === 'dot' || v === 'mermaid') return v
  throw new InvalidArgumentError('expected json, dot or mermaid')
}

/** `phiwall topology PATH…`: environment → application → workload → container → image, and who calls whom. */
export function registerTopologyCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('topology')
    .description('draw the workloads, data stores and their connections: JSON, Graphviz DOT or Mermaid')
    .argument('<paths...>', 'files or directories (Kubernetes manifests, Compose files, templates, plans, snapshots)')
    .option('--format <format>', 'json, dot or mermaid', parseFormat, 'json')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--environment <env>', 'only nodes of this environment (prod, staging, dev, test, unknown)', parseEnvironment)
    .option('--baseline <file>', 'add the edges flows observed (phiwall flows ingest --out): source "observed"')
    .option('--stage <stage>', 'Serverless Framework stage')
    .option('--region <region>', 'AWS region')
    .option('--param <Name=Value>', 'CloudFormation parameter value (repeatable)', collectKeyValue)
    .action(async (paths: string[], flags: TopologyFlags) => {
      const collected = await collect(paths, {
        components: false,
        ...(flags.stage ? { stage: flags.stage } : {}),
        ...(flags.region ? { region: flags.region } : {}),
        ...(flags.param ? { parameters: flags.param } : {}),
      })
      let topology = buildTopology(buildInventory(collected.documents))
      if (flags.baseline) {
        const { withObservedEdges } = await import('../../flows/index.js')
        const { loadBaseline } = await import('./flows.js')
        topology = withObservedEdges(topology, loadBaseline(flags.baseline))
      }
      if (flags.environment) {
        const keep = new Set(topology.nodes.filter((n) => n.environment === flags.environment || n.kind === 'internet' || n.kind === 'image').map((n) => n.id))
        topology = { nodes: topology.nodes.filter((n) => keep.has(n.id)), edges: topology.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) }
      }
      const text = renderTopology(topology, flags.format)
      if (flags.out) {
        try {
          fs.writeFileSync(flags.out, text)
        } catch (err) {
          throw new PhiwallError('PW_ERR_OUTPUT_UNWRITABLE', `Cannot write ${flags.out} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
        }
        process.stderr.write(`topology: ${topology.nodes.length} nodes, ${topology.edges.length} edges → ${flags.out}\n`)
      } else process.stdout.write(text)
      const errors = collected.files.filter((f) => f.status === 'error')
      if (errors.length) {
        for (const f of errors) for (const d of f.diagnostics.filter((x) => x.level === 'error').slice(0, 3)) process.stderr.write(`${d.code}  ${d.message}\n`)
        setExit(EXIT.ERROR)
      }
    })
}
