/**
 * Conformance: the default `medvlm-bench run` (the real CLI, default flags: concurrency 32, max_tokens 8192,
 * temperature 0, seed 42) against one emulator per server — vLLM, SGLang, TGI, LMDeploy, Ollama, llama.cpp, OpenAI —
 * each reproducing that server's status codes, error bodies, readiness, image and token limits and auth as read from
 * its source (tests/helpers/servers/*.ts cite file and version). Expected: a complete run with zero errors, or, where
 * the server truly cannot serve the request, an early stop carrying the server's own message. The locally started
 * servers are also started by `--serve` (the emulator as a command, no --endpoint: the port comes from the command).
 * The manifest mixes PNG, JPEG, WebP, TIFF and GIF, so every server meets images it may not take.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../schemas/results.js';
import type { EmulatorServer } from '../helpers/servers/base.js';
import { startLlamaCpp } from '../helpers/servers/llamacpp.js';
import { startLmDeploy } from '../helpers/servers/lmdeploy.js';
import { startOllama } from '../helpers/servers/ollama.js';
import { startOpenAi } from '../helpers/servers/openai.js';
import { startSglang } from '../helpers/servers/sglang.js';
import { startTgi } from '../helpers/servers/tgi.js';
import { startVllm } from '../helpers/servers/vllm.js';
import { spawnCli } from '../cli/cli-helpers.js';
import { closedPort } from './helpers.js';
import { emulatorCommand, writeManifest, type Manifest } from './server-fixtures.js';

const ITEMS = 12;
const KEY = 'sk-conformance';

interface Target {
  name: string;
  start: () => Promise<EmulatorServer>;
  model: string;
  /** the server was started with this key (the run passes it with --api-key-env) */
  key?: string;
  /** started locally, so also run through --serve (cli.ts NAME) */
  serve?: string;
}

const TARGETS: Target[] = [
  { name: 'vLLM (--max-model-len 4096, --api-key)', start: () => startVllm({ apiKey: KEY, model: 'llava-med' }), model: 'llava-med', key: KEY, serve: 'vllm' },
  { name: 'SGLang (--context-length 4096)', start: () => startSglang({ model: 'qwen2-vl' }), model: 'qwen2-vl', serve: 'sglang' },
  { name: 'TGI (--max-total-tokens 4096)', start: () => startTgi({ model: 'idefics2' }), model: 'idefics2', serve: 'tgi' },
  { name: 'LMDeploy (--api-keys)', start: () => startLmDeploy({ apiKey: KEY, model: 'internvl2' }), model: 'internvl2', key: KEY, serve: 'lmdeploy' },
  { name: 'Ollama', start: () => startOllama({ models: ['llava:7b'] }), model: 'llava:7b', serve: 'ollama' },
  { name: 'llama.cpp (still loading for 1.5 s)', start: () => startLlamaCpp({ loadMs: 1500, model: 'medgemma' }), model: 'medgemma', serve: 'llamacpp' },
  { name: 'OpenAI gpt-4o', start: () => startOpenAi({ apiKey: KEY, models: ['gpt-4o'] }), model: 'gpt-4o', key: KEY },
  { name: 'OpenAI o4-mini (reasoning model)', start: () => startOpenAi({ apiKey: KEY, models: ['o4-mini'] }), model: 'o4-mini', key: KEY },
];

let m: Manifest;
beforeAll(async () => {
  m = await writeManifest(ITEMS, ['png', 'jpeg', 'webp', 'tiff', 'gif']);
});

async function runCli(args: string[], out: string) {
  const cli = spawnCli(['run', '--model', ...args, '--benchmarks', 'custom', '--manifest', m.manifest, '--out', out], { CONF_KEY: KEY });
  const { code } = await cli.exit;
  const resultsPath = `${out}/results.json`;
  const result = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as RunResult) : null;
  return { code, stderr: cli.stderr(), result };
}

function expectComplete(r: { code: number | null; stderr: string; result: RunResult | null }): void {
  expect(r.code, r.stderr).toBe(0);
  expect(r.result!.status ?? 'complete').toBe('complete');
  const counts = r.result!.benchmarks[0]!.counts;
  expect(counts.scored).toBe(ITEMS);
  expect(counts.errors, r.stderr).toBe(0);
}

describe.each(TARGETS)('$name', (t) => {
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await t.start();
  });
  afterAll(() => server.close());

  it('the default run completes with zero errors', async () => {
    const keyArgs = t.key ? ['--api-key-env', 'CONF_KEY'] : [];
    const r = await runCli([t.model, '--endpoint', `${server.url}/v1`, ...keyArgs], `${m.out}-${server.port}`);
    expectComplete(r);
    // every image reached the server in a format it took (conversions, if any, are on record)
    for (const c of r.result!.imageConversions ?? []) expect(c.to).toBe('image/png');
  }, 90_000);

  it.runIf(t.serve)('--serve (emulator as a command, port from the command) completes with zero errors', async () => {
    const port = await closedPort();
    const extra = `--model ${t.model}${t.key ? ' --api-key-env CONF_KEY' : ''}${t.serve === 'llamacpp' ? ' --load-ms 1500' : ''}`;
    const keyArgs = t.key ? ['--api-key-env', 'CONF_KEY'] : [];
    const r = await runCli([t.model, '--serve', emulatorCommand(t.serve!, port, extra), ...keyArgs], `${m.out}-serve-${port}`);
    expectComplete(r);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
  }, 90_000);
});

describe('where the server truly cannot serve the request: an early stop with its message', () => {
  it('Ollama without the model pulled', async () => {
    const server = await startOllama({ models: ['llava:7b'] });
    try {
      const r = await runCli(['medgemma:4b', '--endpoint', `${server.url}/v1`], `${m.out}-nopull`);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('model "medgemma:4b" not found, try pulling it first');
      expect(server.chats().length).toBe(1); // the readiness probe, not every item
    } finally {
      await server.close();
    }
  }, 60_000);

  it('LMDeploy asked for a model it does not serve', async () => {
    const server = await startLmDeploy({ model: 'internvl2' });
    try {
      const r = await runCli(['internvl2-26b', '--endpoint', `${server.url}/v1`], `${m.out}-nomodel`);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain('The model `internvl2-26b` does not exist.');
    } finally {
      await server.close();
    }
  }, 60_000);

  it('vLLM with --api-key and no key given', async () => {
    const server = await startVllm({ apiKey: KEY });
    try {
      const r = await runCli(['test-model', '--endpoint', `${server.url}/v1`], `${m.out}-nokey`);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/HTTP 401 \(Unauthorized\): the server requires an API key; pass it with --api-key-env/);
      expect(server.chats()).toHaveLength(0);
    } finally {
      await server.close();
    }
  }, 60_000);
});
