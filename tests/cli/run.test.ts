import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countBits } from '../../schemas/bitset.js';
import { RunResult } from '../../schemas/results.js';
import { startBaselineServer, type BaselineServer } from '../../action/src/runner/baseline-server.js';
import { runEvaluation, type RunOptions } from '../../action/src/runner/run.js';
import { prepareBenchmark } from '../../action/src/core/suite.js';
import { sharedData } from '../helpers/shared-data.js';
import { spawnCli } from './cli-helpers.js';

const data = sharedData('vqa_rad');

/** The raw release's test items (phrase_type test_*), read with plain JSON.parse. */
type RawItem = { qid: number; phrase_type: string; answer: string | number; answer_type: string };
const rawTestItems = (): RawItem[] => (JSON.parse(readFileSync(path.join(data.dir, 'VQA_RAD Dataset Public.json'), 'utf8')) as RawItem[])
  .filter((r) => r.phrase_type.startsWith('test'));
const closedYesNo = (r: RawItem) => r.answer_type.trim() === 'CLOSED' && /^(yes|no)$/i.test(String(r.answer).trim());
const tmp = () => mkdtempSync(path.join(tmpdir(), 'medvlm-run-'));
const quiet = { fetch, now: Date.now, log: () => {} };

/** Only what needs the real release; every other run behaviour is in run-generated.test.ts on generated data. */
describe.skipIf(!data.available)('run against serve-baseline on VQA-RAD (real data)', () => {
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
  afterAll(() => server.close());

  it('evaluates all 451 items: scored as the paper protocol gives, accuracy near chance, schema-valid results.json', async () => {
    const raw = rawTestItems();
    const pb = await prepareBenchmark('vqa-rad', { protocol: 'paper', dataDir: data.root });
    const b = clean.benchmarks[0]!;
    // from the raw release, not from the loader: 451 test QA; the paper protocol scores the CLOSED yes/no ones
    expect(raw).toHaveLength(451);
    expect(b.counts.items).toBe(raw.length);
    expect(b.counts.scored).toBe(raw.filter(closedYesNo).length);
    expect(b.counts.scored).toBe(251);
    expect(b.counts.excluded).toBe(451 - 251);
    expect(b.fingerprint).toBe(pb.fingerprint);
    expect(countBits(b.outcomes.present, b.outcomes.n)).toBe(b.counts.scored);
    const acc = b.metrics.find((m) => m.name === 'accuracy')!;
    const se = Math.sqrt((b.chanceAccuracy! * (1 - b.chanceAccuracy!)) / acc.n);
    expect(Math.abs(acc.value - b.chanceAccuracy!)).toBeLessThan(4 * se);
    expect(b.counts.unparsed + b.counts.errors).toBe(0);
    expect(clean.decoding).toEqual({ temperature: 0, topP: null, maxTokens: 8192, seed: 42 });
    expect(clean.model).toEqual({ name: 'baseline', checkpoint: 'baseline', endpointHost: new URL(server.url).host });
  });
});

describe('run: bad flags', () => {
  it.each([
    [['--model', 'm'], /--endpoint URL is required/],
    [['--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--concurrency', 'abc'], /--concurrency 'abc' must be an integer between 1 and 4096/],
    [['--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--shard', '4/3'], /--shard '4\/3' must be I\/N/],
    [['--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--protocol', 'exact'], /--protocol 'exact' must be one of: paper, closed, full/],
    [['--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--api-key-env', 'MEDVLM_NO_SUCH_VAR'], /MEDVLM_NO_SUCH_VAR: that environment variable is not set/],
    // the unknown id is reported before vqa-rad's (missing) data is even looked at
    [['--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--benchmarks', 'vqa-rad,foo', '--data-dir', '/nonexistent-medvlm'],
      /^medvlm-bench run: unknown benchmark 'foo'; valid ids: /m],
  ])('%j → exit 2 with a specific message', async (args, message) => {
    const cli = spawnCli(['run', ...args]);
    expect((await cli.exit).code).toBe(2);
    expect(cli.stderr()).toMatch(message);
  });

  it('refuses an API key with a line break inside before any request, naming the variable and position', async () => {
    const cli = spawnCli(['run', '--endpoint', 'http://127.0.0.1:1', '--model', 'm', '--api-key-env', 'MEDVLM_BAD_KEY'], { MEDVLM_BAD_KEY: 'sk-abc\ndef\n' });
    expect((await cli.exit).code).toBe(2);
    expect(cli.stderr()).toMatch(/--api-key-env MEDVLM_BAD_KEY: the value contains a control character \(code 10\) at position 7/);
  });
});
