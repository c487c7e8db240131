import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { PhiwallError, phiwallVersion } from '../../model/index.js'
import { collect } from '../../sources/index.js'
import { EXIT } from '../main.js'
import { parseSize } from './options.js'

interface SbomFlags {
  format: string
  out?: string
  name?: string
  maxFileSize?: number
}

/** SBOM formats `phiwall sbom` writes. */
export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const

/** `phiwall sbom`. */
export function registerSbomCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('sbom')
    .description('list the third-party components of lockfiles, directories, images and zips as a CycloneDX 1.6 or SPDX 2.3 SBOM')
    .argument('<paths...>', 'lockfiles, project directories (walked for lockfiles), root filesystems, `docker save` / OCI tarballs, Lambda zips')
    .option('-f, --format <format>', `cyclonedx or spdx`, 'cyclonedx')
    .option('-o, --out <file>', 'write the SBOM to FILE (default: stdout)')
    .option('--name <name>', 'name of the described software (default: the first path)')
    .option('--max-file-size <size>', 'skip lockfiles larger than this (default 32MB)', parseSize)
    .action(async (paths: string[], flags: SbomFlags) => {
      if (!(SBOM_FORMATS as readonly string[]).includes(flags.format)) throw new PhiwallError('PW_ERR_USAGE', `Unknown SBOM format "${flags.format}"; use ${SBOM_FORMATS.join(' or ')}.`)
      const collected = await collect(paths, { ...(flags.maxFileSize ? { maxFileSize: flags.maxFileSize } : {}) })
      const meta = {
        name: flags.name ?? path.basename(path.resolve(paths[0]!)),
        timestamp: new Date().toISOString(),
        toolVersion: phiwallVersion(),
      }
      const { toCycloneDx, toSpdx } = await import('../../vulns/index.js')
      const text = flags.format === 'spdx' ? toSpdx(collected.components, meta) : toCycloneDx(collected.components, meta)
      if (flags.out) {
        try {
          fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true })
          fs.writeFileSync(flags.out, text.endsWith('\n') ? text : `${text}\n`)
        } catch (err) {
          throw new PhiwallError('PW_ERR_OUTPUT_UNWRITABLE', `The SBOM cannot be written to ${flags.out} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err })
        }
      } else {
        process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
      }
      const problems = [...collected.files.flatMap((f) => f.diagnostics), ...collected.diagnostics]
      for (const d of problems) process.stderr.write(`phiwall: ${d.level}: ${d.message} [${d.code}]\n`)
      const lockfiles = collected.files.filter((f) => (f.components ?? 0) > 0).length
      process.stderr.write(`${collected.components.length} components from ${lockfiles} source${lockfiles === 1 ? '' : 's'}${flags.out ? `; SBOM written to ${flags.out}` : ''}\n`)
      setExit(problems.some((d) => d.level === 'error') ? EXIT.ERROR : EXIT.OK)
    })
}
