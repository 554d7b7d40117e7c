/**
 * `npm run dev`: the worker in local workerd with a persistent local D1 under .wrangler/state/v3 (the folder
 * `wrangler d1 execute --local` and `npm run token` use), migrations applied, served on 127.0.0.1:8787.
 *
 *   npm run dev                       # uploads need a token (OIDC or `npm run token -- create --repo o/r`)
 *   npm run dev -- --open-uploads     # local only: accept unauthenticated uploads
 *   npm run dev -- --port 9000 --var PRIVATE_READS=true
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalWorker } from './local-worker.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    persist: { type: 'string', default: path.join(repoRoot, '.wrangler', 'state', 'v3') },
    'open-uploads': { type: 'boolean', default: false },
    var: { type: 'string', multiple: true, default: [] },
  },
});
const vars = Object.fromEntries(values.var.map((kv) => {
  const at = kv.indexOf('=');
  if (at < 1) throw new Error(`--var expects NAME=value, got "${kv}"`);
  return [kv.slice(0, at), kv.slice(at + 1)];
}));
if (values['open-uploads']) vars.ALLOW_UNAUTHENTICATED_UPLOADS = 'true';

const worker = await startLocalWorker({ port: Number(values.port), persistDir: values.persist, vars });
console.log(`medvlm-bench worker ready at ${worker.url} (local D1 in ${path.relative(repoRoot, values.persist) || '.'})`);
if (vars.ALLOW_UNAUTHENTICATED_UPLOADS) console.log('uploads: unauthenticated (--open-uploads); never do this in production');
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await worker.stop();
    process.exit(0);
  });
}
