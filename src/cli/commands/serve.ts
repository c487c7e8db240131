import type { Command } from 'commander'
import { ALL_CHECKS, checkParamsProblem } from '../../checks/index.js'
import { PhiwallError } from '../../model/index.js'
import { collectCheckParam } from './options.js'

interface ServeFlags {
  port?: string
  host: string
  dataDir?: string
  databaseUrl?: string
  databaseSchema?: string
  tlsCert?: string
  tlsKey?: string
  behindProxy?: boolean
  maxBodyMb?: string
  scheduler: boolean
  answerCache: boolean
  secretKeyFile?: string
  checkParam?: Record<string, Record<string, string>>
}

function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new PhiwallError('PW_ERR_SERVER_CONFIG', `--${name} must be a number, got ${JSON.stringify(value)}.`)
  return n
}

/** `phiwall serve`: the API and dashboard. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the PhiWall server: dashboard, API, agent and scan ingest (loopback only unless TLS or --behind-proxy)')
    .option('--port <port>', 'port (default 8443 with TLS, 8080 without)')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'embedded database directory (PGlite)', '.phiwall/server')
    .option('--database-url <url>', 'PostgreSQL instead of the embedded database (or $DATABASE_URL)')
    .option('--database-schema <name>', 'PostgreSQL schema to keep the tables in (default: public)')
    .option('--tls-cert <file>', 'PEM certificate chain: serve HTTPS')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--behind-proxy', 'a TLS-terminating reverse proxy is in front: Secure cookies, plain HTTP allowed on any address')
    .option('--secret-key-file <file>', 'key sealing stored TOTP secrets (default: <data-dir>.key, created 0600; $PHIWALL_SECRET_KEY wins)')
    .option('--max-body-mb <n>', 'largest request body in MiB', '32')
    .option('--no-scheduler', 'do not run scheduled rescans')
    .option('--check-param <check.name=value>', 'a check parameter for the scans of scheduled sources (repeatable), as phiwall scan takes it', collectCheckParam)
    .option('--no-answer-cache', 'do not cache list answers between writes (to measure or debug the database path)')
    .action(async (flags: ServeFlags) => {
      if (flags.checkParam) {
        const problem = checkParamsProblem(ALL_CHECKS, flags.checkParam)
        if (problem) throw new PhiwallError('PW_ERR_USAGE', `--check-param: ${problem}`)
      }
      const { startServer } = await import('../../server/index.js')
      const databaseUrl = flags.databaseUrl ?? process.env['DATABASE_URL']
      const server = await startServer({
        ...(intFlag('port', flags.port) !== undefined ? { port: intFlag('port', flags.port)! } : {}),
        host: flags.host,
        ...(databaseUrl ? { databaseUrl, ...(flags.databaseSchema ? { schema: flags.databaseSchema } : {}) } : { dataDir: flags.dataDir ?? '.phiwall/server' }),
        ...(flags.tlsCert ? { tlsCert: flags.tlsCert } : {}),
        ...(flags.tlsKey ? { tlsKey: flags.tlsKey } : {}),
        ...(flags.behindProxy ? { behindProxy: true } : {}),
        ...(flags.maxBodyMb ? { maxBodyMb: intFlag('max-body-mb', flags.maxBodyMb)! } : {}),
        noScheduler: !flags.scheduler,
        ...(flags.secretKeyFile ? { secretKeyFile: flags.secretKeyFile } : {}),
        ...(flags.answerCache ? {} : { noAnswerCache: true }),
        ...(flags.checkParam ? { checkParams: flags.checkParam } : {}),
      })
      process.stdout.write(`PhiWall is listening on ${server.url}\n`)
      if (server.createdAdmin) {
        // printed once, on the start that created it; it must be changed at first sign-in
        process.stdout.write(`First start: created user "${server.createdAdmin.username}" with one-time password ${server.createdAdmin.oneTimePassword}\n` + 'Sign in, choose a new password and enrol an authenticator app. This password is not shown again.\n')
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          void server.close().then(resolve, resolve)
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
    })
}
