-- Migration number: 0001 	 core tables: repositories, runs, scores, shards, blobs, used_jti, api_tokens

-- One row per "owner/name". GitHub's numeric ids are pinned by the first OIDC upload so a renamed or re-created
-- repository that reuses the name cannot write into this history.
CREATE TABLE repositories (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  full_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  github_id INTEGER,
  owner_github_id INTEGER,
  created_at INTEGER NOT NULL
);

-- One row per run (sharded runs: one row for the whole run, status 'incomplete' until every shard arrived).
-- Summary columns serve listings and badges; the validated body lives in blobs under key 'run:<id>'.
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  repository_id INTEGER NOT NULL REFERENCES repositories(id),
  run_key TEXT NOT NULL UNIQUE,
  body_sha256 TEXT,
  status TEXT NOT NULL CHECK (status IN ('complete', 'incomplete')),
  shard_count INTEGER,
  commit_sha TEXT,
  ref TEXT,
  pr_number INTEGER,
  base_ref TEXT,
  model TEXT NOT NULL,
  checkpoint TEXT,
  protocol TEXT NOT NULL,
  suite_version TEXT NOT NULL,
  score_mean REAL,
  workflow_ref TEXT,
  gh_run_id TEXT,
  verified INTEGER NOT NULL DEFAULT 0,
  uploader TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX runs_by_repo_time ON runs (repository_id, created_at DESC, id DESC);
CREATE INDEX runs_by_repo_ref ON runs (repository_id, ref, status, created_at DESC);
CREATE INDEX runs_by_repo_sha ON runs (repository_id, commit_sha, status);
CREATE INDEX runs_by_pr_age ON runs (pr_number, created_at) WHERE pr_number IS NOT NULL;

-- Per benchmark (group_key = '' for the whole benchmark) and metric: what history, badges and leaderboard read.
CREATE TABLE scores (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark TEXT NOT NULL,
  group_key TEXT NOT NULL DEFAULT '',
  group_value TEXT NOT NULL DEFAULT '',
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  n INTEGER NOT NULL,
  ci_low REAL,
  ci_high REAL,
  fingerprint TEXT NOT NULL,
  protocol TEXT NOT NULL,
  chance_accuracy REAL,
  PRIMARY KEY (run_id, benchmark, group_key, group_value, metric)
);
CREATE INDEX scores_by_benchmark ON scores (benchmark, protocol, fingerprint, metric, group_key);

-- Shards of a run as uploaded; merged into the run once all shard_count of them are present.
CREATE TABLE shards (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  shard_index INTEGER NOT NULL,
  body_sha256 TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, shard_index)
);

-- Bodies split into parts: D1 caps a row at 2 MB and a 100,000-item run with graded scores exceeds it.
CREATE TABLE blobs (
  key TEXT NOT NULL,
  part INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (key, part)
);

-- OIDC token ids already used (replay protection), kept until the token would have expired anyway.
CREATE TABLE used_jti (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);

-- Scoped API tokens for non-GitHub uploaders; only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_sha256 TEXT NOT NULL UNIQUE,
  repos TEXT NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
