/**
 * Harness overhead: the runner's engine vs a load generator against the same serve-baseline, with the same request
 * bodies (real images as base64 data URLs, the paper-protocol prompts) and the same concurrency, in one script. The
 * server runs in its own process. The reference must be a ceiling of the server, not a client bottleneck: wrk (C,
 * Lua script cycling the bodies) when it is installed, and autocannon with worker threads; the ratio is taken
 * against the faster of the two.
 * Primary: ONE real run — a fresh evaluateTasks (new image cache, connections, predictions file) over every item of
 * VQA-RAD + SLAKE (en) + PathVQA present in the shared data (VQA-RAD alone when the others are absent) — vs the
 * references cycling exactly those bodies for the run's duration (rounded to whole seconds, at least 2).
 * Secondary: the 271 VQA-RAD items, a new run per pass for --seconds, and one run cycling them (caches cleared
 * per cycle), vs the references cycling the 271 bodies.
 *   node bin/run-ts.mjs bench/runner-overhead.ts [--concurrency 32] [--seconds 10] [--delay-ms 0] [--primary-ref-seconds S]
 * (--primary-ref-seconds: run the primary's references for S s instead of the run's duration: their steady state)
 * Prints every rate and runner / fastest reference (target ≥ 0.8), the CPU time each client spends per request, the
 * server's share of a core and the machine's idle CPU (Linux). --delay-ms makes the server wait before answering.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { chatBody } from '../action/src/eval/request-body.js';
import { evaluateTasks } from '../action/src/eval/evaluate.js';
import { ImageCache } from '../action/src/eval/image-cache.js';
import { openPredictions } from '../action/src/eval/predictions.js';
import { SILENT_PROGRESS } from '../action/src/eval/progress.js';
import { sleep } from '../action/src/eval/retry.js';
import { normalizeRunOptions } from '../action/src/eval/run-options.js';
import { runEvaluation } from '../action/src/eval/run.js';
import { scoreResponse } from '../action/src/scoring/score.js';
import { prepareBenchmark, type PreparedBenchmark } from '../action/src/suite.js';
import type { BenchmarkId } from '../schemas/results.js';

const REPO = path.resolve(import.meta.dirname, '..');
const DATA = process.env.MEDVLM_SHARED_DATA ?? path.resolve(REPO, '..', 'shared', 'data');
const { values } = parseArgs({ options: { concurrency: { type: 'string' }, seconds: { type: 'string' }, 'delay-ms': { type: 'string' }, 'primary-ref-seconds': { type: 'string' } } });
const CONCURRENCY = Number(values.concurrency ?? 32);
const SECONDS = Number(values.seconds ?? 10);
const DELAY_MS = Number(values['delay-ms'] ?? 0);
const THREADS = Math.max(1, Math.min(2, availableParallelism()));
const MODEL = 'baseline';
const CHAT = '/v1/chat/completions';
const UNION: BenchmarkId[] = ['vqa-rad', 'slake', 'pathvqa'];

const port = 18000 + Math.floor(Math.random() * 2000);
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['bin/medvlm-bench.mjs', 'serve-baseline', '--port', String(port), '--delay-ms', String(DELAY_MS)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => server.stdout!.on('data', (d) => String(d).includes('listening') && resolve()));
const scratch = mkdtempSync(path.join(tmpdir(), 'medvlm-overhead-'));
const LOAD_BEFORE = loadavg().map((x) => x.toFixed(2)).join(' ');

type Engine = ReturnType<typeof normalizeRunOptions>['engine'];
interface Row { name: string; unit: string; rate: number; cpuUsPerReq: number | null; serverPct: number | null; idlePct: number | null }

/** CPU time of a process in ms from /proc (Linux), null elsewhere. */
function procCpuMs(pid: number): number | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const f = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime in clock ticks (USER_HZ = 100)
}

/** CPU time of this process's finished (waited-for) children in ms from /proc: wrk's, once it has exited. */
function childrenCpuMs(): number {
  if (!existsSync('/proc/self/stat')) return NaN;
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime
}

/** Idle CPU time of the whole machine in ms (all cores), null off Linux. */
function machineIdleMs(): number | null {
  if (!existsSync('/proc/stat')) return null;
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((f[3]! + f[4]!) * 1000) / 100;
}

