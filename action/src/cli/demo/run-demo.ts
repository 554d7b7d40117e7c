/**
 * The README's main job on embedded defaults: a local Worker (workerd + in-memory D1) and the built-in baseline model,
 * a "main" run and a "PR" run of the same model at two checkpoints (two baseline seeds), both uploaded, then the
 * worker's paired comparison, the gate verdict and the URLs to open. Everything is local; nothing is faked except
 * the model, which is deliberately chance-level so the numbers are easy to sanity-check.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CompareResult } from '../../../../schemas/compare.js';
import type { RunResult } from '../../../../schemas/results.js';
import { AggregatorError, fetchCompare, fetchRun, uploadRun, type AggregatorClient } from '../../github-action/aggregator.js';
import type { PreparedBenchmark } from '../../core/suite.js';
import { PREDICTIONS_FILE } from '../../runner/predictions.js';
import { writeItemReportSafely } from '../../runner/report/index.js';
import { UserError } from '../../core/errors.js';
import { startBaselineServer } from '../../runner/baseline-server.js';
import { runEvaluation } from '../../runner/run.js';
import type { ProgressSink } from '../../runner/progress.js';
import { DEFAULT_GATES_CONFIG } from '../../github-action/gates/config.js';
import { evaluateGates, type GateReport } from '../../github-action/gates/evaluate.js';

export const DEMO_REPOSITORY = 'demo/medvlm-bench';
/** the name serve-baseline lists under /v1/models */
export const DEMO_MODEL = 'baseline-random';
/** benchmarks with images available in the shared data folder, in the order shown */
const IMAGE_BENCHMARKS = ['vqa-rad', 'slake', 'pathvqa'] as const;

export interface DemoOptions {
  /** benchmark folders; null → Hugging Face download of VQA-RAD */
  dataDir: string | null;
  /** where results folders go */
  workDir: string;
  port: number;
  limit: number | null;
  benchmarks: string[] | null;
  concurrency: number;
}

export interface DemoDeps {
  fetch: typeof fetch;
  now: () => number;
  log: (msg: string) => void;
  progress?: (label: string) => ProgressSink | undefined;
  startWorker: (opts: { port: number; vars: Record<string, string> }) => Promise<{ url: string; stop(): Promise<void> }>;
}

export interface DemoOutcome {
  workerUrl: string;
  main: { id: string; result: RunResult };
  pr: { id: string; result: RunResult };
  compare: CompareResult;
  gates: GateReport;
  urls: { dashboard: string; compare: string; badge: string; leaderboard: string };
  /** report.html of each run; the PR's opens on its changes vs main (null: not written, see the log) */
  reports: { main: string | null; pr: string | null };
  stop(): Promise<void>;
}

export function chooseBenchmarks(dataDir: string | null): string[] {
  if (!dataDir) return ['vqa-rad'];
  const has = (names: string[]): boolean => names.some((n) => existsSync(path.join(dataDir, n)));
  const found = IMAGE_BENCHMARKS.filter((id) => has([id, id.replace('-', '_'), id.replace('-', '')]));
  return found.length > 0 ? [...found] : ['vqa-rad'];
}

