/**
 * Issue 11 case 1: the token budget against servers that refuse max_tokens + prompt over their context (vLLM and
 * SGLang 400, TGI 422). The run reads the context from the server where it says it, fits the budget from the
 * refusals' numbers otherwise, re-sends refused items without spending their attempts (maxAttempts 1 below: a
 * counted refusal would be an error) and records the budget in results.json. Oracles: the emulators' own token
 * rule (prompt + budget vs the limit) applied to every request they received.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RunResult } from '../../schemas/results.js';
import { runEvaluation } from '../../action/src/runner/run.js';
import type { EmulatorServer } from '../helpers/servers/base.js';
import { startSglang } from '../helpers/servers/sglang.js';
import { startTgi } from '../helpers/servers/tgi.js';
import { startVllm } from '../helpers/servers/vllm.js';
import { budgetOf, collectLog, itemChats, predictions, promptOf, runOptions, writeManifest } from './servers-fixture.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnCli } from '../cli/cli-helpers.js';

let server: EmulatorServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const once = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2 };

function accepted(s: EmulatorServer, tokensPerImage: number, limit: number, strict = false) {
  return itemChats(s).filter((r) => {
    const total = promptOf(r, tokensPerImage) + budgetOf(r)!;
    return strict ? total < limit : total <= limit;
  });
}

describe('token budget against vLLM', () => {
  it('a server whose max_model_len allows the default gets max_tokens 8192 unchanged', async () => {
    server = await startVllm({ maxModelLen: 131_072 });
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 6 })), { fetch, now: Date.now, log: () => {} });
    expect(itemChats(server).map(budgetOf)).toEqual(Array(6).fill(8192));
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 8192, maxTokensMin: 8192, maxTokensMax: 8192, contextLimit: 131_072, changes: [] });
  });

  it('--max-model-len 4096 (LLaVA-Med): the budget comes from /v1/models before the first request; no refusal, no error', async () => {
    server = await startVllm({ maxModelLen: 4096, tokensPerImage: 576 });
    const { log, lines } = collectLog();
    const { result, resultsPath } = await runEvaluation(runOptions(server.url, writeManifest({ n: 12 }), { retry: once }), { fetch, now: Date.now, log });
    const chats = itemChats(server);
    expect(chats).toHaveLength(12); // one request per item: nothing refused
    expect(accepted(server, 576, 4096)).toHaveLength(12);
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    // the requested setting stays the request; what was sent is beside it
    expect(result.decoding.maxTokens).toBe(8192);
    // documented rule: leave a quarter of the context (at most 1,024 tokens) for the prompt
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 3072, contextLimit: 4096, maxTokensField: 'max_tokens', temperature: 0 });
    expect(lines.some((l) => /max_tokens 8192 → 3072: \/v1\/models \(max_model_len\) reports a context of 4096 tokens/.test(l))).toBe(true);
    expect(RunResult.parse(JSON.parse(readFileSync(resultsPath, 'utf8')))).toEqual(result);
  });

  it('prompts longer than the reserve: the 400s numbers lower the budget for all later items, refused items are re-sent free', async () => {
    const tpi = 1500;
    server = await startVllm({ maxModelLen: 4096, tokensPerImage: tpi });
    const manifest = writeManifest({ n: 9 }); // single-digit ids: every prompt has the same length
    const o = runOptions(server.url, manifest, { retry: once });
    const { result } = await runEvaluation(o, { fetch, now: Date.now, log: () => {} });
    const chats = itemChats(server);
    const prompt = promptOf(chats[0]!, tpi);
    expect(new Set(chats.map((r) => promptOf(r, tpi)))).toEqual(new Set([prompt]));
    const refused = chats.filter((r) => prompt + budgetOf(r)! > 4096);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(4); // only the first wave (concurrency 4) was sent too much
    expect(accepted(server, tpi, 4096)).toHaveLength(9);
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 4096 - prompt, maxTokensMin: 4096 - prompt, maxTokensMax: 4096 - prompt, contextLimit: 4096 });
    expect(predictions(o.outDir).every((p) => p.error === null)).toBe(true);
  });

  it('one item with five images gets its own smaller budget; the others keep theirs', async () => {
    const tpi = 600;
    server = await startVllm({ maxModelLen: 4096, tokensPerImage: tpi });
    const manifest = writeManifest({ n: 8, images: (i) => (i === 3 ? 5 : 1) });
    const { result } = await runEvaluation(runOptions(server.url, manifest, { retry: once }), { fetch, now: Date.now, log: () => {} });
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    const long = itemChats(server).filter((r) => promptOf(r, tpi) > 3000);
    const longPrompt = promptOf(long[0]!, tpi);
    expect(budgetOf(long.at(-1)!)).toBe(4096 - longPrompt);
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 3072, maxTokensMin: 4096 - longPrompt, maxTokensMax: 3072 });
    expect(result.effectiveDecoding!.changes.join(' ')).toMatch(/1 request\(s\) with a long prompt/);
  });

  it('vLLM ≥ 0.10 wording behind a proxy that drops max_model_len: fitted from the refusal alone', async () => {
    const tpi = 100;
    server = await startVllm({ maxModelLen: 2048, tokensPerImage: tpi, style: '0.10' });
    const proxy = await startProxyWithoutLimits(server);
    try {
      const { result } = await runEvaluation(runOptions(proxy.url, writeManifest({ n: 9 }), { retry: once }), { fetch, now: Date.now, log: () => {} });
      const prompt = promptOf(itemChats(server)[0]!, tpi);
      expect(result.benchmarks[0]!.counts.errors).toBe(0);
      expect(result.effectiveDecoding).toMatchObject({ maxTokens: 2048 - prompt, contextLimit: 2048 });
      expect(itemChats(server)[0]!.json!.max_tokens).toBe(8192); // nothing known before: the default went first
    } finally {
      await proxy.close();
    }
  });

  it('a prompt that alone exceeds the context is that item\'s error; the run goes on', async () => {
    const tpi = 1000;
    server = await startVllm({ maxModelLen: 4096, tokensPerImage: tpi });
    const manifest = writeManifest({ n: 6, images: (i) => (i === 2 ? 5 : 1) });
    const o = runOptions(server.url, manifest, { retry: once });
    const { result } = await runEvaluation(o, { fetch, now: Date.now, log: () => {} });
    expect(result.benchmarks[0]!.counts.errors).toBe(1);
    expect(result.status).toBe('complete');
    const failed = predictions(o.outDir).find((p) => p.error !== null)!;
    expect(failed.id).toBe('q2');
    expect(failed.error).toMatch(/HTTP 400: This model's maximum context length is 4096 tokens/);
  });
});

describe('the CLI against vLLM --max-model-len 4096', () => {
  it('`medvlm-bench run` with the default flags: exit 0, no errors, the budget in results.json; a rerun asks nothing again', async () => {
    const tpi = 1500;
    server = await startVllm({ maxModelLen: 4096, tokensPerImage: tpi });
    const o = runOptions(server.url, writeManifest({ n: 9 }));
    const args = ['run', '--endpoint', `${server.url}/v1`, '--model', 'test-model', '--benchmarks', 'custom', '--manifest', o.manifest!, '--out', o.outDir];
    const first = spawnCli(args);
    expect((await first.exit).code).toBe(0);
    const prompt = promptOf(itemChats(server)[0]!, tpi);
    const result = RunResult.parse(JSON.parse(readFileSync(path.join(o.outDir, 'results.json'), 'utf8')));
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(result.decoding.maxTokens).toBe(8192);
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 4096 - prompt, contextLimit: 4096 });
    expect(first.stderr()).toMatch(/note: max_tokens 8192 → 3072: \/v1\/models \(max_model_len\) reports a context of 4096 tokens/);
    expect(first.stderr()).toMatch(new RegExp(`note: max_tokens 3072 → ${4096 - prompt}: the server refused it \\(This model's maximum context length is 4096 tokens`));
    const sent = itemChats(server).length;
    const second = spawnCli(args);
    expect((await second.exit).code).toBe(0);
    expect(itemChats(server).length).toBe(sent);
  }, 30_000);
});

describe('token budget against SGLang and TGI', () => {
  it('SGLang refuses prompt + max_tokens >= context: the budget leaves one token more', async () => {
    const tpi = 1500;
    server = await startSglang({ contextLength: 4096, tokensPerImage: tpi });
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 9 }), { retry: once }), { fetch, now: Date.now, log: () => {} });
    const prompt = promptOf(itemChats(server)[0]!, tpi);
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(accepted(server, tpi, 4096, true)).toHaveLength(9);
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 4096 - prompt - 1, contextLimit: 4096 });
  });

  it('TGI: max_total_tokens from /info sets the budget before the run', async () => {
    server = await startTgi({ maxTotalTokens: 4096, tokensPerImage: 200 });
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 8 }), { model: 'tgi', retry: once }), { fetch, now: Date.now, log: () => {} });
    expect(itemChats(server).map(budgetOf)).toEqual(Array(8).fill(3072));
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 3072, contextLimit: 4096 });
  });

  it('TGI without /info: the 422 "`inputs` tokens + `max_new_tokens` must be <= N" fits the budget', async () => {
    const tpi = 200;
    server = await startTgi({ maxTotalTokens: 4096, tokensPerImage: tpi, info: false });
    const { result } = await runEvaluation(runOptions(server.url, writeManifest({ n: 9 }), { model: 'tgi', retry: once }), { fetch, now: Date.now, log: () => {} });
    const prompt = promptOf(itemChats(server)[0]!, tpi);
    expect(result.benchmarks[0]!.counts.errors).toBe(0);
    expect(accepted(server, tpi, 4096)).toHaveLength(9);
    expect(result.effectiveDecoding).toMatchObject({ maxTokens: 4096 - prompt, contextLimit: 4096 });
  });
});

/** A pass-through that strips max_model_len from /v1/models (LiteLLM-style gateways list bare ids). */
async function startProxyWithoutLimits(target: EmulatorServer): Promise<EmulatorServer> {
  const { startEmulator } = await import('../helpers/servers/base.js');
  const forward = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${target.url}${path}`, { method, body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, text: await res.text(), headers: { 'content-type': 'application/json' } };
  };
  return startEmulator({
    routes: {
      'POST /v1/chat/completions': (req) => forward('POST', req.path, req.raw.toString('utf8')),
    },
  });
}
