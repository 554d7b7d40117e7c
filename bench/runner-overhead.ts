/**
 * Harness overhead: the runner's engine vs load generators against the same serve-baseline (its own process), with
 * the same request bodies (real images as base64 data URLs, the paper-protocol prompts) and the same concurrency, in
 * one script. The references must be ceilings of the server, not client bottlenecks: wrk (C, Lua script cycling
 * pre-formatted requests) when installed, and autocannon with worker threads; each runner row is divided by the faster.
 * Clients alternate in rounds (order rotated every round) and rates are summed over the rounds, so a machine whose
 * speed drifts during the script (shared vCPUs) slows every client alike; per-round ratios are printed too.
 * PRIMARY (the issue's bodies): the 271 VQA-RAD paper-protocol items. Runner rows: one run whose item stream cycles
 *   the items (image cache cleared every cycle, so images are read and encoded as in a new run), and back-to-back
 *   new runs of the 271 items (each pays connection setup and its drain).
 * SECONDARY: one real run over every paper-protocol item of VQA-RAD + SLAKE (en) + PathVQA present (4,048) vs wrk
 *   cycling exactly those bodies; then a whole `medvlm-bench run` in a new process (start-up, loading, fingerprint).
 *   node bin/run-ts.mjs bench/runner-overhead.ts [--concurrency 32] [--seconds 3] [--rounds 5] [--delay-ms 0] [--ref-seconds 6]
 * Prints every rate, runner / fastest reference (target ≥ 0.8), the CPU time each client spends per request, the
 * server's share of a core and the machine's idle CPU in cores (Linux; 2.00 = both cores idle on a 2-core machine). --delay-ms makes the server wait before answering.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chatBody } from '../action/src/runner/http/request-body.js';
import { evaluateTasks } from '../action/src/runner/evaluate.js';
import { ImageCache } from '../action/src/runner/images/image-cache.js';
import { openPredictions } from '../action/src/runner/predictions.js';
import { SILENT_PROGRESS } from '../action/src/runner/progress.js';
import { sleep } from '../action/src/runner/retry.js';
import { normalizeRunOptions } from '../action/src/runner/run-options.js';
import { prepareBenchmark, type PreparedBenchmark } from '../action/src/core/suite.js';
import type { BenchmarkId } from '../schemas/results.js';
import { autocannonRate, hasWrk, measure, wrkRate, wrkScript, type PhaseResult, type Sample, type Target } from './load-references.js';

const REPO = path.resolve(import.meta.dirname, '..');
const DATA = process.env.MEDVLM_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');
const { values } = parseArgs({ options: { concurrency: { type: 'string' }, seconds: { type: 'string' }, rounds: { type: 'string' }, 'delay-ms': { type: 'string' }, 'ref-seconds': { type: 'string' } } });
const CONCURRENCY = Number(values.concurrency ?? 32);
const SECONDS = Number(values.seconds ?? 3);
const ROUNDS = Number(values.rounds ?? 5);
const DELAY_MS = Number(values['delay-ms'] ?? 0);
/** the secondary's references run longer than the runner's ~1.5 s run: wrk's steady state, the stricter reference */
const REF_SECONDS = Number(values['ref-seconds'] ?? 6);
const MODEL = 'baseline';
const UNION: BenchmarkId[] = ['vqa-rad', 'slake', 'pathvqa'];

const port = 18000 + Math.floor(Math.random() * 2000);
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['bin/medvlm-bench.mjs', 'serve-baseline', '--port', String(port), '--delay-ms', String(DELAY_MS)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => server.stdout!.on('data', (d) => String(d).includes('listening') && resolve()));
const scratch = mkdtempSync(path.join(tmpdir(), 'medvlm-overhead-'));
const target: Target = { url, path: '/v1/chat/completions', connections: CONCURRENCY, threads: Math.max(1, Math.min(2, availableParallelism())), scratch };
const LOAD_BEFORE = loadavg().map((x) => x.toFixed(2)).join(' ');

type Engine = ReturnType<typeof normalizeRunOptions>['engine'];
interface Client { name: string; unit: 'items/s' | 'req/s'; kind: 'self' | 'child'; run: () => Promise<PhaseResult> }

