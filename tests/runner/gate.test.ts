/**
 * Issue 11 cases 4 and 6 at the engine level, against loopback servers that behave like the real ones:
 * a rate limit of 5 requests/s with Retry-After (OpenAI's 429) costs no item its attempts, and the concurrency
 * adapts; a llama.cpp server still loading (503 "Loading model") pauses the whole run instead of erroring items.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateTasks, type EngineDeps, type EngineOptions, type ItemResult } from '../../action/src/runner/evaluate.js';
import { openPredictions } from '../../action/src/runner/predictions.js';
import { SILENT_PROGRESS } from '../../action/src/runner/progress.js';
import { DEFAULT_RETRY_POLICY, sleep } from '../../action/src/runner/retry.js';
import { UserError } from '../../action/src/core/errors.js';
import { completion, startEmulator, type EmulatorServer, type Reply, type SeenRequest } from '../helpers/servers/base.js';
import { startLlamaCpp } from '../helpers/servers/llamacpp.js';
import { boxedScorer, syntheticTasks } from './helpers.js';

let servers: EmulatorServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const options = (endpoint: string, over: Partial<EngineOptions> = {}): EngineOptions => ({
  endpoint, model: 'test-model', apiKey: null, protocol: 'paper', concurrency: 32, requestTimeoutMs: 10_000,
  unreachableMs: 10_000, judge: null, decoding: { temperature: 0, topP: null, maxTokens: 64, seed: 0 },
  retry: { ...DEFAULT_RETRY_POLICY }, ...over,
});

async function evaluate(n: number, o: EngineOptions, extra: Partial<EngineDeps> = {}): Promise<{ results: ItemResult[]; log: string[]; attempts: number[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-gate-'));
  const store = await openPredictions(path.join(dir, 'predictions.jsonl'));
  const results: ItemResult[] = [];
  const log: string[] = [];
  const deps: EngineDeps = { fetch, now: Date.now, random: Math.random, sleep, progress: SILENT_PROGRESS, log: (m) => log.push(m), ...extra };
  try {
    await evaluateTasks(syntheticTasks(n), n, o, deps, store, boxedScorer, (r) => results.push(r));
  } finally {
    store.close();
  }
  const attempts = readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { attempts: number }).attempts);
  return { results, log, attempts };
}

/** OpenAI's rate limiter as a sliding window: at most `perSecond` chat requests answered per second, else 429. */
function rateLimited(perSecond: number): { chat: (req: SeenRequest) => Reply; limited: () => number } {
  const accepted: number[] = [];
  let limited = 0;
  return {
    limited: () => limited,
    chat: (req) => {
      const t = Date.now();
      while (accepted.length && accepted[0]! <= t - 1000) accepted.shift();
      if (accepted.length >= perSecond) {
        limited++;
        return { status: 429, headers: { 'retry-after': '1' },
          body: { error: { message: `Rate limit reached for requests: Limit ${perSecond}/s.`, type: 'requests', param: null, code: 'rate_limit_exceeded' } } };
      }
      accepted.push(t);
      return { status: 200, body: completion(req, 'The answer is \\boxed{A}.') };
    },
  };
}

describe('HTTP 429: adaptive concurrency, Retry-After, no attempts spent', () => {
  it('80 items against 5 requests/s with Retry-After: 0 errors, and far fewer 429s than a fixed 32 in flight', async () => {
    const limiter = rateLimited(5);
    const server = await startEmulator({ chat: limiter.chat });
    servers.push(server);
    const t0 = Date.now();
    const { results, log, attempts } = await evaluate(80, options(server.url));
    const seconds = (Date.now() - t0) / 1000;
    expect(results.filter((r) => r.outcome.error)).toEqual([]);
    expect(results).toHaveLength(80);
    // a fixed 32 in flight would meet ~27 refusals per second for 16 s (~430); the gate halves on 429s
    expect(limiter.limited()).toBeLessThan(160);
    expect(seconds).toBeGreaterThan(80 / 5 - 2); // the limit was honoured, not dodged
    expect(log.some((m) => /rate-limits \(HTTP 429\): 32 → 16/.test(m))).toBe(true);
    expect(Math.max(...attempts)).toBeGreaterThan(1);
  }, 60_000);

  it('429s within the bound are not failed attempts: an item refused 9 times still succeeds (6 attempts allowed)', async () => {
    let refused = 0;
    const server = await startEmulator({ chat: (req) => (refused++ < 9
      ? { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } }
      : { status: 200, body: completion(req, 'The answer is \\boxed{A}.') }) });
    servers.push(server);
    const { results, attempts } = await evaluate(1, options(server.url, { concurrency: 1 }));
    expect(results[0]!.outcome.error).toBe(false);
    expect(attempts).toEqual([10]);
  });

  it('an item rate limited for longer than the bound ends as an error (its 429s count again)', async () => {
    const server = await startEmulator({ chat: () => ({ status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota' } } }) });
    servers.push(server);
    const { results } = await evaluate(2, options(server.url, { concurrency: 2, retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 5 } }), { gate: { rateLimitMs: 300 } });
    expect(results.every((r) => r.outcome.error)).toBe(true);
  });
});

describe('HTTP 503 while the model loads (llama.cpp): the run pauses', () => {
  it('finishes every item; during loading it sends one request per poll, and no item spends attempts', async () => {
    const server = await startLlamaCpp({ loadMs: 1500 });
    servers.push(server);
    const { results, log, attempts } = await evaluate(40, options(server.url), { gate: { pollMs: 200 } });
    expect(results.filter((r) => r.outcome.error)).toEqual([]);
    const during = server.chats().filter((r) => r.n > 0).length - 40;
    // the first wave (32 in flight) meets the 503; after it ~1500/200 polls; not 32 workers × 6 attempts
    expect(during).toBeLessThan(32 + 15);
    expect(log.some((m) => /Loading model[\s\S]*pausing the run/.test(m))).toBe(true);
    expect(log.some((m) => /answers again after/.test(m))).toBe(true);
    expect(Math.max(...attempts)).toBeGreaterThan(1);
  });

  it('stops the run with the server message once it has answered only 503 for the bound', async () => {
    const server = await startLlamaCpp({ loadMs: 600_000 });
    servers.push(server);
    const t0 = Date.now();
    const err = await evaluate(10, options(server.url), { gate: { pollMs: 50, unavailableMs: 800 } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(3);
    expect((err as Error).message).toMatch(/answered only HTTP 503 for 1 s \(last: HTTP 503: .*Loading model/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
