import { afterEach, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { answerFor, optionLetters, parseFaults, parsePolicy, pickFault } from '../../action/src/runner/baseline-policy.js';
import { buildChatBody, parseChatReply, sha256Hex } from '../../action/src/runner/http/client.js';

const D = { temperature: 0, topP: null, maxTokens: 64, seed: 1 };
const MCQ = 'Is there a fracture?\nA. yes\nB. no\nAnswer with the option letter in \\boxed{}.';
let server: BaselineServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function post(url: string, body: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
}

describe('baseline policy', () => {
  it('finds option letters in common layouts and none in prose', () => {
    expect(optionLetters('Q?\nA. one\nB. two\nC. three')).toEqual(['A', 'B', 'C']);
    expect(optionLetters('Q?\n(A) one\n(B) two')).toEqual(['A', 'B']);
    expect(optionLetters('What organ is shown? A liver.')).toEqual([]);
  });
  it('answers a valid letter deterministically per request and seed', () => {
    const a = answerFor({ kind: 'random' }, MCQ, 7, 'h1');
    expect(a).toMatch(/\\boxed\{[AB]\}/);
    expect(answerFor({ kind: 'random' }, MCQ, 7, 'h1')).toBe(a);
    const letters = new Set(Array.from({ length: 40 }, (_, i) => /\\boxed\{(.)\}/.exec(answerFor({ kind: 'random' }, MCQ, 7, `h${i}`))![1]));
    expect(letters).toEqual(new Set(['A', 'B']));
  });
  it('answers yes/no prompts with yes/no and open prompts with a word', () => {
    expect(answerFor({ kind: 'random' }, "Is it normal? Please output 'yes' or 'no'.", 0, 'x')).toMatch(/^\\boxed\{(yes|no)\}$/);
    expect(answerFor({ kind: 'random' }, 'Which organ is shown?', 0, 'x')).toMatch(/^[a-z-]+$/);
    expect(answerFor(parsePolicy('constant:C'), MCQ, 0, 'x')).toBe('C');
  });
  it('rejects bad policies and fault specs with the offending part named', () => {
    expect(() => parsePolicy('smart')).toThrow(/--policy 'smart'/);
    expect(() => parseFaults('500:0.1,boom:0.2')).toThrow(/unknown fault 'boom'/);
    expect(() => parseFaults('500:2')).toThrow(/between 0 and 1/);
    expect(() => parseFaults('500:0.6,429:0.6')).toThrow(/more than 1/);
  });
  it('injects faults near their rates and varies them by attempt', () => {
    const faults = parseFaults('500:0.1,reset:0.1');
    let n500 = 0;
    let nReset = 0;
    for (let i = 0; i < 5000; i++) {
      const f = pickFault(faults, 3, `req${i}`, 1);
      if (f === '500') n500++;
      if (f === 'reset') nReset++;
    }
    expect(n500 / 5000).toBeGreaterThan(0.08);
    expect(n500 / 5000).toBeLessThan(0.12);
    expect(nReset / 5000).toBeGreaterThan(0.08);
    const attempts = Array.from({ length: 50 }, (_, a) => pickFault(faults, 3, 'same', a + 1));
    expect(attempts.some((f) => f === null)).toBe(true);
  });
});

describe('startBaselineServer', () => {
  it('lists a model and answers chat completions in OpenAI shape, counting requests per hash', async () => {
    server = await startBaselineServer({ seed: 5 });
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data[0]!.id).toBe('baseline-random');
    const body = buildChatBody('m', MCQ, [{ mime: 'image/png', bytes: new Uint8Array([1, 2, 3]) }], D);
    const r1 = parseChatReply(await (await post(server.url, body)).text());
    const r2 = parseChatReply(await (await post(server.url, body)).text());
    expect(typeof r1).toBe('object');
    expect(r1).toEqual(r2);
    expect((r1 as { content: string }).content).toMatch(/\\boxed\{[AB]\}/);
    expect(server.stats.requests).toBe(2);
    expect(server.stats.byKey.get(sha256Hex(body))).toBe(2);
  });

  it('injects every fault kind the spec names', async () => {
    server = await startBaselineServer({ seed: 1, faults: '500:0.2,429:0.2,malformed:0.2,empty:0.2,reset:0.2', retryAfterSeconds: 2 });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const body = buildChatBody('m', `${MCQ} #${i}`, [], D);
      try {
        const res = await post(server.url, body);
        const text = await res.text();
        if (res.status === 429) expect(res.headers.get('retry-after')).toBe('2');
        seen.add(res.status === 200 ? (typeof parseChatReply(text) === 'string' ? 'bad-reply' : 'ok') : String(res.status));
      } catch {
        seen.add('reset');
      }
    }
    expect(seen).toEqual(new Set(['500', '429', 'bad-reply', 'reset']));
    expect([...server.stats.faults.values()].reduce((a, b) => a + b, 0)).toBe(40);
  });

  it('pads answers with filler reasoning that leaves the answer extractable, and hangs only on the named prompt', async () => {
    server = await startBaselineServer({ seed: 7, padBytes: 4000, hangOn: 'hang here' });
    const reply = parseChatReply(await (await post(server.url, buildChatBody('m', MCQ, [], D))).text());
    if (typeof reply === 'string') throw new Error(reply);
    expect(reply.content.length).toBeGreaterThan(4000);
    expect(reply.content).toMatch(/\\boxed\{[AB]\}\.$/);
    const hung = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: buildChatBody('m', 'please hang here', [], D),
      signal: AbortSignal.timeout(300) }).catch((e: Error) => e.name);
    expect(hung).toBe('TimeoutError');
    expect(server.stats.requests).toBe(2);
  }, 10_000);

  it('answers 404 on unknown routes and 400 on non-JSON bodies', async () => {
    server = await startBaselineServer();
    expect((await fetch(`${server.url}/v2/nothing`)).status).toBe(404);
    expect((await post(server.url, 'not json')).status).toBe(400);
  });
});
