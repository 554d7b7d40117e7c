/**
 * GET /chart/:owner/:repo.svg?benchmark=&ref=&model= — accuracy history over runs (oldest → newest) with the 95%
 * interval band. Without `ref`/`model` the chart follows the default branch (known, else main or master) and the model of its
 * newest run, so one line never mixes models. Without `benchmark` it plots the suite mean (no band: a mean of
 * differently sized benchmarks has no single binomial interval). Empty history → a "no data" chart, status 200.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { latestDefaultBranchRun, listRuns, runHistory } from '../db.js';
import { toChartPoints } from '../render/adapt.js';
import { renderHistoryChart, type ChartPoint } from '../render/chart.js';
import { orderCheckpoints, renderCheckpointCurve } from '../render/curve.js';
import { BENCHMARK_IDS } from '../../../schemas/catalog.js';
import { checkpointRuns, checkpointScores, latestCheckpointCommit } from '../db/checkpoints.js';
import { cachedResponse, IMAGE_CSP, IMAGE_MAX_AGE } from '../render/http-cache.js';
import { readImageRequest } from './badges.js';

const FILE = /^([A-Za-z0-9_.-]{1,100})\.svg$/;
export const CHART_RUNS = 50;

/** Chart filters with the defaults filled in from the default branch's newest run. */
export async function chartScope(db: D1Database, repository: string, q: { ref: string | null; model: string | null }) {
  if (q.ref && q.model) return { ref: q.ref, model: q.model };
  const latest = await latestDefaultBranchRun(db, repository, { model: q.model });
  return { ref: q.ref ?? latest?.ref?.replace(/^refs\/heads\//, '') ?? 'main', model: q.model ?? latest?.model ?? null };
}

export async function loadHistory(
  db: D1Database, repository: string, scope: { ref: string; model: string | null }, benchmark: string | null,
): Promise<ChartPoint[]> {
  if (benchmark) return toChartPoints(await runHistory(db, repository, { ...scope, benchmark, limit: CHART_RUNS }));
  const { runs } = await listRuns(db, repository, { ...scope, limit: CHART_RUNS });
  return runs.filter((r) => r.status === 'complete' && r.scoreMean !== null).reverse()
    .map((r) => ({ runId: r.id, commit: r.commit, createdAt: r.createdAt, value: r.scoreMean!, ci95: null, n: 0 }));
}

export const charts = new Hono<AppEnv>().get('/chart/:owner/:file', async (c) => {
  const image = await readImageRequest(c, FILE);
  if (!image) return c.notFound();
  const { repository, hidden, q } = image;
  let points: ChartPoint[] = [];
  let context = repository;
  if (image.readable && q) {
    const scope = await chartScope(c.env.DB, repository, q);
    points = await loadHistory(c.env.DB, repository, scope, q.benchmark);
    context = `${repository}, ${scope.model ?? 'any model'} on ${scope.ref}`;
  }
  const svg = renderHistoryChart({ title: `${q?.benchmark ?? 'suite mean'} · accuracy`, context, points,
    ...(hidden ? { emptyText: 'private' } : {}) });
  return cachedResponse(c.req.raw, svg, { contentType: 'image/svg+xml; charset=utf-8', maxAge: IMAGE_MAX_AGE, csp: IMAGE_CSP });
});

/**
 * GET /curve/:owner/:repo.svg?commit=&benchmark= — training curve: accuracy against checkpoint for the runs of one
 * commit (default: the newest commit with two or more checkpoint labels). With `benchmark`: the whole benchmark
 * and its understanding/reasoning split; without: one line per benchmark.
 */
export const curves = new Hono<AppEnv>().get('/curve/:owner/:file', async (c) => {
  const image = await readImageRequest(c, CURVE_FILE);
  if (!image) return c.notFound();
  const { repository, hidden, q } = image;
  const commitQuery = c.req.query('commit');
  const commit = commitQuery !== undefined && !/^[0-9a-f]{7,40}$/.test(commitQuery) ? null : commitQuery;
  let svg: string;
  if (!image.readable || !q || commit === null) {
    svg = renderCheckpointCurve({ title: 'accuracy by checkpoint', context: repository, checkpoints: [], series: [], emptyText: hidden ? 'private' : 'no data' });
  } else {
    svg = await curveSvg(c.env.DB, repository, commit ?? (await latestCheckpointCommit(c.env.DB, repository)), q.benchmark);
  }
  return cachedResponse(c.req.raw, svg, { contentType: 'image/svg+xml; charset=utf-8', maxAge: IMAGE_MAX_AGE, csp: IMAGE_CSP });
});

const CURVE_FILE = /^([A-Za-z0-9_.-]{1,100})\.svg$/;
const SPLIT = [['', 'all items'], ['questionType=understanding', 'understanding'], ['questionType=reasoning', 'reasoning']] as const;

async function curveSvg(db: D1Database, repository: string, commit: string | null, benchmark: string | null): Promise<string> {
  const title = `${benchmark ?? 'every benchmark'} · accuracy by checkpoint`;
  if (!commit) return renderCheckpointCurve({ title, context: repository, checkpoints: [], series: [] });
  const runs = await checkpointRuns(db, repository, commit);
  const order = orderCheckpoints(runs.map((r) => r.checkpoint));
  const runOf = new Map(runs.map((r) => [r.checkpoint, r.id]));
  const scores = await checkpointScores(db, runs.map((r) => r.id), benchmark);
  const at = (bench: string, group: string) => order.map((label) => {
    const s = scores.find((x) => x.runId === runOf.get(label) && x.benchmark === bench && x.group === group);
    return s ? { value: s.value, n: s.n, ci95: s.ciLow !== null && s.ciHigh !== null ? [s.ciLow, s.ciHigh] as const : null } : null;
  });
  const series = benchmark
    ? SPLIT.map(([group, name]) => ({ name, points: at(benchmark, group) })).filter((s) => s.points.some(Boolean))
    : BENCHMARK_IDS.filter((b) => scores.some((s) => s.benchmark === b)).map((b) => ({ name: b, points: at(b, '') }));
  return renderCheckpointCurve({ title, context: `${repository} at ${commit.slice(0, 7)}`, checkpoints: order, series });
}
