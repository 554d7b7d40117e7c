/**
 * --serve lifecycle under signals, through the real CLI: SIGINT while the served model is still loading stops at
 * once (not after --serve-timeout), and a runner killed outright does not leave the served process group behind.
 * Uses a tiny generated manifest, so it needs no shared data.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, waitFor } from '../cli/cli-helpers.js';
import { closedPort } from './helpers.js';

function manifestDir(): { manifest: string; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-serve-sig-'));
  mkdirSync(path.join(dir, 'img'));
  writeFileSync(path.join(dir, 'img', 'a.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  const manifest = path.join(dir, 'manifest.jsonl');
  writeFileSync(manifest, `${JSON.stringify({ id: 'q1', question: 'Is it there?', options: { A: 'yes', B: 'no' }, answer: 'A', images: ['img/a.png'] })}\n`);
  return { manifest, out: path.join(dir, 'out') };
}

/** Live (non-zombie) members of a process group, from /proc: a reaped-late zombie is not a running server. */
function groupMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') live.push(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return live;
}

const servedPid = (stderr: string): number => Number(/--serve: started .* \(pid (\d+),/.exec(stderr)?.[1] ?? 0);

/** Starts `run --serve` with a "server" that never listens (it is still loading) and forks a worker. */
async function startLoading(): Promise<{ cli: ReturnType<typeof spawnCli>; pid: number }> {
  const { manifest, out } = manifestDir();
  const port = await closedPort();
  const cli = spawnCli(['run', '--serve', 'sleep 41 & sleep 40', '--endpoint', `http://127.0.0.1:${port}/v1`, '--model', 'm',
    '--benchmarks', 'custom', '--manifest', manifest, '--out', out, '--serve-timeout', '60']);
  await waitFor(() => servedPid(cli.stderr()) > 0, 30_000, 'the served pid');
  const pid = servedPid(cli.stderr());
  await waitFor(() => groupMembers(pid).length >= 2, 5000, 'the served group');
  return { cli, pid };
}

describe.skipIf(process.platform !== 'linux')('--serve and signals (real CLI, /proc)', () => {
  it('SIGINT while waiting for the server to come up: exits 130 within seconds, the served group is gone', async () => {
    const { cli, pid } = await startLoading();
    const t0 = Date.now();
    cli.child.kill('SIGINT');
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(130);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(cli.stderr()).toMatch(/received SIGINT: stopping/);
    expect(groupMembers(pid)).toEqual([]);
  });

  it('SIGKILL of the runner: the watchdog in the served group kills the group within a few seconds', async () => {
    const { cli, pid } = await startLoading();
    cli.child.kill('SIGKILL');
    await cli.exit;
    await waitFor(() => groupMembers(pid).length === 0, 5000, 'the served group to be killed by the watchdog');
  });
});
