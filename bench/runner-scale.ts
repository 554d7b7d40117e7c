/**
 * Runner at scale: a generated 100,000-item custom manifest with small images, evaluated against serve-baseline
 * (in its own process), then resumed from the finished output folder.
 *   node bin/run-ts.mjs bench/runner-scale.ts [--items 100000] [--concurrency 64] [--pad-bytes 4000] [--no-report]
 * Prints the run's items/s and the runner's peak RSS (target ≤ 512 MB), and the resume time with the number of
 * requests the resume sent (target: seconds, zero requests). Answers carry --pad-bytes of filler reasoning (default
 * 4,000: chain-of-thought sized), so a resume that kept response text in memory would show in the peak RSS.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBaselineServer } from '../action/src/runner/baseline-server.js';
import { runEvaluation } from '../action/src/runner/run.js';

const REPO = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { items: { type: 'string' }, concurrency: { type: 'string' }, 'pad-bytes': { type: 'string' }, keep: { type: 'boolean' }, 'no-report': { type: 'boolean' } } });
const ITEMS = Number(values.items ?? 100_000);
const CONCURRENCY = Number(values.concurrency ?? 64);
const DISTINCT_IMAGES = 2000;
const PAD_BYTES = Number(values['pad-bytes'] ?? 4000);

const root = mkdtempSync(path.join(tmpdir(), 'medvlm-scale-'));
const manifest = await generateManifest(root, ITEMS);
const out = path.join(root, 'out');
const port = 20000 + Math.floor(Math.random() * 2000);
const server = spawn(process.execPath, ['bin/medvlm-bench.mjs', 'serve-baseline', '--port', String(port), '--pad-bytes', String(PAD_BYTES)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => server.stdout!.on('data', (d) => String(d).includes('listening') && resolve()));

try {
  console.log(`${ITEMS} items (${DISTINCT_IMAGES} distinct ~1 kB images), answers of ~${PAD_BYTES} bytes, concurrency ${CONCURRENCY}`);
  const first = await timedRun(`http://127.0.0.1:${port}`);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`run:    ${describe(first)}; ${(ITEMS / first.evalSeconds).toFixed(0)} items/s while evaluating; ` +
    `peak RSS ${rssMb.toFixed(0)} MB (target ≤ 512)`);

  const local = await startBaselineServer();
  const resumed = await timedRun(local.url);
  console.log(`resume: ${describe(resumed)}; requests sent: ${local.stats.requests}`);
  console.log(`peak RSS of the whole process (run + resume): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (target ≤ 512)`);
  await local.close();
} finally {
  server.kill('SIGTERM');
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}

interface Phases { seconds: number; prepareSeconds: number; evalSeconds: number; resultSeconds: number }

/** Times the phases: loading + fingerprint (until "evaluating…"), evaluation (until progress.finish), results. */
async function timedRun(endpoint: string): Promise<Phases> {
  const t0 = performance.now();
  let tEval = t0;
  let tDone = t0;
  await runEvaluation({ endpoint, model: 'baseline', benchmarks: 'custom', manifest, outDir: out, concurrency: CONCURRENCY, env: {}, itemReport: !values['no-report'] }, {
    fetch, now: Date.now,
    log: (m) => {
      if (m.startsWith('evaluating ')) tEval = performance.now();
      if (process.env.BENCH_LOG) console.log(`  log: ${m}`);
      if (m.startsWith('evaluating ') && process.env.BENCH_MEM) console.log(`  after loading: ${memory()}`);
    },
    progress: {
      start() {},
      update() {},
      finish: () => {
        tDone = performance.now();
        if (process.env.BENCH_MEM) console.log(`  after evaluating: ${memory()}`);
      },
    },
  });
  const t1 = performance.now();
  if (process.env.BENCH_MEM) console.log(`  after results${values['no-report'] ? '' : ' + report.html'}: ${memory()}`);
  return { seconds: (t1 - t0) / 1000, prepareSeconds: (tEval - t0) / 1000, evalSeconds: (tDone - tEval) / 1000, resultSeconds: (t1 - tDone) / 1000 };
}

function memory(): string {
  (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc: report what is retained, not garbage awaiting collection
  const m = process.memoryUsage();
  return `rss ${(m.rss / 1e6).toFixed(0)} MB, heap used ${(m.heapUsed / 1e6).toFixed(0)} MB (total ${(m.heapTotal / 1e6).toFixed(0)}), external ${(m.external / 1e6).toFixed(0)} MB, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
}

function describe(p: Phases): string {
  return `${p.seconds.toFixed(1)} s total = ${p.prepareSeconds.toFixed(1)} s loading + fingerprint, ${p.evalSeconds.toFixed(1)} s evaluating, ` +
    `${p.resultSeconds.toFixed(1)} s building results`;
}

/** Streams the manifest: two-option items over a pool of small PNG-signed images. */
async function generateManifest(dir: string, n: number): Promise<string> {
  mkdirSync(path.join(dir, 'img'));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 0; i < DISTINCT_IMAGES; i++) {
    const body = Buffer.alloc(1024);
    for (let j = 0; j < body.length; j++) body[j] = (i * 31 + j * 7) & 255;
    writeFileSync(path.join(dir, 'img', `${i}.png`), Buffer.concat([signature, body]));
  }
  const file = path.join(dir, 'manifest.jsonl');
  const ws = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const line = JSON.stringify({ id: `q${i}`, question: `Is finding ${i % 97} visible in this image?`, options: { A: 'yes', B: 'no' },
      answer: i % 3 === 0 ? 'B' : 'A', images: [`img/${i % DISTINCT_IMAGES}.png`], modality: i % 2 ? 'CT' : 'MRI' });
    if (!ws.write(`${line}\n`)) await new Promise<void>((r) => ws.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => ws.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return file;
}
