import type { Migration } from '../../store/index.js'

/**
 * Tables of the offline OSV database (domain `vulndb` of `schema_migrations`).
 *
 * - `vulndb_records`: one row per OSV id, the whole record as compact JSON text (exactly what was
 *   imported; cast with `record::jsonb` to query inside it).
 * - `vulndb_affected`: the lookup index — one row per (record, affected package): the OSV ecosystem
 *   as written (`Debian:12`), its base (`Debian`), a release key (`12`, `22.04` for `Ubuntu:22.04:LTS`)
 *   and the normalised package name (PEP 503 for PyPI).
 * - `vulndb_aliases`: (record id, alias) for CVE ↔ GHSA ↔ PYSEC merging.
 * - `vulndb_meta`: one row per base ecosystem: where it came from, when, how many records, the file's ETag and hashes.
 */
export const VULNDB_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'osv-records',
    sql: `
CREATE TABLE vulndb_records (
  id text PRIMARY KEY,
  modified timestamptz NOT NULL,
  published timestamptz,
  withdrawn timestamptz,
  summary text,
  source text,
  record text NOT NULL
);
CREATE TABLE vulndb_affected (
  record_id text NOT NULL,
  osv_ecosystem text NOT NULL,
  ecosystem text NOT NULL,
  release text,
  name text NOT NULL
);
CREATE INDEX vulndb_affected_lookup ON vulndb_affected (ecosystem, name);
CREATE INDEX vulndb_affected_record ON vulndb_affected (record_id);
CREATE TABLE vulndb_aliases (
  record_id text NOT NULL,
  alias text NOT NULL,
  PRIMARY KEY (record_id, alias)
);
CREATE INDEX vulndb_aliases_alias ON vulndb_aliases (alias);
CREATE TABLE vulndb_meta (
  ecosystem text PRIMARY KEY,
  source text,
  imported_at timestamptz,
  record_count integer NOT NULL DEFAULT 0,
  etag text,
  sha256 text,
  crc32c text,
  md5 text,
  updated_at timestamptz
);`,
  },
]
