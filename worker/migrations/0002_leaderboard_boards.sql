-- Migration number: 0002 	 precomputed leaderboard (board_entries, boards); scores lose the index only the old leaderboard scan used

-- The leaderboard's candidates, maintained by every upload that completes a non-pull-request run: per benchmark,
-- protocol, repository and model, the run that completed last with its whole-benchmark accuracy. A view reads one
-- board's rows (at most one per repository and model) instead of scanning every score row and ranking per view.
CREATE TABLE board_entries (
  benchmark TEXT NOT NULL,
  protocol TEXT NOT NULL,
  repository_id INTEGER NOT NULL,
  model TEXT NOT NULL,
  repository TEXT NOT NULL,
  run_id TEXT NOT NULL,
  checkpoint TEXT,
  commit_sha TEXT,
  created_at INTEGER NOT NULL,
  completed_at INTEGER NOT NULL,
  verified INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  value REAL NOT NULL,
  n INTEGER NOT NULL,
  ci_low REAL,
  ci_high REAL,
  chance_accuracy REAL,
  PRIMARY KEY (benchmark, protocol, repository_id, model)
) WITHOUT ROWID;

-- One row per (benchmark, protocol) with entries. `version` is bumped in the same transaction as any entry change;
-- `summary` (the top of the ranked board, JSON) and `ranking` (every entry's key and rank range in rank order, JSON)
-- are valid while summary_version = version, else rebuilt on read.
CREATE TABLE boards (
  benchmark TEXT NOT NULL,
  protocol TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  summary_version INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  ranking TEXT,
  PRIMARY KEY (benchmark, protocol)
) WITHOUT ROWID;

INSERT INTO board_entries (benchmark, protocol, repository_id, model, repository, run_id, checkpoint, commit_sha,
    created_at, completed_at, verified, fingerprint, value, n, ci_low, ci_high, chance_accuracy)
  SELECT benchmark, protocol, repository_id, model, repository, id, checkpoint, commit_sha, created_at, completed_at,
    verified, fingerprint, value, n, ci_low, ci_high, chance_accuracy
  FROM (SELECT s.benchmark, s.protocol, r.repository_id, r.model, p.full_name AS repository, r.id, r.checkpoint,
      r.commit_sha, r.created_at, COALESCE(r.completed_at, r.created_at) AS completed_at, r.verified, s.fingerprint,
      s.value, s.n, s.ci_low, s.ci_high, s.chance_accuracy,
      ROW_NUMBER() OVER (PARTITION BY s.benchmark, s.protocol, r.repository_id, r.model
        ORDER BY r.completed_at DESC, r.created_at DESC, r.id DESC) AS rn
    FROM scores s JOIN runs r ON r.id = s.run_id JOIN repositories p ON p.id = r.repository_id
    WHERE s.group_key = '' AND s.metric = 'accuracy' AND r.status = 'complete'
      AND r.pr_number IS NULL AND (r.ref IS NULL OR r.ref NOT LIKE 'refs/pull/%'))
  WHERE rn = 1;

INSERT INTO boards (benchmark, protocol) SELECT DISTINCT benchmark, protocol FROM board_entries;

-- Only the old leaderboard query read scores by benchmark; every reader now goes through run_id (the primary key),
-- and each index costs one more written row per score row (D1 bills index writes).
DROP INDEX scores_by_benchmark;
