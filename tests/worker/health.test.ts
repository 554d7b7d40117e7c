import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

/** The tables of 0001_init.sql, read by hand from the SQL: they must exist whatever later migrations add. */
const INIT_TABLES = ['api_tokens', 'blobs', 'repositories', 'runs', 'scores', 'shards', 'used_jti'];

/** Tables the migration files create and do not drop again, from their SQL text (not from the worker's code). */
function tablesInMigrations(): string[] {
  const tables = new Set<string>();
  for (const m of env.TEST_MIGRATIONS) {
    for (const q of m.queries) {
      for (const [, name] of q.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`]?(\w+)/gi)) tables.add(name!);
      for (const [, name] of q.matchAll(/DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?["`]?(\w+)/gi)) tables.delete(name!);
    }
  }
  return [...tables];
}

describe('worker health', () => {
  it('answers /health', async () => {
    const res = await exports.default.fetch('http://local/health');
    expect(res.status).toBe(200);
  });

  it('has exactly the migrated tables, and D1 records every migration file as applied', async () => {
    const found = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
    ).all<{ name: string }>();
    const names = found.results.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(INIT_TABLES));
    expect(names).toEqual([...new Set([...INIT_TABLES, ...tablesInMigrations(), 'd1_migrations'])].sort());
    const applied = await env.DB.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    expect(applied.results.map((m) => m.name)[0]).toBe('0001_init.sql');
    expect(applied.results.map((m) => m.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
  });
});
