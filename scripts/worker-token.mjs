/**
 * Scoped API tokens for non-GitHub uploaders (npm run token -- …). The clear token is printed once; D1 keeps only
 * its SHA-256. Runs `wrangler d1 execute` against the local database (the one `npm run dev` uses) or, with
 * --remote, the deployed one.
 *
 *   npm run token -- create --repo owner/name [--repo owner/*] [--label "lab cluster"] [--remote]
 *   npm run token -- list [--remote]
 *   npm run token -- revoke --id 3 [--remote]
 * --persist-to DIR: a local state folder other than .wrangler/state (as for `wrangler d1 execute --persist-to`).
 * A local database without the schema yet (a fresh clone before any `npm run dev`) gets worker/migrations applied
 * first, with `wrangler d1 migrations apply --local`, the same bookkeeping the dev server uses.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScriptArgs } from './script-args.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATABASE = 'medvlm-bench';
const REPO_PATTERN = /^[A-Za-z0-9_.-]{1,100}\/([A-Za-z0-9_.-]{1,100}|\*)$/;
const USAGE = "usage: npm run token -- create --repo owner/name [--repo 'owner/*'] [--label text] [--remote] | list | revoke --id N\n" +
  '  (--persist-to DIR for a local state folder other than .wrangler/state)';
const HELP = `${USAGE}

Scoped API tokens for uploaders outside GitHub Actions (and for reads on a private deployment). The clear token is
printed once; the database keeps only its SHA-256.

  create --repo owner/name|owner/*   a token for these repositories (repeat --repo); --label text names it
  list                               every token: id, state, scope, label, creation time
  revoke --id N                      revoke token N
  --remote                           the deployed database (default: the local one)
  --persist-to DIR                   local state folder, as wrangler's --persist-to (default .wrangler/state);
                                     \`npm run dev -- --persist DIR\` serves the same database
  -h, --help                         this text`;
const WRANGLER_ENV = { ...process.env, WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' };

function fail(message) {
  console.error(`worker-token: ${message}`);
  process.exit(2);
}

function sqlString(s) {
  return `'${String(s).replace(/'/g, "''")}'`;
}

function wrangler(args) {
  return spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'wrangler'), args, { cwd: repoRoot, encoding: 'utf8', env: WRANGLER_ENV });
}

function execute(sql, remote, persistTo, migrated = false) {
  const where = remote ? ['--remote'] : ['--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  const r = wrangler(['d1', 'execute', DATABASE, ...where, '--json', '--command', sql]);
  if (r.status !== 0 && !remote && !migrated && /no such table/.test(r.stderr + r.stdout)) {
    console.error('worker-token: the local database has no schema yet; applying worker/migrations first');
    const m = wrangler(['d1', 'migrations', 'apply', DATABASE, ...where]);
    if (m.status !== 0) fail(`applying the migrations failed (run \`npm run dev\` once; it applies them):\n${m.stderr || m.stdout}`);
    return execute(sql, remote, persistTo, true);
  }
  if (r.status !== 0) fail(`wrangler d1 execute failed:\n${r.stderr || r.stdout}`);
  const start = r.stdout.indexOf('[');
  return JSON.parse(r.stdout.slice(start))[0]?.results ?? [];
}

const [command, ...rest] = process.argv.slice(2);
if (command === '--help' || command === '-h' || command === 'help') {
  console.log(HELP);
  process.exit(0);
}
const { values } = parseScriptArgs('worker-token', USAGE, {
  args: rest,
  options: { repo: { type: 'string', multiple: true, default: [] }, label: { type: 'string' }, id: { type: 'string' },
    remote: { type: 'boolean', default: false }, 'persist-to': { type: 'string' } },
}, HELP);

if (command === 'create') {
  if (!values.repo.length) fail('create needs at least one --repo owner/name (or owner/*)');
  const bad = values.repo.find((r) => !REPO_PATTERN.test(r));
  if (bad) fail(`--repo "${bad}" must look like owner/name or owner/*`);
  if (values.label && values.label.length > 200) fail('--label is limited to 200 characters');
  const token = `mvb_${randomBytes(32).toString('base64url')}`;
  const hash = createHash('sha256').update(token).digest('hex');
  const rows = execute(`INSERT INTO api_tokens (token_sha256, repos, label, created_at) VALUES (${sqlString(hash)}, ` +
    `${sqlString(values.repo.join(','))}, ${values.label ? sqlString(values.label) : 'NULL'}, ${Date.now()}) RETURNING id`, values.remote, values['persist-to']);
  console.log(`token id ${rows[0]?.id} for ${values.repo.join(', ')} (${values.remote ? 'remote' : 'local'} database)`);
  console.log(`token (shown once; store it as a secret): ${token}`);
} else if (command === 'list') {
  const rows = execute('SELECT id, repos, label, created_at, revoked_at FROM api_tokens ORDER BY id', values.remote, values['persist-to']);
  for (const r of rows) {
    const state = r.revoked_at ? `revoked ${new Date(r.revoked_at).toISOString()}` : 'active';
    console.log(`${r.id}\t${state}\t${r.repos}\t${r.label ?? ''}\tcreated ${new Date(r.created_at).toISOString()}`);
  }
  if (!rows.length) console.log('no tokens');
} else if (command === 'revoke') {
  if (!/^\d+$/.test(values.id ?? '')) fail('revoke needs --id N (see `npm run token -- list`)');
  const rows = execute(`UPDATE api_tokens SET revoked_at = ${Date.now()} WHERE id = ${Number(values.id)} AND revoked_at IS NULL RETURNING id`, values.remote, values['persist-to']);
  if (!rows.length) fail(`no active token with id ${values.id}`);
  console.log(`token ${values.id} revoked`);
} else {
  fail(`${command ? `unknown command '${command}'` : 'no command given'}\n${USAGE}`);
}
