/**
 * A D1 binding that counts what a request costs on Cloudflare's meters: queries (each statement of a batch counted
 * on its own, the conservative reading of "queries per Worker invocation"), rows read and rows written (D1's
 * `meta.rows_read` / `meta.rows_written`, the figures D1 bills) and SQL time (`meta.duration`). Used by tests to
 * assert the per-request bounds, and — only when the deployment sets D1_STATS=true (bench/worker.ts does) — by
 * a middleware that reports the figures in an `X-D1-Stats` response header.
 */
export interface D1Stats { queries: number; rowsRead: number; rowsWritten: number; sqlMs: number }

export function emptyStats(): D1Stats {
  return { queries: 0, rowsRead: 0, rowsWritten: 0, sqlMs: 0 };
}

type Meta = { rows_read?: number; rows_written?: number; duration?: number };

function add(stats: D1Stats, meta: Meta | undefined): void {
  stats.queries++;
  stats.rowsRead += meta?.rows_read ?? 0;
  stats.rowsWritten += meta?.rows_written ?? 0;
  stats.sqlMs += meta?.duration ?? 0;
}

const INNER = Symbol('inner statement');
type Wrapped = D1PreparedStatement & { [INNER]: D1PreparedStatement };

function wrapStatement(inner: D1PreparedStatement, stats: D1Stats): Wrapped {
  const all = async <T>() => {
    const r = await inner.all<T>();
    add(stats, r.meta as Meta);
    return r;
  };
  const wrapped = {
    [INNER]: inner,
    bind: (...values: unknown[]) => wrapStatement(inner.bind(...values), stats),
    all,
    run: async <T>() => {
      const r = await inner.run<T>();
      add(stats, r.meta as Meta);
      return r;
    },
    // first() hides meta: read through all() so rows_read is still counted (same row, same statement)
    first: async <T>(column?: string) => {
      const row = ((await all<Record<string, unknown>>()).results[0] ?? null);
      if (column === undefined) return row as T | null;
      return (row ? row[column] ?? null : null) as T | null;
    },
    raw: async <T>(options?: { columnNames?: boolean }) => {
      stats.queries++;
      return inner.raw<T>(options as { columnNames: true }) as Promise<T[]>;
    },
  };
  return wrapped as unknown as Wrapped;
}

/** `db` with every call counted into `stats` (prepared statements, batches, exec). */
export function countingD1(db: D1Database, stats: D1Stats): D1Database {
  const wrapped = {
    prepare: (sql: string) => wrapStatement(db.prepare(sql), stats),
    batch: async <T>(statements: D1PreparedStatement[]) => {
      const inner = statements.map((s) => (s as Wrapped)[INNER] ?? s);
      const results = await db.batch<T>(inner);
      for (const r of results) add(stats, r.meta as Meta);
      return results;
    },
    exec: async (sql: string) => {
      stats.queries++;
      return db.exec(sql);
    },
    dump: () => db.dump(),
    withSession: (...args: Parameters<D1Database['withSession']>) => db.withSession(...args),
  };
  return wrapped as unknown as D1Database;
}

/** "queries=3;rows_read=12;rows_written=0;sql_ms=0.4" — the X-D1-Stats header value. */
export function formatStats(s: D1Stats): string {
  return `queries=${s.queries};rows_read=${s.rowsRead};rows_written=${s.rowsWritten};sql_ms=${s.sqlMs.toFixed(2)}`;
}
