/** GET /repos/:owner/:repo/runs (cursor pagination) and /repos/:owner/:repo/latest. */
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { latestRun, listRuns } from '../../db.js';
import { notFound, validate } from '../../errors.js';
import { assertCanRead } from '../../read-access.js';
import { memoRead } from '../../read-cache.js';
import { formatCursor, ListQuery, parseCursor, RepoParams, RunFilterQuery } from './params.js';
import { runUrl } from './runs.js';

export const repos = new Hono<AppEnv>()
  .get('/:owner/:repo/runs', validate('param', RepoParams), validate('query', ListQuery), async (c) => {
    const { owner, repo } = c.req.valid('param');
    assertCanRead(c.get('reader'), `${owner}/${repo}`);
    const q = c.req.valid('query');
    const page = await listRuns(c.env.DB, `${owner}/${repo}`, { ...q, cursor: parseCursor(q.cursor) });
    return c.json({
      runs: page.runs.map((r) => ({ ...r, url: runUrl(c.req.url, r.id) })),
      nextCursor: formatCursor(page.nextCursor),
    });
  })
  .get('/:owner/:repo/latest', validate('param', RepoParams), validate('query', RunFilterQuery), async (c) => {
    const { owner, repo } = c.req.valid('param');
    assertCanRead(c.get('reader'), `${owner}/${repo}`);
    const q = c.req.valid('query');
    const run = await memoRead(`latest:${owner}/${repo}`.toLowerCase() + JSON.stringify([q.ref, q.sha, q.model]),
      () => latestRun(c.env.DB, `${owner}/${repo}`, q));
    if (!run) throw notFound(`a complete run of ${owner}/${repo} matching the filters`, q);
    return c.json({ ...run, url: runUrl(c.req.url, run.id) });
  });
