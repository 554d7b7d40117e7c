/**
 * Which benchmarks a run covers and which of their items this invocation sends. `--benchmarks all` means every
 * benchmark whose data is found; the others are skipped with the loader's reason. A run refuses to start when
 * referenced images are missing (inspect only counts them). The options that locate the data are saved next to the
 * results (run-config.json) so `merge` can rebuild the same prepared benchmarks later.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Protocol } from '../../../schemas/results.js';
import { BENCHMARKS, getBenchmark } from '../core/benchmarks/index.js';
import type { LoadOptions } from '../core/benchmarks/types.js';
import type { BenchmarkId } from '../../../schemas/results.js';
import { UserError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { prepareBenchmark, readQuestionTypeOverrides, type PreparedBenchmark } from '../core/suite.js';
import { inShard, type ShardSpec } from './shard.js';

export const RUN_CONFIG_FILE = 'run-config.json';

/** Where the data comes from: recorded per output folder, reused by merge. */
export interface DataSelection {
  benchmarks: string[] | 'all';
  protocol: Protocol;
  dataDir?: string | null;
  manifest?: string | null;
  language?: string | null;
  questionTypesFile?: string | null;
}

export interface PreparedRun {
  benchmarks: PreparedBenchmark[];
  skipped: Array<{ id: string; reason: string }>;
}

export async function prepareBenchmarks(
  sel: DataSelection,
  env: Record<string, string | undefined>,
  log: (m: string) => void,
  hf?: LoadOptions['hf'],
): Promise<PreparedRun> {
  const overrides = sel.questionTypesFile ? await readQuestionTypeOverrides(sel.questionTypesFile) : undefined;
  const all = sel.benchmarks === 'all';
  const ids = all ? BENCHMARKS.map((b) => b.id) : sel.benchmarks;
  if (!all) for (const id of ids) getBenchmark(id); // an unknown id fails before any data is loaded or hashed
  const benchmarks: PreparedBenchmark[] = [];
  const skipped: PreparedRun['skipped'] = [];
  for (const id of ids) {
    if (all && id === 'custom' && !sel.manifest) {
      skipped.push({ id, reason: 'no --manifest given' });
      continue;
    }
    try {
      const pb = await prepareBenchmark(id as BenchmarkId, {
        protocol: sel.protocol,
        dataDir: sel.dataDir ?? undefined,
        manifest: sel.manifest ?? undefined,
        // --language applies to the benchmarks that declare languages (slake); the others have one
        language: BENCHMARKS.find((b) => b.id === id)?.languages?.length ? (sel.language ?? undefined) : undefined,
        questionTypeOverrides: overrides,
        env,
        log,
        hf,
      });
      refuseMissingImages(pb);
      benchmarks.push(pb);
    } catch (e) {
      if (!all || !(e instanceof UserError)) throw e;
      skipped.push({ id, reason: e.message.split('\n')[0]! });
    }
  }
  for (const s of skipped) log(`skipped ${s.id}: ${s.reason}`);
  if (benchmarks.length === 0) {
    throw new UserError(`no benchmark data found for --benchmarks all:\n${skipped.map((s) => `  ${s.id}: ${s.reason}`).join('\n')}`);
  }
  return { benchmarks, skipped };
}

function refuseMissingImages(pb: PreparedBenchmark): void {
  if (pb.missingImages.length === 0) return;
  const shown = pb.missingImages.slice(0, 5).map((m) => `  ${m.sampleId}: ${m.image}`).join('\n');
  throw new UserError(
    `${pb.def.id}: ${pb.missingImages.length} referenced image(s) are missing, so the run would not be comparable:\n${shown}` +
      `${pb.missingImages.length > 5 ? '\n  …' : ''}\nRun \`medvlm-bench inspect ${pb.def.id}\` for the full count and fix the data folder.`,
  );
}

/** Indices of the scored items this invocation evaluates: its shard, then the first `limit` of those. */
export function selectIndices(pb: PreparedBenchmark, shard: ShardSpec | null, limit: number | null): number[] {
  const out: number[] = [];
  for (const item of pb.items) {
    if (limit !== null && out.length >= limit) break;
    if (inShard(pb.def.id, item.sample.id, shard)) out.push(item.index);
  }
  return out;
}

export function writeRunConfig(outDir: string, sel: DataSelection & { limit: number | null }): void {
  const abs = (p: string | null | undefined) => (p ? path.resolve(p) : null);
  const config = { ...sel, dataDir: abs(sel.dataDir), manifest: abs(sel.manifest), questionTypesFile: abs(sel.questionTypesFile) };
  const file = path.join(outDir, RUN_CONFIG_FILE);
  writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
}

export function readRunConfig(dir: string): (DataSelection & { limit: number | null }) | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, RUN_CONFIG_FILE), 'utf8')) as DataSelection & { limit: number | null };
  } catch {
    return null;
  }
}
