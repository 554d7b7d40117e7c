/** `merge` and `upload` refuse a results.json whose run stopped on a systematic failure, saying why. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import { mergeResultDirs } from '../../action/src/runner/merge.js';
import { firstK, makeRun } from '../github-action/make-run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-failed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const failed = { ...makeRun([{ id: 'vqa-rad', correct: firstK(10, 0), errors: 10 }]), status: 'failed' as const, failure: { reason: 'HTTP 400: CUDA out of memory', items: 10 } };

describe('a failed run', () => {
  it('is not merged', async () => {
    const shard = path.join(dir, 'shard-1');
    mkdirSync(shard);
    writeFileSync(path.join(shard, 'results.json'), JSON.stringify(failed));
    await expect(mergeResultDirs([shard], path.join(dir, 'merged'))).rejects.toThrow(`${shard}: this shard's run failed (HTTP 400: CUDA out of memory); re-run it before merging`);
  });

  it('is not uploaded, and no request is sent', async () => {
    let requests = 0;
    const server: Server = createServer((_req, res) => { requests++; res.end('{}'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify(failed));
    let err = '';
    const deps: CliDeps = { out: () => {}, err: (t) => { err += t; }, fetch, now: () => 0, env: { MEDVLM_TOKEN: 't' }, cwd: dir, version: '0', isTTY: false };
    try {
      const code = await main(['upload', 'results.json', '--aggregator-url', url], deps);
      expect(code).not.toBe(0);
      expect(err).toContain('the run failed (HTTP 400: CUDA out of memory); a failed run is not uploaded');
      expect(requests).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
