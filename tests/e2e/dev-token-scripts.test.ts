/**
 * The npm scripts' command lines (scripts/dev.mjs, scripts/worker-token.mjs): a bad flag is one line + usage with
 * exit 2 (no stack), a busy port in dev is one line with exit 1, and `token` on a fresh local database applies the
 * migrations itself instead of failing with "no such table".
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRun } from '../helpers/run-fixture.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const script = (name: string) => path.join(repoRoot, 'scripts', name);

/** Runs a script to its end without blocking the event loop (a test may hold a port open meanwhile). */
function runScript(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script(name), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('flag errors in the npm scripts', () => {
  it.each([
    ['dev.mjs', ['--prot', '9001'], "dev: unknown option '--prot' (options: --port, --persist, --open-uploads, --var)"],
    ['worker-token.mjs', ['create', '--repo', 'a/b', '--bogus'], "worker-token: unknown option '--bogus' (options: --repo, --label, --id, --remote, --persist-to)"],
    ['dev.mjs', ['--port'], "dev: option '--port' needs a value"],
  ])('%s %j: one line + usage, exit 2', async (name, args, line) => {
    const r = await runScript(name, args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(line);
    expect(lines[1]).toMatch(/^usage: npm run /);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack frames
  });
});

describe('npm run dev on a busy port', () => {
  it('says so in one line and exits 1', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as { port: number }).port;
    try {
      const r = await runScript('dev.mjs', ['--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`dev: port ${port} is busy; use --port 0 or another port`);
    } finally {
      holder.close();
    }
  });
});

describe('npm run token before the local database exists', () => {
  const state = mkdtempSync(path.join(tmpdir(), 'mvb-token-fresh-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('applies the migrations, then works', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [script('worker-token.mjs'), ...args, '--persist-to', state], { encoding: 'utf8' });
    const list = run('list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toContain('the local database has no schema yet; applying worker/migrations first');
    expect(list.stdout.trim()).toBe('no tokens');
    const created = run('create', '--repo', 'acme/*');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stderr).not.toContain('no schema yet'); // applied once
    expect(run('list').stdout).toMatch(/^1\tactive\tacme\/\*\t/m);
  });
});

describe('--help', () => {
  it.each([['dev', 'usage: npm run dev', '--persist DIR'], ['token', 'usage: npm run token', '--persist-to DIR']])(
    'npm run %s -- --help prints the help and exits 0', (name, usage, option) => {
      const r = spawnSync('npm', ['run', '--silent', name, '--', '--help'], { cwd: repoRoot, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(usage);
      expect(r.stdout).toContain(option);
      expect(r.stdout).toContain('-h, --help');
    });
});

/** Starts `dev.mjs` and resolves with its URL once it prints "ready at"; the caller stops it. */
function startDev(args: string[]): Promise<{ url: string; child: ReturnType<typeof spawn>; output: () => string }> {
  const child = spawn(process.execPath, [script('dev.mjs'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m) { clearInterval(timer); resolve({ url: m[1]!, child, output: () => out }); }
      if (child.exitCode !== null) { clearInterval(timer); reject(new Error(`dev exited: ${out}`)); }
    }, 50);
  });
}

async function stopDev(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** POST on a new connection (node:http, no agent): the status code. */
function postFresh(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const RUN = JSON.stringify(makeRun({ repository: 'acme/dev', commit: 'd'.repeat(40) }));
const upload = (url: string, token: string | null) => fetch(`${url}/api/v1/runs`, {
  method: 'POST', body: RUN, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
});

describe('npm run dev and npm run token share a --persist folder', () => {
  const state = mkdtempSync(path.join(tmpdir(), 'mvb-dev-token-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('a token made with --persist-to DIR uploads to dev --persist DIR (201, not "unknown or revoked API token")', async () => {
    const created = spawnSync(process.execPath, [script('worker-token.mjs'), 'create', '--repo', 'acme/*', '--persist-to', state], { encoding: 'utf8' });
    expect(created.status, created.stderr).toBe(0);
    const token = /token \(shown once; store it as a secret\): (\S+)/.exec(created.stdout)![1]!;
    const dev = await startDev(['--port', '0', '--persist', state]);
    try {
      const res = await upload(dev.url, token);
      expect(res.status, await res.clone().text()).toBe(201);
    } finally {
      await stopDev(dev.child);
    }
  });
});

describe('npm run dev serves only a migrated database and survives D1 errors', () => {
  const state = mkdtempSync(path.join(tmpdir(), 'mvb-dev-ready-'));
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it('a client polling /health from before the start gets its first 200 only when an upload already works', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [script('dev.mjs'), '--port', String(port), '--persist', state, '--open-uploads'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      let health = 0;
      const deadline = Date.now() + 60_000;
      while (health !== 200 && Date.now() < deadline) {
        health = await fetch(`${url}/health`).then((r) => r.status, () => 0);
        if (health !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(health).toBe(200);
      const res = await upload(url, null);
      expect(res.status, await res.clone().text()).toBe(201);

      // a D1 error in a request (a table dropped behind the server's back) is a 500, and the server keeps serving
      const drop = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'wrangler'),
        ['d1', 'execute', 'medvlm-bench', '--local', '--persist-to', state, '--command', 'DROP TABLE shard_state'],
        { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
      expect(drop.status, drop.stderr).toBe(0);
      const shard = JSON.parse(RUN);
      shard.shard = { runKey: 'dev-d1-error', shardIndex: 0, shardCount: 2 };
      // a fresh connection: the wrangler call above takes seconds, and a pooled keep-alive socket may be gone by now
      const broken = await postFresh(`${url}/api/v1/runs`, JSON.stringify(shard));
      expect(broken, out).toBe(500);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect(child.exitCode, out).toBeNull();
    } finally {
      await stopDev(child);
    }
  });
});
