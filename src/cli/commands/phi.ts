import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { PhiwallError, phiwallVersion } from '../../model/index.js'
import type { PhiScanResult } from '../../phi/index.js'

/** The PHI modules, loaded when a `phi` command runs (not when the CLI starts). */
const phiModule = () => import('../../phi/index.js')
import { EXIT } from '../main.js'
import { progressBar } from '../progress.js'
import { parseSize } from './options.js'

const PHI_FORMATS = ['terminal', 'json', 'sarif', 'html'] as const

/** `phiwall phi scan|redact`. */
export function registerPhiCommand(program: Command, setExit: (code: number) => void): void {
  const phi = program.command('phi').description('find the 18 HIPAA identifiers in data and logs; redact them')

  phi
    .command('scan')
    .description('scan files, directories, zips and tarballs for HIPAA identifiers; a file holds PHI when identifiers occur with health information')
    .argument('<paths...>', 'files, directories (walked), Lambda zips, tarballs, S3 or log exports')
    .option('-f, --format <format>', `${PHI_FORMATS.join(', ')}`, 'terminal')
    .option('-o, --out <file>', 'write the report to FILE (default: stdout)')
    .option('--max-file-size <size>', 'skip larger files (default 64MB)', parseSize)
    .option('--no-fail', 'exit 0 even when a file holds PHI')
    .option('--no-progress', 'no progress bar')
    .action(async (paths: string[], flags: { format: string; out?: string; maxFileSize?: number; fail: boolean; progress: boolean }) => {
      if (!(PHI_FORMATS as readonly string[]).includes(flags.format)) throw new PhiwallError('PW_ERR_USAGE', `Unknown format "${flags.format}"; use ${PHI_FORMATS.join(', ')}.`)
      for (const p of paths) if (!fs.existsSync(p)) throw new PhiwallError('PW_ERR_PATH_NOT_FOUND', `Path ${p} does not exist.`)
      const { detectAll, renderPhiHtml, renderPhiJson, renderPhiSarif, renderPhiTerminal, scanPhiFiles } = await phiModule()
      const bar = progressBar(flags.progress, 'Scanning')
      let result: PhiScanResult
      try {
        result = await scanPhiFiles(paths, { detect: detectAll, ...(flags.maxFileSize ? { maxFileBytes: flags.maxFileSize } : {}), onProgress: (done, total, file) => bar.update(done, total, file) })
      } finally {
        bar.stop()
      }
      const text =
        flags.format === 'json'
          ? renderPhiJson(result)
          : flags.format === 'sarif'
            ? renderPhiSarif(result, phiwallVersion())
            : flags.format === 'html'
              ? renderPhiHtml(result, { toolVersion: phiwallVersion(), generatedAt: new Date().toISOString() })
              : renderPhiTerminal(result)
      if (flags.out) {
        try {
          fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true })
          fs.writeFileSync(flags.out, text, { mode: 0o600 })
        } catch (err) {
          throw new PhiwallError('PW_ERR_OUTPUT_UNWRITABLE', `The report cannot be written to ${flags.out} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err })
        }
        process.stderr.write(`PHI scan report written to ${flags.out}\n`)
      } else {
        process.stdout.write(text)
      }
      const errors = result.files.some((f) => f.status === 'error')
      // nothing read is not "no PHI": a scan that could read none of its files fails
      const nothingScanned = result.files.length > 0 && !result.files.some((f) => f.status === 'scanned')
      if (nothingScanned) process.stderr.write(`phiwall: none of the ${result.files.length} file${result.files.length === 1 ? '' : 's'} could be scanned (see the report's reasons); no PHI verdict\n`)
      setExit(errors || nothingScanned ? EXIT.ERROR : flags.fail && result.files.some((f) => f.containsPhi) ? EXIT.FINDINGS : EXIT.OK)
    })

  phi
    .command('redact')
    .description('replace HIPAA identifiers in text files with consistent pseudonyms (or type tags), e.g. before shipping logs to a third party')
    .argument('<files...>', 'text files (logs, exports); archives, compressed, image and other binary files are refused, not copied')
    .option('--key-file <file>', 'secret key for pseudonyms (or $PHIWALL_REDACT_KEY); the same key gives the same pseudonym for the same value')
    .option('--types-only', 'replace with [TYPE] tags instead of pseudonyms (no key needed)')
    .option('-o, --out <dir>', 'write each redacted file to DIR/<name> (default: stdout, files concatenated)')
    .action(async (files: string[], flags: { keyFile?: string; typesOnly?: boolean; out?: string }) => {
      const { detectAll, redact, redactableText, RedactRefused } = await phiModule()
      let key: string | Buffer = ''
      if (!flags.typesOnly) {
        if (flags.keyFile) {
          try {
            // a key file ends with a newline; the same key in $PHIWALL_REDACT_KEY has none
            const raw = fs.readFileSync(flags.keyFile)
            key = raw.subarray(0, raw.length - (raw.at(-1) === 0x0a ? (raw.at(-2) === 0x0d ? 2 : 1) : 0))
          } catch (err) {
            throw new PhiwallError('PW_ERR_USAGE', `The key file ${flags.keyFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
          }
        } else key = process.env['PHIWALL_REDACT_KEY'] ?? ''
        if (key.length < 16) throw new PhiwallError('PW_ERR_USAGE', 'Pseudonyms need a secret key of at least 16 bytes: --key-file FILE or $PHIWALL_REDACT_KEY (or --types-only).')
      }
      let notRedacted = 0
      const written = new Set<string>()
      for (const file of files) {
        const target = flags.out ? path.resolve(flags.out, path.basename(file)) : undefined
        // never over an input, nor over another input's output of the same name
        if (target && (target === path.resolve(file) || written.has(target))) {
          notRedacted++
          process.stderr.write(`${file}: not redacted, nothing written: ${target === path.resolve(file) ? 'the output would replace the input' : `another input already wrote ${target}`}\n`)
          continue
        }
        let buf: Buffer
        try {
          buf = fs.readFileSync(file)
        } catch (err) {
          throw new PhiwallError('PW_ERR_SOURCE_UNREADABLE', `File ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`)
        }
        // archives, compressed and binary files are not rewritten: a "redacted" copy would be corrupt and keep the identifiers
        const readable = redactableText(buf)
        if ('reason' in readable) {
          notRedacted++
          process.stderr.write(`${file}: not redacted, nothing written: ${readable.reason}\n`)
          continue
        }
        const text = readable.text
        let r: ReturnType<typeof redact>
        try {
          r = redact(text, { detect: detectAll, key, format: flags.typesOnly ? 'type' : 'pseudonym', name: file })
        } catch (err) {
          if (!(err instanceof RedactRefused)) throw err
          notRedacted++
          process.stderr.write(`${file}: not redacted, nothing written: ${err.message}\n`)
          continue
        }
        if (target) {
          fs.mkdirSync(flags.out!, { recursive: true })
          // readable by the owner only, like every report: a redaction can miss what a detector does not know
          fs.writeFileSync(target, r.text, { mode: 0o600 })
          written.add(target)
        } else process.stdout.write(r.text)
        process.stderr.write(`${file}: ${r.replaced} identifier${r.replaced === 1 ? '' : 's'} replaced (${Object.entries(r.byType).map(([t, n]) => `${t} ${n}`).join(', ') || 'none'})${readable.note ? `; ${readable.note}` : ''}\n`)
      }
      if (notRedacted) process.stderr.write(`${notRedacted} of ${files.length} file${files.length === 1 ? '' : 's'} not redacted (see above)\n`)
      setExit(notRedacted ? EXIT.ERROR : EXIT.OK)
    })
}
