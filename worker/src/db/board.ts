/**
 * The precomputed leaderboard (migration 0002): board_entries holds, per (benchmark, protocol, repository, model),
 * the latest complete non-pull-request run's whole-benchmark accuracy; boards holds a version per (benchmark,
 * protocol) and a cached summary (the top of the ranked board) that is valid while its version is current.
 * Writes happen inside the upload's transaction (boardStatements); reads are one indexed range per board.
 */
import { IS_PR_RUN, iso, type ScoreRecord } from './rows.js';

const STORED_METRIC = 'accuracy';

/**
 * The leaderboard rows (migration 0002): when `runId` is complete and not a pull-request run, each benchmark's
 * accuracy replaces the (benchmark, protocol, repository, model) entry unless that entry's run completed later;
 * the touched boards' versions are bumped so their cached summaries are rebuilt on the next view. Runs in the
 * same transaction as the run write, so a board never shows a run that was rolled back.
 */
export function boardStatements(db: D1Database, runId: string, scores: readonly ScoreRecord[]): D1PreparedStatement[] {
  const rows = scores.filter((s) => s.groupKey === '' && s.metric === STORED_METRIC)
    .map((s) => [s.benchmark, s.protocol, s.fingerprint, s.value, s.n, s.ciLow, s.ciHigh, s.chanceAccuracy]);
  if (rows.length === 0) return [];
  const eligible = `FROM runs r JOIN repositories p ON p.id = r.repository_id, json_each(?2) j
    WHERE r.id = ?1 AND r.status = 'complete' AND NOT ${IS_PR_RUN}`;
  const at = (i: number) => `json_extract(j.value, '$[${i}]')`;
  return [
    db.prepare(`INSERT INTO board_entries (benchmark, protocol, repository_id, model, repository, run_id, checkpoint,
        commit_sha, created_at, completed_at, verified, fingerprint, value, n, ci_low, ci_high, chance_accuracy)
      SELECT ${at(0)}, ${at(1)}, r.repository_id, r.model, p.full_name, r.id, r.checkpoint, r.commit_sha, r.created_at,
        COALESCE(r.completed_at, r.created_at), r.verified, ${at(2)}, ${at(3)}, ${at(4)}, ${at(5)}, ${at(6)}, ${at(7)}
      ${eligible}
      ON CONFLICT (benchmark, protocol, repository_id, model) DO UPDATE SET repository = excluded.repository,
        run_id = excluded.run_id, checkpoint = excluded.checkpoint, commit_sha = excluded.commit_sha,
        created_at = excluded.created_at, completed_at = excluded.completed_at, verified = excluded.verified,
        fingerprint = excluded.fingerprint, value = excluded.value, n = excluded.n, ci_low = excluded.ci_low,
        ci_high = excluded.ci_high, chance_accuracy = excluded.chance_accuracy
      WHERE (excluded.completed_at, excluded.created_at, excluded.run_id)
        > (board_entries.completed_at, board_entries.created_at, board_entries.run_id)`).bind(runId, JSON.stringify(rows)),
    db.prepare(`INSERT INTO boards (benchmark, protocol) SELECT DISTINCT ${at(0)}, ${at(1)} ${eligible}
      ON CONFLICT (benchmark, protocol) DO UPDATE SET version = boards.version + 1`).bind(runId, JSON.stringify(rows)),
  ];
}


export interface LeaderboardRow {
  /** the board key (board_entries' primary key within a board); internal, not served */
  repositoryId: number;
  repository: string; model: string; checkpoint: string | null; runId: string; commit: string | null;
  createdAt: string; verified: boolean; value: number; n: number; ciLow: number | null; ciHigh: number | null;
  chanceAccuracy: number | null; fingerprint: string;
}

