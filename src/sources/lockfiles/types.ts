import type { Component, Diagnostic } from '../../model/index.js'

/** Lockfile and manifest formats read by {@link parseLockfile}. */
export type LockfileFormat =
  | 'package-lock'
  | 'npm-shrinkwrap'
  | 'yarn-lock'
  | 'pnpm-lock'
  | 'requirements'
  | 'pipfile-lock'
  | 'poetry-lock'
  | 'uv-lock'
  | 'go-mod'
  | 'go-sum'
  | 'cargo-lock'
  | 'gemfile-lock'
  | 'composer-lock'
  | 'pom'
  | 'gradle-lockfile'

/** Options of {@link parseLockfile}. */
export interface ParseLockfileOptions {
  /** Format to read the file as; detected from the name and content when absent. */
  format?: LockfileFormat
  /**
   * Reads a file by its path relative to the lockfile's folder — a base name beside it
   * (`package.json`, `pyproject.toml`, `Gemfile`, `composer.json`, `Pipfile`, `go.mod`) or a
   * requirements file named by `-r` — or returns undefined. Used to tell direct from transitive
   * dependencies and their scope, to follow `-r`, and to skip go.sum beside a go.mod.
   */
  readSibling?: (name: string) => string | undefined
}

/** What a lockfile holds. */
export interface LockfileResult {
  format: LockfileFormat
  components: Component[]
  diagnostics: Diagnostic[]
}

/** Input of one format's parser. */
export interface ParserInput {
  file: string
  text: string
  readSibling?: ((name: string) => string | undefined) | undefined
}

/** One format's parser: never throws on bad input. */
export type FormatParser = (input: ParserInput) => { components: Component[]; diagnostics: Diagnostic[] }
