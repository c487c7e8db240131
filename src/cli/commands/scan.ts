import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { renderReportChunks, renderTerminal, REPORT_FORMATS, type ReportFormat } from '../../compliance/index.js'
import { PhiwallError, severityRank, type Environment, type Finding, type ScanResult } from '../../model/index.js'
import { ALL_CHECKS, checkParamsProblem } from '../../checks/index.js'
import { scan } from '../../scan/index.js'
import { EXIT } from '../main.js'
import { progressBar } from '../progress.js'
import { dbLocation } from './db.js'
import { collectAccountEnv, collectCheckParam, collectKeyValue, commaList, cvssBand, parseFailOn, parseSize, type FailOn } from './options.js'

interface ScanFlags {
  format: string[]
  out?: string
  failOn: FailOn
  stage?: string
  region?: string
  param?: Record<string, string>
  checkParam?: Record<string, Record<string, string>>
  accountEnv?: Record<string, Environment>
  only?: string[]
  skip?: string[]
  maxFileSize?: number
  progress: boolean
  quiet?: boolean
  vex?: string[]
  dbDir?: string
  databaseUrl?: string
  vulns: boolean
  phiSample?: Record<string, string>
  color: boolean
  upload?: string
  sourceName?: string
}

/**
 * Exit code for a scan: input errors → 2, failing findings at or above the threshold → 1, else 0.
 * A CVSS threshold gates vulnerability findings on their CVSS base score (unscored ones, and
 * every other finding, on the severity band of that score).
 */
export function scanExitCode(result: ScanResult, failOn: FailOn): number {
  if (result.files.some((f) => f.status === 'error') || result.diagnostics.some((d) => d.level === 'error')) return EXIT.ERROR
  if (failOn === 'none') return EXIT.OK
  const threshold = severityRank(typeof failOn === 'object' ? cvssBand(failOn.cvss) : failOn)
  const atOrAbove = (f: Finding): boolean => {
    const score = typeof failOn === 'object' ? cvssScore(f) : undefined
    if (score !== undefined) return score >= (failOn as { cvss: number }).cvss
    return severityRank(f.severity) >= threshold
  }
  const failing = result.findings.some((f) => (f.status === 'fail' || f.status === 'error') && !f.suppressed && atOrAbove(f))
  return failing ? EXIT.FINDINGS : EXIT.OK
}

function cvssScore(f: Finding): number | undefined {
  const cvss = f.evidence['cvss'] as { score?: unknown } | undefined
  return cvss && typeof cvss.score === 'number' ? cvss.score : undefined
}

