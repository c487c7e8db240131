import os from 'node:os'
import path from 'node:path'

/**
 * Where the vulnerability database lives by default: `$PHIWALL_DB_DIR`, else
 * `${XDG_CACHE_HOME:-~/.cache}/phiwall/vulndb`.
 */
export function defaultDbDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['PHIWALL_DB_DIR']) return path.resolve(env['PHIWALL_DB_DIR'])
  const cache = env['XDG_CACHE_HOME'] ? path.resolve(env['XDG_CACHE_HOME']) : path.join(os.homedir(), '.cache')
  return path.join(cache, 'phiwall', 'vulndb')
}
