import type { Command } from 'commander'
import { PhiwallError } from '../../model/index.js'
import Table from 'cli-table3'
import { buildInventory } from '../../inventory/index.js'
import type { Environment } from '../../model/index.js'
import { collect } from '../../sources/index.js'
import { EXIT } from '../main.js'
import { collectAccountEnv, collectKeyValue, commaList } from './options.js'

interface InventoryFlags {
  format: 'table' | 'json'
  kind?: string[]
  stage?: string
  region?: string
  param?: Record<string, string>
  accountEnv?: Record<string, Environment>
  edges?: boolean
}

/** `phiwall inventory`: the resources and their relations, as a table or JSON. */
export function registerInventoryCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('inventory')
    .description('list resources (kind, environment, owner, PHI, location) and the edges between them')
    .argument('<paths...>', 'files or directories')
    .option('--format <format>', 'table or json', 'table')
    .option('--kind <kinds>', 'only these kinds (comma-separated, e.g. aws:lambda:function)', commaList)
    .option('--edges', 'also list edges (table format)')
    .option('--stage <stage>', 'Serverless Framework stage')
    .option('--region <region>', 'AWS region')
    .option('--param <Name=Value>', 'CloudFormation parameter value (repeatable)', collectKeyValue)
    .option('--account-env <account=env>', 'environment of a live AWS account (repeatable)', collectAccountEnv)
    .action(async (paths: string[], flags: InventoryFlags) => {
      if (!['table', 'json'].includes(flags.format)) throw new PhiwallError('PW_ERR_USAGE', `Unknown format "${flags.format}"; use table or json.`)
      const collected = await collect(paths, {
        ...(flags.stage ? { stage: flags.stage } : {}),
        ...(flags.region ? { region: flags.region } : {}),
        ...(flags.param ? { parameters: flags.param } : {}),
      })
      const inv = buildInventory(collected.documents, flags.accountEnv ? { accountEnvironments: flags.accountEnv } : {})
      const resources = flags.kind?.length ? inv.resources.filter((r) => flags.kind!.includes(r.kind)) : inv.resources
      const ids = new Set(resources.map((r) => r.id))
      if (flags.format === 'json') {
        const { flowInventoryOf } = await import('../../flows/index.js')
        const out = {
          resources: resources.map(({ props: _props, propLines: _lines, ...rest }) => rest),
          edges: inv.edges.filter((e) => ids.has(e.from) || ids.has(e.to)),
          // the workload identities flow and policy commands take with --inventory (pod labels,
          // security groups, known addresses, declared flows, Ingress routes), of the whole inventory
          workloads: flowInventoryOf(inv),
        }
        process.stdout.write(JSON.stringify(out, null, 2) + '\n')
      } else {
        const t = new Table({ head: ['Kind', 'Name', 'Env', 'Owner', 'PHI', 'Source', 'Location'], style: { head: [], border: [] } })
        for (const r of resources) t.push([r.kind, r.name, r.environment, r.owner ?? '—', r.holdsPhi, r.sourceId, `${r.location.file}${r.location.line ? `:${r.location.line}` : ''}`])
        process.stdout.write(`${resources.length} resources, ${inv.edges.length} edges\n${t.toString()}\n`)
        if (flags.edges) {
          const byId = new Map(inv.resources.map((r) => [r.id, r]))
          const e = new Table({ head: ['From', 'Edge', 'To', 'Evidence'], style: { head: [], border: [] } })
          for (const x of inv.edges.filter((x) => ids.has(x.from) || ids.has(x.to))) {
            const a = byId.get(x.from)
            const b = byId.get(x.to)
            e.push([a ? `${a.kind} ${a.name}` : x.from, x.kind, b ? `${b.kind} ${b.name}` : x.to, x.evidence])
          }
          process.stdout.write(e.toString() + '\n')
        }
      }
      if (collected.files.some((f) => f.status === 'error')) {
        for (const f of collected.files.filter((x) => x.status === 'error')) for (const d of f.diagnostics.filter((x) => x.level === 'error').slice(0, 3)) process.stderr.write(`${d.code}  ${d.message}\n`)
        setExit(EXIT.ERROR)
      }
    })
}
