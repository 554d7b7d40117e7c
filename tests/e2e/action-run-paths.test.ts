/**
 * End to end, the action built from source as the runner runs it, on the paths that produce a result: a model
 * server started by `serve-command`, a gated Hugging Face dataset read with `hf-token` (a loopback Hub that refuses
 * requests without the token), and `protocol: full` on the open items of that dataset. Expected scores come from
 * how the data and the constant model answers were built, never from the code under test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { startVllm } from '../helpers/servers/vllm.js';
import { hfParquet, jpeg } from '../core/data/fixtures.js';
import { startHfServer, type HfServer } from '../helpers/hf-server.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { pushEvent, runBundle, sha, writeManifest, type BundleRun } from './action-harness.js';
import { buildFreshBundle, type FreshBundle } from './fresh-bundle.js';

const HF_TOKEN = 'hf_e2eGatedDatasetToken0123456789';
/** VQA-RAD as the Hub serves it (flaviagiammarino/vqa-rad at the benchmark's pinned commit) */
const VQA_RAD = { repo: 'flaviagiammarino/vqa-rad', commit: '74b6acbd67e60def0427836dfef45ed63ef83590' };
const N = 40;
/** every 4th item is open ("what organ…?" → liver); the 30 closed ones are yes for odd i (10), no for even i (20) */
const isOpen = (i: number) => i % 4 === 3;

