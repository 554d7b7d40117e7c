/**
 * Harness overhead: the runner vs autocannon against the same serve-baseline, with the same request bodies (real
 * VQA-RAD items: images as base64 data URLs, the paper-protocol prompt) and the same concurrency, in one script.
 * The server runs in its own process so neither client shares an event loop with it.
 *   node bin/run-ts.mjs bench/runner-overhead.ts [--concurrency 32] [--passes 3]
 * Prints both rates and runner/autocannon (target ≥ 0.8).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { prepareBenchmark } from '../action/src/suite.js';

const REPO = path.resolve(import.meta.dirname, '..');
const DATA = process.env.MEDVLM_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');
const { values } = parseArgs({ options: { concurrency: { type: 'string' }, passes: { type: 'string' } } });
const CONCURRENCY = Number(values.concurrency ?? 32);
const PASSES = Number(values.passes ?? 3);
const MODEL = 'baseline';

const port = 18000 + Math.floor(Math.random() * 2000);
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['bin/medvlm-bench.mjs', 'serve-baseline', '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => server.stdout!.on('data', (d) => String(d).includes('listening') && resolve()));

try {
  const pb = await prepareBenchmark('vqa-rad', { protocol: 'paper', dataDir: DATA });
  const run = normalizeRunOptions({ endpoint: url, model: MODEL, outDir: 'unused', concurrency: CONCURRENCY, benchmarks: 'vqa-rad' });
  const bodies = await Promise.all(pb.items.map(async (item) =>
    buildChatBody(MODEL, item.prompt, await Promise.all(item.sample.images.map(async (im) => ({ mime: im.mime, bytes: await im.read() }))), run.engine.decoding)));
  const mb = bodies.reduce((s, b) => s + b.length, 0) / bodies.length / 1e6;
  console.log(`VQA-RAD paper protocol: ${bodies.length} items, mean request body ${mb.toFixed(2)} MB, concurrency ${CONCURRENCY}, ${PASSES} pass(es)`);

  // Warm both paths once (JIT, connection pools, page cache) before measuring.
  await engineRate(pb, run.engine, 1);
  const runner = await engineRate(pb, run.engine, PASSES);
  const cannon = await autocannonRate(bodies, PASSES);
  const whole = await wholeRunRate();
  console.log(`runner (engine: read images, hash, base64, HTTP, score, append predictions): ${runner.toFixed(1)} items/s`);
  console.log(`autocannon (pre-built bodies, same server and concurrency):               ${cannon.toFixed(1)} req/s`);
  console.log(`ratio runner/autocannon: ${(runner / cannon).toFixed(2)} (target ≥ 0.80)`);
  console.log(`whole \`runEvaluation\` incl. data loading + fingerprint: ${whole.toFixed(1)} items/s`);
} finally {
  server.kill('SIGTERM');
}

async function engineRate(pb: Awaited<ReturnType<typeof prepareBenchmark>>, engine: ReturnType<typeof normalizeRunOptions>['engine'], passes: number): Promise<number> {
  let items = 0;
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-overhead-'));
    const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
    const tasks = pb.items.map((item) => ({ benchmark: pb.def.id, item, promptVersion: pb.promptVersion }));
    await evaluateTasks(tasks, tasks.length, engine, { fetch, now: Date.now, random: Math.random, sleep, progress: SILENT_PROGRESS }, store,
      (task, answer) => scoreResponse(pb.items[task.item.index]!, answer, pb.def.extraction), () => items++);
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return items / ((performance.now() - t0) / 1000);
}

async function autocannonRate(bodies: string[], passes: number): Promise<number> {
  const result = await autocannon({
    url: `${url}/v1/chat/completions`,
    connections: CONCURRENCY,
    amount: bodies.length * passes,
    headers: { 'content-type': 'application/json' },
    requests: bodies.map((body) => ({ method: 'POST', path: '/v1/chat/completions', body })),
  });
  if (result.non2xx > 0 || result.errors > 0) console.log(`autocannon: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total / (result.duration || 1);
}

async function wholeRunRate(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-overhead-'));
  const t0 = performance.now();
  const { result } = await runEvaluation({ endpoint: url, model: MODEL, benchmarks: 'vqa-rad', dataDir: DATA, outDir: dir, concurrency: CONCURRENCY, env: {} },
    { fetch, now: Date.now, log: () => {} });
  rmSync(dir, { recursive: true, force: true });
  return result.benchmarks[0]!.counts.scored / ((performance.now() - t0) / 1000);
}
