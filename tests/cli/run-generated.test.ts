/**
 * `run` end to end against serve-baseline on a generated VQA-RAD folder (tests/helpers/fake-vqa-rad.ts), so resume
 * after SIGKILL, --serve under SIGTERM, the judge, faults and --benchmarks all run without ../shared/data. The real
 * VQA-RAD run is in run.test.ts.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBits } from '../../schemas/bitset.js';
import { RunResult } from '../../schemas/results.js';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import type { PredictionRecord } from '../../action/src/runner/predictions.js';
import { runEvaluation, type RunOptions } from '../../action/src/runner/run.js';
import { writeFakeVqaRad } from '../helpers/fake-vqa-rad.js';
import { closedPort, requestsByHash } from '../runner/helpers.js';
import { isAlive, spawnCli, waitFor } from './cli-helpers.js';

const data = writeFakeVqaRad(300, 5);
const tmp = () => mkdtempSync(path.join(tmpdir(), 'medvlm-run-'));
const quiet = { fetch, now: Date.now, log: () => {} };
const readLines = (file: string): PredictionRecord[] =>
  readFileSync(file, 'utf8').split('\n').filter((l) => l.endsWith('}')).map((l) => JSON.parse(l));

describe('run against serve-baseline on a generated VQA-RAD folder', () => {
  let server: BaselineServer;
  let clean: RunResult;
  const base = (over: Partial<RunOptions> = {}): RunOptions => ({
    endpoint: server.url, model: 'baseline', benchmarks: 'vqa-rad', dataDir: data.root, protocol: 'paper', outDir: tmp(),
    concurrency: 16, env: {}, retry: { baseDelayMs: 5, maxDelayMs: 50 }, ...over,
  });

  beforeAll(async () => {
    server = await startBaselineServer({ seed: 7 });
    clean = (await runEvaluation(base(), quiet)).result;
  });
  afterAll(async () => {
    await server.close();
    rmSync(data.root, { recursive: true, force: true });
  });

  it('scores the yes/no items the folder was generated with and excludes the open ones', () => {
    const b = clean.benchmarks[0]!;
    expect([data.items, data.yesNo]).toEqual([300, 240]);
    expect([b.counts.items, b.counts.scored, b.counts.excluded]).toEqual([300, 240, 60]);
    expect(b.counts.excludedReasons).toEqual({ 'open-ended': 60 });
    expect(countBits(b.outcomes.present, b.outcomes.n)).toBe(240);
    expect(b.counts.unparsed + b.counts.errors).toBe(0);
  });

  it('writes results.json equal to the returned result and one predictions line per item', async () => {
    const out = tmp();
    const { result, resultsPath, predictionsPath } = await runEvaluation(base({ outDir: out, limit: 30 }), quiet);
    expect(RunResult.parse(JSON.parse(readFileSync(resultsPath, 'utf8')))).toEqual(result);
    const lines = readLines(predictionsPath);
    expect(lines).toHaveLength(30);
    expect(new Set(lines.map((l) => l.id)).size).toBe(30);
    expect(lines.every((l) => l.response && l.extracted && l.requestHash.length === 64)).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with ~10% injected faults gives the clean outcomes item for item', async () => {
    const faulty = await startBaselineServer({ seed: 7, faults: '500:0.03,429:0.02,timeout:0.01,reset:0.02,malformed:0.01,empty:0.01' });
    try {
      const r = (await runEvaluation(base({ endpoint: faulty.url, requestTimeoutMs: 1500 }), quiet)).result;
      expect(r.benchmarks[0]!.outcomes).toEqual(clean.benchmarks[0]!.outcomes);
      expect(r.benchmarks[0]!.counts.errors).toBe(0);
      const injected = [...faulty.stats.faults.values()].reduce((a, b) => a + b, 0);
      expect(injected).toBeGreaterThan(10);
      expect(faulty.stats.requests).toBe(data.yesNo + injected);
    } finally {
      await faulty.close();
    }
  });

  it('counts items that fail after retries as errors scored 0 (in the denominator)', async () => {
    // half of all attempts fail: about a quarter of the items fail both attempts, never ten in a row (a systematic stop)
    const flaky = await startBaselineServer({ seed: 7, faults: '500:0.5' });
    try {
      const r = (await runEvaluation(base({ endpoint: flaky.url, limit: 60, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }), quiet)).result;
      const b = r.benchmarks[0]!;
      const n = b.outcomes.n;
      const errors = countBits(b.outcomes.error, n);
      expect(errors).toBeGreaterThan(3);
      expect(errors).toBeLessThan(40);
      expect(b.counts.errors).toBe(errors);
      const bits = (b64: string) => Array.from(Buffer.from(b64, 'base64')).flatMap((byte) => [0, 1, 2, 3, 4, 5, 6, 7].map((k) => (byte >> k) & 1)).slice(0, n);
      const [error, correct] = [bits(b.outcomes.error), bits(b.outcomes.correct)];
      expect(error.some((e, i) => e === 1 && correct[i] === 1)).toBe(false);
      const k = correct.reduce((a, v) => a + v, 0);
      expect(b.metrics.find((m) => m.name === 'accuracy')).toMatchObject({ value: k / 60, n: 60 });
    } finally {
      await flaky.close();
    }
  });

  it('judges open items (full protocol) as a separate metric, leaving rule-based metrics unchanged', async () => {
    const judge = await startBaselineServer({ policy: 'constant:yes' });
    try {
      const plain = (await runEvaluation(base({ protocol: 'full', limit: 40 }), quiet)).result.benchmarks[0]!;
      const judged = await runEvaluation(base({ protocol: 'full', limit: 40, judge: { endpoint: judge.url, model: 'judge' } }), quiet);
      const b = judged.result.benchmarks[0]!;
      const open = b.metrics.find((m) => m.name === 'open_exact_match')!;
      expect(open.n).toBeGreaterThan(0);
      expect(b.metrics.find((m) => m.name === 'open_judge_accuracy')).toMatchObject({ value: 1, n: open.n });
      expect(b.metrics.filter((m) => m.name !== 'open_judge_accuracy')).toEqual(plain.metrics);
      expect(judged.result.judge).toEqual({ model: 'judge', promptVersion: 1 });
      expect(judge.stats.requests).toBe(open.n);
      const lines = readLines(judged.predictionsPath).filter((l) => l.judge);
      expect(lines.every((l) => l.judge!.verdict === true)).toBe(true);
    } finally {
      await judge.close();
    }
  });

  it('adding a judge on resume judges the open items without asking the model again', async () => {
    const judge = await startBaselineServer({ policy: 'constant:no' });
    try {
      const out = tmp();
      await runEvaluation(base({ protocol: 'full', limit: 30, outDir: out }), quiet);
      const before = server.stats.requests;
      const { result } = await runEvaluation(base({ protocol: 'full', limit: 30, outDir: out, judge: { endpoint: judge.url, model: 'j' } }), quiet);
      const b = result.benchmarks[0]!;
      expect(server.stats.requests).toBe(before);
      expect(judge.stats.requests).toBe(b.metrics.find((m) => m.name === 'open_exact_match')!.n);
      expect(b.metrics.find((m) => m.name === 'open_judge_accuracy')).toMatchObject({ value: 0 });
    } finally {
      await judge.close();
    }
  });

  it('a new --checkpoint into the same --out asks the model again (the served name alone does not identify it)', async () => {
    const out = tmp();
    await runEvaluation(base({ outDir: out, limit: 6, checkpoint: 'ckpt-9000' }), quiet);
    const before = server.stats.requests;
    const again = await runEvaluation(base({ outDir: out, limit: 6, checkpoint: 'ckpt-9000' }), quiet);
    expect(server.stats.requests).toBe(before);
    const next = await runEvaluation(base({ outDir: out, limit: 6, checkpoint: 'ckpt-9500' }), quiet);
    expect(server.stats.requests).toBe(before + 6);
    expect(next.result.model.checkpoint).toBe('ckpt-9500');
    expect(next.result.benchmarks[0]!.outcomes).toEqual(again.result.benchmarks[0]!.outcomes);
  });

  it('resumes after SIGKILL: equal results, and no second request for any finished item', async () => {
    const seen = requestsByHash();
    const slow = await startBaselineServer({ seed: 7, delayMs: 40, onChat: seen.onChat });
    const out = tmp();
    const args = ['run', '--endpoint', slow.url, '--model', 'baseline', '--benchmarks', 'vqa-rad', '--data-dir', data.root,
      '--out', out, '--concurrency', '4'];
    try {
      const first = spawnCli(args);
      const predictions = path.join(out, 'predictions.jsonl');
      await waitFor(() => existsSync(predictions) && readLines(predictions).length >= 60, 60_000, '60 predictions');
      first.child.kill('SIGKILL');
      expect((await first.exit).signal).toBe('SIGKILL');
      const finishedBefore = readLines(predictions);
      expect(finishedBefore.length).toBeLessThan(data.yesNo);
      const second = spawnCli(args);
      const { code } = await second.exit;
      expect(code, second.stderr()).toBe(0);
      expect(second.stderr()).toMatch(/resuming: \d+ finished item/);
      const resumed = RunResult.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
      expect(resumed.benchmarks).toEqual(clean.benchmarks);
      const all = readLines(predictions);
      expect(new Set(all.map((l) => l.id)).size).toBe(data.yesNo);
      const itemsPerHash = new Map<string, number>();
      for (const l of all) itemsPerHash.set(l.requestHash, (itemsPerHash.get(l.requestHash) ?? 0) + 1);
      for (const l of finishedBefore) expect(seen.counts.get(l.requestHash)).toBe(itemsPerHash.get(l.requestHash));
    } finally {
      await slow.close();
    }
  });

  it('stops with a clear error and exit code 3 when the endpoint is down', async () => {
    const port = await closedPort();
    const t0 = Date.now();
    const cli = spawnCli(['run', '--endpoint', `http://127.0.0.1:${port}/v1`, '--model', 'm', '--benchmarks', 'vqa-rad',
      '--data-dir', data.root, '--out', tmp(), '--unreachable-timeout', '1']);
    const { code } = await cli.exit;
    expect(code).toBe(3);
    expect(cli.stderr()).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}/v1 gave no HTTP answer for 1 s \\(last error: ECONNREFUSED\\)`));
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('starts the --serve command, uses it, and leaves no process behind', async () => {
    const port = await closedPort();
    const out = tmp();
    const cli = spawnCli(['run', '--serve', `node bin/medvlm-bench.mjs serve-baseline --port ${port} --seed 7`,
      '--endpoint', `http://127.0.0.1:${port}/v1`, '--model', 'baseline', '--benchmarks', 'vqa-rad', '--data-dir', data.root,
      '--out', out, '--limit', '5']);
    const { code } = await cli.exit;
    expect(code, cli.stderr()).toBe(0);
    const pid = Number(/\(pid (\d+),/.exec(cli.stderr())![1]);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(readFileSync(path.join(out, 'serve.log'), 'utf8')).toContain(`listening on http://127.0.0.1:${port}`);
    expect(readLines(path.join(out, 'predictions.jsonl'))).toHaveLength(5);
  });

  it('on SIGTERM stops the --serve\'d server, keeps finished items, exits 130', async () => {
    const port = await closedPort();
    const out = tmp();
    const cli = spawnCli(['run', '--serve', `node bin/medvlm-bench.mjs serve-baseline --port ${port} --delay-ms 50`,
      '--endpoint', `http://127.0.0.1:${port}`, '--model', 'baseline', '--benchmarks', 'vqa-rad', '--data-dir', data.root,
      '--out', out, '--concurrency', '2']);
    const predictions = path.join(out, 'predictions.jsonl');
    await waitFor(() => existsSync(predictions) && readLines(predictions).length >= 10, 60_000, '10 predictions');
    cli.child.kill('SIGTERM');
    const { code } = await cli.exit;
    expect(code).toBe(130);
    expect(cli.stderr()).toMatch(/received SIGTERM: stopping/);
    const pid = Number(/\(pid (\d+),/.exec(cli.stderr())![1]);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(out, 'results.json'))).toBe(false);
    expect(readLines(predictions).length).toBeGreaterThanOrEqual(10);
  });

  it('--benchmarks all runs the benchmarks whose data is found and says why the others were skipped', async () => {
    const dir = tmp();
    symlinkSync(data.dir, path.join(dir, 'vqa_rad'));
    const logs: string[] = [];
    const { result } = await runEvaluation(base({ benchmarks: 'all', dataDir: dir, limit: 3 }), { ...quiet, log: (m) => logs.push(m) });
    expect(result.benchmarks.map((b) => b.id)).toEqual(['vqa-rad']);
    expect(logs).toContainEqual(expect.stringMatching(/^skipped slake: .*no data found in/));
    expect(logs).toContainEqual('skipped custom: no --manifest given');
  });

  it('prints the tail of the server log when --serve fails to come up', async () => {
    const port = await closedPort(); // not the default :8000, which another server on this machine may hold
    const cli = spawnCli(['run', '--serve', 'echo loading weights; echo CUDA out of memory; exit 3', '--model', 'm',
      '--endpoint', `http://127.0.0.1:${port}/v1`, '--benchmarks', 'vqa-rad', '--data-dir', data.root, '--out', tmp()]);
    const { code } = await cli.exit;
    expect(code).toBe(1);
    expect(cli.stderr()).toMatch(/server exited \(code 3\)[\s\S]*CUDA out of memory/);
  });
});
