/**
 * Worker cost against a local workerd + D1 (scripts/local-worker.mjs, the server `npm run dev` uses), with the
 * worker's D1 meters on (D1_STATS=true → X-D1-Stats per response; method in bench/worker-measure.ts):
 *  1. 10,000 runs / 1.28 M score rows seeded (bench/worker-seed.ts), then the leaderboard API, the home page (first
 *     view after the seed rebuilds the cached summaries, later views read them) and one board's page;
 *  2. per-route cost at realistic sizes: the paper-protocol suite run (8 benchmarks, 104,228 items), the full
 *     protocol with graded arrays, 16 shards of the full run (and the merging upload), reads of those runs;
 *  3. 100,000-item runs: ingest, and GET /api/v1/compare latency p50/p99 (autocannon) warm (one pair over and
 *     over) and cold (each pair's first request);
 *  4. badge requests/s as a ratio to /health.
 * Usage: node bin/run-ts.mjs bench/worker.ts [--seconds 3] [--rounds 3] [--connections 10] [--skip-seed] [--shards-256]
 *   --shards-256: only the full suite in 256 shards (the merging upload against the Paid limits)
 */
import { parseArgs } from 'node:util';
import type { RunResult } from '../schemas/results.js';
import { startLocalWorker } from '../scripts/local-worker.mjs';
import { makeRun } from '../tests/helpers/run-fixture.js';
import { costTable, measureRoute, workerdPids, type RouteCost } from './worker-measure.js';
import { seedHistory } from './worker-seed.js';
import { SUITE_SIZES, suiteRun, suiteShards } from './worker-suite.js';

interface CannonResult { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }
type Autocannon = (o: { url: string; connections: number; duration: number }) => Promise<CannonResult>;

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '3' }, connections: { type: 'string', default: '10' }, rounds: { type: 'string', default: '3' },
  'skip-seed': { type: 'boolean', default: false },
  // only: the full suite in 256 shards, measuring the merging upload (Paid limits: 1,000 queries, 128 MB, 30 s)
  'shards-256': { type: 'boolean', default: false },
} });
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const autocannon = ((await import('autocannon' as string)) as { default: Autocannon }).default;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const hex = (i: number, c: string) => i.toString(16).padStart(40, c).slice(-40);

