import path from 'node:path'
import type { Command } from 'commander'
import { PhiwallError } from '../../model/index.js'
import type { Store } from '../../store/index.js'
import type { ImportResult } from '../../vulns/index.js'
import { EXIT } from '../main.js'
import { progressBar } from '../progress.js'
import { commaList } from './options.js'

/** The public OSV export bucket (the same as `DEFAULT_OSV_BASE_URL` of vulns, repeated so help needs no import). */
const OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com'

/** The vulnerability modules, loaded when a `db` command runs (not when the CLI starts). */
const vulns = () => import('../../vulns/index.js')

/** Ecosystems `phiwall db update` fetches by default: every one PhiWall reads components of. */
export const DEFAULT_UPDATE_ECOSYSTEMS = ['npm', 'PyPI', 'Go', 'Maven', 'crates.io', 'RubyGems', 'Packagist', 'Debian', 'Ubuntu', 'Alpine', 'Red Hat']

interface DbFlags {
  dbDir?: string
  databaseUrl?: string
}

/** The database location flags every `db` subcommand takes. */
function withDbOptions(cmd: Command): Command {
  return cmd
    .option('--db-dir <dir>', 'vulnerability database directory (default: $PHIWALL_DB_DIR or ${XDG_CACHE_HOME:-~/.cache}/phiwall/vulndb)')
    .option('--database-url <url>', 'use this PostgreSQL database instead of the embedded one (or $PHIWALL_DATABASE_URL)')
}

/** Where the database is, from flags and environment: a URL, a directory, or nothing (the default directory). */
export function dbLocation(flags: DbFlags): { dbDir?: string } | { databaseUrl: string } {
  const url = flags.databaseUrl ?? process.env['PHIWALL_DATABASE_URL']
  if (url) return { databaseUrl: url }
  return flags.dbDir ? { dbDir: path.resolve(flags.dbDir) } : {}
}

/** The store options of a location: the default data directory when none is given. */
async function storeOptions(flags: DbFlags): Promise<{ dataDir: string } | { databaseUrl: string }> {
  const loc = dbLocation(flags)
  if ('databaseUrl' in loc) return loc
  return { dataDir: loc.dbDir ?? (await vulns()).defaultDbDir() }
}

async function withStore<T>(flags: DbFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../../store/index.js')
  const store = await openStore(await storeOptions(flags))
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

function printImport(r: ImportResult, label: string): void {
  const eco = Object.entries(r.byEcosystem)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([e, n]) => `${e} ${n.toLocaleString('en-US')}`)
    .join(', ')
  process.stdout.write(`${label}: ${r.imported.toLocaleString('en-US')} new, ${r.updated.toLocaleString('en-US')} updated, ${r.unchanged.toLocaleString('en-US')} unchanged, ${r.invalid} invalid${eco ? ` (${eco})` : ''}\n`)
  for (const d of r.diagnostics.slice(0, 20)) process.stderr.write(`phiwall: ${d.level}: ${d.message} [${d.code}]\n`)
  if (r.diagnostics.length > 20) process.stderr.write(`phiwall: … and ${r.diagnostics.length - 20} more\n`)
}

