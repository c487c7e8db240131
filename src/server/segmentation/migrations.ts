import type { Migration } from '../../store/index.js'

/**
 * The segmentation domain's tables. Counters and epoch-millisecond times are `double precision`
 * (exact integers up to 2^53, returned as numbers by both drivers, unlike `bigint`).
 *
 * - `flow_ingests`: one row per accepted agent batch or flow upload, keyed by (kind, id): the
 *   idempotency record (a retried batchId inserts nothing) and the per-ingest summary.
 * - `flow_edges`: the baseline, one row per edge key; counters in their own columns so that
 *   concurrent ingests add to them in one `INSERT … ON CONFLICT DO UPDATE` (no lost updates),
 *   peers / sources / samples / review as JSON, state and from/to keys as columns for filtering.
 * - `flow_identities`, `flow_workloads`, `flow_dns`, `flow_hosts`, `flow_listeners`: the rest of
 *   the baseline (identities, per-workload mode, learning window and PHI egress exceptions, DNS
 *   knowledge, agent hosts' addresses and which process listens where, for cross-host joins).
 * - `flow_recent`: the flows of recent ingests, resolved, aggregated per ingest and edge (with a
 *   count), for policy simulation. Retention: the last {@link RECENT_FLOW_DAYS} days and at most
 *   {@link RECENT_FLOW_MAX_ROWS} rows, pruned by every ingest.
 * - `flow_alerts`: deviations grouped by key (`type|edge key`): a repeat raises count and last seen.
 * - `policy_approvals`: approvals of a generated policy's digest.
 * - `fingerprint_uploads` / `fingerprint_artifacts`, `phi_evidence`: CI fingerprints and PHI scan reports, as received.
 */
export const SEGMENTATION_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'flows-baseline-policy-alerts-evidence',
    sql: `
CREATE TABLE flow_ingests (
  kind text NOT NULL,
  id text NOT NULL,
  source text NOT NULL,
  format text NOT NULL,
  actor text NOT NULL,
  received_at timestamptz NOT NULL,
  records integer NOT NULL,
  lines integer NOT NULL,
  flows integer NOT NULL,
  skipped integer NOT NULL,
  malformed integer NOT NULL,
  unresolved integer NOT NULL,
  edges integer NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE TABLE flow_identities (
  id text PRIMARY KEY,
  identity jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE TABLE flow_edges (
  key text PRIMARY KEY,
  from_key text NOT NULL,
  to_key text NOT NULL,
  from_peer jsonb NOT NULL,
  to_peer jsonb NOT NULL,
  port integer NOT NULL,
  protocol text NOT NULL,
  state text NOT NULL,
  origin text NOT NULL,
  declared_by text,
  review jsonb,
  count double precision NOT NULL,
  bytes double precision NOT NULL,
  packets double precision NOT NULL,
  dropped double precision NOT NULL,
  first_seen double precision NOT NULL,
  last_seen double precision NOT NULL,
  sources jsonb NOT NULL,
  samples jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX flow_edges_from_key ON flow_edges (from_key);
CREATE INDEX flow_edges_to_key ON flow_edges (to_key);
CREATE INDEX flow_edges_state ON flow_edges (state);
CREATE TABLE flow_workloads (
  id text PRIMARY KEY,
  mode text NOT NULL,
  learning_days double precision,
  exceptions jsonb NOT NULL DEFAULT '[]'::jsonb,
  first_seen double precision,
  last_seen double precision,
  changed_by text,
  changed_at timestamptz
);
CREATE TABLE flow_dns (
  name text NOT NULL,
  address text NOT NULL,
  PRIMARY KEY (name, address)
);
CREATE TABLE flow_hosts (
  host text NOT NULL,
  address text NOT NULL,
  PRIMARY KEY (host, address)
);
CREATE TABLE flow_listeners (
  host text NOT NULL,
  ip text NOT NULL,
  port integer NOT NULL,
  protocol text NOT NULL,
  identity_id text NOT NULL,
  PRIMARY KEY (host, ip, port, protocol)
);
CREATE TABLE flow_recent (
  id bigserial PRIMARY KEY,
  ingest_kind text NOT NULL,
  ingest_id text NOT NULL,
  received_at timestamptz NOT NULL,
  edge_key text NOT NULL,
  from_key text NOT NULL,
  to_key text NOT NULL,
  count integer NOT NULL,
  flow jsonb NOT NULL
);
CREATE INDEX flow_recent_received_at ON flow_recent (received_at);
CREATE TABLE flow_alerts (
  id text PRIMARY KEY,
  key text NOT NULL UNIQUE,
  type text NOT NULL,
  severity text NOT NULL,
  workload text NOT NULL,
  edge_key text NOT NULL,
  from_key text NOT NULL,
  to_key text NOT NULL,
  subject text,
  mode text NOT NULL,
  message text NOT NULL,
  suggestion text NOT NULL,
  count double precision NOT NULL,
  first_seen double precision NOT NULL,
  last_seen double precision NOT NULL,
  evidence jsonb NOT NULL,
  state text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  ack_by text,
  ack_at timestamptz,
  ack_note text,
  resolved_at timestamptz
);
CREATE INDEX flow_alerts_last_seen ON flow_alerts (last_seen DESC, id);
CREATE INDEX flow_alerts_edge_key ON flow_alerts (edge_key);
CREATE TABLE policy_approvals (
  digest text PRIMARY KEY,
  approved_by text NOT NULL,
  approved_at timestamptz NOT NULL,
  reason text NOT NULL,
  workloads integer NOT NULL
);
CREATE TABLE fingerprint_uploads (
  upload_id text PRIMARY KEY,
  name text,
  commit_sha text,
  built_at text,
  manifest jsonb NOT NULL,
  artifacts integer NOT NULL,
  actor text NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE TABLE fingerprint_artifacts (
  upload_id text NOT NULL REFERENCES fingerprint_uploads (upload_id) ON DELETE CASCADE,
  path text NOT NULL,
  sha256 text NOT NULL,
  size double precision,
  PRIMARY KEY (upload_id, path)
);
CREATE INDEX fingerprint_artifacts_sha256 ON fingerprint_artifacts (sha256);
CREATE TABLE phi_evidence (
  upload_id text PRIMARY KEY,
  target text,
  report jsonb NOT NULL,
  files integer NOT NULL,
  files_with_phi integer NOT NULL,
  findings integer NOT NULL,
  actor text NOT NULL,
  received_at timestamptz NOT NULL
);
`,
  },
]

/** Recent flows are kept this many days for simulation. */
export const RECENT_FLOW_DAYS = 7
/** …and at most this many rows (one row = one edge of one ingest, with its count). */
export const RECENT_FLOW_MAX_ROWS = 100_000