try {
  const run = normalizeRunOptions({ endpoint: url, model: MODEL, outDir: 'unused', concurrency: CONCURRENCY, benchmarks: 'vqa-rad' });
  // `closed` = the item set `paper` had when the recorded figures were measured (paper now scores VQA-RAD's 251)
  const pb = await prepareBenchmark('vqa-rad', { protocol: 'closed', dataDir: DATA });
  const union = await prepareUnion();
  await engineRate(union, run.engine, 0); // warm-up: one run over every item used below (JIT of every code path, page cache)

  const bodies = await requestBodies([pb], run.engine.decoding);
  const primary: Client[] = [
    { name: 'runner: one run cycling the items (image cache cleared per cycle)', unit: 'items/s', kind: 'self', run: () => cyclingRate(pb, run.engine, SECONDS) },
    { name: 'runner: a new run per pass of the 271 items', unit: 'items/s', kind: 'self', run: () => engineRate([pb], run.engine, SECONDS) },
    ...references(bodies, SECONDS, true),
  ];
  report(`PRIMARY: the ${pb.items.length} VQA-RAD paper-protocol items`, primary, await rounds(primary, ROUNDS), bodies);

  const n = union.reduce((a, b) => a + b.items.length, 0);
  const unionBodies = await requestBodies(union, run.engine.decoding);
  const secondary: Client[] = [
    { name: `runner: one real run over ${union.map((b) => `${b.def.id} ${b.items.length}`).join(' + ')}`, unit: 'items/s', kind: 'self', run: () => engineRate(union, run.engine, 0) },
    // autocannon is no ceiling with 4,048 distinct 100 kB bodies (errors, milliseconds of CPU per request)
    ...references(unionBodies, REF_SECONDS, false),
  ];
  report(`SECONDARY: one real run over all ${n} items, references for ${REF_SECONDS} s`, secondary, await rounds(secondary, 3), unionBodies);
  const whole = await wholeRunRate(union.map((b) => b.def.id).join(','));
  console.log(`\nload average before: ${LOAD_BEFORE}; server delay ${DELAY_MS} ms`);
  console.log(`whole \`medvlm-bench run\` (new process) over ${union.map((b) => b.def.id).join(' + ')} incl. start-up, loading + fingerprint: ${whole.toFixed(1)} items/s`);
} finally {
  server.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}

/** Every client once per round, the order rotated each round; samples per client in round order. */
async function rounds(clients: Client[], n: number): Promise<Sample[][]> {
  const out: Sample[][] = clients.map(() => []);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < clients.length; k++) {
      const i = (k + r) % clients.length;
      out[i]!.push(await measure(server.pid!, clients[i]!.kind, clients[i]!.run));
    }
  }
  return out;
}

/** Fresh runs over all items of the benchmarks until `seconds` have elapsed (0: one run); items per second. */
async function engineRate(pbs: PreparedBenchmark[], engine: Engine, seconds: number): Promise<{ rate: number; count: number }> {
  let items = 0;
  const byId = new Map<string, PreparedBenchmark>(pbs.map((b) => [b.def.id, b]));
  const t0 = performance.now();
  do {
    const dir = mkdtempSync(path.join(scratch, 'run-'));
    const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
    const tasks = pbs.flatMap((pb) => pb.items.map((item) => ({ benchmark: pb.def.id, item, promptVersion: pb.promptVersion })));
    await evaluateTasks(tasks, tasks.length, engine, { fetch, now: Date.now, random: Math.random, sleep, progress: SILENT_PROGRESS }, store, (task, answer) => {
      const b = byId.get(task.benchmark)!;
      return b.def.scorer.score(b.items[task.item.index]!, answer);
    }, () => items++);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  } while (performance.now() - t0 < seconds * 1000);
  return { rate: items / ((performance.now() - t0) / 1000), count: items };
}

/**
 * One long run, like a load generator's: the task stream cycles through the items until time is up, and at every
 * cycle start the image cache and body hash states are cleared, so each cycle reads, hashes and encodes its images
 * as a new run would. Only the end-of-run drain and the per-run setup (connections, predictions file) are absent.
 */
async function cyclingRate(pb: PreparedBenchmark, engine: Engine, seconds: number): Promise<{ rate: number; count: number }> {
  const dir = mkdtempSync(path.join(scratch, 'cycle-'));
  const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
  const imageCache = new ImageCache();
  const t0 = performance.now();
  function* tasks() {
    while (performance.now() - t0 < seconds * 1000) {
      imageCache.clear();
      for (const item of pb.items) yield { benchmark: pb.def.id, item, promptVersion: pb.promptVersion };
    }
  }
  let items = 0;
  await evaluateTasks(tasks(), Infinity, engine, { fetch, now: Date.now, random: Math.random, sleep, progress: SILENT_PROGRESS, imageCache }, store,
    (task, answer) => pb.def.scorer.score(pb.items[task.item.index]!, answer), () => items++);
  const rate = items / ((performance.now() - t0) / 1000);
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate, count: items };
}

/**
 * `medvlm-bench run` as a user starts it, in a new process (no image hash remembered from this one's preparation):
 * items scored per second of the command's whole wall time, start-up, loading and fingerprint included.
 */
