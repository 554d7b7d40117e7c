/**
 * `medvlm-bench merge DIR… -o DIR`: shard results → one result equal to the unsharded run. Shards must agree on
 * everything that makes scores comparable (model, decoding, protocol, judge, commit, benchmark fingerprints, shard
 * count); the first difference is named. Outcomes are united by their `present` bits and the metrics recomputed
 * with the scoring module's buildBenchmarkResult — which needs the prepared benchmarks, so the data is loaded again
 * from the locations the shards recorded in run-config.json (or --data-dir/--manifest), and must fingerprint the same.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unpackBits } from '../../../schemas/bitset.js';
import { RunResult, type BenchmarkResult, type Timing } from '../../../schemas/results.js';
import { UserError } from '../core/errors.js';
import { buildBenchmarkResult, type ItemOutcome } from '../core/scoring/summary.js';
import { prepareBenchmarks, readRunConfig, writeRunConfig, type DataSelection } from './prepare-run.js';
import { percentile, RESULTS_FILE, writeResultsAtomic } from './results.js';
import { suiteVersion } from './run.js';

export interface MergeOptions {
  dataDir?: string | null;
  manifest?: string | null;
  questionTypesFile?: string | null;
  env?: Record<string, string | undefined>;
  log?: (msg: string) => void;
}

interface Shard {
  dir: string;
  result: RunResult;
}

export async function mergeResultDirs(dirs: string[], outDir: string, opts: MergeOptions = {}): Promise<RunResult> {
  if (dirs.length === 0) throw new UserError('give at least one shard folder', 2);
  const shards = dirs.map(readShard);
  checkCompatible(shards);
  checkCoverage(shards);
  const first = shards[0]!.result;
  const config = readRunConfig(shards[0]!.dir);
  const selection: DataSelection = {
    benchmarks: first.benchmarks.map((b) => b.id),
    protocol: first.protocol,
    dataDir: opts.dataDir ?? config?.dataDir ?? null,
    manifest: opts.manifest ?? config?.manifest ?? null,
    language: config?.language ?? null,
    questionTypesFile: opts.questionTypesFile ?? config?.questionTypesFile ?? null,
  };
  const log = opts.log ?? (() => {});
  const { benchmarks: prepared } = await prepareBenchmarks(selection, opts.env ?? process.env, log);
  const benchmarks = first.benchmarks.map((b, k) => {
    const pb = prepared[k]!;
    if (pb.fingerprint !== b.fingerprint) {
      throw new UserError(`${b.id} data in ${selection.dataDir ?? 'the default source'} has fingerprint ${pb.fingerprint.slice(0, 12)}…, ` +
        `but the shards were run on ${b.fingerprint.slice(0, 12)}…; point --data-dir at the data the shards used`);
    }
    return buildBenchmarkResult(pb, unitedOutcomes(shards.map((s) => s.result.benchmarks[k]!)));
  });
  const merged = RunResult.parse({
    ...first,
    suiteVersion: suiteVersion(prepared),
    shard: null,
    timing: mergeTiming(shards.map((s) => s.result.timing)),
    benchmarks,
  });
  writeResultsAtomic(outDir, merged);
  if (config) writeRunConfig(outDir, { ...config, ...selection, benchmarks: selection.benchmarks, limit: config.limit });
  return merged;
}

function readShard(dir: string): Shard {
  const file = path.join(dir, RESULTS_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = RunResult.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${file} is not a valid results.json: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { dir, result: parsed.data };
}

/** What must be equal across shards, flattened to named fields so a mismatch can be reported by name. */
function comparable(r: RunResult): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    'model.name': r.model.name,
    'model.checkpoint': r.model.checkpoint,
    protocol: r.protocol,
    judge: r.judge,
    'identity.repository': r.identity.repository,
    'identity.commit': r.identity.commit,
    benchmarks: r.benchmarks.map((b) => b.id).join(','),
    'shard.shardCount': r.shard?.shardCount ?? null,
  };
  for (const [k, v] of Object.entries(r.decoding)) fields[`decoding.${k}`] = v;
  for (const b of r.benchmarks) {
    fields[`${b.id}.fingerprint`] = b.fingerprint;
    fields[`${b.id}.version`] = b.version;
  }
  fields['shard.runKey'] = r.shard?.runKey ?? null; // last: also covers --limit, which has no field of its own
  return fields;
}

