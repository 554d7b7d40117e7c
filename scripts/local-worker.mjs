/**
 * Serves the worker locally in workerd through Miniflare's API, for Node-side tests, `npm run dev`, the demo and
 * bench/. The worker is bundled with esbuild into .mf/ (Miniflare does not bundle TypeScript), local D1 is migrated
 * from worker/migrations before the worker listens on the requested port (Miniflare accepts requests as soon as it
 * is ready, so listening earlier would let callers hit "no such table").
 *
 *   const { url, stop } = await startLocalWorker({ port: 0, persistDir: null, vars: { PRIVATE_READS: 'true' } });
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIGRATIONS_DIR = path.join(repoRoot, 'worker', 'migrations');
// Same database id as wrangler.jsonc so `wrangler d1 execute --local` sees the database a persisted server uses.
const DATABASE_ID = '00000000-0000-0000-0000-000000000000';
const COMPATIBILITY_DATE = '2026-04-20';
const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// The same per-repository upload limit as the ratelimits binding in wrangler.jsonc.
const UPLOAD_LIMIT = { simple: { limit: 30, period: 60 } };

/**
 * @param {{ port?: number, host?: string, persistDir?: string | null, vars?: Record<string, string> }} [opts]
 *   persistDir: wrangler-style state folder (e.g. ".wrangler/state/v3"); null/undefined = in-memory database.
 * @returns {Promise<{ url: string, stop(): Promise<void>, mf: Miniflare }>}
 */
export async function startLocalWorker(opts = {}) {
  const outDir = path.join(repoRoot, '.mf');
  mkdirSync(outDir, { recursive: true });
  // A unique file per call: parallel test files may start servers at the same time.
  const outfile = path.join(outDir, `worker-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.js`);
  await build({
    entryPoints: [path.join(repoRoot, 'worker', 'src', 'index.ts')],
    bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', outfile, logLevel: 'error',
    conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'],
    // CommonJS dependencies (badge-maker's width tables) require() Node built-ins: leave those to workerd's
    // nodejs_compat and give the ESM bundle a `require` (import.meta.url is undefined in workerd, hence '/').
    external: NODE_BUILTINS,
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire('/');" },
  });
  const persist = opts.persistDir ? path.resolve(opts.persistDir, 'd1') : false;
  const options = {
    modules: true, scriptPath: outfile, modulesRoot: outDir,
    compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: DATABASE_ID }, d1Persist: persist,
    bindings: { ...(opts.vars ?? {}) },
    ratelimits: { UPLOAD_LIMITER: UPLOAD_LIMIT },
    cf: false, host: opts.host ?? '127.0.0.1',
  };
  // Miniflare serves as soon as it is ready, so it first listens on a port nobody knows (0 = any free one); only
  // once the migrations are applied does it move to the requested port. A caller that polls /health on that port
  // can therefore never reach a database without its schema.
  const mf = new Miniflare({ ...options, port: 0 });
  try {
    await mf.ready;
    await applyMigrations(await mf.getD1Database('DB'));
    if (opts.port) await mf.setOptions({ ...options, port: opts.port });
    const ready = await mf.ready;
    const url = ready.toString().replace(/\/$/, '');
    const stop = async () => {
      await mf.dispose();
      rmSync(outfile, { force: true });
    };
    return { url, mf, stop };
  } catch (err) {
    await mf.dispose().catch(() => {});
    rmSync(outfile, { force: true });
    throw err;
  }
}

/** Applies worker/migrations/*.sql not yet recorded, using wrangler's own bookkeeping table (d1_migrations). */
export async function applyMigrations(db) {
  await db.prepare(`CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`).run();
  const done = new Set((await db.prepare('SELECT name FROM d1_migrations').all()).results.map((r) => r.name));
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  for (const name of files) {
    if (done.has(name)) continue;
    const statements = splitSql(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
    await db.batch([
      ...statements.map((s) => db.prepare(s)),
      db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(name),
    ]);
  }
}

function splitSql(sql) {
  const noComments = sql.split('\n').filter((l) => !l.trim().startsWith('--')).join('\n');
  return noComments.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean);
}

/**
 * True when nothing listens on 127.0.0.1:`port`. Callers check before starting a worker because workerd's own bind
 * failure is a multi-screen native stack trace.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
