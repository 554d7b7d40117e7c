/**
 * Issue 11 case 3: a systematic failure stops the run. A server that refuses every item the same way (vLLM with
 * `--limit-mm-per-prompt image=0`: 400 "At most 0 image(s) may be provided in one request.") stops the run after
 * SYSTEMATIC_STREAK items with a non-zero exit, the server's message and the number of items it hit; results.json
 * says status "failed". An HTTP 200 carrying an error object shows the server's message. Oracles: the emulators'
 * request logs and the server's own message text.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunResult } from '../../schemas/results.js';
import { SYSTEMATIC_STREAK, SystematicFailureError } from '../../action/src/runner/diagnostics.js';
import { runEvaluation } from '../../action/src/runner/run.js';
import type { EmulatorServer } from '../helpers/servers/base.js';
import { startVllm, vllmError } from '../helpers/servers/vllm.js';
import { spawnCli } from '../cli/cli-helpers.js';
import { itemChats, predictions, runOptions, writeManifest } from './servers-fixture.js';

let server: EmulatorServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const IMAGE_LIMIT = 'At most 0 image(s) may be provided in one request.';

describe('a systematic failure stops the run', () => {
  it('the same 400 on every item: stops early, throws with the message and count, results.json says failed', async () => {
    server = await startVllm({ maxModelLen: 32_768, accepted: () => vllmError(IMAGE_LIMIT) });
    const o = runOptions(server.url, writeManifest({ n: 60 }), { concurrency: 4 });
    const err = await runEvaluation(o, { fetch, now: Date.now, log: () => {} }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SystematicFailureError);
    const e = err as SystematicFailureError;
    expect(e.exitCode).not.toBe(0);
    expect(e.message).toContain(IMAGE_LIMIT);
    expect(e.items).toBeGreaterThanOrEqual(SYSTEMATIC_STREAK);
    const sent = itemChats(server).length;
    expect(sent).toBeLessThan(60); // stopped early
    expect(sent).toBeLessThanOrEqual(SYSTEMATIC_STREAK + 4); // the streak plus what was in flight
    const result = RunResult.parse(JSON.parse(readFileSync(path.join(o.outDir, 'results.json'), 'utf8')));
    expect(result.status).toBe('failed');
    expect(result.failure!.reason).toBe(`HTTP 400: ${IMAGE_LIMIT}`);
    expect(result.failure!.items).toBe(e.items);
    // every finished item is on disk (a fixed server resumes from them); none was scored as correct
    const lines = predictions(o.outDir);
    expect(lines.length).toBe(result.benchmarks[0]!.counts.errors);
    expect(lines.every((l) => l.error === `HTTP 400: ${IMAGE_LIMIT} (after 1 attempt)`)).toBe(true);
    expect(result.diagnostics!.errorReasons).toEqual([{ reason: `HTTP 400: ${IMAGE_LIMIT}`, count: lines.length }]);
  });

  it('a run shorter than the streak whose every item failed alike is failed too', async () => {
    server = await startVllm({ maxModelLen: 32_768, accepted: () => vllmError(IMAGE_LIMIT) });
    const o = runOptions(server.url, writeManifest({ n: 3 }));
    await expect(runEvaluation(o, { fetch, now: Date.now, log: () => {} })).rejects.toThrow(/3 item\(s\) in a row failed the same way/);
    expect(JSON.parse(readFileSync(path.join(o.outDir, 'results.json'), 'utf8')).status).toBe('failed');
  });

  it('errors mixed with successes do not stop the run', async () => {
    server = await startVllm({
      maxModelLen: 32_768,
      accepted: (req) => (/Question \d*[05]:/.test(JSON.stringify(req.json)) ? vllmError(IMAGE_LIMIT) : { status: 200, body: okBody(req.json) }),
    });
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 40 })), { fetch, now: Date.now, log: () => {} });
    expect(result.status).toBe('complete');
    expect(result.benchmarks[0]!.counts.errors).toBe(8); // items 0, 5, 10, … 35
  });

  it('HTTP 200 carrying {"object":"error"} (CUDA OOM) shows the server\'s message, not "no choices"', async () => {
    const oom = 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.35 GiB total capacity)';
    server = await startVllm({ maxModelLen: 32_768, accepted: () => ({ status: 200, body: { object: 'error', message: oom, type: 'InternalServerError', param: null, code: 500 } }) });
    const o = runOptions(server.url, writeManifest({ n: 12 }), { concurrency: 2 });
    const err = await runEvaluation(o, { fetch, now: Date.now, log: () => {} }).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toContain(`HTTP 200 with an error: ${oom}`);
    const lines = predictions(o.outDir);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.error!.includes(oom) && !l.error!.includes('no choices'))).toBe(true);
  });
});

describe('the CLI on a systematic failure', () => {
  it('exits non-zero, prints the server\'s message and how many items it hit, writes results.json status failed', async () => {
    server = await startVllm({ maxModelLen: 32_768, accepted: () => vllmError(IMAGE_LIMIT) });
    const o = runOptions(server.url, writeManifest({ n: 40 }));
    const cli = spawnCli(['run', '--endpoint', server.url, '--model', 'test-model', '--benchmarks', 'custom', '--manifest', o.manifest!,
      '--out', o.outDir, '--concurrency', '2']);
    const { code } = await cli.exit;
    expect(code).toBe(4);
    expect(cli.stderr()).toMatch(new RegExp(`stopped: (\\d+) item\\(s\\) in a row failed the same way, none succeeded: HTTP 400: ${IMAGE_LIMIT.replace(/[()]/g, '\\$&')}`));
    const hit = Number(/stopped: (\d+) item/.exec(cli.stderr())![1]);
    expect(hit).toBeGreaterThanOrEqual(SYSTEMATIC_STREAK);
    expect(cli.stderr()).toMatch(new RegExp(`${hit} × HTTP 400: At most 0 image`));
    expect(existsSync(path.join(o.outDir, 'results.json'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(o.outDir, 'results.json'), 'utf8'))).toMatchObject({ status: 'failed', failure: { items: hit } });
  }, 30_000);
});

function okBody(json: Record<string, unknown> | null): unknown {
  return { id: 'x', object: 'chat.completion', created: 0, model: json?.model, choices: [{ index: 0, message: { role: 'assistant', content: 'The answer is \\boxed{A}.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
}
