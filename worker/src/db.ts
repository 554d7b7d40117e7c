/**
 * All SQL of the worker lives in worker/src/db/ (prepared statements only); this module re-exports it so callers
 * import from one place:
 *   db/rows.ts        record types, shared SQL fragments, row mapping
 *   db/writes.ts      uploads (one batch per write), tokens, retention
 *   db/reads.ts       runs, listings, latest, history, badges, the default branch
 *   db/leaderboard.ts the leaderboard's candidate rows
 */
export * from './db/rows.js';
export * from './db/writes.js';
export * from './db/reads.js';
export * from './db/leaderboard.js';
