/**
 * runEvaluation: the whole `medvlm-bench run` minus flag parsing. Prepares the benchmarks, starts the --serve'd
 * model server if asked, checks the endpoint, evaluates this invocation's items (resuming from predictions.jsonl),
 * builds each benchmark's result with the scoring module's buildBenchmarkResult, and writes results.json atomically.
 * Used by the CLI, the action and the demo; every side effect comes in through `deps`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../../../schemas/results.js';
import { buildBenchmarkResult } from '../core/scoring/summary.js';
import type { PreparedBenchmark } from '../core/suite.js';
import { sha256Hex } from './http/client.js';
import { evaluateTasks, type EngineDeps } from './evaluate.js';
import { DecodingAdapter } from './adapt.js';
import { diagnosticLines, Diagnostics, SystematicFailureError } from './diagnostics.js';
import { readContextLimit } from './server-limits.js';
import { endpointHost, resolveIdentity } from './identity.js';
import { JUDGE_PROMPT_VERSION } from './judge.js';
import { checkEndpoint } from './preflight.js';
import { openPredictions, PREDICTIONS_FILE } from './predictions.js';
import { prepareBenchmarks, selectIndices, writeRunConfig } from './prepare-run.js';
import { SILENT_PROGRESS, type ProgressSink } from './progress.js';
import { assembleRunResult, buildTiming, computeRunKey, writeResultsAtomic } from './results.js';
import { sleep } from './retry.js';
import { normalizeRunOptions, type NormalizedRun, type RunOptions } from './run-options.js';
import { startServedModel } from './serve.js';
import { ImageCache } from './images/image-cache.js';
import { writeItemReportSafely } from './report/index.js';
import { imageConverterFor } from './server-kind.js';
import type { ItemOutcome } from '../core/scoring/summary.js';
import { ABSENT, type EvalTask, type ModelAnswer, type Scorer } from './types.js';

export { RUN_DEFAULTS, type RunOptions } from './run-options.js';

export interface RunDeps {
  fetch: typeof fetch;
  now: () => number;
  log: (msg: string) => void;
  progress?: ProgressSink;
  /** aborting stops the run (SIGINT): finished items stay in predictions.jsonl */
  signal?: AbortSignal;
  /** tool version recorded in results.json */
  version?: string;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RunOutput {
  result: RunResult;
  resultsPath: string;
  predictionsPath: string;
  /** report.html beside results.json (null: not written, see the log) */
  reportPath: string | null;
  /** the prepared benchmarks, so a caller can rebuild the report (e.g. with a baseline) without loading data again */
  benchmarks: PreparedBenchmark[];
}

