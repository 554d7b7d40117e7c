import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointHost, prFromRef, repoFromRemote, resolveIdentity, runIdOf } from '../../action/src/runner/identity.js';
import { buildJudgePrompt, parseVerdict } from '../../action/src/runner/judge.js';
import { runPool } from '../../action/src/runner/pool.js';
import { createProgress, formatDuration } from '../../action/src/runner/progress.js';
import { buildTiming, computeRunKey, percentile } from '../../action/src/runner/results.js';
import { headerSafeKey, normalizeRunOptions, parseBenchmarkList } from '../../action/src/runner/run-options.js';
import { inShard, parseShard, shardOf } from '../../action/src/runner/shard.js';

describe('sharding', () => {
  it('parses 1-based I/N into 0-based and rejects nonsense', () => {
    expect(parseShard('2/4')).toEqual({ index: 1, count: 4 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1-3']) expect(() => parseShard(bad)).toThrow(/must be I\/N/);
  });
  it('is stable across machines, balanced, and independent of item order', () => {
    // the documented rule, computed with Python's hashlib: first 4 bytes (big-endian) of SHA-256("benchmark\0id") mod N
    expect([shardOf('vqa-rad', 'item-17', 5), shardOf('vqa-rad', 'item-18', 5), shardOf('slake', 'q0', 4), shardOf('slake', 'q1', 4),
      shardOf('pathvqa', 'img_1_q3', 7), shardOf('pathvqa', 'img_1_q3', 1)]).toEqual([2, 4, 1, 2, 5, 0]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf('slake', `q${i}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
    const ids = Array.from({ length: 50 }, (_, i) => `x${i}`);
    const covered = ids.filter((id) => [0, 1, 2].some((index) => inShard('b', id, { index, count: 3 })));
    expect(covered).toEqual(ids);
    expect(ids.filter((id) => inShard('b', id, { index: 0, count: 3 }) && inShard('b', id, { index: 1, count: 3 }))).toEqual([]);
  });
});

describe('identity', () => {
  it('reads GITHUB_* and the PR number from the event payload', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-id-'));
    const event = path.join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ number: 42, pull_request: { number: 42 } }));
    const id = await resolveIdentity({
      GITHUB_REPOSITORY: 'acme/scan', GITHUB_SHA: 'c'.repeat(40), GITHUB_REF: 'refs/pull/42/merge', GITHUB_EVENT_PATH: event,
      GITHUB_BASE_REF: 'main', GITHUB_WORKFLOW_REF: 'acme/scan/.github/workflows/eval.yml@refs/heads/main', GITHUB_RUN_ID: '991',
    }, dir);
    expect(id).toEqual({ repository: 'acme/scan', commit: 'c'.repeat(40), ref: 'refs/pull/42/merge', prNumber: 42, baseRef: 'main',
      workflowRef: 'acme/scan/.github/workflows/eval.yml@refs/heads/main', runId: '991' });
  });
  it('runId carries the attempt, so a re-run of the same workflow run is a new run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-attempt-'));
    const env = { GITHUB_REPOSITORY: 'acme/scan', GITHUB_SHA: 'c'.repeat(40), GITHUB_RUN_ID: '991' };
    expect((await resolveIdentity({ ...env, GITHUB_RUN_ATTEMPT: '2' }, dir)).runId).toBe('991-2');
    expect((await resolveIdentity(env, dir)).runId).toBe('991');
    expect(runIdOf({ GITHUB_RUN_ID: '9'.repeat(63), GITHUB_RUN_ATTEMPT: '3' })).toBe('9'.repeat(63));
    expect(runIdOf({ GITHUB_RUN_ATTEMPT: '3' })).toBeNull();
  });
  it('falls back to nulls outside git and Actions, never throwing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-nogit-'));
    expect(await resolveIdentity({ GIT_CEILING_DIRECTORIES: tmpdir() }, dir)).toEqual({
      repository: null, commit: null, ref: null, prNumber: null, baseRef: null, workflowRef: null, runId: null,
    });
  });
  it('parses remotes, PR refs and endpoint hosts (no credentials or paths)', () => {
    expect(repoFromRemote('https://github.com/acme/scan.git')).toBe('acme/scan');
    expect(repoFromRemote('git@github.com:acme/scan.git')).toBe('acme/scan');
    expect(prFromRef('refs/pull/12/merge')).toBe(12);
    expect(prFromRef('refs/heads/main')).toBeNull();
    expect(endpointHost('https://user:secret@models.example.org:8443/v1?key=abc')).toBe('models.example.org:8443');
  });
});

describe('progress', () => {
  it('non-TTY: one line per 5% step, not per item', () => {
    const lines: string[] = [];
    let t = 0;
    const p = createProgress({ isTTY: false, write: (s) => lines.push(s), now: () => t });
    p.start(1000);
    for (let done = 1; done <= 1000; done++) {
      t += 10;
      p.update({ done, total: 1000, errors: 0, unparsed: 1, cached: 0 });
    }
    p.finish({ done: 1000, total: 1000, errors: 0, unparsed: 1, cached: 0 });
    expect(lines.length).toBe(1 + 20 + 1);
    expect(lines[1]).toMatch(/^progress: 50\/1000 \(5\.0%\) · 100\.0 items\/s · ETA 10s · errors 0 · unparsed 1\n$/);
  });
  it('non-TTY: a line every 30 s even without progress', () => {
    const lines: string[] = [];
    let t = 0;
    const p = createProgress({ isTTY: false, write: (s) => lines.push(s), now: () => t });
    p.start(100);
    t = 31_000;
    p.update({ done: 1, total: 100, errors: 0, unparsed: 0, cached: 0 });
    expect(lines).toHaveLength(2);
  });
  it('TTY: redraws one line in place', () => {
    const out: string[] = [];
    let t = 0;
    const p = createProgress({ isTTY: true, write: (s) => out.push(s), now: () => (t += 200) });
    p.start(10);
    p.update({ done: 5, total: 10, errors: 1, unparsed: 0, cached: 0 });
    expect(out[0]).toMatch(/^\r\x1b\[2K\[#{12}\.{12}\] 5\/10 \(50\.0%\).*errors 1/);
    expect(formatDuration(3725)).toBe('1h02m');
  });
});

describe('pool', () => {
  it('never runs more than N tasks at once and pulls tasks lazily', async () => {
    let active = 0;
    let peak = 0;
    let produced = 0;
    function* tasks() {
      for (let i = 0; i < 40; i++) {
        produced++;
        yield i;
      }
    }
    const seenAtStart: number[] = [];
    await runPool(tasks(), 4, async () => {
      seenAtStart.push(produced);
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
    });
    expect(peak).toBe(4);
    expect(seenAtStart[0]).toBeLessThanOrEqual(4);
  });
  it('stops the other workers and rethrows the first error', async () => {
    let started = 0;
    const err = await runPool(Array.from({ length: 100 }, (_, i) => i), 3, async (i) => {
      started++;
      await new Promise((r) => setTimeout(r, 1));
      if (i === 5) throw new Error('boom');
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe('boom');
    expect(started).toBeLessThan(20);
  });
});

describe('results helpers', () => {
  it('nearest-rank percentiles and timing', () => {
    const xs = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(xs, 0.5), percentile(xs, 0.95), percentile([], 0.5)]).toEqual([50, 95, 0]);
    const t = buildTiming({ startedAt: 0, finishedAt: 4000, freshItems: 10, latenciesMs: [5, 1, 3], tokens: { prompt: 3, completion: 4 } });
    expect(t).toMatchObject({ wallSeconds: 4, itemsPerSecond: 2.5, latencyMs: { p50: 3, p95: 5 } });
  });
  it('run keys change with any setting', () => {
    const k = { model: 'm', checkpoint: 'm', decoding: { temperature: 0, topP: null, maxTokens: 9, seed: 1 }, protocol: 'paper' as const,
      benchmarks: [{ id: 'vqa-rad', fingerprint: 'f' }], commit: null, shardCount: 3, limit: null, judge: null };
    // shards on different machines must agree: SHA-256 of the settings as a JSON array, first 32 hex (Python's hashlib)
    expect(computeRunKey(k)).toBe('e71ba7896e2ac0447fa5c0cbfcc34abb');
    expect(computeRunKey({ ...k, limit: 5 })).not.toBe(computeRunKey(k));
    expect(computeRunKey({ ...k, decoding: { ...k.decoding, seed: 2 } })).not.toBe(computeRunKey(k));
  });
  it('benchmark lists: ids, comma lists, all', () => {
    expect(parseBenchmarkList('vqa-rad, slake')).toEqual(['vqa-rad', 'slake']);
    expect(parseBenchmarkList(undefined)).toBe('all');
    expect(parseBenchmarkList(['all'])).toBe('all');
  });
});

describe('judge', () => {
  it('asks for a yes/no verdict with question, reference and answer', () => {
    const p = buildJudgePrompt('What is shown?', 'pneumothorax', 'A collapsed lung (pneumothorax).');
    expect(p).toContain('Reference answer: pneumothorax');
    expect(p).toContain('Model answer: A collapsed lung (pneumothorax).');
    expect(p).toMatch(/Reply with exactly one word: yes or no\.$/);
  });
  it('parses verdicts strictly', () => {
    expect(parseVerdict('Yes')).toBe(true);
    expect(parseVerdict('**No**, the answer differs.')).toBe(false);
    expect(parseVerdict('<think>is it yes? no…</think>\nyes')).toBe(true);
    expect(parseVerdict('The answers match, so: yes.')).toBe(true);
    expect(parseVerdict('cannot tell')).toBeNull();
    expect(parseVerdict('maybe yes, maybe no')).toBeNull();
  });
});

describe('API keys (sent in an Authorization header)', () => {
  it('drops surrounding whitespace, refuses control characters inside and empty keys', () => {
    expect(headerSafeKey(' sk-1\n', 'k')).toBe('sk-1');
    expect(headerSafeKey(null, 'k')).toBeNull();
    expect(() => headerSafeKey('a\rb', 'the key')).toThrow(/the key contains a control character \(code 13\) at position 2/);
    expect(() => headerSafeKey(' \n', 'the key')).toThrow(/the key is empty/);
    const base = { endpoint: 'http://h:1', model: 'm', outDir: 'o', protocol: 'full' as const };
    const run = normalizeRunOptions({ ...base, apiKey: 'k\n', judge: { endpoint: 'http://j:1', model: 'j', apiKey: ' j ' } });
    expect([run.engine.apiKey, run.engine.judge!.apiKey]).toEqual(['k', 'j']);
    expect(() => normalizeRunOptions({ ...base, judge: { endpoint: 'http://j:1', model: 'j', apiKey: 'x\ty' } })).toThrow(/the judge API key contains a control character \(code 9\)/);
  });
});
