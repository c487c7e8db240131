import type { Command } from 'commander'
import { InvalidArgumentError } from 'commander'
import { runAgent, type AgentSummary } from '../../agent/index.js'
import { EXIT } from '../main.js'

interface AgentFlags {
  out?: string
  server?: string
  interval: number
  flush: number
  conntrack: boolean
  duration?: number
  once?: boolean
  host?: string
  proc: string
  spoolDir?: string
  spoolMaxMb: number
}

function positiveInt(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new InvalidArgumentError('expected a positive whole number')
  return Number(v)
}

function positiveNumber(v: string): number {
  const n = Number(v)
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new InvalidArgumentError('expected a positive number')
  return n
}

function summaryLine(s: AgentSummary): string {
  const ct = s.conntrack
  const conntrack =
    ct.status === 'off'
      ? 'conntrack off'
      : `conntrack ${ct.status}: ${ct.events} events${ct.malformed ? `, ${ct.malformed} malformed lines` : ''}${ct.overruns ? `, ${ct.overruns} overrun warnings` : ''}${ct.forwarded ? `, ${ct.forwarded} forwarded (not reported)` : ''}`
  const http = s.http ? `; server: ${s.http.sent} batches sent, ${s.http.spool.pending} pending, ${s.http.spool.dropped} dropped` : ''
  return `phiwall agent: ${s.polls} polls, ${s.records} records in ${s.flushes} flushes; ${conntrack}${http}\n`
}

/** `phiwall agent`: the host agent for Linux hosts and VMs (who listens on and talks to what, per process). */
export function registerAgentCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('agent')
    .description('watch this Linux host: which process listens on and talks to what (procfs sockets and conntrack), as NDJSON or to a PhiWall server')
    .option('--out <file>', 'append NDJSON records to FILE (created 0600); - for standard output')
    .option('--server <url>', 'post batches to URL/api/v1/ingest/agent (token from PHIWALL_AGENT_TOKEN)')
    .option('--interval <ms>', 'procfs poll interval in milliseconds', positiveInt, 2000)
    .option('--flush <ms>', 'flush interval in milliseconds', positiveInt, 10_000)
    .option('--no-conntrack', 'do not read conntrack events (short-lived connections)')
    .option('--duration <s>', 'stop after this many seconds', positiveNumber)
    .option('--once', 'one poll, one flush, exit (an inventory of listeners and open connections)')
    .option('--host <name>', 'host name on every record (default: this host name)')
    .option('--proc <dir>', 'procfs root', '/proc')
    .option('--spool-dir <dir>', 'keep unsent batches in this directory across restarts')
    .option('--spool-max-mb <mb>', 'bound of unsent batches kept (oldest dropped beyond it)', positiveNumber, 64)
    .action(async (flags: AgentFlags) => {
      const stop = new AbortController()
      const onSignal = (): void => stop.abort()
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
      try {
        const summary = await runAgent({
          ...(flags.out !== undefined ? { out: flags.out } : {}),
          ...(flags.server !== undefined ? { server: flags.server } : {}),
          intervalMs: flags.interval,
          flushMs: flags.flush,
          conntrack: flags.conntrack,
          ...(flags.duration !== undefined ? { durationS: flags.duration } : {}),
          ...(flags.once ? { once: true } : {}),
          ...(flags.host !== undefined ? { host: flags.host } : {}),
          procRoot: flags.proc,
          ...(flags.spoolDir !== undefined ? { spoolDir: flags.spoolDir } : {}),
          spoolMaxMb: flags.spoolMaxMb,
          signal: stop.signal,
        })
        process.stderr.write(summaryLine(summary))
        setExit(EXIT.OK)
      } finally {
        process.removeListener('SIGINT', onSignal)
        process.removeListener('SIGTERM', onSignal)
      }
    })
}
