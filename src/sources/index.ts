/**
 * @module sources
 * Reading inputs: one parser per format, each giving CloudFormation-shaped resources with
 * file and line, and diagnostics instead of exceptions for bad input.
 */
export { collect, sniff, readOne } from './collect.js'
export type { CollectOptions, Collected, SniffedKind } from './collect.js'
export { walkInputs, displayPath, decodeText, DEFAULT_IGNORED_DIRS, CANDIDATE_EXTENSIONS } from './walk.js'
export type { WalkedFile } from './walk.js'
export type { SourceDocument, SourceResource, FileResult, DocumentContext } from './types.js'
export { parseYamlLocated, parseJsonLocated, LineMap, lineOfProperty, propertyLinesOf } from './located/index.js'
export { parseTemplateText, readCloudFormation, looksLikeCloudFormation, isKnownResourceType, isIntrinsic, isResolved, referencedNames, onlyOwnKey } from './cloudformation/index.js'
export { readServerless, looksLikeServerless } from './serverless/index.js'
export { readTerraformPlan, looksLikeTerraformPlan } from './terraform/index.js'
export { readSnapshot, looksLikeSnapshot, snapshotSchema, SNAPSHOT_SCHEMA_VERSION } from './aws-snapshot/index.js'
export type { Snapshot, SnapshotResource } from './aws-snapshot/index.js'
export { detectLockfile, parseLockfile, LOCKFILE_FORMATS } from './lockfiles/index.js'
export type { LockfileFormat } from './lockfiles/index.js'
export type { FilesystemKind, FilesystemResult, FilesystemOptions, OsInfo } from './filesystem/index.js'
import type { FilesystemKind, FilesystemOptions, FilesystemResult } from './filesystem/index.js'

/**
 * Reads a directory, `docker save` / OCI image, rootfs tarball or zip into its installed
 * components (see `sources/filesystem`). The readers (sql.js, tar and zip) load on first use.
 */
export async function readFilesystem(inputPath: string, options?: FilesystemOptions): Promise<FilesystemResult> {
  return (await import('./filesystem/index.js')).readFilesystem(inputPath, options)
}

/** What a path holds: `directory`, `docker-archive`, `oci-layout`, `zip` or `tar`; undefined otherwise. */
export async function detectFilesystemKind(inputPath: string): Promise<FilesystemKind | undefined> {
  return (await import('./filesystem/index.js')).detectFilesystemKind(inputPath)
}
export { mergeComponents } from './components.js'
export { looksLikeCompose, readCompose, composePorts, composeEnvironment, composeVolumes, composeNetworks, composeDependsOn, composeLinks, composeLabels, composeServiceSecrets, composeBuild } from './compose/index.js'
export type { ComposePort, ComposeEnvVar, ComposeVolume, ComposeServiceNetwork, ComposeDependency, ComposeBuild } from './compose/index.js'
export { readDockerfile, looksLikeDockerfile, isDockerfileName } from './dockerfile/index.js'
export { readKubernetes, looksLikeKubernetesText, K8S_SNAPSHOT_KIND } from './kubernetes/index.js'
export { writePrivateJson } from './write-private.js'
