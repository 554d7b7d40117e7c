/**
 * `medvlm-bench merge DIR… -o DIR`: shard results → one result equal to the unsharded run. Shards must agree on
 * everything that makes scores comparable (model, decoding, protocol, judge, commit, suite and benchmark
 * versions and fingerprints, shard count); the first difference is named, and missing or duplicate shards are
 * refused. The merge itself is the results algebra's (schemas/shard-merge.ts), the same the worker runs: outcomes
 * united item by item, every count and metric recomputed from them — so no benchmark data is needed.
 */
import path from 'node:path';
import { RunResult } from '../../../schemas/results.js';
import { mergeRunResults, ShardOverlap } from '../../../schemas/shard-merge.js';
import { UserError } from '../core/errors.js';
import { readRunConfig, writeRunConfig } from './prepare-run.js';
import { readResultsFile, RESULTS_FILE, writeResultsAtomic } from './results.js';

export async function mergeResultDirs(dirs: string[], outDir: string): Promise<RunResult> {
  if (dirs.length === 0) throw new UserError('give at least one shard folder', 2);
  const shards = dirs.map(readShard);
  const failed = shards.find((s) => s.result.status === 'failed');
  if (failed) {
    throw new UserError(`${failed.dir}: this shard's run failed (${failed.result.failure?.reason ?? 'stopped early'}); re-run it before merging`);
  }
  checkCompatible(shards);
  checkCoverage(shards);
  let merged: RunResult;
  try {
    merged = RunResult.parse(mergeRunResults(shards.map((s) => s.result)));
  } catch (e) {
    if (!(e instanceof ShardOverlap)) throw e;
    const [a, b] = e.shards.map((i) => shards.find((s) => s.result.shard!.shardIndex === i)!.dir);
    throw new UserError(`${e.benchmark} item ${e.item} is present in two shards (${a} and ${b})`);
  }
  writeResultsAtomic(outDir, merged);
  // the data locations the shards ran with, for commands that read the merged folder later
  const config = readRunConfig(shards[0]!.dir);
  if (config) writeRunConfig(outDir, config);
  return merged;
}

interface Shard {
  dir: string;
  result: RunResult;
}

function readShard(dir: string): Shard {
  return { dir, result: readResultsFile(path.join(dir, RESULTS_FILE)) };
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
    suiteVersion: r.suiteVersion,
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
