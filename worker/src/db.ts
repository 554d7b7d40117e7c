/**
 * All SQL of the worker lives in worker/src/db/ (prepared statements only); this module re-exports it so callers
 * import from one place:
 *   db/rows.ts        record types, shared SQL fragments, row mapping
 *   db/writes.ts      uploads (one batch per write), tokens, retention
 *   db/reads.ts       runs, listings, latest, history, badges, the default branch
 *   db/board.ts       the precomputed leaderboard (board_entries, boards)
 *   db/retention.ts   chunked retention deletes
 */
export * from './db/rows.js';
export * from './db/writes.js';
export * from './db/reads.js';
export * from './db/shard-state.js';
export * from './db/board.js';
export * from './db/retention.js';
