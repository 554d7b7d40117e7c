/**
 * `npm run dev`: the worker in local workerd with a persistent local D1, migrations applied before it listens on
 * 127.0.0.1:8787. `--persist DIR` means what wrangler's `--persist-to DIR` means (the database is DIR/v3/d1), so
 * `npm run dev -- --persist DIR` and `npm run token -- … --persist-to DIR` share one database. Default DIR:
 * .wrangler/state, the folder `wrangler d1 execute --local` and `npm run token` use.
 *
 *   npm run dev                       # uploads need a token (OIDC or `npm run token -- create --repo o/r`)
 *   npm run dev -- --open-uploads     # local only: accept unauthenticated uploads
 *   npm run dev -- --port 9000 --var PRIVATE_READS=true
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portIsFree, startLocalWorker } from './local-worker.mjs';
import { parseScriptArgs } from './script-args.mjs';

const USAGE = 'usage: npm run dev -- [--port 8787] [--persist DIR] [--open-uploads] [--var NAME=value …]';
const HELP = `${USAGE}

Serves the aggregator worker locally (workerd + local D1) once worker/migrations are applied.

  --port N          port on 127.0.0.1 (default 8787; 0 = any free port)
  --persist DIR     state folder, as wrangler's --persist-to (database in DIR/v3/d1; default .wrangler/state).
                    \`npm run token -- create --repo o/r --persist-to DIR\` makes tokens for the same database.
  --open-uploads    accept uploads without a token (local only; sets ALLOW_UNAUTHENTICATED_UPLOADS)
  --var NAME=value  a worker setting (repeatable), e.g. --var ALLOWED_OWNERS=acme --var PRIVATE_READS=true
  -h, --help        this text

GitHub OIDC uploads need --var ALLOWED_OWNERS=owner (or ALLOWED_REPOS); see docs/worker.md.`;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseScriptArgs('dev', USAGE, {
  options: {
    port: { type: 'string', default: '8787' },
    persist: { type: 'string', default: path.join(repoRoot, '.wrangler', 'state') },
    'open-uploads': { type: 'boolean', default: false },
    var: { type: 'string', multiple: true, default: [] },
  },
}, HELP);
const vars = Object.fromEntries(values.var.map((kv) => {
  const at = kv.indexOf('=');
  if (at < 1) fail(`--var expects NAME=value, got "${kv}"`, 2);
  return [kv.slice(0, at), kv.slice(at + 1)];
}));
if (values['open-uploads']) vars.ALLOW_UNAUTHENTICATED_UPLOADS = 'true';

const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) fail(`--port '${values.port}' must be a port number (0 = a free one)`, 2);
// Checked before starting workerd, whose own bind failure is a multi-screen native stack trace.
if (port !== 0 && !(await portIsFree(port))) fail(`port ${port} is busy; use --port 0 or another port`, 1);
let worker;
try {
  // wrangler keeps local D1 under <persist-to>/v3/d1; startLocalWorker takes the v3 folder
  worker = await startLocalWorker({ port, persistDir: path.join(values.persist, 'v3'), vars });
} catch (err) {
  if (err?.code === 'ERR_ADDRESS_IN_USE') fail(`port ${port} is busy; use --port 0 or another port`, 1);
  throw err;
}
console.log(`medvlm-bench worker ready at ${worker.url} (local D1 in ${path.relative(repoRoot, values.persist) || '.'})`);
if (vars.ALLOW_UNAUTHENTICATED_UPLOADS) console.log('uploads: unauthenticated (--open-uploads); never do this in production');

// A failed request (a D1 error included) is answered by the worker as a 500; nothing it does may take the dev
// server down with it: log anything that escapes and keep serving.
process.on('unhandledRejection', (err) => console.error('dev: unhandled rejection (still serving):', err));
process.on('uncaughtException', (err) => console.error('dev: uncaught exception (still serving):', err));

function fail(message, code) {
  console.error(`dev: ${message}`);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await worker.stop();
    process.exit(0);
  });
}
