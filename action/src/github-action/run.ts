/**
 * The action's core: `runAction(inputs, deps)`. Every side effect (network, clock, files, logs, GitHub, OIDC) comes
 * in through `deps`, so tests drive it with real loopback servers and main.ts stays a few lines.
 * Flow: gates config (fail fast) → run or merge shards → upload → baseline → gates → summary, comment, check run.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RunResult } from '../../../schemas/results.js';
import { AggregatorError, aggregatorLinks, uploadRun, type AggregatorClient, type Baseline } from './aggregator.js';
import { resolveBaseline } from './baseline.js';
import { UserError } from '../core/errors.js';
import { mergeResultDirs } from '../runner/merge.js';
import { runEvaluation } from '../runner/run.js';
import { SystematicFailureError } from '../runner/diagnostics.js';
import { cell } from './report/format.js';
import { startServedModel } from '../runner/serve.js';
import { servedEndpoint } from '../runner/serve-endpoint.js';
import { parseShard } from '../runner/shard.js';
import { checkGatedBenchmarksRun, loadGatesConfig, type GatesConfig } from './gates/config.js';
import { evaluateGates, type GateReport } from './gates/evaluate.js';
import type { GithubApi } from './github/client.js';
import { readGithubContext, type GithubContext } from './github/context.js';
import type { ActionInputs } from './inputs.js';
import { checkMessage } from './report/check-text.js';
import { renderSummary, type ReportInput, type ReportLinks } from './report/markdown.js';
import { publishReport } from './report/publish.js';
import { findShardDirs, type DirFs } from '../runner/shard-dirs.js';
import type { PreparedBenchmark } from '../core/suite.js';
import { shipItemReport, type ArtifactUploader } from './item-report.js';

/** model loading can take many minutes on big checkpoints */
const SERVE_READY_MS = 30 * 60_000;

export interface ActionFs extends DirFs {
  readFileSync(p: string, encoding: 'utf8'): string;
  appendFileSync(p: string, data: string): void;
}

export interface ActionLog {
  info(msg: string): void;
  warning(msg: string): void;
  error(msg: string): void;
}

export interface ActionDeps {
  fetch: typeof fetch;
  now(): number;
  fs: ActionFs;
  log: ActionLog;
  /** builds the GitHub client for a token (only github/ talks to the API) */
  github(token: string, owner: string, repo: string): GithubApi;
  /** core.getIDToken in production */
  getIdToken(audience: string): Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** uploads report.html as a workflow artifact (artifact.ts); absent: the report stays in the results folder */
  uploadArtifact?: ArtifactUploader;
}

export interface ActionOutputs {
  'results-file': string;
  passed: string;
  'run-url': string;
  'compare-url': string;
  'badge-url': string;
  summary: string;
}

export interface ActionOutcome {
  outputs: ActionOutputs;
  passed: boolean;
  /** set when the step must fail: gate failures (fail-on: gate) or a required upload that failed */
  failure: string | null;
}

export async function runAction(inputs: ActionInputs, deps: ActionDeps): Promise<ActionOutcome> {
  const ctx = readGithubContext(deps.env, deps.fs, deps.cwd);
  const gates = loadGatesConfig(inputs.gates, { cwd: ctx.workspace, fs: deps.fs });
  checkGatedBenchmarksRun(gates, inputs.mergeShards ? null : plannedBenchmarks(inputs));
  deps.log.info(`gates: ${gates.source} (${gates.config.gates.length} gate(s), mode ${gates.config.mode}, alpha ${gates.config.alpha})`);
  const { result, resultsFile, benchmarks, shardDirs } = await produceResults(inputs, deps, ctx).catch((e: unknown) => {
    // a run that stopped on a systematic failure uploads nothing: the step fails with the server's message
    if (e instanceof SystematicFailureError) writeStepSummary(`## ❌ medvlm-bench · ${cell(inputs.model ?? '')}: run stopped\n\n${cell(e.message)}\n`, deps);
    throw e;
  });
  if (inputs.shard) return shardOnly(result, resultsFile, inputs, deps);

  const github = inputs.githubToken && ctx.owner && ctx.repo ? deps.github(inputs.githubToken, ctx.owner, ctx.repo) : null;
  const agg = await talkToAggregator(inputs, deps, ctx, result, github, gates.config);
  agg.links.report = await shipItemReport({ outDir: dirname(resultsFile), result, benchmarks, shardDirs, runUrl: ctx.runUrl,
    baseline: agg.baseline.run && { result: agg.baseline.run, label: baselineLabel(agg.baseline.run, agg.baseline.id) } }, { ...deps, upload: deps.uploadArtifact });
  const report = evaluateGates(gates.config, result, agg.baseline.run);
  const reportInput: ReportInput = {
    head: result, gates: report, baselineNote: agg.baseline.note, uploadNote: agg.uploadNote,
    gatesSource: gates.source === 'inline' || gates.source === 'default' ? `${gates.source} config` : gates.source,
    links: agg.links, failOn: inputs.failOn,
  };
  const summary = renderSummary(reportInput);
  writeStepSummary(summary, deps);
  logChecks(report, deps.log);
  const published = await publishReport(reportInput, inputs.comment, github, ctx, (m) => deps.log.warning(m));
  deps.log.info(`PR comment: ${published.commentReason || published.comment}`);

  const failures: string[] = [];
  const failedChecks = report.checks.filter((c) => c.status === 'fail');
  if (failedChecks.length && inputs.failOn === 'gate') failures.push(`${failedChecks.length} gate(s) failed: ${failedChecks.map((c) => `${c.benchmark} ${c.kind}`).join(', ')}`);
  if (agg.requiredFailure) failures.push(agg.requiredFailure);
  return {
    passed: report.passed,
    failure: failures.length ? failures.join('; ') : null,
    outputs: {
      'results-file': resultsFile, passed: String(report.passed), 'run-url': agg.links.run ?? '',
      'compare-url': agg.links.compare ?? '', 'badge-url': agg.links.badge ?? '', summary,
    },
  };
}