/** Every entry of one board (all fingerprints): one primary-key range, rows read = entries. */
export async function readBoardEntries(db: D1Database, benchmark: string, protocol: string): Promise<LeaderboardRow[]> {
  const { results } = await db.prepare(`SELECT ${ENTRY_COLUMNS} FROM board_entries WHERE benchmark = ? AND protocol = ?`)
    .bind(benchmark, protocol).all<Record<string, unknown>>();
  return results.map(toRow);
}

/** The entries with these (repository id, model) keys: one primary-key lookup each. */
export async function readBoardEntriesByKey(
  db: D1Database, benchmark: string, protocol: string, keys: readonly (readonly [number, string])[],
): Promise<LeaderboardRow[]> {
  if (keys.length === 0) return [];
  // CROSS JOIN keeps json_each outside: one primary-key seek per key, so rows read = keys
  const { results } = await db.prepare(`SELECT ${ENTRY_COLUMNS.replace(/(\w+)/g, 'e.$1')} FROM json_each(?3) j
    CROSS JOIN board_entries e ON e.benchmark = ?1 AND e.protocol = ?2
      AND e.repository_id = json_extract(j.value, '$[0]') AND e.model = json_extract(j.value, '$[1]')`)
    .bind(benchmark, protocol, JSON.stringify(keys)).all<Record<string, unknown>>();
  return results.map(toRow);
}

const ENTRY_COLUMNS = `repository_id, repository, model, checkpoint, run_id, commit_sha, created_at, verified, value, n,
  ci_low, ci_high, chance_accuracy, fingerprint`;

function toRow(r: Record<string, unknown>): LeaderboardRow {
  return {
    repositoryId: Number(r.repository_id),
    repository: String(r.repository), model: String(r.model), checkpoint: r.checkpoint as string | null,
    runId: String(r.run_id), commit: r.commit_sha as string | null, createdAt: iso(r.created_at),
    verified: r.verified === 1, value: Number(r.value), n: Number(r.n), ciLow: r.ci_low as number | null,
    ciHigh: r.ci_high as number | null, chanceAccuracy: r.chance_accuracy as number | null, fingerprint: String(r.fingerprint),
  };
}

/** `summary`: the last one built (null: never); `fresh`: no upload changed the board since it was built. */
export interface BoardRecord { benchmark: string; protocol: string; version: number; summary: string | null; fresh: boolean }

/** Every (benchmark, protocol) with entries, with its cached summary. */
export async function listBoards(db: D1Database): Promise<BoardRecord[]> {
  const { results } = await db.prepare(`SELECT benchmark, protocol, version, summary, summary_version = version AS fresh
      FROM boards ORDER BY benchmark, protocol`)
    .all<{ benchmark: string; protocol: string; version: number; summary: string | null; fresh: number }>();
  return results.map((r) => ({ ...r, fresh: r.fresh === 1 }));
}

/** One board's record with its cached ranking (JSON) when that is current; null when the board does not exist. */
export async function getBoardRanking(
  db: D1Database, benchmark: string, protocol: string,
): Promise<{ board: BoardRecord; ranking: string | null } | null> {
  const r = await db.prepare(`SELECT benchmark, protocol, version, summary, summary_version = version AS fresh,
      CASE WHEN summary_version = version THEN ranking END AS ranking FROM boards WHERE benchmark = ? AND protocol = ?`)
    .bind(benchmark, protocol)
    .first<{ benchmark: string; protocol: string; version: number; summary: string | null; fresh: number; ranking: string | null }>();
  if (!r) return null;
  const { ranking, fresh, ...board } = r;
  return { board: { ...board, fresh: fresh === 1 }, ranking };
}

/** Stores a rebuilt summary and ranking unless an upload moved the board on meanwhile (the next view rebuilds). */
export async function saveBoardSummary(db: D1Database, board: BoardRecord, summary: string, ranking: string): Promise<void> {
  await db.prepare(`UPDATE boards SET summary = ?, ranking = ?, summary_version = ?
      WHERE benchmark = ? AND protocol = ? AND version = ?`)
    .bind(summary, ranking, board.version, board.benchmark, board.protocol, board.version).run();
}
