/**
 * @module sources/filesystem
 * Container images (`docker save`, OCI layouts), VM and root filesystems, Lambda zips and jars →
 * the components installed in them: OS package databases and language packages.
 */
export { readFilesystem, detectFilesystemKind } from './read.js'
export { parseDpkgStatus, parseControlStanzas } from './dpkg.js'
export type { DpkgOptions, ControlStanza } from './dpkg.js'
export { parseApkInstalled } from './apk.js'
export { parseRpmHeader, parseRpmHeaders, parseRpmSqlite, parseRpmBerkeleyDb, readBerkeleyDbValues, rpmComponent, parseSourceRpm, RPMTAG } from './rpm.js'
export type { RpmHeader, RpmValue } from './rpm.js'
export { parseOsRelease } from './os-release.js'
export { parseNodePackageJson, parsePythonMetadata, parseGemspec, parseComposerInstalled, parsePomProperties, normalizePypiName } from './languages.js'
export { isPackageMetadataPath } from './components.js'
export { applyLayer, normalizeEntryPath, resolvePath } from './vfs.js'
export type { FilesystemKind, FilesystemOptions, FilesystemResult, FilesystemFile, OsInfo, ParseContext, FsEntry, VirtualFs } from './types.js'