interface Produced { result: RunResult; resultsFile: string; benchmarks: PreparedBenchmark[] | null; shardDirs: string[] | null }

async function produceResults(inputs: ActionInputs, deps: ActionDeps, ctx: GithubContext): Promise<Produced> {
  const outDir = resolve(ctx.workspace, inputs.resultsDir);
  if (inputs.mergeShards) {
    const dirs = findShardDirs(inputs.mergeShards, ctx.workspace, deps.fs);
    if (dirs.length === 0) throw new UserError(`merge-shards: no directory with a results.json matches ${JSON.stringify(inputs.mergeShards)}`);
    deps.log.info(`merging ${dirs.length} shard(s): ${dirs.join(', ')}`);
    const result = await mergeResultDirs(dirs, outDir);
    return { result, resultsFile: join(outDir, 'results.json'), benchmarks: null, shardDirs: dirs };
  }
  // without `endpoint`, the served command's port (its --port, or its server's default), as the CLI's --serve does
  const endpoint = inputs.endpoint ?? servedEndpoint(inputs.serveCommand ?? '');
  const log = (m: string) => deps.log.info(m);
  mkdirSync(outDir, { recursive: true });
  const served = inputs.serveCommand
    ? await startServedModel({ command: inputs.serveCommand, endpoint, logPath: join(outDir, 'serve.log'), readyTimeoutMs: SERVE_READY_MS, fetch: deps.fetch, log, apiKey: inputs.apiKey, stopCommand: inputs.serveStop })
    : null;
  try {
    // report.html is written after the baseline is known (shipItemReport); a shard job writes its own for the merge job
    const { result, resultsPath, benchmarks } = await runEvaluation({
      endpoint, model: inputs.model!, checkpoint: inputs.checkpoint, outDir,
      benchmarks: plannedBenchmarks(inputs) ?? 'all',
      protocol: inputs.protocol,
      dataDir: inputs.dataDir ? resolve(ctx.workspace, inputs.dataDir) : null,
      manifest: inputs.manifest ? resolve(ctx.workspace, inputs.manifest) : null,
      apiKey: inputs.apiKey, judge: inputs.judge,
      concurrency: inputs.concurrency, shard: inputs.shard ? parseShard(inputs.shard) : null, limit: inputs.limit,
      env: inputs.hfToken ? { ...deps.env, HF_TOKEN: inputs.hfToken } : deps.env, cwd: ctx.workspace, itemReport: Boolean(inputs.shard),
    }, { fetch: deps.fetch, now: deps.now, log });
    return { result, resultsFile: resultsPath, benchmarks, shardDirs: null };
  } finally {
    await served?.stop();
  }
}

/** The explicit `benchmarks` list, or null for "all". */
function plannedBenchmarks(inputs: ActionInputs): string[] | null {
  return inputs.benchmarks.trim() === 'all' ? null : inputs.benchmarks.split(',').map((b) => b.trim()).filter(Boolean);
}

/** A shard job only evaluates: the fan-in job merges, uploads, gates and comments once for the whole run. */
function shardOnly(result: RunResult, resultsFile: string, inputs: ActionInputs, deps: ActionDeps): ActionOutcome {
  const lines = result.benchmarks.map((b) => `| ${b.id} | ${b.counts.scored} | ${b.counts.unparsed} | ${b.counts.errors} |`);
  const summary = [`## medvlm-bench shard ${inputs.shard}`, '', 'Gates, upload and comment run in the merge job.', '',
    '| Benchmark | Scored | Unparsed | Errors |', '|---|---|---|---|', ...lines, ''].join('\n');
  writeStepSummary(summary, deps);
  return { passed: true, failure: null, outputs: { 'results-file': resultsFile, passed: 'true', 'run-url': '', 'compare-url': '', 'badge-url': '', summary } };
}

