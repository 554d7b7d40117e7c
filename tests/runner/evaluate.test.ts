import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { evaluateTasks, type EngineOptions, type ItemResult } from '../../action/src/runner/evaluate.js';
import { openPredictions, type PredictionRecord } from '../../action/src/runner/predictions.js';
import { SILENT_PROGRESS } from '../../action/src/runner/progress.js';
import { DEFAULT_RETRY_POLICY, EndpointUnreachableError, sleep } from '../../action/src/runner/retry.js';
import type { EvalTask, Scorer } from '../../action/src/runner/types.js';
import { boxedScorer, closedPort, requestsByHash, syntheticTasks } from './helpers.js';

let server: BaselineServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function options(endpoint: string, over: Partial<EngineOptions> = {}): EngineOptions {
  return {
    endpoint, model: 'baseline', apiKey: null, protocol: 'paper', concurrency: 8, requestTimeoutMs: 500,
    unreachableMs: 5000, judge: null, decoding: { temperature: 0, topP: null, maxTokens: 64, seed: 0 },
    // maxTimeouts 8: on a loaded machine a 500 ms timeout also hits answers that are merely slow
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 8, maxBadReplies: 8, maxTimeouts: 8, baseDelayMs: 2, maxDelayMs: 20 }, ...over,
  };
}
const deps = { fetch, now: Date.now, random: Math.random, sleep, progress: SILENT_PROGRESS };

