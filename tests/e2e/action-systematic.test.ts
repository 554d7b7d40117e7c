/**
 * Issue 11 case 3, the action's side: a run that stops on a systematic failure uploads nothing and fails the step
 * with the server's message. The action is built from the current source into a temp folder (the committed
 * action/dist is rebuilt only at release) and run by the e2e harness exactly as the Actions runner runs it, against a
 * vLLM emulator that refuses every item and a stand-in aggregator that records every request it gets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorServer } from '../helpers/servers/base.js';
import { startVllm, vllmError } from '../helpers/servers/vllm.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { pushEvent, runBundle, sha, writeManifest } from './action-harness.js';

const IMAGE_LIMIT = 'At most 0 image(s) may be provided in one request.';

describe('the action on a systematic failure', () => {
  let dir: string;
  let bundle: string;
  let vllm: EmulatorServer;
  let aggregator: EmulatorServer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'medvlm-action-build-'));
    bundle = path.join(dir, 'index.js');
    // same settings as scripts/build-action.mjs, another outfile
    await build({
      entryPoints: [path.join(REPO_ROOT, 'action/src/github-action/index.ts')], outfile: bundle, bundle: true, platform: 'node',
      target: 'node20', format: 'esm', logLevel: 'warning',
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
    [vllm, aggregator] = await Promise.all([
      startVllm({ model: 'llava-med', maxModelLen: 4096, accepted: () => vllmError(IMAGE_LIMIT) }),
      startEmulator({ routes: {} }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([vllm?.close(), aggregator?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('uploads nothing, fails the step with the server\'s message and the count, and says so in the job summary', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'medvlm-ws-'));
    try {
      const manifest = writeManifest(workspace, 'm', 40, 20);
      const r = await runBundle({
        bundle, workspace, event: pushEvent(sha('0')),
        inputs: {
          endpoint: `${vllm.url}/v1`, model: 'llava-med', benchmarks: 'custom', manifest, concurrency: '2',
          'aggregator-url': aggregator.url, 'aggregator-auth': 'token', 'aggregator-token': 'mvb_test', comment: 'never',
        },
        env: { GITHUB_REPOSITORY: 'acme/vision', GITHUB_SHA: sha('a'), GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'push' },
      });
      expect(r.code).toBe(1);
      const failed = r.stdout.split('\n').find((l) => l.startsWith('::error::'));
      expect(failed).toMatch(/stopped: \d+ item\(s\) in a row failed the same way, none succeeded: HTTP 400: At most 0 image\(s\) may be provided in one request\./);
      expect(aggregator.requests).toEqual([]); // nothing uploaded, not even a baseline lookup
      expect(r.summary).toContain('run stopped');
      expect(r.summary).toContain('At most 0 image(s) may be provided in one request.');
      expect(vllm.chats().length).toBeLessThan(40);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  }, 60_000);
});