describe('action run paths: serve-command, hf-token, protocol full', () => {
  let fresh: FreshBundle;
  let hub: HfServer;
  let workspace: string;
  const env = { GITHUB_REPOSITORY: 'acme/vision', GITHUB_SHA: sha('a'), GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'push' };

  beforeAll(async () => {
    const questions = Array.from({ length: N }, (_, i) => (isOpen(i) ? `what organ is shown in image ${i}?` : `is there a lesion in image ${i}?`));
    const parquet = hfParquet([
      { name: 'image', kind: 'image', data: questions.map((_, i) => ({ bytes: jpeg(`gated${i}`), path: `gated${i}.jpg` })) },
      { name: 'question', kind: 'string', data: questions },
      { name: 'answer', kind: 'string', data: questions.map((_, i) => (isOpen(i) ? 'liver' : i % 2 ? 'yes' : 'no')) },
    ], 16);
    [fresh, hub] = await Promise.all([
      buildFreshBundle(),
      startHfServer([{ ...VQA_RAD, token: HF_TOKEN, files: { 'data/test-00000-of-00001.parquet': parquet } }]),
    ]);
    workspace = mkdtempSync(path.join(tmpdir(), 'medvlm-ws-'));
  }, 60_000);

  afterAll(async () => {
    await hub?.close();
    fresh?.remove();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  let jobs = 0;
  const run = (inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<BundleRun> => runBundle({
    bundle: fresh.bundle, workspace, event: pushEvent(sha('0')), timeoutMs: 90_000,
    inputs: { comment: 'never', 'results-dir': `results-${jobs++}`, concurrency: '4', ...inputs },
    env: { ...env, ...extraEnv },
  });

  const hubEnv = () => ({ HF_ENDPOINT: hub.url, HF_HOME: mkdtempSync(path.join(workspace, 'hf-home-')) });
  const resultsOf = (r: BundleRun) => JSON.parse(readFileSync(r.outputs['results-file']!, 'utf8'));
  const metric = (b: { metrics: Array<{ name: string; value: number; n: number }> }, name: string) => b.metrics.find((m) => m.name === name);

  it('serve-command without endpoint: started on the port its command names, waited for, used, then stopped', async () => {
    const port = await freePort();
    const manifest = writeManifest(workspace, 'serve', 40, 30);
    // the server binds its port only after a pause, like a model loading: the action must wait for it
    const command = `sleep 2 && exec node ${JSON.stringify(path.join(REPO_ROOT, 'bin/medvlm-bench.mjs'))} serve-baseline --port ${port} --policy constant:A`;
    expect(await listening(port)).toBe(false);
    const r = await run({ 'serve-command': command, model: 'served-vlm', benchmarks: 'custom', manifest, gates: 'gates:\n  - benchmark: custom\n    min: 0.7\n' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`waiting for http://127.0.0.1:${port}/v1/models`);
    // used: every item was answered by the served constant-A model (gold A for 30 of 40 items)
    const result = resultsOf(r);
    expect(result.benchmarks[0].counts.scored).toBe(40);
    expect(metric(result.benchmarks[0], 'accuracy')!.value).toBe(0.75);
    expect(r.summary).toContain('accuracy 0.750 ≥ floor 0.700');
    // its output went to serve.log beside the results, and it is gone once the step ended
    const log = readFileSync(path.join(path.dirname(r.outputs['results-file']!), 'serve.log'), 'utf8');
    expect(log).toContain(`127.0.0.1:${port}`);
    expect(await listening(port)).toBe(false);
  }, 120_000);

  it('serve-command with an explicit endpoint: the endpoint given is the one waited for and evaluated', async () => {
    const port = await freePort();
    const manifest = writeManifest(workspace, 'serve2', 20, 5);
    const command = `exec node ${JSON.stringify(path.join(REPO_ROOT, 'bin/medvlm-bench.mjs'))} serve-baseline --port ${port} --policy constant:B`;
    const r = await run({ 'serve-command': command, endpoint: `http://127.0.0.1:${port}/v1`, model: 'served-vlm', benchmarks: 'custom', manifest });
    expect(r.code, r.stdout).toBe(0);
    expect(metric(resultsOf(r).benchmarks[0], 'accuracy')!.value).toBe(0.75); // B is gold for 15 of 20
    expect(await listening(port)).toBe(false);
  }, 120_000);

  it('hf-token reads the gated dataset and is masked: only `::add-mask::` ever prints it', async () => {
    const model = await startBaselineServer({ policy: 'constant:yes' });
    try {
      const denied = await run({ endpoint: `${model.url}/v1`, model: 'vlm', benchmarks: 'vqa-rad' }, hubEnv());
      expect(denied.code).toBe(1); // the Hub refuses without the token, so the token is what makes the next run work
      expect(denied.stdout).toMatch(/access denied \(401\)/);
      const r = await run({ endpoint: `${model.url}/v1`, model: 'vlm', benchmarks: 'vqa-rad', 'hf-token': HF_TOKEN }, hubEnv());
      expect(r.code, r.stdout).toBe(0);
      const b = resultsOf(r).benchmarks[0];
      // paper protocol: the 30 yes/no items are scored, 10 of them "yes"
      expect([b.counts.scored, b.counts.excluded]).toEqual([30, 10]);
      expect(metric(b, 'accuracy')!.value).toBeCloseTo(10 / 30, 12);
      expect(r.stdout.split('\n').filter((l) => l.includes(HF_TOKEN))).toEqual([`::add-mask::${HF_TOKEN}`]);
      const dir = path.dirname(r.outputs['results-file']!);
      const written = [r.summary, JSON.stringify(r.outputs), readFileSync(r.outputs['results-file']!, 'utf8'),
        readFileSync(path.join(dir, 'predictions.jsonl'), 'utf8')];
      for (const text of written) expect(text).not.toContain(HF_TOKEN);
    } finally {
      await model.close();
    }
  }, 120_000);

  it('protocol: full scores the open items too (rule-based without judge inputs)', async () => {
    const model = await startBaselineServer({ policy: 'constant:liver' });
    try {
      const r = await run({ endpoint: `${model.url}/v1`, model: 'vlm', benchmarks: 'vqa-rad', protocol: 'full', 'hf-token': HF_TOKEN }, hubEnv());
      expect(r.code, r.stdout).toBe(0);
      const result = resultsOf(r);
      expect(result.protocol).toBe('full');
      expect(result.judge).toBeNull();
      const b = result.benchmarks[0];
      expect([b.counts.items, b.counts.excluded]).toEqual([N, 0]);
      // "liver" is every open gold answer (10 of 10) and no closed one (0 of 30, all unparsed)
      expect(metric(b, 'open_exact_match')).toMatchObject({ value: 1, n: 10 });
      expect(metric(b, 'accuracy')).toMatchObject({ value: 0, n: 30 });
      expect(b.counts.unparsed).toBe(30);
      expect(metric(b, 'open_judge_accuracy')).toBeUndefined();
      expect(r.summary).toContain('protocol `full`');
    } finally {
      await model.close();
    }
  }, 120_000);

  it('api-key reaches a key-protected server and judge-* add the judge metric; both keys are masked', async () => {
    const MODEL_KEY = 'sk-model-key-0123456789abcdef';
    const JUDGE_KEY = 'sk-judge-key-0123456789abcdef';
    // a vLLM-like server started with --api-key: /v1/models and chat refuse requests without it
    const model = await startVllm({ apiKey: MODEL_KEY, model: 'vlm', maxModelLen: 32_768, answer: () => 'liver' });
    const judge = await startVllm({ apiKey: JUDGE_KEY, model: 'judge', maxModelLen: 32_768, answer: () => 'yes' });
    try {
      const r = await run({
        endpoint: `${model.url}/v1`, model: 'vlm', benchmarks: 'vqa-rad', protocol: 'full', 'hf-token': HF_TOKEN,
        'api-key': MODEL_KEY, 'judge-endpoint': `${judge.url}/v1`, 'judge-model': 'judge', 'judge-api-key': JUDGE_KEY,
      }, hubEnv());
      expect(r.code, r.stdout).toBe(0);
      const b = resultsOf(r).benchmarks[0];
      expect(resultsOf(r).judge).toMatchObject({ model: 'judge' });
      // the judge saw exactly the 10 open items and called each correct
      expect(judge.chats()).toHaveLength(10);
      expect(metric(b, 'open_judge_accuracy')).toMatchObject({ value: 1, n: 10 });
      expect(metric(b, 'open_exact_match')).toMatchObject({ value: 1, n: 10 });
      expect(model.chats().every((c) => c.headers.authorization === `Bearer ${MODEL_KEY}`)).toBe(true);
      for (const key of [MODEL_KEY, JUDGE_KEY]) {
        expect(r.stdout.split('\n').filter((l) => l.includes(key))).toEqual([`::add-mask::${key}`]);
        expect(r.summary).not.toContain(key);
        expect(readFileSync(r.outputs['results-file']!, 'utf8')).not.toContain(key);
      }
    } finally {
      await Promise.all([model.close(), judge.close()]);
    }
  }, 120_000);

  it('judge inputs without protocol full are refused before any request', async () => {
    const r = await run({ endpoint: 'http://127.0.0.1:9/v1', model: 'vlm', 'judge-endpoint': 'http://127.0.0.1:9/v1', 'judge-model': 'j' });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('inputs `judge-endpoint`/`judge-model` need `protocol: full`');
  });
});

/** A loopback port nothing listens on (bound once, then released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/v1/models`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

