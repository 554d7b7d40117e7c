/** Loads two stored runs and compares them; shared by the compare API and the compare page. */
import type { CompareResult, ComparedRun } from '../../schemas/compare.js';
import { compareResults, type CompareOptions } from './compare.js';
import { getRun, getRunResult, type RunSummary } from './db.js';
import { ApiError, notFound } from './errors.js';

export async function compareRuns(db: D1Database, baseId: string, headId: string, opts: CompareOptions): Promise<CompareResult> {
  const [base, head] = await Promise.all([loadComplete(db, baseId, 'base'), loadComplete(db, headId, 'head')]);
  return { base: describe(base.run), head: describe(head.run), ...compareResults(base.result, head.result, opts) };
}

async function loadComplete(db: D1Database, id: string, role: 'base' | 'head') {
  const run = await getRun(db, id);
  if (!run) throw notFound(`${role} run ${id}`);
  const result = run.status === 'complete' ? await getRunResult(db, id) : null;
  if (!result) throw new ApiError(409, 'run_incomplete', `${role} run ${id} is still missing shards`, { id });
  return { run, result };
}

function describe(r: RunSummary): ComparedRun {
  return { id: r.id, repository: r.repository, commit: r.commit, ref: r.ref, model: r.model, checkpoint: r.checkpoint,
    createdAt: r.createdAt };
}
