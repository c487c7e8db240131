/**
 * @module sources/lockfiles
 * Lockfiles and manifests of language package managers (npm, yarn, pnpm, pip, Pipenv, Poetry,
 * uv, Go, Cargo, Bundler, Composer, Maven, Gradle) read into {@link Component}s with purl, line,
 * direct / transitive, scope and dependency chains.
 */
export { LOCKFILE_FORMATS, detectLockfile } from './detect.js'
export { parseLockfile } from './parse.js'
export type { LockfileFormat, LockfileResult, ParseLockfileOptions } from './types.js'
