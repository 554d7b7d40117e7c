/**
 * Seeds a local D1 with a large history for bench/worker.ts, straight through the D1 binding (10,000 uploads
 * through the route would take many minutes): `repos` × `models` × `commits` complete main-branch runs, each with
 * `benchmarks` × 16 accuracy score rows (the benchmark and 15 groups). The leaderboard tables are then filled by
 * the backfill statements of migration 0002 — the path an existing deployment takes — so the board the bench
 * reads is the one the migration builds. Run bodies are not stored: the leaderboard and home page never read them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintOf, hash } from '../tests/helpers/run-fixture.js';

interface D1Like {
  prepare(sql: string): { bind(...v: unknown[]): unknown; run(): Promise<unknown> };
  batch(statements: unknown[]): Promise<unknown>;
}

export interface SeedShape { repos: number; models: number; commits: number; benchmarks: readonly string[] }

const GROUP_ROWS = 15;
const CHUNK = 2_000;

export async function seedHistory(db: D1Like, shape: SeedShape): Promise<{ runs: number; scoreRows: number; ms: number }> {
  const t = performance.now();
  const now = Date.now() - 86_400_000;
  const repoRows = Array.from({ length: shape.repos }, (_, r) => [r + 1000, `seed-org-${r % 50}/repo-${r}`, now]);
  await insertJson(db, 'INSERT INTO repositories (id, full_name, created_at) SELECT j.value->>0, j.value->>1, j.value->>2 FROM json_each(?) j', repoRows);
  let runs: unknown[][] = [];
  let scores: unknown[][] = [];
  let scoreRows = 0;
  for (let r = 0; r < shape.repos; r++) {
    for (let m = 0; m < shape.models; m++) {
      for (let c = 0; c < shape.commits; c++) {
        const k = (r * shape.models + m) * shape.commits + c;
        const id = k.toString(16).padStart(16, '0');
        const created = now + k;
        runs.push([id, r + 1000, `seed:${id}`, `${k.toString(16).padStart(40, 'd')}`, `model-${m}`, created]);
        for (const b of shape.benchmarks) {
          const n = 500 + (hash(`${b}:${r}`) % 1500);
          const acc = 0.3 + (hash(`${id}:${b}`) % 600) / 1000;
          const ci = 1.96 * Math.sqrt((acc * (1 - acc)) / n);
          scores.push([id, b, '', '', acc, n, acc - ci, acc + ci, fingerprintOf(b)]);
          for (let g = 0; g < GROUP_ROWS; g++) scores.push([id, b, 'modality', `g${g}`, acc, Math.ceil(n / GROUP_ROWS), null, null, fingerprintOf(b)]);
        }
        // runs first: score rows reference them
        if (scores.length >= CHUNK) {
          runs = await flushRuns(db, runs);
          scoreRows += scores.length;
          scores = await flushScores(db, scores);
        }
      }
    }
  }
  await flushRuns(db, runs);
  scoreRows += scores.length;
  await flushScores(db, scores);
  await backfillBoards(db);
  return { runs: shape.repos * shape.models * shape.commits, scoreRows, ms: performance.now() - t };
}

async function flushRuns(db: D1Like, rows: unknown[][]): Promise<unknown[][]> {
  if (rows.length) {
    await insertJson(db, `INSERT INTO runs (id, repository_id, run_key, commit_sha, ref, model, protocol, suite_version, status,
        uploader, created_at, completed_at)
      SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, 'refs/heads/main', j.value->>4, 'paper', '1', 'complete',
        'token', j.value->>5, j.value->>5 FROM json_each(?) j`, rows);
  }
  return [];
}

async function flushScores(db: D1Like, rows: unknown[][]): Promise<unknown[][]> {
  if (rows.length) {
    await insertJson(db, `INSERT INTO scores (run_id, benchmark, group_key, group_value, metric, value, n, ci_low, ci_high,
        fingerprint, protocol, chance_accuracy)
      SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, 'accuracy', j.value->>4, j.value->>5, j.value->>6,
        j.value->>7, j.value->>8, 'paper', 0.5 FROM json_each(?) j`, rows);
  }
  return [];
}

async function insertJson(db: D1Like, sql: string, rows: unknown[][]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let stmt: { run(): Promise<unknown> };
    try {
      stmt = db.prepare(sql).bind(JSON.stringify(rows)) as { run(): Promise<unknown> };
    } catch (err) {
      // Miniflare's synchronous proxy call (prepare/bind) sometimes reads another call's reply under load: nothing
      // was sent to D1 yet, so it is safe to try again
      if (attempt >= 5 || (err as { code?: string }).code !== 'ERR_ASSERTION') throw err;
      continue;
    }
    await stmt.run();
    return;
  }
}

/** The INSERT … SELECT statements of worker/migrations/0002_*.sql that build board_entries and boards. */
async function backfillBoards(db: D1Like): Promise<void> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'worker', 'migrations');
  const file = readFileSync(path.join(dir, '0002_leaderboard_boards.sql'), 'utf8');
  const sql = file.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n');
  for (const stmt of sql.split(/;\s*\n/).map((s) => s.trim()).filter((s) => s.startsWith('INSERT'))) await db.prepare(stmt).run();
}
