/**
 * The npm scripts' command lines (scripts/dev.mjs, scripts/worker-token.mjs): a bad flag is one line + usage with
 * exit 2 (no stack), a busy port in dev is one line with exit 1, and `token` on a fresh local database applies the
 * migrations itself instead of failing with "no such table".
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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
