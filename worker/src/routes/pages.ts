/**
 * Server-rendered HTML: `/` (leaderboard), `/:owner/:repo` (latest scores, split, history, runs, badges) and
 * `/:owner/:repo/compare/:base...:head` (paired comparison; base and head are run ids or commit shas).
 * Unknown repositories and runs get a friendly HTML 404.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { compareRuns } from '../compare-runs.js';
import { DEFAULT_COMPARE_OPTIONS } from '../compare.js';
import {
  getRepository, getRun, getRunFailure, getRunResult, latestRunAtCommit, listRuns, listShardIndexes, runHistory,
} from '../db.js';
import { assertCanRead, requireReader } from '../read-access.js';
import { ApiError } from '../errors.js';
import { loadLeaderboardBoards } from '../leaderboard-view.js';
import {
  benchmarkRows, questionTypeSplit, toChartPoints, toCompareView, toRunView,
} from '../render/adapt.js';
import { cachedResponse, IMAGE_CSP, PAGE_CSP, PAGE_MAX_AGE } from '../render/http-cache.js';
import { FAVICON_SVG } from '../render/layout.js';
import { renderComparePage } from '../render/pages/compare.js';
import { renderLeaderboardPage } from '../render/pages/leaderboard.js';
import { renderErrorPage, renderNotFoundPage, type PageErrorStatus } from '../render/pages/not-found.js';
import { renderRepoPage } from '../render/pages/repo.js';
import { renderRunPage, type RunPageView } from '../render/pages/run.js';
import { badges, selectRun } from './badges.js';
import { CHART_RUNS, charts, curves } from './charts.js';
import { latestCheckpointCommit } from '../db/checkpoints.js';

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const RUN_ID = /^[0-9a-f]{16}$/;
const SHA_PREFIX = /^[0-9a-f]{7,40}$/;
const RECENT_RUNS_LOOKUP = 60;
/** Longest query-string value a page accepts (refs, model names, fingerprints, options all fit well inside). */
export const MAX_PAGE_PARAM_CHARS = 200;

export function sendPage(c: Context<AppEnv>, body: string, status: 200 | PageErrorStatus = 200): Promise<Response> {
  return cachedResponse(c.req.raw, body, { contentType: 'text/html; charset=utf-8', maxAge: PAGE_MAX_AGE, status, csp: PAGE_CSP });
}

export function notFoundPage(c: Context<AppEnv>, what: string, hint?: string): Promise<Response> {
  return sendPage(c, renderNotFoundPage(what, hint), 404);
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
  const [history, recent, curveCommit] = await Promise.all([
    Promise.all(scores.map(async (s) => ({
      benchmark: s.benchmark,
      points: toChartPoints(await runHistory(db, repository, { ...scope, benchmark: s.benchmark, limit: CHART_RUNS })),
    }))),
    // older runs too: each listed run links to the previous run on its own ref, which may be further back
    listRuns(db, repository, { limit: RECENT_RUNS_LOOKUP }),
    latestCheckpointCommit(db, repository),
  ]);
  return {
    owner, repo, ref, latest: latest ? toRunView(latest) : null, scores, split: questionTypeSplit(scores), history,
    recentRuns: recent.runs.map(toRunView), curveCommit, origin: new URL(c.req.url).origin,
  };
}

/**
 * Every page: read access resolved (PRIVATE_READS applies to pages like to the API; per route, because a '*'
 * middleware would also catch other apps' paths) and query strings bounded (400 page above the cap).
 */
export async function requireRead(c: Context<AppEnv>, next: () => Promise<void>): Promise<Response | void> {
  c.set('htmlPage', true);
  const long = Object.entries(c.req.query()).find(([, v]) => v.length > MAX_PAGE_PARAM_CHARS);
  if (long) {
    return sendPage(c, renderErrorPage(400, `The query parameter "${long[0].slice(0, 40)}" is longer than ${MAX_PAGE_PARAM_CHARS} characters.`), 400);
  }
  await requireReader(c, next);
}

export const pages = new Hono<AppEnv>()
  .get('/favicon.svg', (c) => cachedResponse(c.req.raw, FAVICON_SVG, { contentType: 'image/svg+xml', maxAge: 86_400, csp: IMAGE_CSP }))
  .get('/', requireRead, async (c) => {
    const q = { benchmark: c.req.query('benchmark'), protocol: c.req.query('protocol'), fingerprint: c.req.query('fingerprint'), page: c.req.query('page') };
    return sendPage(c, renderLeaderboardPage({ boards: await loadLeaderboardBoards(c.env.DB, q, c.get('reader')) }));
  })
  .get('/:owner/:repo', requireRead, async (c) => {
    const owner = c.req.param('owner') ?? '';
    const repo = c.req.param('repo') ?? '';
    const repository = `${owner}/${repo}`;
    if (NAME.test(owner) && NAME.test(repo)) assertCanRead(c.get('reader'), repository);
    if (!NAME.test(owner) || !NAME.test(repo) || !(await getRepository(c.env.DB, repository))) {
      return notFoundPage(c, `No results for the repository ${repository}.`, 'Runs appear here after a workflow uploads them.');
    }
    return sendPage(c, renderRepoPage(await loadRepoView(c, repository)));
  })
  .get('/:owner/:repo/runs/:id', requireRead, async (c) => {
    const owner = c.req.param('owner') ?? '';
    const repo = c.req.param('repo') ?? '';
    const id = c.req.param('id') ?? '';
    const repository = `${owner}/${repo}`;
    if (!NAME.test(owner) || !NAME.test(repo)) return notFoundPage(c, `No repository ${repository}.`);
    assertCanRead(c.get('reader'), repository);
    const view = RUN_ID.test(id) ? await loadRunPage(c.env.DB, owner, repo, id) : null;
    if (!view) return notFoundPage(c, `No run ${id} in ${repository}.`, 'A run address looks like /owner/repo/runs/0123456789abcdef.');
    return sendPage(c, renderRunPage(view));
  })
  .get('/:owner/:repo/compare/:spec', requireRead, async (c) => {
    const owner = c.req.param('owner') ?? '';
    const repo = c.req.param('repo') ?? '';
    const [baseRef, headRef, extra] = (c.req.param('spec') ?? '').split('...');
    if (!NAME.test(owner) || !NAME.test(repo) || !baseRef || !headRef || extra !== undefined) {
      return notFoundPage(c, 'A comparison address looks like /owner/repo/compare/BASE...HEAD.', 'BASE and HEAD are run ids or commit shas.');
    }
    const repository = `${owner}/${repo}`;
    assertCanRead(c.get('reader'), repository);
    const model = c.req.query('model') ?? null;
    const [base, head] = await Promise.all([resolveRun(c.env.DB, repository, baseRef, model), resolveRun(c.env.DB, repository, headRef, model)]);
    const missing = [[baseRef, base], [headRef, head]].filter(([, run]) => !run).map(([ref]) => ref);
    if (!base || !head) return notFoundPage(c, `No complete run of ${repository} matches ${missing.join(' or ')}.`);
    return sendComparePage(c, base, head, { owner, repo }, 'Only runs scored on identical items can be compared.');
  });

