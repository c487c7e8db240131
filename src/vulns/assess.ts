import fs from 'node:fs'
import type { Component, Diagnostic, Finding } from '../model/index.js'
import { PhiwallError, pushAll } from '../model/index.js'
import { openStore, type Store } from '../store/index.js'
import { dbStatus, defaultDbDir, ensureVulnDb, lookupAdvisories, type DbStatus } from './db/index.js'
import { VULN_CHECK, VULN_CHECK_ID, vulnerabilityFindings } from './findings.js'
import { matchComponents, type VulnMatch } from './match.js'
import { parseVex, type VexStatement } from './vex/index.js'

/** Where the vulnerability database is and what else to apply. */
export interface AssessOptions {
  /** PGlite data directory (default {@link defaultDbDir}). */
  dbDir?: string
  /** PostgreSQL connection string; wins over `dbDir`. */
  databaseUrl?: string
  /** An open store (tests, the server); wins over both. */
  store?: Store
  /** OpenVEX / CycloneDX VEX files whose statements are honoured. */
  vexFiles?: string[]
  /** Clock for the staleness warning. */
  now?: Date
}

/** What the vulnerability stage produced. */
export interface Assessment {
  findings: Finding[]
  matches: VulnMatch[]
  diagnostics: Diagnostic[]
  /** The database the components were judged against; absent when there was none. */
  db?: Pick<DbStatus, 'total' | 'lastUpdated' | 'ageDays' | 'stale'> & { location: string }
}

/** Statements of every VEX file; unreadable files and bad statements are diagnostics. */
export function readVexFiles(files: string[]): { statements: VexStatement[]; diagnostics: Diagnostic[] } {
  const statements: VexStatement[] = []
  const diagnostics: Diagnostic[] = []
  for (const file of files) {
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      diagnostics.push({ code: 'PW_ERR_VEX_INVALID', level: 'error', message: `VEX file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, file })
      continue
    }
    const parsed = parseVex(file, text)
    pushAll(statements, parsed.statements)
    diagnostics.push(...parsed.diagnostics)
  }
  return { statements, diagnostics }
}

/**
 * The vulnerability stage of a scan: judges components against the offline OSV database,
 * honours VEX statements, and returns findings mapped to the vulnerability controls. Without a
 * database the components are listed as `manual` (not judged) with a warning that says how to
 * get one; a database older than 7 days is used with a warning.
 */
export async function assessComponents(components: Component[], options: AssessOptions = {}): Promise<Assessment> {
  const diagnostics: Diagnostic[] = []
  if (!components.length) return { findings: [], matches: [], diagnostics }
  const vex = readVexFiles(options.vexFiles ?? [])
  diagnostics.push(...vex.diagnostics)
  const location = options.store ? 'store' : options.databaseUrl ? 'DATABASE_URL' : (options.dbDir ?? defaultDbDir())
  let store = options.store
  const owned = !store
  if (!store) {
    if (!options.databaseUrl && !fs.existsSync(location)) return notJudged(components, diagnostics, location, `No vulnerability database at ${location}: the ${components.length} components found were not checked for known vulnerabilities. Run \`phiwall db update\` or \`phiwall db import DIR|ZIP\`.`)
    store = await openStore(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: location })
  }
  try {
    await ensureVulnDb(store)
    const status = await dbStatus(store, options.now ?? new Date())
    if (status.total === 0) return notJudged(components, diagnostics, location, `The vulnerability database at ${location} is empty: the ${components.length} components found were not checked. Run \`phiwall db update\` or \`phiwall db import DIR|ZIP\`.`)
    if (status.stale) {
      diagnostics.push({
        code: 'PW_ERR_VULNDB_STALE',
        level: 'warning',
        message: `The vulnerability database was last updated ${status.ageDays?.toFixed(0) ?? '?'} days ago (${status.lastUpdated ?? 'unknown'}); vulnerabilities published since are missed. Run \`phiwall db update\`.`,
        file: location,
      })
    }
    const matches = await matchComponents(components, (q) => lookupAdvisories(store!, q), { vex: vex.statements })
    return {
      findings: vulnerabilityFindings(components, matches),
      matches,
      diagnostics,
      db: { location, total: status.total, stale: status.stale, ...(status.lastUpdated ? { lastUpdated: status.lastUpdated } : {}), ...(status.ageDays !== undefined ? { ageDays: status.ageDays } : {}) },
    }
  } catch (err) {
    if (err instanceof PhiwallError) throw err
    throw new PhiwallError('PW_ERR_STORE', `The vulnerability database at ${location} cannot be read (${err instanceof Error ? err.message : String(err)}).`, { cause: err })
  } finally {
    if (owned) await store.close()
  }
}

/** Without a database: a warning, and one `manual` finding per component source so the controls say so. */
function notJudged(components: Component[], diagnostics: Diagnostic[], location: string, message: string): Assessment {
  diagnostics.push({ code: 'PW_ERR_VULNDB_MISSING', level: 'warning', message, file: location })
  const sources = new Map<string, number>()
  for (const c of components) {
    const l = c.locations[0]
    if (!l) continue
    const i = l.file.indexOf('!/')
    const file = i === -1 ? l.file : l.file.slice(0, i)
    sources.set(file, (sources.get(file) ?? 0) + 1)
  }
  const findings: Finding[] = [...sources].sort((a, b) => a[0].localeCompare(b[0])).map(([file, n]) => ({
    checkId: VULN_CHECK_ID,
    title: VULN_CHECK.title,
    resourceId: `file:${file}`,
    status: 'manual',
    severity: VULN_CHECK.severity,
    message: `The ${n} component${n === 1 ? '' : 's'} of ${file} were not checked: no vulnerability database.`,
    evidence: { components: n },
    location: { file },
    remediation: 'Run `phiwall db update` (or `phiwall db import` with OSV data) and scan again.',
    controls: VULN_CHECK.controls,
    references: VULN_CHECK.references,
  }))
  return { findings, matches: [], diagnostics }
}
