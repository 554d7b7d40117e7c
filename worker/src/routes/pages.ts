/**
 * Server-rendered HTML: `/` (leaderboard), `/:owner/:repo` (latest scores, split, history, runs, badges) and
 * `/:owner/:repo/compare/:base...:head` (paired comparison; base and head are run ids or commit shas).
 * Unknown repositories and runs get a friendly HTML 404.
 */
import { Hono, type Context } from 'hono';
import { BENCHMARK_IDS } from '../../../schemas/results.js';
import type { AppEnv } from '../app-env.js';
import { authorizeRead } from '../auth.js';
import { readConfig } from '../config.js';
import {
  getRepository, getRunResult, leaderboardFingerprints, leaderboardRows, listRuns, listScoredBenchmarks,
  runHistory,
} from '../db.js';
import { benchmarkRows, questionTypeSplit, toChartPoints, toLeaderboardBoard, toRunView } from '../render/adapt.js';
import { cachedResponse, PAGE_CSP, PAGE_MAX_AGE } from '../render/http-cache.js';
import { renderLeaderboardPage } from '../render/pages/leaderboard.js';
import { renderNotFoundPage } from '../render/pages/not-found.js';
import { renderRepoPage } from '../render/pages/repo.js';
import type { LeaderboardBoard } from '../render/view-models.js';
import { badges, selectRun } from './badges.js';
import { CHART_RUNS, charts } from './charts.js';

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const RECENT_RUNS = 15;

export function sendPage(c: Context<AppEnv>, body: string, status: 200 | 404 = 200): Promise<Response> {
  return cachedResponse(c.req.raw, body, { contentType: 'text/html; charset=utf-8', maxAge: PAGE_MAX_AGE, status, csp: PAGE_CSP });
}

export function notFoundPage(c: Context<AppEnv>, what: string, hint?: string): Promise<Response> {
  return sendPage(c, renderNotFoundPage(what, hint), 404);
}

/** Boards in the suite's benchmark order, one per (benchmark, protocol, item-set fingerprint). */
async function loadBoards(db: D1Database, only: { benchmark?: string; protocol?: string }): Promise<LeaderboardBoard[]> {
  const order = (id: string) => (BENCHMARK_IDS as readonly string[]).indexOf(id);
  const combos = (await listScoredBenchmarks(db))
    .filter((k) => (!only.benchmark || k.benchmark === only.benchmark) && (!only.protocol || k.protocol === only.protocol))
    .sort((a, b) => order(a.benchmark) - order(b.benchmark) || a.protocol.localeCompare(b.protocol));
  const boards = await Promise.all(combos.map(async (k) => {
    const prints = await leaderboardFingerprints(db, k.benchmark, k.protocol);
    return Promise.all(prints.map(async ({ fingerprint }) =>
      toLeaderboardBoard({ ...k, fingerprint }, await leaderboardRows(db, k.benchmark, k.protocol, fingerprint))));
  }));
  return boards.flat();
}

async function loadRepoView(c: Context<AppEnv>, repository: string) {
  const db = c.env.DB;
  const [owner, repo] = repository.split('/') as [string, string];
  const q = { ref: c.req.query('ref') ?? null, model: c.req.query('model') ?? null };
  const latest = await selectRun(db, repository, q);
  const result = latest ? await getRunResult(db, latest.id) : null;
  const scores = result ? benchmarkRows(result) : [];
  const ref = q.ref ?? latest?.ref?.replace(/^refs\/heads\//, '') ?? 'main';
  const scope = { ref, model: latest?.model ?? q.model };
  const [history, recent] = await Promise.all([
    Promise.all(scores.map(async (s) => ({
      benchmark: s.benchmark,
      points: toChartPoints(await runHistory(db, repository, { ...scope, benchmark: s.benchmark, limit: CHART_RUNS })),
    }))),
    listRuns(db, repository, { limit: RECENT_RUNS }),
  ]);
  return {
    owner, repo, ref, latest: latest ? toRunView(latest) : null, scores, split: questionTypeSplit(scores), history,
    recentRuns: recent.runs.map(toRunView), origin: new URL(c.req.url).origin,
  };
}

/** PRIVATE_READS applies to pages like to the API (per route: a '*' middleware would also catch other apps' paths). */
export async function requireRead(c: Context<AppEnv>, next: () => Promise<void>): Promise<void> {
  await authorizeRead(c.env.DB, readConfig(c.env), c.req.header('authorization'));
  await next();
}

export const pages = new Hono<AppEnv>()
  .get('/', requireRead, async (c) => {
    const only = { benchmark: c.req.query('benchmark'), protocol: c.req.query('protocol') };
    return sendPage(c, renderLeaderboardPage({ boards: await loadBoards(c.env.DB, only) }));
  })
  .get('/:owner/:repo', requireRead, async (c) => {
    const owner = c.req.param('owner') ?? '';
    const repo = c.req.param('repo') ?? '';
    const repository = `${owner}/${repo}`;
    if (!NAME.test(owner) || !NAME.test(repo) || !(await getRepository(c.env.DB, repository))) {
      return notFoundPage(c, `No results for the repository ${repository}.`, 'Runs appear here after a workflow uploads them.');
    }
    return sendPage(c, renderRepoPage(await loadRepoView(c, repository)));
  });

/** Everything WORKER-UI serves, mounted by worker/src/index.ts after the API. */
export const ui = new Hono<AppEnv>().route('/', badges).route('/', charts).route('/', pages);