/** `itemReport: false` leaves report.html to the caller (the Action writes it once its baseline is known). */
export async function runEvaluation(opts: RunOptions & { itemReport?: boolean }, deps: RunDeps): Promise<RunOutput> {
  const startedAt = deps.now();
  const run = normalizeRunOptions(opts);
  const env = opts.env ?? process.env;
  const hf = opts.hfToken ? { token: opts.hfToken } : undefined;
  const { benchmarks } = await prepareBenchmarks(run.data, env, deps.log, hf);
  mkdirSync(run.out, { recursive: true });
  const served = run.serve
    ? await startServedModel({ command: run.serve.command, endpoint: run.engine.endpoint, logPath: path.join(run.out, 'serve.log'),
      readyTimeoutMs: run.serve.timeoutMs, fetch: deps.fetch, log: deps.log, signal: deps.signal, apiKey: run.engine.apiKey,
      stopCommand: run.serve.stopCommand })
    : null;
  // a served process that exits on its own stops the run at once, with its exit code and log tail (serve.ts)
  if (served) deps = { ...deps, signal: deps.signal ? AbortSignal.any([deps.signal, served.died]) : served.died };
  try {
    const wait = deps.sleep ?? sleep;
    const { engine } = run;
    // preflight warnings (a model name the server does not list) reach results.json, so the job summary shows them
    const diagnostics = new Diagnostics();
    const warn = (m: string) => { diagnostics.warn(m); deps.log(m); };
    const preflight = { unreachableMs: engine.unreachableMs, fetch: deps.fetch, now: deps.now, sleep: wait, log: deps.log, warn, signal: deps.signal,
      readyMs: run.serve?.timeoutMs };
    await checkEndpoint({ ...preflight, endpoint: engine.endpoint, model: engine.model, apiKey: engine.apiKey });
    if (engine.judge) await checkEndpoint({ ...preflight, ...engine.judge });
    // the token budget fits the server's context from the first request when the server reports it (adapt.ts)
    const adapter = new DecodingAdapter(engine.decoding, deps.log);
    const context = await readContextLimit({ endpoint: engine.endpoint, model: engine.model, apiKey: engine.apiKey, fetch: deps.fetch, signal: deps.signal });
    if (context) adapter.fitContext(context.limit, context.source);
    const engineDeps: EngineDeps = { fetch: deps.fetch, now: deps.now, random: deps.random ?? Math.random, sleep: wait,
      progress: deps.progress ?? SILENT_PROGRESS, signal: deps.signal, adapter, diagnostics, log: deps.log };
    // images the server cannot take are converted to PNG (images/formats.ts); the formats follow the server found
    engineDeps.imageCache = new ImageCache(undefined, undefined, await imageConverterFor({ endpoint: engine.endpoint,
      apiKey: engine.apiKey, fetch: deps.fetch, signal: deps.signal, log: deps.log, formats: run.imageFormats }));
    const evaluated = await evaluateSelected(run, benchmarks, engineDeps, deps.log);
    return await finish(run, benchmarks, evaluated, { ...deps, startedAt, env, cwd: opts.cwd ?? process.cwd(), itemReport: opts.itemReport !== false }, engineDeps);
  } finally {
    await served?.stop();
  }
}

interface Evaluated {
  outcomes: ItemOutcome[][];
  latencies: number[];
  tokens: { prompt: number; completion: number };
  fresh: number;
  predictionsPath: string;
  /** set when the run stopped on (or ended in) a systematic failure */
  failure: SystematicFailureError | null;
}

async function evaluateSelected(run: NormalizedRun, benchmarks: PreparedBenchmark[], deps: EngineDeps, log: (m: string) => void): Promise<Evaluated> {
  writeRunConfig(run.out, { ...run.data, limit: run.limit });
  const predictionsPath = path.join(run.out, PREDICTIONS_FILE);
  const store = await openPredictions(predictionsPath);
  if (store.skippedLines > 0) log(`predictions.jsonl: ignored ${store.skippedLines} torn or unreadable line(s)`);
  if (store.cache.size > 0) log(`resuming: ${store.cache.size} finished item(s) in ${predictionsPath}`);
  const selected = benchmarks.map((pb) => selectIndices(pb, run.shard, run.limit));
  const byId = new Map(benchmarks.map((pb, b) => [pb.def.id as string, b]));
  const ev: Evaluated = { outcomes: benchmarks.map((pb) => pb.items.map(() => ABSENT)), latencies: [], tokens: { prompt: 0, completion: 0 }, fresh: 0, predictionsPath, failure: null };
  const total = selected.reduce((s, xs) => s + xs.length, 0);
  const shardNote = run.shard ? `, shard ${run.shard.index + 1}/${run.shard.count}` : '';
  log(`evaluating ${total} item(s) of ${benchmarks.map((pb) => pb.def.id).join(', ')} with ${run.engine.model} at ${endpointHost(run.engine.endpoint)} (concurrency ${run.engine.concurrency}${shardNote})`);
  try {
    const pbOf = (task: EvalTask) => benchmarks[byId.get(task.benchmark)!]!;
    const scorer: Scorer = Object.assign((task: EvalTask, answer: ModelAnswer) => {
      const pb = pbOf(task);
      return pb.def.scorer.score(pb.items[task.item.index]!, answer);
    }, { version: (task: EvalTask) => pbOf(task).def.scorer.extractionId });
    await evaluateTasks(tasksOf(benchmarks, selected), total, run.engine, deps, store, scorer, (r) => {
      ev.outcomes[byId.get(r.task.benchmark)!]![r.task.item.index] = r.outcome;
      if (!r.cached) ev.fresh++;
      if (!r.outcome.error) ev.latencies.push(r.latencyMs);
      ev.tokens.prompt += r.tokens.prompt;
      ev.tokens.completion += r.tokens.completion;
    });
    // a run shorter than the streak limit whose every fresh item failed the same way failed too
    ev.failure = deps.diagnostics?.allFailedAlike(ev.fresh) ?? null;
  } catch (e) {
    if (!(e instanceof SystematicFailureError)) throw e;
    ev.failure = e; // results.json still gets written, saying the run failed and why
  } finally {
    store.close();
  }
  return ev;
}

