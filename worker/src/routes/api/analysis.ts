/** GET /compare and GET /leaderboard. */
import { Hono } from 'hono';
import { z } from 'zod';
import { CompareMode } from '../../../../schemas/compare.js';
import { BenchmarkId, Protocol } from '../../../../schemas/results.js';
import type { AppEnv } from '../../app-env.js';
import { DEFAULT_COMPARE_OPTIONS } from '../../compare.js';
import { compareRuns } from '../../compare-runs.js';
import { getRun } from '../../db.js';
import { notFound, validate } from '../../errors.js';
import { buildLeaderboard, DEFAULT_PAGE, MAX_PAGE } from '../../leaderboard.js';
import { PUBLIC_ACCESS, type ReadAccess } from '../../read-access.js';
import { RunId } from './params.js';

const CompareQuery = z.object({
  base: RunId,
  head: RunId,
  margin: z.coerce.number().min(0).max(1).default(DEFAULT_COMPARE_OPTIONS.margin),
  alpha: z.coerce.number().gt(0).lt(1).default(DEFAULT_COMPARE_OPTIONS.alpha),
  mode: CompareMode.default(DEFAULT_COMPARE_OPTIONS.mode),
});

const LeaderboardQuery = z.object({
  benchmark: BenchmarkId,
  protocol: Protocol.default('paper'),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 fingerprint').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const analysis = new Hono<AppEnv>()
  .get('/compare', validate('query', CompareQuery), async (c) => {
    const { base, head, ...opts } = c.req.valid('query');
    await assertRunsReadable(c.env.DB, c.get('reader'), { base, head });
    return c.json(await compareRuns(c.env.DB, base, head, opts));
  })
  .get('/leaderboard', validate('query', LeaderboardQuery),
    async (c) => {
      const reader = c.get('reader');
      return c.json(await buildLeaderboard(c.env.DB, c.req.valid('query'), (repo) => reader.canRead(repo), reader === PUBLIC_ACCESS));
    });

/** Private deployments: a run the caller may not read answers like a missing one (ids do not reveal repositories). */
export async function assertRunsReadable(db: D1Database, reader: ReadAccess, ids: Record<string, string>): Promise<void> {
  if (reader === PUBLIC_ACCESS) return;
  for (const [role, id] of Object.entries(ids)) {
    const run = await getRun(db, id);
    if (run && !reader.canRead(run.repository)) throw notFound(`${role} run ${id}`);
  }
}
