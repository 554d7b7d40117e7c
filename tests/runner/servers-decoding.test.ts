/**
 * Issue 11 case 2: decoding settings a server refuses. OpenAI reasoning models (o-series, GPT-5) refuse `max_tokens`
 * and temperature 0 one refusal at a time; TGI refuses top_p = 1. The run adapts (max_completion_tokens, no
 * temperature, no top_p), spends no attempt on a refusal (maxAttempts 1), and records both what was asked
 * (`decoding`) and what was sent (`effectiveDecoding`). Oracles: the bodies the emulators received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runEvaluation } from '../../action/src/runner/run.js';
import type { EmulatorServer } from '../helpers/servers/base.js';
import { startOpenAi } from '../helpers/servers/openai.js';
import { startTgi } from '../helpers/servers/tgi.js';
import { requestHashOfBody } from './helpers.js';
import { collectLog, itemChats, predictions, runOptions, writeManifest } from './servers-fixture.js';

let server: EmulatorServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const once = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2 };
const keys = (r: { json: Record<string, unknown> | null }) => Object.keys(r.json ?? {}).filter((k) => !['model', 'messages', 'stream'].includes(k)).sort();

describe('OpenAI reasoning models', () => {
  it('o4-mini: switches to max_completion_tokens, drops temperature 0, completes with no errors and records both', async () => {
    server = await startOpenAi({ apiKey: 'sk-test' });
    const { log, lines } = collectLog();
    const o = runOptions(server.url, writeManifest({ n: 10 }), { model: 'o4-mini', apiKey: 'sk-test', retry: once });
    const { result } = await runEvaluation(o, { fetch, now: Date.now, log });
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    const chats = itemChats(server);
    const answered = chats.filter((r) => r.json!.max_tokens === undefined && r.json!.temperature === undefined);
    expect(answered).toHaveLength(10);
    expect(answered.every((r) => r.json!.max_completion_tokens === 8192 && r.json!.seed === 42)).toBe(true);
    // each item in the first wave can be refused at most twice (max_tokens, then temperature); later ones never
    expect(chats.length - 10).toBeGreaterThanOrEqual(2);
    expect(chats.length - 10).toBeLessThanOrEqual(2 * 4);
    expect(keys(chats.at(-1)!)).toEqual(['max_completion_tokens', 'seed']);
    expect(result.decoding).toEqual({ temperature: 0, topP: null, maxTokens: 8192, seed: 42 });
    expect(result.effectiveDecoding).toMatchObject({ maxTokensField: 'max_completion_tokens', temperature: null, topP: null, maxTokens: 8192 });
    expect(result.effectiveDecoding!.changes.join('\n')).toMatch(/max_tokens → max_completion_tokens[\s\S]*temperature 0 not sent/);
    expect(lines.some((l) => /temperature 0 not sent .*Only the default \(1\) value is supported/.test(l))).toBe(true);
    // requestHash names the body the server answered (recomputed from the bytes it received, docs' definition)
    const answeredHashes = new Set(answered.map((r) => requestHashOfBody(r.raw)));
    expect(predictions(o.outDir).every((p) => p.error === null && answeredHashes.has(p.requestHash))).toBe(true);
  });

  it('gpt-5-mini with --top-p 0.9: top_p is dropped too, after the other two', async () => {
    server = await startOpenAi({ apiKey: 'sk-test' });
    const { result } = await runEvaluation(
      runOptions(server.url, writeManifest({ n: 6 }), { model: 'gpt-5-mini', apiKey: 'sk-test', topP: 0.9, concurrency: 1, retry: once }),
      { fetch, now: Date.now, log: () => {} });
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    // concurrency 1: exactly three refusals of the first item, in the server's order, then every request goes through
    expect(itemChats(server).slice(0, 4).map(keys)).toEqual([
      ['max_tokens', 'seed', 'temperature', 'top_p'],
      ['max_completion_tokens', 'seed', 'temperature', 'top_p'],
      ['max_completion_tokens', 'seed', 'top_p'],
      ['max_completion_tokens', 'seed'],
    ]);
    expect(itemChats(server)).toHaveLength(6 + 3);
    expect(result.decoding.topP).toBe(0.9);
    expect(result.effectiveDecoding).toMatchObject({ topP: null, temperature: null, maxTokensField: 'max_completion_tokens' });
  });

  it('gpt-4o takes max_tokens and temperature 0: nothing changes', async () => {
    server = await startOpenAi({ apiKey: 'sk-test' });
    const { result } = await runEvaluation(
      runOptions(server.url, writeManifest({ n: 5 }), { model: 'gpt-4o', apiKey: 'sk-test', retry: once }), { fetch, now: Date.now, log: () => {} });
    expect(itemChats(server).map(keys)).toEqual(Array(5).fill(['max_tokens', 'seed', 'temperature']));
    expect(result.effectiveDecoding).toMatchObject({ maxTokensField: 'max_tokens', temperature: 0, changes: [] });
  });

  it('gpt-4-turbo: "supports at most 4096 completion tokens" lowers the budget; max_tokens stays the field', async () => {
    server = await startOpenAi({ apiKey: 'sk-test' });
    const { result } = await runEvaluation(
      runOptions(server.url, writeManifest({ n: 5 }), { model: 'gpt-4-turbo', apiKey: 'sk-test', retry: once }), { fetch, now: Date.now, log: () => {} });
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(itemChats(server).filter((r) => r.json!.max_tokens === 4096)).toHaveLength(5);
    expect(itemChats(server).every((r) => r.json!.max_completion_tokens === undefined)).toBe(true);
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 4096, maxTokensField: 'max_tokens', temperature: 0 });
  });

  it('a rerun with the same --out reuses every finished item (the resume key holds the requested settings)', async () => {
    server = await startOpenAi({ apiKey: 'sk-test' });
    const o = runOptions(server.url, writeManifest({ n: 6 }), { model: 'o4-mini', apiKey: 'sk-test', retry: once });
    const first = await runEvaluation(o, { fetch, now: Date.now, log: () => {} });
    expect(first.result.benchmarks[0]!.counts.errors).toBe(0);
    const before = itemChats(server).length;
    const again = await runEvaluation(o, { fetch, now: Date.now, log: () => {} });
    expect(itemChats(server).length).toBe(before); // the resume key is the requested settings: nothing re-asked
    expect(again.result.benchmarks[0]!.counts.errors).toBe(0);
  });
});

describe('TGI and top_p', () => {
  it('--top-p 1 is recorded but not sent (TGI refuses 1 with 422): no errors', async () => {
    server = await startTgi({ maxTotalTokens: 16_384 });
    const { result } = await runEvaluation(
      runOptions(server.url, writeManifest({ n: 6 }), { model: 'tgi', topP: 1, retry: once }), { fetch, now: Date.now, log: () => {} });
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(itemChats(server).every((r) => r.json!.top_p === undefined)).toBe(true);
    expect(result.decoding.topP).toBe(1);
    expect(result.effectiveDecoding).toMatchObject({ topP: null });
    expect(result.effectiveDecoding!.changes[0]).toMatch(/top_p 1 not sent/);
  });

  it('--top-p 0.95 is sent as given and TGI takes it', async () => {
    server = await startTgi({ maxTotalTokens: 16_384 });
    const { result } = await runEvaluation(
      runOptions(server.url, writeManifest({ n: 4 }), { model: 'tgi', topP: 0.95, retry: once }), { fetch, now: Date.now, log: () => {} });
    expect(itemChats(server).map((r) => r.json!.top_p)).toEqual([0.95, 0.95, 0.95, 0.95]);
    expect(result.effectiveDecoding).toMatchObject({ topP: 0.95, changes: [] });
  });
});
