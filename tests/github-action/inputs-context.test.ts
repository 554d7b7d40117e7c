import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGithubContext } from '../../action/src/github-action/github/context.js';
import { readInputs } from '../../action/src/github-action/inputs.js';
import { findShardDirs } from '../../action/src/runner/shard-dirs.js';

const fs = { existsSync, readdirSync, readFileSync: (p: string, e: 'utf8') => readFileSync(p, e) };
const get = (m: Record<string, string>) => (name: string) => m[name] ?? '';

describe('readInputs', () => {
  it('applies the documented defaults', () => {
    const i = readInputs(get({ endpoint: 'http://127.0.0.1:8000/v1', model: 'm' }));
    expect(i).toMatchObject({
      benchmarks: 'all', protocol: 'paper', concurrency: 32, aggregatorAuth: 'oidc', oidcAudience: 'medvlm-bench',
      baseline: { kind: 'merge-base' }, comment: 'on-change', failOn: 'gate', aggregatorRequired: false, resultsDir: 'medvlm-bench-results',
      limit: null, shard: null,
    });
  });

  it('parses baselines and rejects bad values naming the input', () => {
    const base = { endpoint: 'http://x/v1', model: 'm' };
    expect(readInputs(get({ ...base, baseline: 'sha:abc1234' })).baseline).toEqual({ kind: 'sha', sha: 'abc1234' });
    expect(readInputs(get({ ...base, baseline: 'ref:main' })).baseline).toEqual({ kind: 'ref', ref: 'main' });
    expect(() => readInputs(get({ ...base, baseline: 'latest' }))).toThrow(/input `baseline`: 'latest' must be merge-base/);
    expect(() => readInputs(get({ ...base, comment: 'sometimes' }))).toThrow(/input `comment`: 'sometimes' is not one of always, on-change, never/);
    expect(() => readInputs(get({ ...base, concurrency: '0' }))).toThrow(/input `concurrency`: '0' must be an integer from 1/);
    expect(() => readInputs(get({ ...base, 'aggregator-required': 'yes' }))).toThrow(/must be true or false/);
    expect(() => readInputs(get({ ...base, 'aggregator-url': 'ftp://x' }))).toThrow(/not an http\(s\) URL/);
    expect(() => readInputs(get({ ...base, 'aggregator-url': 'http://w', 'aggregator-auth': 'token' }))).toThrow(/aggregator-token` is required/);
  });

  it('needs an endpoint and model unless merging shards', () => {
    expect(() => readInputs(get({ model: 'm' }))).toThrow(/input `endpoint` is required/);
    expect(() => readInputs(get({ endpoint: 'http://x/v1' }))).toThrow(/input `model` is required/);
    expect(readInputs(get({ 'merge-shards': 'shards/*' })).mergeShards).toBe('shards/*');
    expect(() => readInputs(get({ 'merge-shards': 'x/*', shard: '1/2' }))).toThrow(/cannot be combined/);
  });
});

describe('readGithubContext', () => {
  it('reads a pull_request payload and detects forks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
    const ev = join(dir, 'event.json');
    writeFileSync(ev, JSON.stringify({ pull_request: { number: 7, base: { sha: '1'.repeat(40), ref: 'main' }, head: { sha: '2'.repeat(40), ref: 'feat', repo: { full_name: 'someone/fork', fork: true } } } }));
    const ctx = readGithubContext({ GITHUB_REPOSITORY: 'acme/vision', GITHUB_EVENT_PATH: ev, GITHUB_SHA: '3'.repeat(40), GITHUB_RUN_ID: '9' }, fs, dir);
    expect(ctx.pr).toEqual({ number: 7, baseSha: '1'.repeat(40), baseRef: 'main', headSha: '2'.repeat(40), headRef: 'feat', fromFork: true });
    expect(ctx.runUrl).toBe('https://github.com/acme/vision/actions/runs/9');
    expect(ctx.owner).toBe('acme');
  });

  it('reads the previous tip of a push, ignoring the all-zero sha of a new branch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
    const ev = join(dir, 'event.json');
    writeFileSync(ev, JSON.stringify({ before: '4'.repeat(40), ref: 'refs/heads/main' }));
    expect(readGithubContext({ GITHUB_EVENT_PATH: ev }, fs, dir).pushBefore).toBe('4'.repeat(40));
    writeFileSync(ev, JSON.stringify({ before: '0'.repeat(40), ref: 'refs/heads/new' }));
    expect(readGithubContext({ GITHUB_EVENT_PATH: ev }, fs, dir).pushBefore).toBeNull();
  });
});

describe('findShardDirs', () => {
  it('matches directories holding results.json with *, ** and several lines', () => {
    const root = mkdtempSync(join(tmpdir(), 'shards-'));
    for (const d of ['shards/shard-1', 'shards/shard-2', 'shards/other', 'deep/a/b/shard-3']) {
      mkdirSync(join(root, d), { recursive: true });
      if (d !== 'shards/other') writeFileSync(join(root, d, 'results.json'), '{}');
    }
    expect(findShardDirs('shards/*', root, fs)).toEqual([join(root, 'shards/shard-1'), join(root, 'shards/shard-2')]);
    expect(findShardDirs('deep/**/shard-?\nshards/shard-2', root, fs)).toEqual([join(root, 'deep/a/b/shard-3'), join(root, 'shards/shard-2')]);
    expect(findShardDirs('nothing/*', root, fs)).toEqual([]);
  });
});
