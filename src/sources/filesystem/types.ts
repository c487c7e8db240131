import type { Component, Diagnostic, Ecosystem } from '../../model/index.js'

/** What {@link readFilesystem} was given: `tar` is a plain root-filesystem tarball (`docker export`, a VM image export). */
export type FilesystemKind = 'directory' | 'docker-archive' | 'oci-layout' | 'zip' | 'tar'

/** One path of the virtual filesystem, after the layers were applied. */
export interface FsEntry {
  /** Path inside the filesystem, relative to its root, forward slashes, no leading `/`. */
  path: string
  type: 'file' | 'dir' | 'symlink' | 'hardlink'
  size: number
  /** Layer (digest) that last wrote the path, for images. */
  layer?: string
  /** Symlink or hard link target, as written in the archive. */
  linkTarget?: string
  /** Contents, only for files a reader needs (see {@link FilesystemOptions.extraFileFilter}). */
  content?: Buffer
}

/** The filesystem: path → entry. Plain data; the functions of `vfs.ts` change it. */
export type VirtualFs = Map<string, FsEntry>

/** A file handed to {@link FilesystemOptions.onFile}. */
export interface FilesystemFile {
  /** Path inside the filesystem (`app/package-lock.json`). */
  path: string
  /** Location as reported: `<archive>!/<path>` or `<dir>/<path>`. */
  file: string
  layer?: string
  text: string
}

/** Options of {@link readFilesystem}. */
export interface FilesystemOptions {
  /** Path to report instead of the input path (e.g. relative to the scan root). */
  displayName?: string
  /** More files whose contents to keep and hand to {@link onFile} (lockfiles, by inner path). */
  extraFileFilter?: (innerPath: string) => boolean
  /** Called for every file accepted by {@link extraFileFilter}, after the layers were applied. */
  onFile?: (file: FilesystemFile) => void
  /** Largest file whose contents are kept (default 128 MiB); larger ones are skipped with a warning. */
  maxFileBytes?: number
  /** Largest uncompressed zip entry (default 512 MiB) and largest entry/compressed ratio (default 200) accepted. */
  maxZipEntryBytes?: number
  maxZipRatio?: number
}

/** The operating system named by `etc/os-release`. */
export interface OsInfo {
  /** `ID` (`debian`, `ubuntu`, `alpine`, `rhel`, `rocky`, …). */
  id: string
  /** `VERSION_ID` as written. */
  versionId?: string
  /** OSV ecosystem of its packages, when PhiWall matches that distribution. */
  ecosystem?: Ecosystem
  /** Release as OSV spells it (Debian `12`, Ubuntu `22.04`, Alpine `v3.19`, Red Hat `9`). */
  release?: string
  /** `PRETTY_NAME`, for reports. */
  prettyName?: string
}

/** What {@link readFilesystem} found. */
export interface FilesystemResult {
  kind: FilesystemKind
  os?: OsInfo
  components: Component[]
  diagnostics: Diagnostic[]
  /** Layer ids in order (diff ids, `sha256:…`), for images. */
  layers?: string[]
}

/** Where a parser's components are located: the reported file and the layer. */
export interface ParseContext {
  /** Reported file (`img.tar!/var/lib/dpkg/status`). */
  file: string
  layer?: string
  os?: OsInfo
}
