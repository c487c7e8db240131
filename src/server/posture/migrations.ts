import type { Migration } from '../../store/index.js'

/**
 * The posture domain's tables. Findings and resources hold the rows of the latest scan of each
 * source only (an ingest replaces its source's rows in one transaction), so the findings list
 * needs no latest-scan subquery; older scans keep their summary (history, trend) and, for the last
 * few, the full ScanResult (reports).
 */
export const POSTURE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'posture tables',
    sql: `
CREATE TABLE posture_scans (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  upload_id text NOT NULL UNIQUE,
  source_name text NOT NULL,
  source_host text,
  received_at timestamptz NOT NULL,
  started_at timestamptz,
  duration_ms integer NOT NULL DEFAULT 0,
  is_latest boolean NOT NULL DEFAULT false,
  summary jsonb NOT NULL,
  -- the checks of the scan, id and controls only (the posture roll-up)
  checks jsonb NOT NULL,
  -- the ScanResult as gzip-compressed JSON (reports, inventory): a 60 MB result is ~5 MB, and
  -- storing it costs no jsonb parse (15 s for 60 MB on PGlite)
  result_gz bytea
);
CREATE INDEX posture_scans_source_seq ON posture_scans (source_name, seq DESC);
CREATE INDEX posture_scans_latest ON posture_scans (source_name) WHERE is_latest;

CREATE TABLE posture_findings (
  scan_id text NOT NULL,
  key text NOT NULL,
  source_name text NOT NULL,
  status_order smallint NOT NULL,
  sev_order smallint NOT NULL,
  check_id text NOT NULL,
  title text NOT NULL,
  severity text NOT NULL,
  status text NOT NULL,
  resource_id text NOT NULL,
  resource_name text NOT NULL,
  resource_kind text NOT NULL,
  environment text NOT NULL,
  owner text,
  message text NOT NULL,
  loc_file text NOT NULL,
  loc_line integer,
  -- remediation and controls repeat per check: references into posture_texts (43,000 findings
  -- of the shared corpus carry 14 MB of them, in fewer than 200 distinct texts)
  controls_ref text NOT NULL,
  remediation_ref text NOT NULL,
  -- JSON text, parsed by the server for the page it answers
  file_suppression text,
  PRIMARY KEY (key)
);
-- few indexes: an ingest writes tens of thousands of rows, and answers are cached per version
CREATE INDEX posture_findings_order ON posture_findings (status_order, sev_order, check_id, resource_id, key);
CREATE INDEX posture_findings_resource ON posture_findings (scan_id, resource_id);

CREATE TABLE posture_texts (
  hash text PRIMARY KEY,
  body text NOT NULL
);

CREATE TABLE posture_resources (
  scan_id text NOT NULL,
  id text NOT NULL,
  source_name text NOT NULL,
  kind text NOT NULL,
  type text NOT NULL,
  name text NOT NULL,
  provider text NOT NULL,
  environment text NOT NULL,
  owner text,
  holds_phi text NOT NULL,
  namespace text,
  loc_file text NOT NULL,
  loc_line integer,
  PRIMARY KEY (scan_id, id)
);
CREATE INDEX posture_resources_order ON posture_resources (name, id, scan_id);

CREATE TABLE posture_vulns (
  scan_id text NOT NULL,
  key text NOT NULL,
  source_name text NOT NULL,
  sev_order smallint NOT NULL,
  vuln_id text NOT NULL,
  component text NOT NULL,
  version text NOT NULL,
  ecosystem text NOT NULL,
  severity text NOT NULL,
  cvss double precision,
  fixed_in text,
  resources jsonb NOT NULL,
  owners jsonb NOT NULL,
  PRIMARY KEY (scan_id, key)
);
CREATE INDEX posture_vulns_order ON posture_vulns (sev_order, vuln_id, component, version, key);
CREATE INDEX posture_vulns_source ON posture_vulns (source_name);

CREATE TABLE posture_suppressions (
  finding_key text PRIMARY KEY,
  reason text NOT NULL,
  expires_at timestamptz NOT NULL,
  by_actor text NOT NULL,
  at timestamptz NOT NULL
);

CREATE TABLE posture_sources (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  path text NOT NULL,
  interval_minutes integer NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  last_run_at timestamptz,
  last_status text,
  next_run_at timestamptz NOT NULL
);
CREATE INDEX posture_sources_due ON posture_sources (next_run_at);

CREATE TABLE posture_jobs (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  source_id text NOT NULL,
  source_name text NOT NULL,
  path text NOT NULL,
  state text NOT NULL,
  progress double precision NOT NULL DEFAULT 0,
  message text NOT NULL DEFAULT '',
  scan_id text,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX posture_jobs_queued ON posture_jobs (seq) WHERE state = 'queued';

-- bumped by every write to posture state: the version the read cache of each server keys on
CREATE TABLE posture_state (
  id integer PRIMARY KEY,
  version bigint NOT NULL
);
INSERT INTO posture_state (id, version) VALUES (1, 0);
`,
  },
  {
    version: 2,
    name: 'finding counts',
    sql: `
-- totals of the findings list per filterable combination, maintained at ingest (a source's rows are
-- replaced together); the list counts from here unless it filters by resource or text
CREATE TABLE posture_finding_counts (
  source_name text NOT NULL,
  status_order smallint NOT NULL,
  sev_order smallint NOT NULL,
  environment text NOT NULL,
  owner text,
  check_id text NOT NULL,
  n integer NOT NULL
);
CREATE INDEX posture_finding_counts_source ON posture_finding_counts (source_name);
INSERT INTO posture_finding_counts (source_name, status_order, sev_order, environment, owner, check_id, n)
  SELECT source_name, status_order, sev_order, environment, owner, check_id, count(*)::int FROM posture_findings
  GROUP BY source_name, status_order, sev_order, environment, owner, check_id;
`,
  },
]
