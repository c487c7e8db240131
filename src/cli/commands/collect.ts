import type { Command } from 'commander'
import { ERROR_CATALOG, PhiwallError } from '../../model/index.js'
import { EXIT } from '../main.js'
import { commaList } from './options.js'

interface CollectAwsFlags {
  profile?: string
  regions?: string[]
  out: string
  alias?: string
}

/** Failed calls listed on stderr before the summary line says "and N more". */
const ERRORS_SHOWN = 20

/**
 * `phiwall collect aws`: snapshot a live account through the AWS SDK (read-only). Exits 2 when
 * the account could not be read at all (no credentials, or every call refused); a partial read
 * writes the snapshot, lists the calls that failed on stderr and exits 0, and `phiwall scan`
 * reports the same gaps as warnings.
 */
export function registerCollectCommand(program: Command, setExit: (code: number) => void): void {
  const collectCmd = program.command('collect').description('read live infrastructure into a snapshot file that `phiwall scan` reads')
  collectCmd
    .command('aws')
    .description('snapshot an AWS account with the standard credential chain (read-only calls; see docs/collect-aws.md for the permissions)')
    .option('--profile <profile>', 'AWS profile from ~/.aws/config (default: the credential chain)')
    .option('--regions <regions>', 'regions to read, comma-separated (default: the profile or AWS_REGION region)', commaList)
    .option('-o, --out <file>', 'snapshot file (written with mode 0600: it holds Lambda environment variables)', 'phiwall-aws-snapshot.json')
    .option('--alias <name>', 'account alias recorded in the snapshot (default: the IAM account alias)')
    .action(async (flags: CollectAwsFlags) => {
      // the AWS SDK is loaded only for this command, keeping scans fast to start
      const { collectAwsSnapshot, writeSnapshot } = await import('../../sources/aws-live/index.js').catch((err: unknown) => {
        throw new PhiwallError('PW_ERR_AWS_API', 'The AWS collector could not be loaded (is the AWS SDK installed?).', { cause: err })
      })
      const snapshot = await collectAwsSnapshot({
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.regions ? { regions: flags.regions } : {}),
        ...(flags.alias ? { accountAlias: flags.alias } : {}),
        onProgress: (msg: string) => process.stderr.write(`${msg}\n`),
      })
      writeSnapshot(flags.out, snapshot)
      for (const e of snapshot.errors.slice(0, ERRORS_SHOWN)) {
        process.stderr.write(`  failed: ${e.service}:${e.operation}${e.resourceType ? ` ${e.resourceType}` : ''} in ${e.region}${e.code ? ` (${e.code})` : ''}: ${e.message}\n`)
      }
      if (snapshot.errors.length > ERRORS_SHOWN) process.stderr.write(`  … and ${snapshot.errors.length - ERRORS_SHOWN} more failures (all are in the snapshot's "errors").\n`)
      const failed = snapshot.errors.length ? `, ${snapshot.errors.length} kinds of call failed (see docs/collect-aws.md for the permissions)` : ''
      process.stdout.write(`Snapshot of account ${snapshot.account}${snapshot.accountAlias ? ` (${snapshot.accountAlias})` : ''} in ${snapshot.regions.join(', ')}: ${snapshot.resources.length} resources${failed} → ${flags.out}\n`)
      if (snapshot.resources.length === 0 && snapshot.errors.length > 0) {
        process.stderr.write(`phiwall: the account could not be read: every call failed [PW_ERR_AWS_API]\n  ${ERROR_CATALOG.PW_ERR_AWS_API.remediation}\n`)
        setExit(EXIT.ERROR)
      }
    })
}
