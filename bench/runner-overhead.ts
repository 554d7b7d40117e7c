/**
 * Harness overhead: the runner's engine vs a load generator against the same serve-baseline, with the same request
 * bodies (real VQA-RAD items: images as base64 data URLs, the paper-protocol prompt) and the same concurrency, in
 * one script. The server runs in its own process. The reference must be a ceiling of the server, not a client
 * bottleneck: wrk (C, Lua script cycling the bodies) when it is installed, and autocannon with worker threads;
 * the ratio is taken against the faster of the two.
 *   node bin/run-ts.mjs bench/runner-overhead.ts [--concurrency 32] [--seconds 10]
 * Prints every rate and runner / fastest reference (target ≥ 0.8).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildChatBody } from '../action/src/eval/client.js';
import { evaluateTasks } from '../action/src/eval/evaluate.js';
import { openPredictions } from '../action/src/eval/predictions.js';
import { SILENT_PROGRESS } from '../action/src/eval/progress.js';
import { sleep } from '../action/src/eval/retry.js';
import { normalizeRunOptions } from '../action/src/eval/run-options.js';
import { runEvaluation } from '../action/src/eval/run.js';
import { scoreResponse } from '../action/src/scoring/score.js';
import { prepareBenchmark, type PreparedBenchmark } from '../action/src/suite.js';

const REPO = path.resolve(import.meta.dirname, '..');
const DATA = process.env.MEDVLM_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');
const { values } = parseArgs({ options: { concurrency: { type: 'string' }, seconds: { type: 'string' } } });
const CONCURRENCY = Number(values.concurrency ?? 32);
const SECONDS = Number(values.seconds ?? 10);
const THREADS = Math.max(1, Math.min(2, availableParallelism()));
const MODEL = 'baseline';
const CHAT = '/v1/chat/completions';

const port = 18000 + Math.floor(Math.random() * 2000);
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['bin/medvlm-bench.mjs', 'serve-baseline', '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => server.stdout!.on('data', (d) => String(d).includes('listening') && resolve()));
const scratch = mkdtempSync(path.join(tmpdir(), 'medvlm-overhead-'));

try {
  const pb = await prepareBenchmark('vqa-rad', { protocol: 'paper', dataDir: DATA });
  const run = normalizeRunOptions({ endpoint: url, model: MODEL, outDir: 'unused', concurrency: CONCURRENCY, benchmarks: 'vqa-rad' });
  const bodies = await Promise.all(pb.items.map(async (item) =>
    buildChatBody(MODEL, item.prompt, await Promise.all(item.sample.images.map(async (im) => ({ mime: im.mime, bytes: await im.read() }))), run.engine.decoding)));
  const mb = bodies.reduce((s, b) => s + b.length, 0) / bodies.length / 1e6;
  console.log(`VQA-RAD paper protocol: ${bodies.length} items, mean request body ${mb.toFixed(2)} MB, concurrency ${CONCURRENCY}, ~${SECONDS} s per client`);

  await engineRate(pb, run.engine, 1); // warm-up: JIT, connection pool, page cache
  const runner = await engineRate(pb, run.engine, SECONDS);
  const refs: Array<[string, number]> = [];
  const wrk = wrkRate(bodies);
  if (wrk === null) console.log('note: wrk is not installed (apt-get install wrk); the reference is autocannon alone');
  else refs.push([`wrk (${THREADS} threads, Lua script cycling the bodies)`, wrk]);
  refs.push([`autocannon (${THREADS} worker threads)`, await autocannonRate(bodies)]);
  const whole = await wholeRunRate();
  const pad = (s: string) => s.padEnd(66);
  console.log(`${pad('runner engine (read images, hash, base64, HTTP, score, append)')}${runner.toFixed(1)} items/s`);
  for (const [name, rate] of refs) console.log(`${pad(name)}${rate.toFixed(1)} req/s`);
  const [bestName, best] = refs.reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`ratio runner / fastest reference (${bestName.split(' ')[0]}): ${(runner / best).toFixed(2)} (target ≥ 0.80)`);
  console.log(`whole \`runEvaluation\` incl. data loading + fingerprint (one pass): ${whole.toFixed(1)} items/s`);
} finally {
  server.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}

/** Passes over all items until `seconds` have elapsed; items per second over the whole time. */
async function engineRate(pb: PreparedBenchmark, engine: ReturnType<typeof normalizeRunOptions>['engine'], seconds: number): Promise<number> {
  let items = 0;
  const t0 = performance.now();
  do {
    const dir = mkdtempSync(path.join(scratch, 'run-'));
    const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
    const tasks = pb.items.map((item) => ({ benchmark: pb.def.id, item, promptVersion: pb.promptVersion }));
    await evaluateTasks(tasks, tasks.length, engine, { fetch, now: Date.now, random: Math.random, sleep, progress: SILENT_PROGRESS }, store,
      (task, answer) => scoreResponse(pb.items[task.item.index]!, answer, pb.def.extraction), () => items++);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  } while (performance.now() - t0 < seconds * 1000);
  return items / ((performance.now() - t0) / 1000);
}

/** wrk with a Lua script that loads the bodies in each thread and sends them in turn; null when wrk is absent. */
function wrkRate(bodies: string[]): number | null {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null; // wrk --version exits 1 but runs
  }
  const dir = path.join(scratch, 'wrk');
  mkdirSync(dir);
  bodies.forEach((b, i) => writeFileSync(path.join(dir, `${i}.json`), b));
  const script = path.join(dir, 'bodies.lua');
  writeFileSync(script, [
    'local bodies, n = {}, 0',
    'function init(args)',
    `  for i = 0, ${bodies.length - 1} do local f = io.open("${dir}/" .. i .. ".json", "rb"); bodies[i + 1] = f:read("*a"); f:close() end`,
    '  n = 0',
    'end',
    'function request()',
    `  n = n % ${bodies.length} + 1`,
    `  return wrk.format("POST", "${CHAT}", { ["Content-Type"] = "application/json" }, bodies[n])`,
    'end',
  ].join('\n'));
  const out = execFileSync('wrk', ['-t', String(THREADS), '-c', String(CONCURRENCY), '-d', `${SECONDS}s`, '-s', script, `${url}${CHAT}`], { encoding: 'utf8' });
  const bad = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (bad) console.log(`wrk: ${bad[1]} non-2xx responses`);
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
}

async function autocannonRate(bodies: string[]): Promise<number> {
  const t0 = performance.now();
  const result = await autocannon({
    url: `${url}${CHAT}`,
    connections: CONCURRENCY,
    duration: SECONDS,
    workers: THREADS,
    headers: { 'content-type': 'application/json' },
    requests: bodies.map((body) => ({ method: 'POST', path: CHAT, body })),
  });
  const seconds = (performance.now() - t0) / 1000;
  if (result.non2xx > 0 || result.errors > 0) console.log(`autocannon: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total / seconds;
}

async function wholeRunRate(): Promise<number> {
  const dir = mkdtempSync(path.join(scratch, 'whole-'));
  const t0 = performance.now();
  const { result } = await runEvaluation({ endpoint: url, model: MODEL, benchmarks: 'vqa-rad', dataDir: DATA, outDir: dir, concurrency: CONCURRENCY, env: {} },
    { fetch, now: Date.now, log: () => {} });
  return result.benchmarks[0]!.counts.scored / ((performance.now() - t0) / 1000);
}