function checkCompatible(shards: Shard[]): void {
  for (const s of shards) {
    if (!s.result.shard) throw new UserError(`${path.join(s.dir, RESULTS_FILE)} is not a shard result (it was run without --shard)`);
  }
  const ref = comparable(shards[0]!.result);
  for (const s of shards.slice(1)) {
    const cur = comparable(s.result);
    for (const key of Object.keys(ref)) {
      if (JSON.stringify(ref[key]) !== JSON.stringify(cur[key])) {
        throw new UserError(`${s.dir} differs from ${shards[0]!.dir} in ${key}: ` +
          `${JSON.stringify(cur[key])} vs ${JSON.stringify(ref[key])}; only shards of one run can be merged`);
      }
    }
  }
}

function checkCoverage(shards: Shard[]): void {
  const count = shards[0]!.result.shard!.shardCount;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const i = s.result.shard!.shardIndex;
    if (seen.has(i)) throw new UserError(`shard ${i + 1}/${count} appears twice (${seen.get(i)} and ${s.dir})`);
    seen.set(i, s.dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new UserError(`missing shard(s) ${missing.map((i) => `${i + 1}/${count}`).join(', ')}; merge needs all ${count}`);
  }
}

/** Per item, the outcome from the shard that holds it; items no shard holds stay absent. */
function unitedOutcomes(parts: BenchmarkResult[]): ItemOutcome[] {
  const n = parts[0]!.outcomes.n;
  const out: ItemOutcome[] = Array.from({ length: n }, () => ({ present: false, correct: false, unparsed: false, error: false, truncated: false }));
  for (const p of parts) {
    const bits = (b: string) => unpackBits(b, n);
    const [present, correct, unparsed, error, truncated] = [p.outcomes.present, p.outcomes.correct, p.outcomes.unparsed, p.outcomes.error, p.outcomes.truncated].map(bits);
    for (let i = 0; i < n; i++) {
      if (!present![i]) continue;
      if (out[i]!.present) throw new UserError(`${p.id} item ${i} is present in two shards`);
      const graded = Object.fromEntries(Object.entries(p.outcomes.graded).map(([k, arr]) => [k, arr[i] ?? null]));
      out[i] = { present: true, correct: !!correct![i], unparsed: !!unparsed![i], error: !!error![i], truncated: !!truncated![i],
        ...(Object.keys(graded).length > 0 ? { graded } : {}) };
    }
  }
  return out;
}

/**
 * Shards run in parallel: the merged wall time spans first start to last finish and items/s adds up. Latency
 * percentiles cannot be recomputed from shard percentiles; the merged p50 is the median of the shards' p50s and the
 * merged p95 the largest shard p95 (an upper bound).
 */
function mergeTiming(ts: Timing[]): Timing {
  const start = Math.min(...ts.map((t) => Date.parse(t.startedAt)));
  const end = Math.max(...ts.map((t) => Date.parse(t.finishedAt)));
  const wall = Math.max(0, (end - start) / 1000);
  const p50s = Float64Array.from(ts.map((t) => t.latencyMs.p50)).sort();
  return {
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(end).toISOString(),
    wallSeconds: Math.round(wall * 1000) / 1000,
    itemsPerSecond: Math.round(ts.reduce((s, t) => s + t.itemsPerSecond, 0) * 1000) / 1000,
    latencyMs: { p50: percentile(p50s, 0.5), p95: Math.max(...ts.map((t) => t.latencyMs.p95)) },
    tokens: { prompt: ts.reduce((s, t) => s + t.tokens.prompt, 0), completion: ts.reduce((s, t) => s + t.tokens.completion, 0) },
  };
}