/** Runs one client phase; the client runs in this process (the runner, autocannon's threads) or as a child (wrk). */
async function measured(name: string, unit: string, client: 'self' | 'child', phase: () => Promise<{ rate: number; count: number }>): Promise<Row> {
  const [cpu0, child0, srv0, idle0, t0] = [process.cpuUsage(), childrenCpuMs(), procCpuMs(server.pid!), machineIdleMs(), performance.now()];
  const { rate, count } = await phase();
  const [cpu, child1, srv1, idle1, wall] = [process.cpuUsage(cpu0), childrenCpuMs(), procCpuMs(server.pid!), machineIdleMs(), performance.now() - t0];
  const clientUs = client === 'self' ? cpu.user + cpu.system : (child1 - child0) * 1000;
  return {
    name, unit, rate,
    cpuUsPerReq: Number.isFinite(clientUs) ? clientUs / count : null,
    serverPct: srv0 === null || srv1 === null ? null : (100 * (srv1 - srv0)) / wall,
    idlePct: idle0 === null || idle1 === null ? null : (100 * (idle1 - idle0)) / wall,
  };
}

try {
  const run = normalizeRunOptions({ endpoint: url, model: MODEL, outDir: 'unused', concurrency: CONCURRENCY, benchmarks: 'vqa-rad' });
  const pb = await prepareBenchmark('vqa-rad', { protocol: 'paper', dataDir: DATA });
  const union = await prepareUnion();
  await engineRate(union, run.engine, 0); // warm-up: one run over the same items (JIT of every code path, page cache)

  const n = union.reduce((a, b) => a + b.items.length, 0);
  console.log(`primary: one run over ${union.map((b) => `${b.def.id} ${b.items.length}`).join(' + ')} = ${n} paper-protocol items, concurrency ${CONCURRENCY}`);
  const primary = await measured(`runner engine, one run over all ${n} items`, 'items/s', 'self', () => engineRate(union, run.engine, 0));
  const runSeconds = Number(values['primary-ref-seconds'] ?? Math.max(2, Math.round(n / primary.rate)));
  const unionBodies = await requestBodies(union, run.engine.decoding);
  const primaryRefs = await references(unionBodies, runSeconds);
  report('PRIMARY: one real run vs the references cycling its bodies', [primary, ...primaryRefs], unionBodies, runSeconds);

  const bodies = await requestBodies([pb], run.engine.decoding);
  const rows: Row[] = [];
  rows.push(await measured('runner engine, a new run per pass of the items', 'items/s', 'self', () => engineRate([pb], run.engine, SECONDS)));
  rows.push(await measured('runner engine, one run cycling the items, caches cleared per cycle', 'items/s', 'self', () => cyclingRate(pb, run.engine, SECONDS)));
  rows.push(...await references(bodies, SECONDS));
  report('SECONDARY: the 271 VQA-RAD items, repeated for ~' + SECONDS + ' s per client', rows, bodies, SECONDS);
  const whole = await wholeRunRate(union.map((b) => b.def.id).join(','));
  console.log(`load average before: ${LOAD_BEFORE}; server delay ${DELAY_MS} ms`);
  console.log(`whole \`runEvaluation\` over the primary's benchmarks incl. data loading + fingerprint: ${whole.toFixed(1)} items/s`);
} finally {
  server.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
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
      return scoreResponse(b.items[task.item.index]!, answer, b.def.extraction);
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
    (task, answer) => scoreResponse(pb.items[task.item.index]!, answer, pb.def.extraction), () => items++);
  const rate = items / ((performance.now() - t0) / 1000);
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate, count: items };
}

function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false; // wrk --version exits 1 but runs
  }
  return true;
}