/** `phiwall db status|import|update`. */
export function registerDbCommand(program: Command, setExit: (code: number) => void): void {
  const db = program.command('db').description('the offline vulnerability database (OSV): status, import, update')

  withDbOptions(db.command('status').description('age and record counts of the vulnerability database'))
    .option('--json', 'print JSON')
    .action(async (flags: DbFlags & { json?: boolean }) => {
      const { dbStatus } = await vulns()
      const status = await withStore(flags, (store) => dbStatus(store))
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`)
      } else if (status.total === 0) {
        process.stdout.write('The vulnerability database is empty. Run `phiwall db update`, or `phiwall db import DIR|ZIP` with OSV data.\n')
      } else {
        const w = Math.max(...status.ecosystems.map((e) => e.ecosystem.length), 9)
        process.stdout.write(`${'Ecosystem'.padEnd(w)}  ${'Records'.padStart(9)}  Imported\n`)
        for (const e of status.ecosystems) process.stdout.write(`${e.ecosystem.padEnd(w)}  ${e.records.toLocaleString('en-US').padStart(9)}  ${e.importedAt ?? '-'}\n`)
        process.stdout.write(`${'Total'.padEnd(w)}  ${status.total.toLocaleString('en-US').padStart(9)}\n`)
        process.stdout.write(`Last updated ${status.lastUpdated ?? 'never'}${status.ageDays !== undefined ? ` (${status.ageDays} day${status.ageDays === 1 ? '' : 's'} ago)` : ''}${status.stale ? ' — stale: run `phiwall db update`' : ''}\n`)
      }
      setExit(EXIT.OK)
    })

  withDbOptions(db.command('import').description('load OSV records from zips (the per-ecosystem export), directories of *.json, or JSON files'))
    .argument('<paths...>', 'OSV all.zip files, directories or JSON files')
    .option('--no-progress', 'no progress bar')
    .action(async (paths: string[], flags: DbFlags & { progress: boolean }) => {
      const { importOsv } = await vulns()
      const bar = progressBar(flags.progress, 'Importing')
      let result: ImportResult
      try {
        result = await withStore(flags, (store) => importOsv(store, paths, { onProgress: (done, total) => bar.update(done, total ?? done, 'records') }))
      } finally {
        bar.stop()
      }
      printImport(result, 'Imported')
      setExit(result.diagnostics.some((d) => d.level === 'error') ? EXIT.ERROR : EXIT.OK)
    })

  withDbOptions(db.command('update').description(`download the public OSV exports (${OSV_BASE_URL}/<ECOSYSTEM>/all.zip): conditional, resumable, integrity-checked`))
    .option('-e, --ecosystems <list>', `ecosystems to fetch (default: ${DEFAULT_UPDATE_ECOSYSTEMS.join(', ')})`, commaList)
    .option('--base-url <url>', 'mirror of the OSV export bucket', OSV_BASE_URL)
    .option('--cache-dir <dir>', 'where downloads are kept (default: DB directory/downloads)')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: DbFlags & { ecosystems?: string[]; baseUrl: string; cacheDir?: string; progress: boolean }) => {
      const { updateOsv, defaultDbDir } = await vulns()
      const loc = await storeOptions(flags)
      const cacheDir = path.resolve(flags.cacheDir ?? ('dataDir' in loc ? path.join(path.dirname(loc.dataDir), `${path.basename(loc.dataDir)}-downloads`) : path.join(defaultDbDir(), '..', 'vulndb-downloads')))
      const bar = progressBar(flags.progress, 'Updating')
      const results = await withStore(flags, async (store) => {
        try {
          return await updateOsv(store, {
            ecosystems: flags.ecosystems?.length ? flags.ecosystems : DEFAULT_UPDATE_ECOSYSTEMS,
            baseUrl: flags.baseUrl,
            cacheDir,
            onProgress: (p) => bar.update(p.done, p.total ?? p.done, `${p.ecosystem} ${p.phase === 'download' ? 'bytes' : 'records'}`),
          })
        } finally {
          bar.stop()
        }
      })
      let failed = false
      for (const r of results) {
        if (r.status === 'unchanged') process.stdout.write(`${r.ecosystem}: unchanged (ETag ${r.etag ?? '-'})\n`)
        else if (r.import) {
          printImport(r.import, `${r.ecosystem}${r.resumedFrom ? ` (resumed at byte ${r.resumedFrom})` : ''}`)
          failed ||= r.import.diagnostics.some((d) => d.level === 'error')
        }
      }
      if (!results.length) throw new PhiwallError('PW_ERR_USAGE', 'No ecosystem to update.')
      setExit(failed ? EXIT.ERROR : EXIT.OK)
    })
}
