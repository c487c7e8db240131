import { PhiwallError } from '../../model/index.js'
import { parseCargoLock } from './cargo.js'
import { invalid } from './common.js'
import { parseComposerLock } from './composer.js'
import { detectLockfile } from './detect.js'
import { parseGoMod, parseGoSum } from './go.js'
import { parseGradleLockfile } from './gradle.js'
import { parsePom } from './maven.js'
import { parseNpmLock } from './npm.js'
import { parsePnpmLock } from './pnpm.js'
import { parsePipfileLock, parsePoetryLock, parseUvLock } from './python.js'
import { parseRequirements } from './requirements.js'
import { parseGemfileLock } from './ruby.js'
import type { FormatParser, LockfileFormat, LockfileResult, ParseLockfileOptions } from './types.js'
import { parseYarnLock } from './yarn.js'

const PARSERS: Record<LockfileFormat, FormatParser> = {
  'package-lock': parseNpmLock('package-lock.json'),
  'npm-shrinkwrap': parseNpmLock('npm-shrinkwrap.json'),
  'yarn-lock': parseYarnLock,
  'pnpm-lock': parsePnpmLock,
  requirements: parseRequirements,
  'pipfile-lock': parsePipfileLock,
  'poetry-lock': parsePoetryLock,
  'uv-lock': parseUvLock,
  'go-mod': parseGoMod,
  'go-sum': parseGoSum,
  'cargo-lock': parseCargoLock,
  'gemfile-lock': parseGemfileLock,
  'composer-lock': parseComposerLock,
  pom: parsePom,
  'gradle-lockfile': parseGradleLockfile,
}

/**
 * Reads a lockfile or manifest into components (purl, 1-based line, direct, scope and the
 * shortest dependency chains where the format records the graph). Bad input never throws: a
 * corrupt file gives PW_ERR_LOCKFILE_INVALID diagnostics with file and line, and whatever could
 * be read still comes back.
 *
 * @param file display path (relative, forward slashes) used in locations and diagnostics
 * @throws PhiwallError PW_ERR_USAGE when no format is given and none can be recognised
 */
export function parseLockfile(file: string, text: string, options: ParseLockfileOptions = {}): LockfileResult {
  const format = options.format ?? detectLockfile(file, text)
  if (format === undefined) throw new PhiwallError('PW_ERR_USAGE', `${file} is not a lockfile or manifest PhiWall reads; pass options.format.`)
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  try {
    const { components, diagnostics } = PARSERS[format]({ file, text: body, readSibling: options.readSibling })
    return { format, components, diagnostics }
  } catch (e) {
    // a parser bug must not stop the scan: report it on the file
    return { format, components: [], diagnostics: [invalid(file, `The ${format} reader failed: ${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}`)] }
  }
}