interface AggregatorStep { baseline: Baseline; uploadNote: string | null; requiredFailure: string | null; links: ReportLinks }

async function talkToAggregator(
  inputs: ActionInputs, deps: ActionDeps, ctx: GithubContext, head: RunResult, github: GithubApi | null, gates: GatesConfig,
): Promise<AggregatorStep> {
  if (!inputs.aggregatorUrl) {
    return { baseline: { run: null, id: null, note: 'no `aggregator-url`, so no baseline run: absolute gates only' }, uploadNote: null, requiredFailure: null, links: {} };
  }
  const client: AggregatorClient = { baseUrl: inputs.aggregatorUrl, fetch: deps.fetch };
  let uploadNote: string | null = null;
  let headId: string | null = null;
  let runUrl: string | null = null;
  try {
    const up = await uploadRun(client, head, await uploadToken(inputs, deps));
    headId = up.id;
    runUrl = up.url;
    deps.log.info(`uploaded run ${up.id}${up.created ? '' : ' (already there)'}: ${up.url ?? ''}`);
  } catch (e) {
    uploadNote = e instanceof AggregatorError && e.status === 409
      ? `the aggregator already holds a different result for this commit and model (a re-run?); it was not replaced: ${e.message}`
      : `upload to the aggregator failed: ${(e as Error).message}`;
    const loud = `${uploadNote}. Results and summary are still written; absolute gates still apply.`;
    if (inputs.aggregatorRequired) deps.log.error(loud);
    else deps.log.warning(loud);
  }
  // private deployments need a token to read; an OIDC token's jti was consumed by the upload, so ask for a fresh one
  client.readAuth = await readAuthHeader(inputs, deps);
  let baseline: Baseline;
  try {
    baseline = await resolveBaseline(inputs.baseline, head, ctx, { client, github, warn: (m) => deps.log.warning(m) });
  } catch (e) {
    const why = e instanceof AggregatorError ? e.message : `baseline lookup failed: ${(e as Error).message}`;
    deps.log.warning(why);
    baseline = { run: null, id: null, note: `no baseline (${why}): absolute gates only` };
  }
  deps.log.info(`baseline: ${baseline.note}`);
  const links = aggregatorLinks(inputs.aggregatorUrl, head, headId, baseline.id, compareSettings(gates));
  return {
    baseline, uploadNote, links: { ...links, run: links.run ?? runUrl },
    requiredFailure: uploadNote && inputs.aggregatorRequired ? `${uploadNote} (aggregator-required: true)` : null,
  };
}

async function uploadToken(inputs: ActionInputs, deps: ActionDeps): Promise<string> {
  if (inputs.aggregatorAuth === 'token') return inputs.aggregatorToken!;
  try {
    return await deps.getIdToken(inputs.oidcAudience);
  } catch (e) {
    throw new Error(`no OIDC token (the job needs \`permissions: id-token: write\`; pull requests from forks never get one): ${(e as Error).message}`);
  }
}

/** Authorization for reads: the API token, or a fresh OIDC token; null when none can be had (public reads only). */
async function readAuthHeader(inputs: ActionInputs, deps: ActionDeps): Promise<string | null> {
  if (inputs.aggregatorAuth === 'token') return `Bearer ${inputs.aggregatorToken!}`;
  try {
    return `Bearer ${await deps.getIdToken(inputs.oidcAudience)}`;
  } catch {
    return null; // the upload already explained why there is no OIDC token
  }
}

/**
 * The settings the compare page should judge with, so its verdicts match the comment: the gates' alpha and mode, and
 * the margin of the whole-benchmark regression gates (the smallest when they differ; 0 without any).
 */
export function compareSettings(g: GatesConfig): { margin: number; alpha: number; mode: GatesConfig['mode'] } {
  const margins = g.gates.filter((x) => x['max-drop'] !== undefined && !x.group).map((x) => x['max-drop']!);
  return { margin: margins.length ? Math.min(...margins) : 0, alpha: g.alpha, mode: g.mode };
}

function baselineLabel(run: RunResult, id: string | null): string {
  const commit = run.identity.commit ? ` at ${run.identity.commit.slice(0, 7)}` : '';
  return `${run.model.checkpoint ?? run.model.name}${commit}${id ? ` (run ${id} on the aggregator)` : ''}`;
}

function writeStepSummary(markdown: string, deps: ActionDeps): void {
  const path = deps.env.GITHUB_STEP_SUMMARY;
  if (path) deps.fs.appendFileSync(path, `${markdown}\n`);
}

function logChecks(report: GateReport, log: ActionLog): void {
  for (const c of report.checks) {
    const line = `${c.status.toUpperCase().padEnd(7)} ${c.kind} ${c.benchmark}${c.group ? ` [${c.group}]` : ''}${c.metric ? ` ${c.metric}` : ''}: ${checkMessage(c)}`;
    if (c.status === 'fail') log.error(line);
    else log.info(line);
  }
}
