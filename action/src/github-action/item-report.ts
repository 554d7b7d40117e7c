/**
 * The Action's item report: report.html written once the baseline is known (so it opens on the changes view), then
 * uploaded as a workflow artifact; the job summary and the PR comment link to the artifact, never to its content.
 * Every failure here is a warning: the report explains a verdict, it must never change or hide one.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RunResult } from '../../../schemas/results.js';
import type { PreparedBenchmark } from '../core/suite.js';
import { PREDICTIONS_FILE } from '../runner/predictions.js';
import { rebuildItemReport, writeItemReport, type ReportBaseline } from '../runner/report/index.js';

/** Uploads one file as a workflow artifact; `id` null when nothing was uploaded (no artifact service). */
export type ArtifactUploader = (file: string) => Promise<{ id: number | null }>;

export interface ItemReportInput {
  outDir: string;
  result: RunResult;
  /** prepared by this job's run; null after a shard merge (the data is prepared again from run-config.json) */
  benchmarks: PreparedBenchmark[] | null;
  /** shard folders of a merged run, whose predictions.jsonl hold the responses */
  shardDirs: string[] | null;
  baseline: ReportBaseline | null;
  /** the workflow run's URL (…/actions/runs/ID), for the artifact link */
  runUrl: string | null;
}

export interface ItemReportDeps {
  upload?: ArtifactUploader;
  log: { info(m: string): void; warning(m: string): void };
  env: Record<string, string | undefined>;
  now(): number;
}

/** A file name for the artifact: one per model label, so a matrix of checkpoints uploads side by side. */
export function artifactFileName(result: RunResult): string {
  const label = (result.model.checkpoint ?? result.model.name).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `medvlm-bench-report-${label}.html`;
}

/** Writes report.html and uploads it; returns the artifact's URL, or null (why is in the log). */
export async function shipItemReport(i: ItemReportInput, deps: ItemReportDeps): Promise<string | null> {
  let file: string;
  try {
    const r = i.benchmarks
      ? await writeItemReport({ dir: i.outDir, result: i.result, benchmarks: i.benchmarks, baseline: i.baseline, now: deps.now })
      : await rebuildItemReport({ dir: i.outDir, baseline: i.baseline, env: deps.env, now: deps.now,
        log: (m) => deps.log.info(m), predictionsFiles: i.shardDirs?.map((d) => path.join(d, PREDICTIONS_FILE)) });
    file = r.file;
    deps.log.info(`item report: ${file} (${r.items} items${i.baseline ? ', changes vs the baseline first' : ''})`);
  } catch (e) {
    deps.log.warning(`the item report could not be written: ${(e as Error).message}`);
    return null;
  }
  if (!deps.upload) return null;
  try {
    // the artifact takes the file's name: copy it under a name unique to this model label
    const dir = path.join(deps.env.RUNNER_TEMP ?? i.outDir, 'medvlm-bench-report');
    mkdirSync(dir, { recursive: true });
    const named = path.join(dir, artifactFileName(i.result));
    copyFileSync(file, named);
    const { id } = await deps.upload(named);
    if (id === null) return null;
    const url = i.runUrl ? `${i.runUrl}/artifacts/${id}` : null;
    deps.log.info(`item report uploaded as artifact ${id}${url ? `: ${url}` : ''}`);
    return url;
  } catch (e) {
    deps.log.warning(`the item report could not be uploaded as an artifact (it is still in ${file}): ${(e as Error).message}`);
    return null;
  }
}