/** wrk with a Lua script that loads the bodies in each thread and sends them in turn. */
function wrkRate(bodies: Buffer[], seconds: number): { rate: number; count: number } {
  const dir = mkdtempSync(path.join(scratch, 'wrk-'));
  bodies.forEach((b, i) => writeFileSync(path.join(dir, `${i}.json`), b));
  const script = path.join(dir, 'bodies.lua');
  // whole requests are formatted once in init: request() then only returns a string (no 100 kB copy per request)
  writeFileSync(script, [
    'local reqs, n = {}, 0',
    'function init(args)',
    `  for i = 0, ${bodies.length - 1} do`,
    `    local f = io.open("${dir}/" .. i .. ".json", "rb")`,
    `    reqs[i + 1] = wrk.format("POST", "${CHAT}", { ["Content-Type"] = "application/json" }, f:read("*a"))`,
    '    f:close()',
    '  end',
    'end',
    'function request()',
    `  n = n % ${bodies.length} + 1`,
    '  return reqs[n]',
    'end',
  ].join('\n'));
  const out = execFileSync('wrk', ['-t', String(THREADS), '-c', String(CONCURRENCY), '-d', `${seconds}s`, '-s', script, `${url}${CHAT}`], { encoding: 'utf8' });
  const bad = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (bad) console.log(`wrk: ${bad[1]} non-2xx responses`);
  return { rate: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN), count: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN) };
}

async function autocannonRate(bodies: Buffer[], seconds: number): Promise<{ rate: number; count: number }> {
  const t0 = performance.now();
  const result = await autocannon({
    url: `${url}${CHAT}`,
    connections: CONCURRENCY,
    duration: seconds,
    workers: THREADS,
    headers: { 'content-type': 'application/json' },
    requests: bodies.map((body) => ({ method: 'POST', path: CHAT, body: body.toString('utf8') })),
  });
  const wall = (performance.now() - t0) / 1000;
  if (result.non2xx > 0 || result.errors > 0) console.log(`autocannon: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rate: result.requests.total / wall, count: result.requests.total };
}

async function wholeRunRate(benchmarks: string): Promise<number> {
  const dir = mkdtempSync(path.join(scratch, 'whole-'));
  const t0 = performance.now();
  const { result } = await runEvaluation({ endpoint: url, model: MODEL, benchmarks, dataDir: DATA, outDir: dir, concurrency: CONCURRENCY, env: {} },
    { fetch, now: Date.now, log: () => {} });
  return result.benchmarks.reduce((a, b) => a + b.counts.scored, 0) / ((performance.now() - t0) / 1000);
}

/** VQA-RAD, SLAKE (en) and PathVQA, paper protocol; a benchmark whose data is absent is left out and named. */
async function prepareUnion(): Promise<PreparedBenchmark[]> {
  const out: PreparedBenchmark[] = [];
  for (const id of UNION) {
    try {
      out.push(await prepareBenchmark(id, { protocol: 'paper', dataDir: DATA }));
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

async function references(bodies: Buffer[], seconds: number): Promise<Row[]> {
  const refs: Row[] = [];
  if (!hasWrk()) console.log('note: wrk is not installed (apt-get install wrk); the reference is autocannon alone');
  else refs.push(await measured(`wrk (${THREADS} threads, Lua script cycling the bodies)`, 'req/s', 'child', async () => wrkRate(bodies, seconds)));
  refs.push(await measured(`autocannon (${THREADS} worker threads)`, 'req/s', 'self', () => autocannonRate(bodies, seconds)));
  return refs;
}

/** Prints the rows (runner rows first) and each runner row / the fastest reference. */
function report(title: string, rows: Row[], bodies: Buffer[], seconds: number): void {
  const mb = bodies.reduce((s, b) => s + b.length, 0) / bodies.length / 1e6;
  console.log(`\n${title}: ${bodies.length} distinct bodies (mean ${mb.toFixed(3)} MB), references for ${seconds} s`);
  console.log(`${'client'.padEnd(64)}${'rate'.padStart(16)}${'client CPU/req'.padStart(16)}${'server core'.padStart(13)}${'machine idle'.padStart(14)}`);
  const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(0)}%`);
  for (const r of rows) {
    const cpu = r.cpuUsPerReq === null ? '—' : `${r.cpuUsPerReq.toFixed(0)} µs`;
    console.log(`${r.name.padEnd(64)}${`${r.rate.toFixed(1)} ${r.unit}`.padStart(16)}${cpu.padStart(16)}${pct(r.serverPct).padStart(13)}${pct(r.idlePct).padStart(14)}`);
  }
  const refs = rows.filter((r) => r.unit === 'req/s');
  const best = refs.reduce((a, b) => (b.rate > a.rate ? b : a));
  for (const r of rows.filter((x) => x.unit === 'items/s')) console.log(`ratio ${r.name} / ${best.name.split(' ')[0]}: ${(r.rate / best.rate).toFixed(2)} (target ≥ 0.80)`);
}
