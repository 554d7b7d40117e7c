/**
 * The item report (report.html) of a run folder: `writeItemReport` after a run (the benchmarks are still prepared),
 * `rebuildItemReport` later from the folder alone (`medvlm-bench report`, the Action after it found its baseline):
 * it prepares the benchmarks again from run-config.json, the same data locations the run used, and refuses when
 * their fingerprints no longer match results.json.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../../../../schemas/results.js';
import { UserError } from '../../core/errors.js';
import type { PreparedBenchmark } from '../../core/suite.js';
import { PREDICTIONS_FILE } from '../predictions.js';
import { prepareBenchmarks, readRunConfig } from '../prepare-run.js';
import { readResultsFile, RESULTS_FILE } from '../results.js';
import { collectReport, withText, type TextLater } from './collect.js';
import { reportHtmlChunks } from './html.js';
import { readPredictionsIndex } from './predictions-index.js';
import { createThumbnails, THUMB_BUDGET } from './thumbnails.js';
import type { ReportItem } from './types.js';

export const REPORT_FILE = 'report.html';

/** A run to compare with: its results (local file or the worker's copy) and, when local, its predictions.jsonl. */
export interface ReportBaseline {
  result: RunResult;
  /** shown in the page, e.g. "results.json of main" or "run 1a2b… on the aggregator" */
  label: string;
  predictionsFile?: string | null;
}

export interface WriteReportOptions {
  dir: string;
  result: RunResult;
  benchmarks: PreparedBenchmark[];
  baseline?: ReportBaseline | null;
  /** default: DIR/report.html */
  outFile?: string;
  now?: () => number;
  thumbnailBudget?: number;
  /** where the responses are (default DIR/predictions.jsonl; a merged run: its shards' files) */
  predictionsFiles?: string[];
}

export async function writeItemReport(o: WriteReportOptions): Promise<{ file: string; bytes: number; items: number }> {
  const predictions = await readPredictionsIndex(o.predictionsFiles ?? path.join(o.dir, PREDICTIONS_FILE));
  const baseline = o.baseline
    ? { result: o.baseline.result, label: o.baseline.label, predictions: o.baseline.predictionsFile ? await readPredictionsIndex(o.baseline.predictionsFile) : null }
    : null;
  // texts are read back while the page is written (collect.ts textLater): they never sit in memory all at once
  const textLater = new Map<ReportItem, TextLater>();
  try {
    const data = await collectReport({
      benchmarks: o.benchmarks, result: o.result, predictions, baseline, textLater,
      thumbnails: await createThumbnails(o.thumbnailBudget ?? THUMB_BUDGET), now: o.now ?? Date.now,
    });
    const file = o.outFile ?? path.join(o.dir, REPORT_FILE);
    const expand = (item: ReportItem) => withText(item, textLater, predictions, baseline?.predictions ?? null);
    const bytes = writeChunksAtomic(file, reportHtmlChunks(data, expand));
    return { file, bytes, items: data.benchmarks.reduce((s, b) => s + b.items.length, 0) };
  } finally {
    predictions.close();
    baseline?.predictions?.close();
  }
}

/** Writes the chunks to a temporary file, then renames it over `file`: a reader never sees half a report. */
function writeChunksAtomic(file: string, chunks: Iterable<string>): number {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    for (const chunk of chunks) bytes += writeSync(fd, chunk);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
  return bytes;
}


/** A local baseline results.json; its predictions.jsonl is the one given, else the one beside it when present. */
export function localBaseline(resultsFile: string, predictionsFile?: string | null): ReportBaseline {
  const result = readResultsFile(resultsFile);
  const beside = path.join(path.dirname(resultsFile), PREDICTIONS_FILE);
  const label = `${result.model.checkpoint ?? result.model.name}${result.identity.commit ? ` at ${result.identity.commit.slice(0, 7)}` : ''} (${resultsFile})`;
  return { result, label, predictionsFile: predictionsFile ?? (existsSync(beside) ? beside : null) };
}

export interface RebuildOptions {
  dir: string;
  baseline?: ReportBaseline | null;
  outFile?: string;
  predictionsFiles?: string[];
  env: Record<string, string | undefined>;
  log: (m: string) => void;
  now?: () => number;
}

/** Rebuilds DIR/report.html from results.json, predictions.jsonl and the data run-config.json points at. */
export async function rebuildItemReport(o: RebuildOptions): Promise<{ file: string; bytes: number; items: number }> {
  const result = readResultsFile(path.join(o.dir, RESULTS_FILE));
  const config = readRunConfig(o.dir);
  if (!config) throw new UserError(`${path.join(o.dir, 'run-config.json')} is missing: the report needs the data locations the run used (run it with medvlm-bench run, or merge shards with medvlm-bench merge)`);
  const ids = result.benchmarks.map((b) => b.id);
  const { benchmarks } = await prepareBenchmarks({ ...config, benchmarks: ids }, o.env, o.log);
  for (const b of result.benchmarks) {
    const pb = benchmarks.find((p) => p.def.id === b.id);
    if (pb && pb.fingerprint !== b.fingerprint) {
      throw new UserError(`${b.id}: the data found now (fingerprint ${pb.fingerprint.slice(0, 12)}…) is not what ${RESULTS_FILE} was scored on (${b.fingerprint.slice(0, 12)}…); point run-config.json's dataDir at the data of the run`);
    }
  }
  return writeItemReport({ dir: o.dir, result, benchmarks, baseline: o.baseline, outFile: o.outFile, now: o.now, predictionsFiles: o.predictionsFiles });
}

/** After a run: the report must never fail the run it describes, so a failure is one log line. */
export async function writeItemReportSafely(o: WriteReportOptions, log: (m: string) => void): Promise<string | null> {
  try {
    const r = await writeItemReport(o);
    log(`item report: ${r.file} (${r.items} items, ${(r.bytes / 1e6).toFixed(1)} MB; open it in a browser, it loads nothing from the network)`);
    return r.file;
  } catch (e) {
    log(`warning: the item report could not be written: ${(e as Error).message}`);
    return null;
  } finally {
    fullCollection();
  }
}

let collect: (() => void) | null | undefined;

/**
 * Building the report leaves tens of MB of dead strings and objects; V8 runs no full collection before its heap limit,
 * so a process that goes on (the Action, a resume in the same process) would carry them to its peak. One full
 * collection here returns them; `gc` is reached through V8's own flag, as `node --expose-gc` would.
 */
function fullCollection(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
