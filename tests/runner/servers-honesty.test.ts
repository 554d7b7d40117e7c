/**
 * Issue 11 case 9, the smaller honesty gaps: a request that times out is retried once, not six times; a server that
 * answers one request at a time is named while --concurrency is high; answers a reasoning parser took whole are
 * counted and explained; the top error reasons with counts reach results.json, the console and the report markdown.
 * Oracles: the emulators' request logs and the rules the emulators apply (which items they refuse and how).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates } from '../../action/src/github-action/gates/evaluate.js';
import { renderComment, renderSummary } from '../../action/src/github-action/report/markdown.js';
import { runEvaluation } from '../../action/src/runner/run.js';
import { completion, promptText, type EmulatorServer, type Reply, type SeenRequest } from '../helpers/servers/base.js';
import { startVllm, vllmError } from '../helpers/servers/vllm.js';
import { collectLog, itemChats, predictions, runOptions, writeManifest } from './servers-fixture.js';

let server: EmulatorServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const ok = (req: SeenRequest): Reply => ({ status: 200, body: completion(req, 'The answer is \\boxed{A}.') });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const item = (req: SeenRequest) => Number(/Question (\d+):/.exec(promptText(req.json))?.[1] ?? -1);

describe('timeouts', () => {
  it('an item that hangs is sent twice (one retry), not up to the six attempts of other failures', async () => {
    server = await startVllm({ maxModelLen: 32_768, accepted: (req) => (item(req) === 3 ? 'hang' : ok(req)) });
    const o = runOptions(server.url, writeManifest({ n: 8 }), { requestTimeoutMs: 300, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 } });
    const { result } = await runEvaluation(o, { fetch, now: Date.now, log: () => {} });
    expect(itemChats(server).filter((r) => item(r) === 3)).toHaveLength(2);
    expect(result.benchmarks[0]!.counts.errors).toBe(1);
    expect(predictions(o.outDir).find((p) => p.id === 'q3')!.error).toBe('no answer within 0.3 s (request timeout) (after 2 attempts)');
    expect(result.diagnostics!.errorReasons).toEqual([{ reason: 'no answer within 0.3 s (request timeout)', count: 1 }]);
  });
});

describe('a server that serves one request at a time', () => {
  it('is named in a warning (results.json, log) when --concurrency is 16', async () => {
    let queue = Promise.resolve();
    const serial = (req: SeenRequest): Promise<Reply> => {
      const done = queue.then(() => sleep(25));
      queue = done;
      return done.then(() => ok(req));
    };
    server = await startVllm({ maxModelLen: 32_768, accepted: serial });
    const { log, lines } = collectLog();
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 48 }), { concurrency: 16 }), { fetch, now: Date.now, log });
    expect(server.stats.maxInFlight).toBeGreaterThanOrEqual(16);
    expect(result.diagnostics!.warnings.join('\n')).toMatch(/answer one request at a time: the first 16 answers came one after another/);
    expect(lines.some((l) => /^warning: the server seems to answer one request at a time.*--concurrency 16/.test(l))).toBe(true);
  });

  it('a batching server with answers of very different lengths is not flagged', async () => {
    // parallel: each request takes its own time (200–760 ms by item), independent of how many are in flight. The
    // times are long so that the test process's own work (client and server share it) never dominates, even on a
    // loaded machine: then the process itself would answer one request at a time.
    server = await startVllm({ maxModelLen: 32_768, accepted: async (req) => {
      await sleep(200 + ((item(req) * 37) % 71) * 8);
      return ok(req);
    } });
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 48 }), { concurrency: 16 }), { fetch, now: Date.now, log: () => {} });
    expect(server.stats.maxInFlight).toBeGreaterThanOrEqual(16);
    expect(result.diagnostics!.warnings).toEqual([]);
  });
});

describe('a batching server with equal answer lengths', () => {
  it('answers the first wave together: not flagged', async () => {
    server = await startVllm({ maxModelLen: 32_768, accepted: async (req) => {
      await sleep(500);
      return ok(req);
    } });
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 48 }), { concurrency: 16 }), { fetch, now: Date.now, log: () => {} });
    expect(result.diagnostics!.warnings).toEqual([]);
  });
});

describe('reasoning parser took the whole answer', () => {
  it('content null, text in reasoning_content: counted, explained in the log, not a failure', async () => {
    server = await startVllm({ maxModelLen: 32_768, reasoningOnly: 'reasoning_content' });
    const { log, lines } = collectLog();
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 7 })), { fetch, now: Date.now, log });
    expect(result.status).toBe('complete');
    expect(result.benchmarks[0]!.counts.unparsed).toBe(7);
    expect(result.diagnostics!.reasoningOnly).toBe(7);
    expect(lines).toContainEqual(expect.stringMatching(/^7 answer\(s\) had empty content and all their text in reasoning\/reasoning_content/));
  });
});

describe('top error reasons', () => {
  const IMAGES = 'At most 1 image(s) may be provided in one request.';
  const BOOM = 'Internal server error: Expected all tensors to be on the same device';
  // item i: i % 4 == 1 → 400 (6 of 24), i % 8 == 2 → 500 every time (3 of 24), else answered
  const refuse = (req: SeenRequest): Reply => {
    const i = item(req);
    if (i % 4 === 1) return vllmError(IMAGES);
    if (i % 8 === 2) return vllmError(BOOM, '0.9', 500, 'InternalServerError');
    return ok(req);
  };

  it('go into results.json (counted, most frequent first), the console, the job summary and the PR comment', async () => {
    server = await startVllm({ maxModelLen: 32_768, accepted: refuse });
    const { log, lines } = collectLog();
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 24 })), { fetch, now: Date.now, log });
    expect(result.status).toBe('complete');
    expect(result.benchmarks[0]!.counts.errors).toBe(9);
    expect(result.diagnostics!.errorReasons).toEqual([
      { reason: `HTTP 400: ${IMAGES}`, count: 6 },
      { reason: `HTTP 500: ${BOOM}`, count: 3 },
    ]);
    expect(lines).toEqual(expect.arrayContaining(['top error reasons:', `  6 × HTTP 400: ${IMAGES}`, `  3 × HTTP 500: ${BOOM}`]));
    const gates = evaluateGates(GatesConfig.parse({}), result, null);
    const report = { head: result, gates, baselineNote: 'none', uploadNote: null, gatesSource: 'default config', links: {}, failOn: 'gate' as const };
    for (const md of [renderSummary(report), renderComment(report)]) {
      expect(md).toContain('### Problems');
      expect(md).toContain('| 6 | HTTP 400: At most 1 image(s) may be provided in one request. |');
      expect(md).toContain('| 3 | HTTP 500: Internal server error: Expected all tensors to be on the same device |');
    }
  });
});
