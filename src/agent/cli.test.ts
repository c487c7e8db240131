import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Command, CommanderError } from 'commander'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { registerAgentCommand } from '../cli/commands/agent.js'
import type { AgentRecord } from '../flows/index.js'
import { PhiwallError } from '../model/index.js'

const linux = process.platform === 'linux' && fs.existsSync('/proc/net/tcp')

function program(exits: number[]): Command {
  const p = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
  registerAgentCommand(p, (c) => exits.push(c))
  return p
}

describe.skipIf(!linux)('phiwall agent (CLI)', () => {
  let dir: string
  let server: net.Server
  let port: number
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phiwall-agent-cli-'))
    server = net.createServer()
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as net.AddressInfo).port
  })
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true })
    await new Promise((r) => server.close(r))
  })

  it('--once --out FILE: one inventory as NDJSON in a 0600 file, and a summary on stderr', async () => {
    const file = path.join(dir, 'once.ndjson')
    const exits: number[] = []
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    let said = ''
    try {
      await program(exits).parseAsync(['agent', '--once', '--out', file, '--host', 'cli-test', '--no-conntrack'], { from: 'user' })
      said = stderr.mock.calls.map((c) => String(c[0])).join('')
    } finally {
      stderr.mockRestore()
    }
    expect(exits).toEqual([0])
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const records = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as AgentRecord)
    expect(records.find((r) => r.kind === 'listen' && r.local.port === port)).toMatchObject({ host: 'cli-test', process: { pid: process.pid } })
    expect(said).toMatch(/^phiwall agent: 1 polls, \d+ records in 1 flushes; conntrack off\n$/)
  })

  it('--out - writes to standard output until SIGTERM, then flushes and exits 0', async () => {
    const exits: number[] = []
    let out = ''
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, cb?: unknown) => {
      out += String(chunk)
      if (typeof cb === 'function') (cb as () => void)()
      return true
    })
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      const run = program(exits).parseAsync(['agent', '--out', '-', '--interval', '100', '--flush', '60000', '--no-conntrack'], { from: 'user' })
      // 20 poll intervals: at least two polls even when the machine is busy with other test files
      await new Promise((r) => setTimeout(r, 2000))
      process.emit('SIGTERM')
      await run
    } finally {
      stdout.mockRestore()
      stderr.mockRestore()
    }
    expect(exits).toEqual([0])
    const records = out.trimEnd().split('\n').map((l) => JSON.parse(l) as AgentRecord)
    // one flush, at the signal, holding every poll's sightings
    const listen = records.filter((r) => r.kind === 'listen' && r.local.port === port)
    expect(listen).toHaveLength(1)
    expect(listen[0]!.count).toBeGreaterThanOrEqual(2)
    expect(process.listeners('SIGTERM')).toHaveLength(0)
  })

  it('rejects bad values and a missing destination', async () => {
    await expect(program([]).parseAsync(['agent', '--out', '-', '--interval', 'soon'], { from: 'user' })).rejects.toBeInstanceOf(CommanderError)
    await expect(program([]).parseAsync(['agent', '--out', '-', '--spool-max-mb', '-1'], { from: 'user' })).rejects.toBeInstanceOf(CommanderError)
    const err = await program([])
      .parseAsync(['agent', '--once'], { from: 'user' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PhiwallError)
    expect((err as PhiwallError).code).toBe('PW_ERR_USAGE')
  })
})
