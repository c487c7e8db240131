/**
 * Third-party components: what a lockfile, a manifest, an installed-package database or a
 * filesystem says is installed. One shape for every source, so the SBOM writers and the
 * vulnerability matcher judge one thing.
 */

/**
 * OSV ecosystem names (https://ossf.github.io/osv-schema/#defined-ecosystems) PhiWall reads. The
 * release of a distribution is not part of it: it is {@link Component.release}.
 */
export type Ecosystem = 'npm' | 'PyPI' | 'Go' | 'Maven' | 'crates.io' | 'RubyGems' | 'Packagist' | 'Debian' | 'Ubuntu' | 'Alpine' | 'Red Hat'

/** Every {@link Ecosystem}. */
export const ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'PyPI', 'Go', 'Maven', 'crates.io', 'RubyGems', 'Packagist', 'Debian', 'Ubuntu', 'Alpine', 'Red Hat']

/** Where a component was found. */
export interface ComponentLocation {
  /**
   * The file that declares it, relative to the scan root with forward slashes. Inside an archive
   * or image: `<archive path>!/<path inside>` (`app.tar!/usr/lib/node_modules/npm/package.json`).
   */
  file: string
  /** 1-based line of the entry in that file, where the format has lines. */
  line?: number
  /** Image layer (digest `sha256:…`) that last wrote the file, for container images. */
  layer?: string
}

/** How a component came into the project. */
export type DependencyScope = 'prod' | 'dev' | 'optional' | 'peer'

/** One installed (or locked) package version. */
export interface Component {
  ecosystem: Ecosystem
  /**
   * Distribution release for OS packages, as OSV spells it after the colon: Debian `12`,
   * Ubuntu `22.04` (`22.04:LTS` in OSV is matched on the number), Alpine `v3.19`, Red Hat `9`.
   */
  release?: string
  /**
   * Name as the ecosystem's advisories spell it: npm `@scope/name`, PyPI the normalised name
   * (PEP 503: lower case, runs of `-_.` as `-`), Go the module path, Maven `group:artifact`,
   * Packagist `vendor/name`, Debian / Ubuntu / Alpine / Red Hat the binary package name.
   */
  name: string
  /** Installed version exactly as the ecosystem writes it (Debian with epoch and revision: `1:2.3-4`). */
  version: string
  /**
   * OS packages: the source package it was built from, which is what Debian, Ubuntu and Alpine
   * advisories name. Absent when it equals `name`.
   */
  sourceName?: string
  /** OS packages: the source package version, when it differs from `version`. */
  sourceVersion?: string
  /** Package URL (https://github.com/package-url/purl-spec), built with packageurl-js. */
  purl: string
  /** `library` for language packages, `os-package` for dpkg / apk / RPM entries. */
  type: 'library' | 'os-package'
  /** Every place it was found (the same name and version in several lockfiles is one component). */
  locations: ComponentLocation[]
  /** Listed as a direct dependency by the project's manifest; false for transitive; absent when the format cannot tell. */
  direct?: boolean
  scope?: DependencyScope
  /**
   * Dependency chains from a direct dependency down to this component, as `name@version` steps
   * (`["express@4.17.1", "body-parser@1.19.0", "qs@6.7.0"]`); the shortest few, where the
   * lockfile records the graph (npm, yarn, pnpm, Cargo, Poetry, uv, Go).
   */
  paths?: string[][]
  /** SPDX license expression, where the source states it. */
  license?: string
  /** Which reader found it: `package-lock.json`, `yarn.lock`, `dpkg`, `apk`, `rpm`, `node_modules`, `dist-info`, … */
  foundBy: string
}
