/**
 * --serve must only ever evaluate the server it started: a server already answering at the endpoint is refused
 * before the command runs (exit 3), and a served process that dies during the readiness wait fails the run at once.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { startServedModel } from '../../action/src/runner/serve.js';
import { UserError } from '../../action/src/core/errors.js';
import { spawnCli } from '../cli/cli-helpers.js';
import { closedPort } from './helpers.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'medvlm-serve-guard-'));
const quiet = { fetch: globalThis.fetch, log: () => {} };

function manifest(dir: string): string {
  mkdirSync(path.join(dir, 'img'));
  writeFileSync(path.join(dir, 'img', 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  const file = path.join(dir, 'manifest.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 'q1', question: 'Is it there?', options: { A: 'yes', B: 'no' }, answer: 'A', images: ['img/a.png'] })}\n`);
  return file;
}

describe('--serve refuses an endpoint that is already served', () => {
  let stale: BaselineServer;
  beforeAll(async () => {
    stale = await startBaselineServer({ seed: 1 }); // stands in for a server left over from an earlier job
  });
  afterAll(() => stale.close());

  it('startServedModel throws exit 3 naming the URL and never runs the command', async () => {
    const dir = tmp();
    const marker = path.join(dir, 'ran');
    const err = await startServedModel({ ...quiet, command: `touch ${marker}`, endpoint: `${stale.url}/v1`,
      logPath: path.join(dir, 'serve.log'), readyTimeoutMs: 10_000 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(3);
    expect((err as Error).message).toContain(`something is already serving at ${stale.url}/v1/models`);
    expect((err as Error).message).toMatch(/stop it or use another port/);
    expect(existsSync(marker)).toBe(false);
  });

  it('the CLI exits 3 instead of scoring the stale server', async () => {
    const dir = tmp();
    const before = stale.stats.requests;
    const cli = spawnCli(['run', '--serve', 'echo CUDA out of memory; exit 3', '--endpoint', `${stale.url}/v1`, '--model', 'm',
      '--benchmarks', 'custom', '--manifest', manifest(dir), '--out', path.join(dir, 'out')]);
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(3);
    expect(cli.stderr()).toContain(`something is already serving at ${stale.url}/v1/models`);
    expect(existsSync(path.join(dir, 'out', 'results.json'))).toBe(false);
    expect(stale.stats.requests - before).toBe(0); // no chat request reached it
  });
});

describe('--serve: the served process exiting during the wait', () => {
  it('fails at once with its exit code and log tail, not after the poll interval', async () => {
    const dir = tmp();
    const port = await closedPort();
    const t0 = Date.now();
    const err = await startServedModel({ ...quiet, command: 'sleep 0.2; echo weights missing; exit 4',
      endpoint: `http://127.0.0.1:${port}/v1`, logPath: path.join(dir, 'serve.log'), readyTimeoutMs: 120_000, pollMs: 60_000,
    }).then(() => null, (e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((err as Error).message).toMatch(/server exited \(code 4\)[\s\S]*weights missing/);
  });
});