const before = workerdPids();
const worker = await startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true', D1_STATS: 'true' } });
const pid = [...workerdPids()].find((p) => !before.has(p));
if (!pid) throw new Error('workerd process not found under this process (Linux /proc needed)');
const url = worker.url;
const post = (run: RunResult) => fetch(`${url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(run) });
const get = (path: string) => () => fetch(`${url}${path}`);
const costs: RouteCost[] = [];
const measure = async (route: string, n: number, make: (i: number) => Promise<Response>) => {
  const c = await measureRoute(route, pid, n, make);
  costs.push(c);
  console.log(`${route}: wall ${c.wallMedian.toFixed(1)} ms, cpu ${c.cpuPerRequest.toFixed(1)} ms, ${c.queries} queries, ${c.rowsRead} rows read, ${c.rowsWritten} written`);
  return c;
};

try {
  main: {
    if (values['shards-256']) {
      const shards = suiteShards(suiteRun({ repository: 'acme/wide', commit: hex(256, 'f'), model: 'm', protocol: 'full' }), 256, 'bench-256');
      console.log(`256 shards of the full suite: ${(shards.reduce((a, s) => a + JSON.stringify(s).length, 0) / 1e6).toFixed(0)} MB of bodies`);
      await measure('POST /api/v1/runs full-suite shard 1–255 of 256', 255, (i) => post(shards[i]!));
      const last = await measure('POST /api/v1/runs full-suite shard 256 of 256 (merges)', 1, () => post(shards[255]!));
      const run = (await (await fetch(`${url}/api/v1/repos/acme/wide/latest`)).json()) as { status: string };
      console.log(`merged run status ${run.status}; merging upload ${last.queries} D1 queries`);
      console.log(`\n${costTable(costs, 0)}`);
      break main;
    }
    // 1. the history the leaderboard and home page are measured at
    if (!values['skip-seed']) {
      const seed = await seedHistory(await worker.mf.getD1Database('DB') as never,
        { repos: 500, models: 4, commits: 5, benchmarks: Object.keys(SUITE_SIZES) });
      console.log(`seeded ${seed.runs} runs, ${seed.scoreRows} score rows in ${(seed.ms / 1000).toFixed(0)} s`);
      await measure('GET / (first view after the seed: rebuilds one of 8 summaries, 2,000 entries)', 1, get('/'));
      await measure('GET / (views 2–8: each rebuilds one more summary)', 7, get('/'));
      await measure('GET / (10,000 runs, cached summaries)', 50, get('/'));
      await measure('GET /api/v1/leaderboard?benchmark=vqa-rad (2,000 entries, page of 100)', 20, get('/api/v1/leaderboard?benchmark=vqa-rad'));
      await measure('GET /?benchmark=vqa-rad&page=3 (board page of 50)', 20, get('/?benchmark=vqa-rad&protocol=paper&page=3'));
      // an upload makes the boards it touches stale: the next view of each re-ranks it once
      await post(suiteRun({ repository: 'acme/poke', commit: hex(1, 'e'), model: 'poke', protocol: 'paper' }));
      await measure('GET /api/v1/leaderboard?benchmark=vqa-rad (first view after an upload: re-ranks 2,001 entries)', 1, get('/api/v1/leaderboard?benchmark=vqa-rad'));
    }

    // 2. realistic uploads and the reads of them
    const suite = (i: number, protocol: 'paper' | 'full') => suiteRun({ repository: 'acme/suite', commit: hex(i, protocol === 'paper' ? 'a' : 'b'), model: `model-${i % 2}`, protocol });
    console.log(`suite bodies: paper ${(JSON.stringify(suite(0, 'paper')).length / 1e6).toFixed(2)} MB, full ${(JSON.stringify(suite(0, 'full')).length / 1e6).toFixed(2)} MB`);
    const ids: string[] = [];
    await measure('POST /api/v1/runs paper suite (8 benchmarks, 104,228 items)', 5, async (i) => {
      const res = await post(suite(i, 'paper'));
      ids.push(((await res.clone().json()) as { id: string }).id);
      return res;
    });
    await measure('POST /api/v1/runs full suite (+ graded arrays)', 3, (i) => post(suite(i, 'full')));
    const shards = suiteShards(suite(9, 'full'), 16, 'bench-16');
    await measure('POST /api/v1/runs full-suite shard 1–15 of 16', 15, (i) => post(shards[i]!));
    await measure('POST /api/v1/runs full-suite shard 16 of 16 (merges)', 1, () => post(shards[15]!));
    await measure('GET /health', 200, get('/health'));
    await measure('GET /badge/:o/:r.svg', 200, get('/badge/acme/suite.svg'));
    await measure('GET /badge/:o/:r.svg?benchmark=… (8 distinct)', 8, (i) => fetch(`${url}/badge/acme/suite.svg?benchmark=${Object.keys(SUITE_SIZES)[i]}`));
    await measure('GET /chart/:o/:r.svg?benchmark=omnimedvqa', 20, get('/chart/acme/suite.svg?benchmark=omnimedvqa'));
    await measure('GET /:o/:r (repository page, suite run)', 20, get('/acme/suite'));
    await measure('GET /api/v1/runs/:id (paper suite run)', 20, get(`/api/v1/runs/${ids[0]}`));
    await measure('GET /api/v1/repos/:o/:r/runs', 50, get('/api/v1/repos/acme/suite/runs'));
    await measure('GET /api/v1/compare suite (cold: first request per pair)', 4, (i) => fetch(`${url}/api/v1/compare?base=${ids[i]}&head=${ids[i + 1]}`));
    await measure('GET /api/v1/compare suite (warm)', 50, get(`/api/v1/compare?base=${ids[0]}&head=${ids[1]}`));
    await measure('GET /:o/:r/compare/a...b page (suite, warm)', 20, get(`/acme/suite/compare/${ids[0]}...${ids[1]}`));

    // 3. 100,000-item runs
    const big = (i: number) => makeRun({ repository: 'acme/bench', n: 100_000, benchmarks: ['custom'], commit: hex(i, 'c'), model: `model-${i % 2}` });
    const bigIds: string[] = [];
    await measure('POST /api/v1/runs 100,000 items (bitsets, 0.12 MB)', 6, async (i) => {
      const res = await post(big(i));
      bigIds.push(((await res.clone().json()) as { id: string }).id);
      return res;
    });
    await measure('GET /api/v1/compare 2 × 100,000 items (cold: first request per pair)', 5, (i) => fetch(`${url}/api/v1/compare?base=${bigIds[i]}&head=${bigIds[i + 1]}`));
    const cmp = await autocannon({ url: `${url}/api/v1/compare?base=${bigIds[0]}&head=${bigIds[1]}`, connections: 2, duration: SECONDS * 2 });
    if (cmp.non2xx || cmp.errors) throw new Error(`compare: ${cmp.non2xx} non-2xx, ${cmp.errors} errors`);
    console.log(`compare (2 × 100,000 items, warm, autocannon 2 connections): p50 ${cmp.latency.p50} ms, p99 ${cmp.latency.p99} ms, ${cmp.requests.average.toFixed(1)} req/s`);

    // 4. badge throughput against /health, interleaved rounds (the machine is shared)
    const targets = { health: `${url}/health`, badge: `${url}/badge/acme/suite.svg` };
    const rounds: Record<string, number>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round: Record<string, number> = {};
      for (const [name, u] of Object.entries(targets)) round[name] = (await autocannon({ url: u, connections: CONNECTIONS, duration: SECONDS })).requests.average;
      rounds.push(round);
    }
    console.log(`/health ${median(rounds.map((r) => r.health!)).toFixed(0)} req/s; badge ${median(rounds.map((r) => r.badge!)).toFixed(0)} req/s, ratio ${median(rounds.map((r) => r.badge! / r.health!)).toFixed(2)}`);
    // local D1 runs inside workerd: one simple query's CPU there, to estimate the Worker's own share
    const health = costs.find((c) => c.route === 'GET /health')!.cpuPerRequest;
    const oneQuery = costs.find((c) => c.route === 'GET /api/v1/repos/:o/:r/runs')!.cpuPerRequest - health;
    console.log(`\nlocal D1 cost per simple query ≈ ${oneQuery.toFixed(1)} ms of workerd CPU (runs list − /health)`);
    console.log(`\n${costTable(costs, oneQuery)}`);
  }
} finally {
  await worker.stop();
}