async function wholeRunRate(benchmarks: string): Promise<number> {
  const out = mkdtempSync(path.join(scratch, 'whole-'));
  const args = ['bin/medvlm-bench.mjs', 'run', '--endpoint', url, '--model', MODEL, '--benchmarks', benchmarks, '--data-dir', DATA,
    '--out', out, '--concurrency', String(CONCURRENCY)];
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d) => (log = (log + String(d)).slice(-2000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`medvlm-bench run exited with ${code}:\n${log}`))));
  });
  const seconds = (performance.now() - t0) / 1000;
  const result = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as { benchmarks: Array<{ counts: { scored: number } }> };
  return result.benchmarks.reduce((a, b) => a + b.counts.scored, 0) / seconds;
}

/** VQA-RAD, SLAKE (en) and PathVQA, paper protocol; a benchmark whose data is absent is left out and named. */
async function prepareUnion(): Promise<PreparedBenchmark[]> {
  const out: PreparedBenchmark[] = [];
  for (const id of UNION) {
    try {
      out.push(await prepareBenchmark(id, { protocol: 'closed', dataDir: DATA }));
    } catch (e) {
      if (id === 'vqa-rad') throw e;
      console.log(`note: ${id} left out of the primary run (${(e as Error).message.split('\n')[0]})`);
    }
  }
  return out;
}

/** The exact bytes the runner sends for each item, in run order. */
async function requestBodies(pbs: PreparedBenchmark[], d: Engine['decoding']): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const pb of pbs) {
    for (const item of pb.items) {
      const images = await Promise.all(item.sample.images.map(async (im) => ({ mime: im.mime, base64: Buffer.from(await im.read()).toString('base64') })));
      out.push(chatBody(MODEL, item.prompt, images, d));
    }
  }
  return out;
}

function references(bodies: Buffer[], seconds: number, withAutocannon: boolean): Client[] {
  const out: Client[] = [];
  if (!hasWrk()) console.log('note: wrk is not installed (apt-get install wrk); the reference is autocannon alone');
  else {
    const script = wrkScript(target, bodies);
    out.push({ name: `wrk (${target.threads} threads, Lua script cycling the bodies)`, unit: 'req/s', kind: 'child', run: async () => wrkRate(target, script, seconds) });
  }
  if (withAutocannon || out.length === 0) {
    out.push({ name: `autocannon (${target.threads} worker threads)`, unit: 'req/s', kind: 'self', run: () => autocannonRate(target, bodies, seconds) });
  }
  return out;
}

/** Rates summed over the rounds; each runner row divided by the fastest reference, overall and round by round. */
function report(title: string, clients: Client[], samples: Sample[][], bodies: Buffer[]): void {
  const mb = bodies.reduce((s, b) => s + b.length, 0) / bodies.length / 1e6;
  const rate = (xs: Sample[]) => xs.reduce((a, x) => a + x.count, 0) / xs.reduce((a, x) => a + x.seconds, 0);
  const sum = (xs: Sample[], f: (x: Sample) => number | null) => (xs.some((x) => f(x) === null) ? null : xs.reduce((a, x) => a + f(x)!, 0));
  console.log(`\n${title}: ${bodies.length} distinct bodies (mean ${mb.toFixed(3)} MB), ${samples[0]!.length} rounds`);
  console.log(`${'client'.padEnd(70)}${'rate'.padStart(16)}${'client CPU/req'.padStart(16)}${'server core'.padStart(13)}${'idle cores'.padStart(12)}`);
  clients.forEach((c, i) => {
    const xs = samples[i]!;
    const wall = xs.reduce((a, x) => a + x.wallMs, 0);
    const count = xs.reduce((a, x) => a + x.count, 0);
    const [cpu, srv, idle] = [sum(xs, (x) => x.clientUs), sum(xs, (x) => x.serverMs), sum(xs, (x) => x.idleMs)];
    const cells = [`${rate(xs).toFixed(1)} ${c.unit}`, cpu === null ? '—' : `${(cpu / count).toFixed(0)} µs`,
      srv === null ? '—' : `${((100 * srv) / wall).toFixed(0)}%`, idle === null ? '—' : (idle / wall).toFixed(2)];
    console.log(`${c.name.padEnd(70)}${cells[0]!.padStart(16)}${cells[1]!.padStart(16)}${cells[2]!.padStart(13)}${cells[3]!.padStart(12)}`);
  });
  const refIdx = clients.map((c, i) => (c.unit === 'req/s' ? i : -1)).filter((i) => i >= 0);
  const best = refIdx.reduce((a, b) => (rate(samples[b]!) > rate(samples[a]!) ? b : a));
  clients.forEach((c, i) => {
    if (c.unit !== 'items/s') return;
    const perRound = samples[i]!.map((x, r) => (x.count / x.seconds) / Math.max(...refIdx.map((k) => samples[k]![r]!.count / samples[k]![r]!.seconds)));
    console.log(`ratio ${c.name.split(' (')[0]} / ${clients[best]!.name.split(' ')[0]}: ${(rate(samples[i]!) / rate(samples[best]!)).toFixed(2)} ` +
      `(rounds: ${perRound.map((x) => x.toFixed(2)).join(' ')}; target ≥ 0.80)`);
  });
}
