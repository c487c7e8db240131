import { Command, CommanderError, Option } from 'commander'
import { PhiwallError, fingerprintKeyProblem, phiwallVersion } from '../model/index.js'
import { registerAgentCommand } from './commands/agent.js'
import { registerCheckCommands } from './commands/checks.js'
import { registerCollectCommand } from './commands/collect.js'
import { registerControlsCommand } from './commands/controls.js'
import { registerDbCommand } from './commands/db.js'
import { registerFlowsCommand } from './commands/flows.js'
import { registerInventoryCommand } from './commands/inventory.js'
import { registerPhiCommand } from './commands/phi.js'
import { registerPolicyCommand } from './commands/policy.js'
import { registerSbomCommand } from './commands/sbom.js'
import { registerScanCommand } from './commands/scan.js'
import { registerServeCommand } from './commands/serve.js'
import { registerTopologyCommand } from './commands/topology.js'

/** Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error. */
export const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2 } as const

/** Build the `phiwall` command. */
export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command()
  program
    .name('phiwall')
    .description('HIPAA compliance and workload security for cloud-native healthcare software')
    .version(phiwallVersion(), '-v, --version')
    .addOption(new Option('--no-color', 'disable colours'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
  registerScanCommand(program, setExit)
  registerCollectCommand(program, setExit)
  registerInventoryCommand(program, setExit)
  registerTopologyCommand(program, setExit)
  registerSbomCommand(program, setExit)
  registerDbCommand(program, setExit)
  registerPhiCommand(program, setExit)
  registerFlowsCommand(program, setExit)
  registerPolicyCommand(program, setExit)
  registerAgentCommand(program, setExit)
  registerServeCommand(program)
  registerControlsCommand(program)
  registerCheckCommands(program)
  return program
}

/**
 * Run the CLI and resolve with its exit code. Operational failures print their code and
 * remediation; nothing thrown reaches the user as a stack trace.
 */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.OK
  const program = buildProgram((c) => {
    code = Math.max(code, c)
  })
  try {
    const keyProblem = fingerprintKeyProblem()
    if (keyProblem) throw new PhiwallError('PW_ERR_USAGE', keyProblem)
    await program.parseAsync(argv, { from: 'user' })
    return code
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK
      return EXIT.ERROR
    }
    if (err instanceof PhiwallError) {
      process.stderr.write(`phiwall: ${err.message} [${err.code}]\n  ${err.remediation}\n`)
      return EXIT.ERROR
    }
    process.stderr.write(`phiwall: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT.ERROR
  }
}
