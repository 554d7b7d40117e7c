/**
 * Hugging Face source against tests/helpers/hf-server.ts on 127.0.0.1: pattern resolution, download into the
 * standard cache layout under HF_HOME, offline reuse of the cache, HF_TOKEN, and 401/404 messages.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBenchmark } from '../../../action/src/core/benchmarks/index.js';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import { hfSettings } from '../../../action/src/core/data/hf.js';
import { startHfServer, type HfServer } from '../../helpers/hf-server.js';
import { hfParquet, jpeg, tempDir } from './fixtures.js';

const VQA_RAD_COMMIT = '74b6acbd67e60def0427836dfef45ed63ef83590';
const questions = ['is there a fracture?', 'what organ is shown?', 'is the heart enlarged?'];
const answers = ['yes', 'liver', 'no'];
const parquet = hfParquet([
  { name: 'image', kind: 'image', data: questions.map((_, i) => ({ bytes: jpeg(`rad${i}`), path: `rad${i}.jpg` })) },
  { name: 'question', kind: 'string', data: questions },
  { name: 'answer', kind: 'string', data: answers },
], 2);

let server: HfServer;
beforeAll(async () => {
  server = await startHfServer([
    { repo: 'flaviagiammarino/vqa-rad', commit: VQA_RAD_COMMIT, files: { 'data/test-00000-of-00001-abc.parquet': parquet, 'data/train-00000-of-00001-def.parquet': 'unused', 'README.md': '# card' } },
    { repo: 'BoKelvin/SLAKE', commit: 'a'.repeat(40), token: 'hf_secret', files: { 'test.json': '[]' } },
  ]);
});
afterAll(() => server.close());

async function load(id: string, env: Record<string, string>): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of getBenchmark(id).load({ env })) out.push(s);
  return out;
}

describe('Hugging Face source', () => {
  it('resolves data/test-*.parquet at the pinned commit, downloads into HF_HOME/hub, then reuses the cache offline', async () => {
    const home = tempDir('hf-home-');
    const env = { HF_HOME: home, HF_ENDPOINT: server.url };
    const samples = await load('vqa-rad', env);
    expect(samples.map((s) => [s.id, s.question, s.answer, s.answerType])).toEqual([
      ['test-0', questions[0], 'yes', 'closed'], ['test-1', questions[1], 'liver', 'open'], ['test-2', questions[2], 'no', 'closed'],
    ]);
    expect(await samples[2]!.images[0]!.read()).toEqual(jpeg('rad2'));
    const snapshot = path.join(home, 'hub', 'datasets--flaviagiammarino--vqa-rad', 'snapshots', VQA_RAD_COMMIT, 'data', 'test-00000-of-00001-abc.parquet');
    expect(existsSync(snapshot)).toBe(true);
    expect(existsSync(path.join(home, 'hub', 'datasets--flaviagiammarino--vqa-rad', 'snapshots', VQA_RAD_COMMIT, 'data', 'train-00000-of-00001-def.parquet'))).toBe(false);
    expect(server.requests.some((r) => r.startsWith('GET /datasets/flaviagiammarino/vqa-rad/resolve/'))).toBe(true);

    const before = server.requests.length;
    const again = await load('vqa-rad', { HF_HOME: home, HF_ENDPOINT: 'http://127.0.0.1:9' });
    expect(again.map((s) => s.question)).toEqual(questions);
    expect(server.requests.length).toBe(before);
  });

  it('401 without HF_TOKEN says to set HF_TOKEN; with the token the download proceeds', async () => {
    const home = tempDir('hf-home-');
    await expect(load('slake', { HF_HOME: home, HF_ENDPOINT: server.url })).rejects.toThrow(/access denied \(401\).*Set HF_TOKEN/s);
    const samples = await load('slake', { HF_HOME: home, HF_ENDPOINT: server.url, HF_TOKEN: 'hf_secret' }).catch((e: Error) => e);
    // test.json downloads; imgs.zip is not on the fixture server, so the error must name that file and 404
    expect(String(samples)).toMatch(/downloading imgs\.zip: not found \(404\)/);
    const ref = path.join(home, 'hub', 'datasets--BoKelvin--SLAKE', 'refs', 'main');
    expect(readFileSync(ref, 'utf8')).toBe('a'.repeat(40));
  });

  it('a dataset missing on the endpoint is a 404 naming the dataset, revision and --data-dir', async () => {
    const home = tempDir('hf-home-');
    await expect(load('pathvqa', { HF_HOME: home, HF_ENDPOINT: server.url })).rejects.toThrow(/not found \(404\).*flaviagiammarino\/path-vqa at revision 12d11bc4ecfb.*--data-dir/s);
  });

  it('settings default from the environment: HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE beats HF_HOME', () => {
    const s = hfSettings({}, { HF_ENDPOINT: 'https://mirror.example/', HF_TOKEN: 't', HF_HOME: '/h' });
    expect(s).toMatchObject({ endpoint: 'https://mirror.example', token: 't', cacheDir: path.join('/h', 'hub') });
    expect(hfSettings({}, { HF_HOME: '/h', HF_HUB_CACHE: '/c' }).cacheDir).toBe('/c');
    expect(hfSettings({}, {}).endpoint).toBe('https://huggingface.co');
  });
});