function* tasksOf(benchmarks: PreparedBenchmark[], selected: number[][]): Generator<EvalTask> {
  for (const [b, pb] of benchmarks.entries()) {
    for (const i of selected[b]!) yield { benchmark: pb.def.id, item: pb.items[i]!, promptVersion: pb.promptVersion };
  }
}

async function finish(
  run: NormalizedRun, benchmarks: PreparedBenchmark[], ev: Evaluated,
  ctx: RunDeps & { startedAt: number; env: Record<string, string | undefined>; cwd: string; itemReport: boolean },
  engineDeps: EngineDeps,
): Promise<RunOutput> {
  const { engine } = run;
  const identity = await resolveIdentity(ctx.env, ctx.cwd);
  const results = benchmarks.map((pb, b) => buildBenchmarkResult(pb, ev.outcomes[b]!));
  const judge = engine.judge ? { model: engine.judge.model, promptVersion: JUDGE_PROMPT_VERSION } : null;
  const decoding = { ...engine.decoding };
  const shard = run.shard && {
    runKey: computeRunKey({ model: engine.model, checkpoint: run.checkpoint, decoding, protocol: run.data.protocol,
      benchmarks: results, commit: identity.commit, shardCount: run.shard.count, limit: run.limit, judge }),
    shardIndex: run.shard.index,
    shardCount: run.shard.count,
  };
  const result = assembleRunResult({
    toolVersion: ctx.version ?? '0.0.0',
    suiteVersion: suiteVersion(benchmarks),
    identity,
    model: { name: engine.model, checkpoint: run.checkpoint, endpointHost: endpointHost(engine.endpoint) },
    decoding,
    protocol: run.data.protocol,
    judge,
    shard,
    timing: buildTiming({ startedAt: ctx.startedAt, finishedAt: ctx.now(), freshItems: ev.fresh, latenciesMs: ev.latencies, tokens: ev.tokens }),
    benchmarks: results,
    status: ev.failure ? 'failed' : 'complete',
    // counted at the end: requests in flight when the streak tripped may have ended the same way
    failure: ev.failure && { reason: ev.failure.reason, items: engineDeps.diagnostics?.count(ev.failure.reason) ?? ev.failure.items },
    effectiveDecoding: engineDeps.adapter?.effective() ?? null,
    diagnostics: engineDeps.diagnostics?.report() ?? null,
    imageConversions: engineDeps.imageCache?.converter.summary(),
  });
  const resultsPath = writeResultsAtomic(run.out, result);
  const reportPath = ctx.itemReport ? await writeItemReportSafely({ dir: run.out, result, benchmarks, now: ctx.now }, ctx.log) : null;
  for (const line of result.diagnostics ? diagnosticLines(result.diagnostics) : []) ctx.log(line);
  if (result.failure) throw new SystematicFailureError(result.failure.reason, result.failure.items, resultsPath);
  return { result, resultsPath, predictionsPath: ev.predictionsPath, reportPath, benchmarks };
}

/** "id@version" of each benchmark, e.g. "vqa-rad@1,slake@2": what a score's comparability depends on. */
export function suiteVersion(benchmarks: Array<{ def: { id: string; version: number } }>): string {
  const s = benchmarks.map((pb) => `${pb.def.id}@${pb.def.version}`).join(',');
  return s.length <= 32 ? s : `sha256:${sha256Hex(s).slice(0, 24)}`;
}
