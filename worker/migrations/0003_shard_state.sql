-- Migration number: 0003 	 shard bookkeeping: concurrency-safe shard checks and failed runs

-- One row per sharded run while it collects shards. Every shard write requires the version it read and bumps it in
-- the same batch (a batch is one transaction), so two concurrent shards cannot both pass the checks against the
-- same stored state: the later write fails as a whole and re-checks against the shard that got in first.
CREATE TABLE shard_state (
  run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  -- SHA-256 of the settings every shard of the run shares (merge.ts shardSettings, canonical JSON)
  settings_sha256 TEXT NOT NULL,
  -- JSON {benchmark id: base64 bitset}: the items the stored shards hold (a new shard may hold none of them)
  claimed TEXT NOT NULL
);

-- Why the run's shards could not be merged; the run then reads as 'failed', its shards are dropped, and uploading
-- its shards again starts it over (the next shard write clears this).
ALTER TABLE runs ADD COLUMN failure TEXT;