/** `phiwall scan`. */
export function registerScanCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('scan')
    .description('scan templates, serverless.yml, Terraform plans, AWS snapshots, lockfiles, images and root filesystems; report findings per control')
    .argument('<paths...>', 'files or directories (directories are walked; files are recognised by content; images, zips and root filesystems are read as filesystems)')
    .option('-f, --format <formats>', `report formats, comma-separated: terminal, ${REPORT_FORMATS.join(', ')}`, commaList)
    .option('-o, --out <dir>', 'write each report format to DIR/phiwall-report.<ext>')
    .option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity (critical, high, medium, low, info, none) or CVSS base score (e.g. 7.0)', parseFailOn, 'high')
    .option('--stage <stage>', 'Serverless Framework stage (default: provider.stage, else dev)')
    .option('--region <region>', 'AWS region for pseudo parameters and Serverless services')
    .option('--param <Name=Value>', 'CloudFormation parameter value (repeatable)', collectKeyValue)
    .option('--check-param <check.name=value>', 'a check parameter (repeatable): aws/igw-authorized-vpc.authorizedVpcIds=vpc-0a1b2c3d; `phiwall checks` lists them', collectCheckParam)
    .option('--account-env <account=env>', 'environment of a live AWS account (repeatable): 123456789012=prod', collectAccountEnv)
    .option('--only <checks>', 'run only these check ids (comma-separated; a trailing * matches a prefix)', commaList)
    .option('--skip <checks>', 'skip these check ids (comma-separated; a trailing * matches a prefix)', commaList)
    .option('--max-file-size <size>', 'skip input files larger than this (default 32MB)', parseSize)
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document whose statements are honoured (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--db-dir <dir>', 'vulnerability database directory (default: $PHIWALL_DB_DIR or ~/.cache/phiwall/vulndb)')
    .option('--database-url <url>', 'vulnerability database on PostgreSQL (or $PHIWALL_DATABASE_URL)')
    .option('--no-vulns', 'do not read lockfiles, images or package databases')
    .option('--phi-sample <NAME=PATH>', 'scan PATH (samples of a bucket, table export, log group export) for PHI and attach the evidence to resource NAME (repeatable)', collectKeyValue)
    .option('--upload <url>', 'send the result to a PhiWall server (https://…; token from $PHIWALL_TOKEN, scope scans:write)')
    .option('--source-name <name>', 'name of this source on the server (default: the scanned paths)')
    .option('--no-progress', 'no progress bar')
    .option('-q, --quiet', 'no terminal summary when writing reports to --out')
    .action(async (paths: string[], flags: ScanFlags, cmd: Command) => {
      const color = (cmd.optsWithGlobals() as { color?: boolean }).color !== false && process.stdout.isTTY === true && !process.env['NO_COLOR']
      const formats = flags.format?.length ? flags.format : ['terminal']
      for (const f of formats) {
        if (f !== 'terminal' && !(REPORT_FORMATS as string[]).includes(f)) throw new PhiwallError('PW_ERR_USAGE', `Unknown report format "${f}"; use terminal, ${REPORT_FORMATS.join(', ')}.`)
      }
      const machine = formats.filter((f) => f !== 'terminal') as ReportFormat[]
      if (!flags.out && machine.length > 1) throw new PhiwallError('PW_ERR_USAGE', 'Several report formats need --out DIR (one file each); or ask for one format to print it on stdout.')
      if (flags.out && machine.length === 0) throw new PhiwallError('PW_ERR_USAGE', `--out ${flags.out} writes report files: name their formats with --format (${REPORT_FORMATS.join(', ')}).`)
      if (flags.checkParam) {
        const problem = checkParamsProblem(ALL_CHECKS, flags.checkParam)
        if (problem) throw new PhiwallError('PW_ERR_USAGE', `--check-param: ${problem}`)
      }
      const uploadToken = flags.upload ? process.env['PHIWALL_TOKEN'] : undefined
      if (flags.upload) {
        if (!uploadToken) throw new PhiwallError('PW_ERR_UPLOAD', '--upload needs an API token in the PHIWALL_TOKEN environment variable (create one in the dashboard: Settings → API tokens, scope scans:write).')
        ;(await import('../../server/index.js')).scansUrl(flags.upload)
      }
      const bar = progressBar(flags.progress)
      const checkBar = progressBar(flags.progress, 'Checking')
      let result: ScanResult
      try {
        result = await scan(paths, {
          ...(flags.stage ? { stage: flags.stage } : {}),
          ...(flags.region ? { region: flags.region } : {}),
          ...(flags.param ? { parameters: flags.param } : {}),
          ...(flags.accountEnv ? { accountEnvironments: flags.accountEnv } : {}),
          ...(flags.only ? { only: flags.only } : {}),
          ...(flags.skip ? { skip: flags.skip } : {}),
          ...(flags.checkParam ? { checkParams: flags.checkParam } : {}),
          ...(flags.maxFileSize ? { maxFileSize: flags.maxFileSize } : {}),
          ...(flags.phiSample ? { phiSamples: Object.entries(flags.phiSample).map(([target, p]) => ({ target, path: p })) } : {}),
          vulnerabilities: flags.vulns ? { ...dbLocation(flags), ...(flags.vex ? { vexFiles: flags.vex } : {}) } : false,
          onProgress: (done, total, file) => bar.update(done, total, file),
          onCheckProgress: (done, total, kind) => {
            bar.stop()
            checkBar.update(done, total, kind)
          },
        })
      } finally {
        bar.stop()
        checkBar.stop()
      }
      if (flags.out) {
        const written: string[] = []
        try {
          fs.mkdirSync(flags.out, { recursive: true })
          for (const f of machine) {
            const { chunks, extension } = renderReportChunks(result, f)
            const fd = fs.openSync(path.join(flags.out, `phiwall-report.${extension}`), 'w')
            try {
              for (const chunk of chunks) fs.writeSync(fd, chunk)
            } finally {
              fs.closeSync(fd)
            }
            written.push(`phiwall-report.${extension}`)
          }
        } catch (err) {
          throw new PhiwallError('PW_ERR_OUTPUT_UNWRITABLE', `Reports cannot be written to ${flags.out} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err })
        }
        if (!flags.quiet) {
          process.stdout.write(renderTerminal(result, { color }))
          if (written.length) process.stdout.write(`\nReports written to ${flags.out}: ${written.join(', ')}\n`)
        }
      } else if (machine.length === 1) {
        // written as it is produced: a large JSON report is never held as one string
        for (const chunk of renderReportChunks(result, machine[0]!).chunks) process.stdout.write(chunk)
      } else {
        process.stdout.write(renderTerminal(result, { color }))
      }
      if (flags.upload) {
        const { uploadScan } = await import('../../server/index.js')
        const sent = await uploadScan(result, { server: flags.upload, token: uploadToken!, sourceName: flags.sourceName ?? paths.join(',') })
        process.stderr.write(`Uploaded to ${new URL(flags.upload).origin}: scan ${sent.scanId}${sent.duplicate ? ' (already there)' : ''}\n`)
      }
      setExit(scanExitCode(result, flags.failOn))
    })
}