async function evaluate(dir: string, tasks: EvalTask[], o: EngineOptions, scorer: Scorer = boxedScorer): Promise<ItemResult[]> {
  const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
  const results: ItemResult[] = [];
  try {
    await evaluateTasks(tasks, tasks.length, o, deps, store, scorer, (r) => results.push(r));
  } finally {
    store.close();
  }
  return results.sort((a, b) => a.task.item.index - b.task.item.index);
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'medvlm-eval-'));
const lines = (dir: string): PredictionRecord[] =>
  readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('evaluateTasks', () => {
  it('with ~14% injected faults gives the same outcomes as a fault-free run, item for item', async () => {
    const tasks = syntheticTasks(120);
    server = await startBaselineServer({ seed: 11 });
    const clean = await evaluate(tmp(), tasks, options(server.url));
    await server.close();
    server = await startBaselineServer({ seed: 11, faults: '500:0.05,429:0.03,timeout:0.01,reset:0.02,malformed:0.02,empty:0.01' });
    const faulty = await evaluate(tmp(), tasks, options(server.url));
    expect(faulty.map((r) => r.outcome)).toEqual(clean.map((r) => r.outcome));
    expect(faulty.every((r) => !r.outcome.error)).toBe(true);
    expect([...server.stats.faults.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    const correct = clean.filter((r) => r.outcome.correct).length;
    expect(correct).toBeGreaterThan(35); // chance is 60 of 120
    expect(correct).toBeLessThan(85);
  });

  it('records an item that keeps failing as an error, scored 0, and goes on', async () => {
    server = await startBaselineServer({ seed: 2, faults: '500:1' });
    const dir = tmp();
    const results = await evaluate(dir, syntheticTasks(4), options(server.url, { retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }));
    expect(results.map((r) => r.outcome)).toEqual(Array(4).fill({ present: true, correct: false, unparsed: false, error: true, truncated: false }));
    expect(lines(dir).map((l) => l.error)).toEqual(Array(4).fill(expect.stringMatching(/HTTP 500.*after 2 attempts/)));
    expect(server.stats.requests).toBe(8);
  });

  it('an item that keeps timing out ends as an error after its attempts while the endpoint answers the rest', async () => {
    // The hung item is last, so near the end it is the only request in flight: only the liveness probe can tell
    // "this item hangs" from "the endpoint is down", and the unreachable bound (500 ms) is far below its retries.
    const seen = requestsByHash();
    server = await startBaselineServer({ seed: 3, hangOn: 'Question 5:', onChat: seen.onChat });
    const dir = tmp();
    const t0 = Date.now();
    const results = await evaluate(dir, syntheticTasks(6), options(server.url, {
      concurrency: 2, requestTimeoutMs: 300, unreachableMs: 500,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    }));
    expect(results.map((r) => r.outcome.error)).toEqual([false, false, false, false, false, true]);
    expect(results[5]!.outcome).toMatchObject({ present: true, correct: false, error: true });
    const rec = lines(dir).find((l) => l.id === 'item-5')!;
    // a request that timed out once is retried once, not up to maxAttempts: a hang is usually deterministic
    expect(rec.error).toMatch(/no answer within 0.3 s \(request timeout\) \(after 2 attempts\)/);
    expect(seen.counts.get(rec.requestHash)).toBe(2); // the hash names the request the server saw twice
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('an item whose connection is reset every time ends as an error too', async () => {
    server = await startBaselineServer({ seed: 3, faults: 'reset:1' });
    const dir = tmp();
    const results = await evaluate(dir, syntheticTasks(3), options(server.url, {
      unreachableMs: 300, retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    }));
    expect(results.every((r) => r.outcome.error)).toBe(true);
    expect(lines(dir).map((l) => l.error)).toEqual(Array(3).fill(expect.stringMatching(/ECONNRESET|socket hang up.*after 2 attempts/)));
    expect(server.stats.requests).toBe(6);
  });

  it('resumes from predictions.jsonl without asking again, retries error lines, ignores a torn last line', async () => {
    const tasks = syntheticTasks(30);
    const seen = requestsByHash();
    server = await startBaselineServer({ seed: 4, onChat: seen.onChat });
    const dir = tmp();
    const first = await evaluate(dir, tasks.slice(0, 20), options(server.url));
    const recs = lines(dir);
    expect(recs).toHaveLength(20);
    expect(recs[0]).toMatchObject({ benchmark: 'custom', key: expect.stringMatching(/^[0-9a-f]{64}$/), requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    appendFileSync(path.join(dir, 'predictions.jsonl'), '{"benchmark":"custom","id":"item-25","key":"tor');
    const before = server.stats.requests;
    const all = await evaluate(dir, tasks, options(server.url));
    expect(server.stats.requests - before).toBe(10);
    expect(all.filter((r) => r.cached)).toHaveLength(20);
    expect(all.slice(0, 20).map((r) => r.outcome)).toEqual(first.map((r) => r.outcome));
    expect(lines(dir)).toHaveLength(30); // the torn fragment was cut, not glued
    for (const n of server.stats.byKey.values()) expect(n).toBe(1);
    expect(new Set(lines(dir).map((l) => l.requestHash))).toEqual(new Set(seen.counts.keys())); // each line names its request
  });

  it('resume keeps outcomes, not response text, and rescores from disk only when the scoring rules or gold changed', async () => {
    const tasks = syntheticTasks(12);
    server = await startBaselineServer({ seed: 5, policy: 'constant:\\boxed{A} with a long explanation' });
    const dir = tmp();
    let scored = 0;
    const versioned = (version: string): Scorer => Object.assign((t: EvalTask, a: { content: string }) => {
      scored++;
      return boxedScorer(t, a);
    }, { version: () => version });
    const first = await evaluate(dir, tasks, options(server.url), versioned('rules/1'));
    const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
    const entries = [...store.cache.values()];
    store.close();
    expect(entries).toHaveLength(12);
    expect(JSON.stringify(entries)).not.toContain('long explanation');
    const before = server.stats.requests;
    scored = 0;
    const resumed = await evaluate(dir, tasks, options(server.url), versioned('rules/1'));
    expect(resumed.map((r) => r.outcome)).toEqual(first.map((r) => r.outcome));
    expect(scored).toBe(0);
    expect(await evaluate(dir, tasks, options(server.url), versioned('rules/2'))).toHaveLength(12);
    expect(scored).toBe(12); // new rules: every response read back and rescored
    scored = 0;
    const flipped = tasks.map((t) => ({ ...t, item: { ...t.item, gold: t.item.gold === 'A' ? 'B' : 'A' } }));
    const regolded = await evaluate(dir, flipped, options(server.url), versioned('rules/1'));
    expect(scored).toBe(12);
    expect(regolded.map((r) => r.outcome.correct)).toEqual(first.map((r) => !r.outcome.correct));
    expect(server.stats.requests).toBe(before);
  });

  it('re-runs only the items whose settings changed', async () => {
    const tasks = syntheticTasks(10);
    server = await startBaselineServer({ seed: 4 });
    const dir = tmp();
    await evaluate(dir, tasks, options(server.url));
    const changed = tasks.map((t, i) => (i < 3 ? { ...t, item: { ...t.item, prompt: `${t.item.prompt} ` } } : t));
    const before = server.stats.requests;
    await evaluate(dir, changed, options(server.url));
    expect(server.stats.requests - before).toBe(3);
    await evaluate(dir, changed, options(server.url, { decoding: { temperature: 0, topP: null, maxTokens: 65, seed: 0 } }));
    expect(server.stats.requests - before).toBe(13);
  });

  it('re-runs every item for a new checkpoint label or --serve command, even under the same model name', async () => {
    const tasks = syntheticTasks(8);
    server = await startBaselineServer({ seed: 4 });
    const dir = tmp();
    const ckpt = (checkpoint: string, serveCommand: string | null = null) => options(server!.url, { checkpoint, serveCommand });
    await evaluate(dir, tasks, ckpt('ckpt-9000'));
    const sent = () => server!.stats.requests;
    const before = sent();
    expect((await evaluate(dir, tasks, ckpt('ckpt-9000'))).every((r) => r.cached)).toBe(true);
    expect(sent()).toBe(before);
    expect((await evaluate(dir, tasks, ckpt('ckpt-9500'))).some((r) => r.cached)).toBe(false);
    expect(sent()).toBe(before + 8);
    await evaluate(dir, tasks, ckpt('ckpt-9500', 'vllm serve ./ckpt-9500 --served-model-name baseline'));
    expect(sent()).toBe(before + 16);
    await evaluate(dir, tasks, ckpt('ckpt-9500', 'vllm serve ./ckpt-9500 --served-model-name baseline'));
    expect(sent()).toBe(before + 16);
  });

  it('sends through an injected fetch when one is given (the global fetch selects node:http)', async () => {
    server = await startBaselineServer({ seed: 4 });
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const store = await openPredictions(path.join(tmp(), 'predictions.jsonl'));
    const results: ItemResult[] = [];
    await evaluateTasks(syntheticTasks(5), 5, options(server.url), { ...deps, fetch: counting }, store, boxedScorer, (r) => results.push(r));
    store.close();
    expect(calls).toBe(5);
    expect(results.every((r) => !r.outcome.error)).toBe(true);
  });

  it('stops with a clear error in bounded time when the endpoint is down', async () => {
    const port = await closedPort();
    const t0 = Date.now();
    const err = await evaluate(tmp(), syntheticTasks(50), options(`http://127.0.0.1:${port}`, { unreachableMs: 700 })).catch((e) => e);
    expect(err).toBeInstanceOf(EndpointUnreachableError);
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