export async function runDemo(opts: DemoOptions, deps: DemoDeps): Promise<DemoOutcome> {
  const benchmarks = opts.benchmarks ?? chooseBenchmarks(opts.dataDir);
  deps.log(`benchmarks: ${benchmarks.join(', ')} (data: ${opts.dataDir ?? 'Hugging Face Hub download'})`);
  const worker = await deps.startWorker({ port: opts.port, vars: { ALLOW_UNAUTHENTICATED_UPLOADS: 'true' } });
  const model = await startBaselineServer({ port: 0, host: '127.0.0.1', policy: 'random', seed: 1 });
  const modelB = await startBaselineServer({ port: 0, host: '127.0.0.1', policy: 'random', seed: 2 });
  const stop = async (): Promise<void> => {
    await Promise.allSettled([model.close(), modelB.close()]);
    await worker.stop();
  };
  try {
    deps.log(`local worker: ${worker.url}   baseline model: ${model.url} (seed 1), ${modelB.url} (seed 2)`);
    const client: AggregatorClient = { baseUrl: worker.url, fetch: deps.fetch };
    const main = await evaluateAndUpload('main', model.url, benchmarks, opts, deps, client, mainIdentity());
    const pr = await evaluateAndUpload('pr', modelB.url, benchmarks, opts, deps, client, prIdentity(opts.workDir));
    // the worker's comparison uses the same margin and alpha as the gates, so the table and the verdict agree
    const margin = Math.min(...DEFAULT_GATES_CONFIG.gates.map((g) => g['max-drop'] ?? Infinity));
    const compare = await fetchCompare(client, main.id, pr.id, { margin, alpha: DEFAULT_GATES_CONFIG.alpha });
    const gates = evaluateGates(DEFAULT_GATES_CONFIG, pr.result, main.result);
    // the PR's item report against the main run as the worker stores it (outcome bits), as the Action builds it, plus
    // main's own responses from its local predictions.jsonl
    const baseline = { result: await fetchRun(client, main.id), label: `main (run ${main.id} on the local worker)`, predictionsFile: path.join(main.dir, PREDICTIONS_FILE) };
    const prReport = await writeItemReportSafely({ dir: pr.dir, result: pr.result, benchmarks: pr.benchmarks, baseline, now: deps.now }, deps.log);
    const urls = {
      dashboard: `${worker.url}/${DEMO_REPOSITORY}`,
      compare: `${worker.url}/${DEMO_REPOSITORY}/compare/${main.id}...${pr.id}?margin=${margin}&alpha=${DEFAULT_GATES_CONFIG.alpha}`,
      badge: `${worker.url}/badge/${DEMO_REPOSITORY}.svg`,
      leaderboard: `${worker.url}/`,
    };
    return { workerUrl: worker.url, main, pr, compare, gates, urls, reports: { main: main.report, pr: prReport }, stop };
  } catch (e) {
    await stop();
    // a worker refusal is the user's to read, not a crash: print it without a stack
    throw e instanceof AggregatorError ? new UserError(`local worker: ${e.message}`) : e;
  }
}

async function evaluateAndUpload(
  label: 'main' | 'pr', endpoint: string, benchmarks: string[], opts: DemoOptions, deps: DemoDeps,
  client: AggregatorClient, env: Record<string, string>,
): Promise<{ id: string; result: RunResult; dir: string; benchmarks: PreparedBenchmark[]; report: string | null }> {
  deps.log(`\n▶ evaluating the ${label === 'main' ? '"main" run (base branch)' : '"PR" run (pull request #1)'} …`);
  const outDir = path.join(opts.workDir, label);
  const { result, benchmarks: prepared, reportPath } = await runEvaluation({
    endpoint: `${endpoint}/v1`, model: DEMO_MODEL, benchmarks, dataDir: opts.dataDir, outDir,
    concurrency: opts.concurrency, limit: opts.limit, env: { ...process.env, ...env }, cwd: opts.workDir,
    // the PR's report is written once its baseline (main, as the worker stores it) is known
    itemReport: label === 'main',
  }, { fetch: deps.fetch, now: deps.now, log: deps.log, progress: deps.progress?.(label) });
  for (const b of result.benchmarks) {
    const acc = b.metrics.find((m) => m.name === 'accuracy');
    deps.log(`  ${b.id.padEnd(14)} ${acc ? `${(acc.value * 100).toFixed(1)}%` : 'n/a'} of ${b.counts.scored} scored` +
      ` (${b.counts.excluded} excluded, ${b.counts.unparsed} unparsed, ${b.counts.errors} errors)` +
      (b.chanceAccuracy !== null ? `  · chance ${(b.chanceAccuracy * 100).toFixed(1)}%` : ''));
  }
  // the local worker runs with ALLOW_UNAUTHENTICATED_UPLOADS (never the default): no OIDC issuer exists here
  const up = await uploadRun(client, result, null);
  deps.log(`  uploaded: run ${up.id}`);
  return { id: up.id, result, dir: outDir, benchmarks: prepared, report: reportPath };
}

function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

function mainIdentity(): Record<string, string> {
  return {
    GITHUB_REPOSITORY: DEMO_REPOSITORY, GITHUB_SHA: fakeSha('medvlm-demo:main'), GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_PATH: '', GITHUB_BASE_REF: '', GITHUB_RUN_ID: '', GITHUB_WORKFLOW_REF: '',
  };
}

function prIdentity(workDir: string): Record<string, string> {
  mkdirSync(workDir, { recursive: true });
  const event = path.join(workDir, 'pull_request.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 1, base: { ref: 'main' }, head: { ref: 'feature' } } }));
  return {
    GITHUB_REPOSITORY: DEMO_REPOSITORY, GITHUB_SHA: fakeSha('medvlm-demo:pr'), GITHUB_REF: 'refs/pull/1/merge',
    GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main', GITHUB_RUN_ID: '', GITHUB_WORKFLOW_REF: '',
  };
}
