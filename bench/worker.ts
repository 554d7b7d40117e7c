/**
 * Worker speed against a local workerd + D1 (scripts/local-worker.mjs, the same server `npm run dev` uses):
 *  - ingest: POST /api/v1/runs of a 100,000-item run (paper: bitsets only; full: + 3 graded arrays), median ms;
 *  - badge requests/s as a ratio to /health on the same worker in the same run (target ≥ 0.5), and the
 *    /api/v1/repos/:o/:r/latest read for reference;
 *  - GET /api/v1/compare latency p50/p99 for two 100,000-item runs.
 * Usage: node bin/run-ts.mjs bench/worker.ts [--seconds 3] [--rounds 3] [--connections 10] [--uploads 5]
 */
import { parseArgs } from 'node:util';
import { unpackBits } from '../schemas/bitset.js';
import type { RunResult } from '../schemas/results.js';
import { wilson } from '../schemas/stats.js';
import { startLocalWorker } from '../scripts/local-worker.mjs';
import { makeRun } from '../tests/helpers/run-fixture.js';

interface CannonResult { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }
type Autocannon = (o: { url: string; connections: number; duration: number }) => Promise<CannonResult>;

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '3' }, connections: { type: 'string', default: '10' }, uploads: { type: 'string', default: '5' },
  rounds: { type: 'string', default: '3' },
} });
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const ITEMS = 100_000;
const autocannon = ((await import('autocannon' as string)) as { default: Autocannon }).default;

function withGraded(run: RunResult): RunResult {
  // full protocol shape: a third of the items are open-ended and carry graded scores
  const graded = (k: number) => Array.from({ length: ITEMS }, (_, i) => (i % 3 === 0 ? ((i * k) % 10_000) / 10_000 : null));
  const b = run.benchmarks[0]!;
  b.outcomes.graded = { open_exact_match: graded(0).map((v) => (v === null ? null : i01(v))), open_token_recall: graded(7), open_token_f1: graded(13) };
  // the worker refuses figures the bits contradict: accuracy now counts the closed items only
  const correct = unpackBits(b.outcomes.correct, ITEMS);
  const accuracy = (inGroup: (i: number) => boolean) => {
    let n = 0, k = 0;
    for (let i = 0; i < ITEMS; i++) if (i % 3 !== 0 && inGroup(i)) { n++; k += correct[i]!; }
    return { name: 'accuracy', value: n ? k / n : 0, n, ci95: n ? wilson(k, n) : null, higherIsBetter: true };
  };
  const open = ITEMS / 3 + 1;
  const em = b.outcomes.graded.open_exact_match!.reduce<number>((a, v) => a + (v ?? 0), 0);
  const mean = (key: string) => b.outcomes.graded[key]!.reduce<number>((a, v) => a + (v ?? 0), 0) / Math.floor(open);
  b.metrics = [accuracy(() => true),
    { name: 'open_exact_match', value: em / Math.floor(open), n: Math.floor(open), ci95: wilson(em, Math.floor(open)), higherIsBetter: true },
    ...['open_token_recall', 'open_token_f1'].map((name) => ({ name, value: mean(name), n: Math.floor(open), ci95: null, higherIsBetter: true }))];
  b.groups = b.groups.map((g) => {
    const members = unpackBits(g.members, ITEMS);
    return { ...g, metrics: [accuracy((i) => members[i] === 1)] };
  });
  return run;
}

const i01 = (v: number) => (v >= 0.5 ? 1 : 0);

async function post(url: string, run: RunResult): Promise<{ ms: number; status: number; id: string }> {
  const body = JSON.stringify(run);
  const t = performance.now();
  const res = await fetch(`${url}/api/v1/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await res.json()) as { id: string };
  return { ms: performance.now() - t, status: res.status, id: json.id };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const hex = (i: number, c: string) => i.toString(16).padStart(40, c).slice(-40);

async function ingest(url: string, label: string, make: (i: number) => RunResult): Promise<string[]> {
  const times: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < Number(values.uploads); i++) {
    const run = make(i);
    const r = await post(url, run);
    if (r.status !== 201) throw new Error(`upload answered ${r.status}`);
    times.push(r.ms);
    ids.push(r.id);
  }
  const mb = JSON.stringify(make(99)).length / 1e6;
  console.log(`ingest ${label}: ${ITEMS} items, body ${mb.toFixed(2)} MB, median ${median(times).toFixed(0)} ms over ${times.length} uploads`);
  return ids;
}

async function rate(url: string): Promise<CannonResult> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r;
}

const worker = await startLocalWorker({ vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' } });
try {
  const model = (i: number) => ({ repository: 'acme/bench', n: ITEMS, benchmarks: ['custom' as const], commit: hex(i, 'a'),
    model: `model-${i % 2}`, ref: 'refs/heads/main' });
  const paperIds = await ingest(worker.url, 'paper (bitsets)', (i) => makeRun(model(i)));
  await ingest(worker.url, 'full (+3 graded arrays)', (i) => withGraded(makeRun({ ...model(i), commit: hex(i, 'b') })));

  const badgeUrl = `${worker.url}/badge/acme/bench.svg`;
  const badgeOk = (await fetch(badgeUrl)).headers.get('content-type')?.includes('svg') ?? false;
  const targets = { health: `${worker.url}/health`, latest: `${worker.url}/api/v1/repos/acme/bench/latest?ref=main`,
    ...(badgeOk ? { badge: badgeUrl } : {}) };
  // interleaved rounds: the machine is shared, so each ratio compares measurements taken seconds apart
  const rounds: Record<string, number>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const round: Record<string, number> = {};
    for (const [name, url] of Object.entries(targets)) round[name] = (await rate(url)).requests.average;
    rounds.push(round);
  }
  const med = (name: string) => median(rounds.map((r) => r[name]!));
  const ratio = (name: string) => median(rounds.map((r) => r[name]! / r.health!)).toFixed(2);
  console.log(`/health: ${med('health').toFixed(0)} req/s (median of ${ROUNDS} rounds, ${CONNECTIONS} connections, ${SECONDS} s each)`);
  if (badgeOk) console.log(`badge /badge/acme/bench.svg: ${med('badge').toFixed(0)} req/s, ratio ${ratio('badge')} (target ≥ 0.5)`);
  else console.log('badge route not mounted yet: measured /latest only');
  console.log(`/api/v1/repos/acme/bench/latest: ${med('latest').toFixed(0)} req/s, ratio ${ratio('latest')}`);

  const compareUrl = `${worker.url}/api/v1/compare?base=${paperIds[0]}&head=${paperIds[1]}`;
  const cmp = await autocannon({ url: compareUrl, connections: 2, duration: SECONDS * 2 });
  if (cmp.non2xx || cmp.errors) throw new Error(`compare: ${cmp.non2xx} non-2xx, ${cmp.errors} errors`);
  console.log(`compare (2 × ${ITEMS} items): p50 ${cmp.latency.p50} ms, p99 ${cmp.latency.p99} ms, ${cmp.requests.average.toFixed(1)} req/s (2 connections)`);
} finally {
  await worker.stop();
}
