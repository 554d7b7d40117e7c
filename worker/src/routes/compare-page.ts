/**
 * `/compare?run=ID&run=ID`: the paired comparison of any two readable runs, across repositories — what the
 * leaderboard's "compare the two ticked runs" form submits (a plain GET form, no script). `base=` / `head=` work
 * too. Both runs must be complete and scored on the same items (same fingerprints, else 422); a run the caller may
 * not read answers like a missing one (404), as in the API.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { getRun } from '../db.js';
import { renderErrorPage } from '../render/pages/not-found.js';
import { notFoundPage, requireRead, sendComparePage, sendPage } from './pages.js';

const RUN_ID = /^[0-9a-f]{16}$/;

export const comparePages = new Hono<AppEnv>().get('/compare', requireRead, async (c) => {
  const picked = [...(c.req.queries('run') ?? []), c.req.query('base'), c.req.query('head')].filter((v): v is string => !!v);
  const ids = [...new Set(picked)];
  if (ids.length !== 2 || !ids.every((id) => RUN_ID.test(id))) {
    const got = ids.length === 2 ? 'a malformed run id' : `${ids.length} run${ids.length === 1 ? '' : 's'}`;
    return sendPage(c, renderErrorPage(400, `Pick exactly two runs to compare (got ${got}).`,
      'On the leaderboard, tick two rows of one table and press "Compare the two ticked runs".'), 400);
  }
  const [baseId, headId] = ids as [string, string];
  const reader = c.get('reader');
  for (const id of ids) {
    const run = await getRun(c.env.DB, id);
    if (!run || !reader.canRead(run.repository)) return notFoundPage(c, `No run ${id}.`);
  }
  return sendComparePage(c, baseId, headId, { owner: null, repo: null },
    'Only runs scored on identical items (the same table of the leaderboard) can be compared.');
});