/** The run page's data; null when the run does not exist or belongs to another repository. */
async function loadRunPage(db: D1Database, owner: string, repo: string, id: string): Promise<RunPageView | null> {
  const run = await getRun(db, id);
  if (!run || run.repository.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) return null;
  const incomplete = run.status === 'incomplete';
  const [result, failure, present] = await Promise.all([
    incomplete ? null : getRunResult(db, id), incomplete ? getRunFailure(db, id) : null,
    incomplete ? listShardIndexes(db, id) : ([] as number[]),
  ]);
  const missingShards = Array.from({ length: run.shardCount ?? 0 }, (_, i) => i).filter((i) => !present.includes(i));
  // "main" matches runs recorded as main or refs/heads/main (db FILTERS)
  const sameRef = run.ref?.replace(/^refs\/heads\//, '') ?? null;
  const [older, base] = await Promise.all([
    listRuns(db, run.repository, { ref: sameRef, model: run.model, limit: 20, cursor: { createdAt: Date.parse(run.createdAt), id: run.id } }),
    run.baseRef && run.prNumber !== null ? selectRun(db, run.repository, { ref: run.baseRef, model: run.model }) : null,
  ]);
  const previous = sameRef === null ? null : older.runs.find((r) => r.status === 'complete') ?? null;
  const link = (r: { id: string; commit: string | null; ref: string | null } | null) => (r ? { id: r.id, commit: r.commit, ref: r.ref } : null);
  return {
    owner, repo, result, failure, missingShards, previous: link(previous), base: link(base),
    run: { ...run, status: failure ? 'failed' : run.status },
  };
}

/**
 * A run id of this repository, or the newest complete run at a commit (full sha or a prefix of at least 7) — else
 * the newest incomplete one there, so the page can say "still missing shards" (409) instead of "not found".
 */
async function resolveRun(db: D1Database, repository: string, ref: string, model: string | null): Promise<string | null> {
  if (RUN_ID.test(ref)) {
    const run = await getRun(db, ref);
    if (run && run.repository.toLowerCase() === repository.toLowerCase()) return run.id;
  }
  if (!SHA_PREFIX.test(ref)) return null;
  const run = (await latestRunAtCommit(db, repository, ref, { model }))
    ?? (await latestRunAtCommit(db, repository, ref, { model, status: 'incomplete' }));
  return run?.id ?? null;
}

/** margin/alpha/mode as in the compare API; out-of-range values fall back to the defaults rather than failing a page. */
/**
 * The compare page of two runs, or the page that says why not: 409 a run still missing shards, 422 different items
 * (`sameItemsHint` says where comparable runs are), anything else the API refuses reads as not found.
 */
export async function sendComparePage(
  c: Context<AppEnv>, baseId: string, headId: string, scope: { owner: string | null; repo: string | null }, sameItemsHint: string,
): Promise<Response> {
  try {
    const result = await compareRuns(c.env.DB, baseId, headId, readCompareOptions((k) => c.req.query(k)));
    return await sendPage(c, renderComparePage(toCompareView(scope, result)));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) throw err;
    const status = err.status === 409 || err.status === 422 ? err.status : 404;
    const hint = status === 409 ? 'The comparison appears once every shard of the run has been uploaded.' : sameItemsHint;
    return sendPage(c, renderErrorPage(status, err.message, hint), status);
  }
}

export function readCompareOptions(get: (k: string) => string | undefined) {
  const num = (k: string, ok: (v: number) => boolean, fallback: number) => {
    const v = Number(get(k));
    return get(k) !== undefined && Number.isFinite(v) && ok(v) ? v : fallback;
  };
  const mode = get('mode') === 'non-inferiority' ? 'non-inferiority' as const : DEFAULT_COMPARE_OPTIONS.mode;
  return {
    margin: num('margin', (v) => v >= 0 && v <= 1, DEFAULT_COMPARE_OPTIONS.margin),
    alpha: num('alpha', (v) => v > 0 && v < 1, DEFAULT_COMPARE_OPTIONS.alpha),
    mode,
  };
}

/** Every page, badge and chart route, mounted by worker/src/index.ts after the API. */
export const ui = new Hono<AppEnv>().route('/', badges).route('/', charts).route('/', curves).route('/', pages);
