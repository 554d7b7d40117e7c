/**
 * Loads two stored runs and compares them; shared by the compare API and the compare pages. Both runs and their
 * bodies come from one D1 query; parsed bodies and finished comparisons are kept per isolate (run-cache.ts:
 * complete runs are immutable), so a repeated comparison — a PR comment's link opened by every reviewer — costs
 * neither D1 reads nor the bitset decoding again.
 */
import type { CompareResult, ComparedRun } from '../../schemas/compare.js';
import type { RunResult } from '../../schemas/results.js';
import { compareResults, type CompareOptions } from './compare.js';
import { getRunsWithBodies, type RunSummary } from './db.js';
import { ApiError, notFound } from './errors.js';
import { cacheGet, cachePut } from './run-cache.js';

interface Loaded { run: RunSummary; result: RunResult }

export async function compareRuns(db: D1Database, baseId: string, headId: string, opts: CompareOptions): Promise<CompareResult> {
  const key = `compare:${baseId}:${headId}:${opts.margin}:${opts.alpha}:${opts.mode}`;
  const cached = cacheGet<CompareResult>(key);
  if (cached) return cached;
  const runs = await loadComplete(db, { base: baseId, head: headId });
  const { base, head } = runs;
  const out = { base: describe(base.run), head: describe(head.run), ...compareResults(base.result, head.result, opts) };
  cachePut(key, out, 4_096);
  return out;
}

async function loadComplete(db: D1Database, ids: { base: string; head: string }): Promise<{ base: Loaded; head: Loaded }> {
  const cached = { base: cacheGet<Loaded>(`run:${ids.base}`), head: cacheGet<Loaded>(`run:${ids.head}`) };
  const missing = [...new Set([ids.base, ids.head].filter((id, i) => !(i === 0 ? cached.base : cached.head)))];
  const rows = missing.length ? await getRunsWithBodies(db, missing) : new Map();
  const pick = (role: 'base' | 'head'): Loaded => {
    const id = ids[role];
    const hit = cached[role];
    if (hit) return hit;
    const row = rows.get(id);
    if (!row) throw notFound(`${role} run ${id}`);
    if (row.run.status !== 'complete' || row.body === null) {
      throw new ApiError(409, 'run_incomplete', `${role} run ${id} is still missing shards`, { id });
    }
    const loaded = { run: row.run, result: JSON.parse(row.body) as RunResult };
    cachePut(`run:${id}`, loaded, row.body.length * 2);
    return loaded;
  };
  return { base: pick('base'), head: pick('head') };
}

function describe(r: RunSummary): ComparedRun {
  return { id: r.id, repository: r.repository, commit: r.commit, ref: r.ref, model: r.model, checkpoint: r.checkpoint,
    createdAt: r.createdAt };
}
