import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closedPort } from './helpers.js';
import { undiciTransport } from '../../action/src/runner/http/transport.js';
import {
  buildChatBody, chatCompletionsUrl, modelsUrl, parseChatReply, parseRetryAfter, postChat,
} from '../../action/src/runner/http/client.js';
import {
  backoffDelayMs, DEFAULT_RETRY_POLICY, EndpointUnreachableError, FatalEndpointError, ReachabilityCircuit, sendWithRetries, sleep,
} from '../../action/src/runner/retry.js';

const D = { temperature: 0, topP: null, maxTokens: 32, seed: 42 };
let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
  servers = [];
});

/** A loopback server answering chat completions with the scripted statuses, in order. */
async function scripted(steps: Array<{ status: number; headers?: Record<string, string>; body?: string }>): Promise<{ url: string; times: number[] }> {
  const times: number[] = [];
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      times.push(Date.now());
      const step = steps[Math.min(times.length - 1, steps.length - 1)]!;
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
      res.end(step.body ?? JSON.stringify({ choices: [{ message: { content: 'The answer is \\boxed{A}' }, finish_reason: 'stop' }] }));
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/v1/chat/completions`, times };
}

const fastPolicy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 20 };
const deps = { sleep, random: () => 0.5 };
const post = (url: string, timeoutMs = 2000) => (_n: number) => postChat(url, buildChatBody('m', 'q', [], D), { transport, apiKey: null, timeoutMs });
const transport = undiciTransport(8);
afterAll(() => transport.close());

describe('request building and reply parsing', () => {
  it('normalises the endpoint URL forms', () => {
    for (const e of ['http://h:8000', 'http://h:8000/', 'http://h:8000/v1', 'http://h:8000/v1/chat/completions']) {
      expect(chatCompletionsUrl(e)).toBe('http://h:8000/v1/chat/completions');
    }
    expect(modelsUrl('http://h:8000/v1')).toBe('http://h:8000/v1/models');
  });
  it('sends images as data URLs in order, labelled when there are several, then the prompt', () => {
    const body = JSON.parse(buildChatBody('m', 'See <image 1> and <image 2>.', [
      { mime: 'image/png', bytes: new Uint8Array([1]) }, { mime: 'image/jpeg', bytes: new Uint8Array([2]) },
    ], D));
    const parts = body.messages[0].content;
    expect(parts.map((p: { type: string }) => p.type)).toEqual(['text', 'image_url', 'text', 'image_url', 'text']);
    expect(parts[1].image_url.url).toBe('data:image/png;base64,AQ==');
    expect(parts[3].image_url.url).toBe('data:image/jpeg;base64,Ag==');
    expect(parts[4].text).toBe('See <image 1> and <image 2>.');
    expect(body).toMatchObject({ temperature: 0, seed: 42, max_tokens: 32 });
    expect(body.top_p).toBeUndefined();
  });
  it('keeps reasoning out of the content and flags truncation', () => {
    const r = parseChatReply(JSON.stringify({
      choices: [{ message: { content: '<think>maybe B</think>\nThe answer is \\boxed{A}' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 10, completion_tokens: 5 },
    }));
    expect(r).toEqual({ content: 'The answer is \\boxed{A}', reasoning: 'maybe B', truncated: true, usage: { prompt: 10, completion: 5 } });
    const v = parseChatReply(JSON.stringify({ choices: [{ message: { content: 'B', reasoning_content: 'long thought' }, finish_reason: 'stop' }] }));
    expect(v).toMatchObject({ content: 'B', reasoning: 'long thought', truncated: false });
    const cut = parseChatReply(JSON.stringify({ choices: [{ message: { content: '<think>still thinking' }, finish_reason: 'length' }] }));
    expect(cut).toMatchObject({ content: '', reasoning: 'still thinking', truncated: true });
  });
  it('reports malformed JSON and empty choices as messages', () => {
    expect(parseChatReply('{"choices": [')).toMatch(/malformed JSON/);
    expect(parseChatReply('{"choices": []}')).toMatch(/no choices/);
  });
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
  it('backs off exponentially under a cap, with jitter', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 5].map((r) => backoffDelayMs(r, p, () => 1))).toEqual([100, 200, 400, 1000]);
    expect(backoffDelayMs(3, p, () => 0.25)).toBe(200);
  });
});

describe('sendWithRetries against loopback servers', () => {
  it('retries 500 and 429 then succeeds, honouring Retry-After', async () => {
    const s = await scripted([{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]);
    const circuit = new ReachabilityCircuit('e', 60_000, Date.now);
    const r = await sendWithRetries(s.url, post(s.url), fastPolicy, circuit, deps);
    expect(r).toMatchObject({ ok: true, attempts: 3 });
    expect(s.times[2]! - s.times[1]!).toBeGreaterThanOrEqual(950);
  });
  it('gives up after maxAttempts on persistent 503 and says why', async () => {
    const s = await scripted([{ status: 503, body: '{"error":"overloaded"}' }]);
    const r = await sendWithRetries(s.url, post(s.url), { ...fastPolicy, maxAttempts: 3 }, new ReachabilityCircuit('e', 60_000, Date.now), deps);
    expect(r).toMatchObject({ ok: false, attempts: 3 });
    expect(!r.ok && r.error).toMatch(/HTTP 503.*overloaded.*after 3 attempts/);
  });
  it('does not retry a 400 (the item is bad, not the server)', async () => {
    const s = await scripted([{ status: 400, body: '{"error":"context too long"}' }]);
    const r = await sendWithRetries(s.url, post(s.url), fastPolicy, new ReachabilityCircuit('e', 60_000, Date.now), deps);
    expect(r).toMatchObject({ ok: false, attempts: 1 });
  });
  it('stops the run on 401 with a hint about the key', async () => {
    const s = await scripted([{ status: 401 }]);
    await expect(sendWithRetries(s.url, post(s.url), fastPolicy, new ReachabilityCircuit('e', 60_000, Date.now), deps))
      .rejects.toThrow(FatalEndpointError);
  });
  it('retries malformed replies a bounded number of times', async () => {
    const s = await scripted([{ status: 200, body: '{"choices":' }]);
    const r = await sendWithRetries(s.url, post(s.url), fastPolicy, new ReachabilityCircuit('e', 60_000, Date.now), deps);
    expect(r).toMatchObject({ ok: false, attempts: DEFAULT_RETRY_POLICY.maxBadReplies });
  });
  it('times a hung request out and retries it', async () => {
    let n = 0;
    const s = createServer((req, res) => {
      req.resume();
      if (++n === 1) return; // hang
      res.end(JSON.stringify({ choices: [{ message: { content: 'A' }, finish_reason: 'stop' }] }));
    });
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(s.address() as { port: number }).port}/v1/chat/completions`;
    const r = await sendWithRetries(url, post(url, 300), fastPolicy, new ReachabilityCircuit('e', 60_000, Date.now), deps);
    expect(r).toMatchObject({ ok: true, attempts: 2 });
  });
  it('opens the circuit when nothing answers for longer than the bound', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    const t0 = Date.now();
    const circuit = new ReachabilityCircuit(`http://127.0.0.1:${port}`, 400, Date.now);
    const err = await sendWithRetries(url, post(url), { ...fastPolicy, maxAttempts: 1000, maxDelayMs: 50 }, circuit, deps).catch((e) => e);
    expect(err).toBeInstanceOf(EndpointUnreachableError);
    expect(String(err.message)).toMatch(/no HTTP answer for 0.4 s.*ECONNREFUSED/);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});

