/** `inspect` and `list` through the CLI entry with captured output; real data where available, else fixtures. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBenchmark } from '../../action/src/core/benchmarks/index.js';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import { sharedData } from '../helpers/shared-data.js';
import { jpeg, tempDir, writeTree } from '../core/data/fixtures.js';

function deps(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const d: CliDeps = { out: (t) => out.push(t), err: (t) => err.push(t), fetch: globalThis.fetch, now: () => 0, env, cwd: process.cwd(), version: '0', isTTY: false };
  return { d, out, err };
}

function manifest(): string {
  const lines = [
    { id: 'a', question: 'Is it broken?', answer: 'yes', images: ['1.jpg'], modality: 'CT' },
    { id: 'b', question: 'Which side?', options: { A: 'left', B: 'right' }, answer: 'Z', images: ['gone.jpg'] },
    { id: 'c', question: 'What is it?', answer: 'cyst', questionType: 'understanding' },
  ];
  const dir = writeTree(tempDir(), { 'm.jsonl': lines.map((l) => JSON.stringify(l)).join('\n'), '1.jpg': jpeg('1') });
  return path.join(dir, 'm.jsonl');
}

describe('inspect', () => {
  it('--json has the exact keys, counts scored/excluded with reasons and missing images without failing', async () => {
    const { d, out } = deps();
    expect(await main(['inspect', 'custom', '--manifest', manifest(), '--json'], d)).toBe(0);
    const j = JSON.parse(out.join(''));
    expect(Object.keys(j).slice(0, 8)).toEqual(['benchmark', 'version', 'protocol', 'fingerprint', 'items', 'scored', 'excluded', 'groups']);
    expect(j).toMatchObject({ benchmark: 'custom', version: 1, protocol: 'paper', items: 3, scored: 1, excluded: 2, missingImages: 1 });
    expect(j.excludedReasons).toEqual({ 'gold-not-in-options': 1, 'open-ended': 1 });
    expect(j.groups.answerType).toEqual({ closed: 2, open: 1 });
    expect(j.groups.modality).toEqual({ CT: 1 });
    expect(j.groups.questionType.understanding).toBeGreaterThanOrEqual(1);
    expect(j.missingImageExamples).toEqual([{ sampleId: 'b', image: 'gone.jpg' }]);
  });

  it('full protocol scores the open item; a question-types file overrides classifier and data labels, unknown ids reported', async () => {
    const m = manifest();
    // c carries questionType "understanding" in the data: the file's explicit "reasoning" wins
    const qt = writeTree(tempDir(), { 'qt.json': JSON.stringify({ a: 'reasoning', b: 'reasoning', c: 'reasoning', ghost: 'understanding' }) });
    const { d, out } = deps();
    expect(await main(['inspect', 'custom', '--manifest', m, '--protocol', 'full', '--question-types', path.join(qt, 'qt.json'), '--json'], d)).toBe(0);
    const j = JSON.parse(out.join(''));
    expect([j.protocol, j.scored, j.excluded]).toEqual(['full', 2, 1]);
    expect(j.groups.questionType).toEqual({ reasoning: 3 });
    expect(j.unknownOverrideIds).toEqual(['ghost']);
    expect(j.excludedExamples).toEqual({ 'gold-not-in-options': ['b'] });
    const human = deps();
    expect(await main(['inspect', 'custom', '--manifest', m, '--question-types', path.join(qt, 'qt.json')], human.d)).toBe(0);
    expect(human.out.join('\n')).toContain('question-type overrides: 1 id(s) match no item (e.g. ghost)');
    expect(human.out.join('\n')).toContain('gold not in options (e.g.): b');
  });

  it('human output shows counts, missing images, fingerprint and a preview', async () => {
    const { d, out } = deps();
    expect(await main(['inspect', 'custom', '--manifest', manifest()], d)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/items 3 · scored 1 · excluded 2/);
    expect(text).toMatch(/missing image files: 1 \(e\.g\. b: gone\.jpg\)/);
    expect(text).toMatch(/fingerprint: [0-9a-f]{64}/);
    expect(text).toMatch(/preview \(scored item 0, id a\)/);
  });

  it.each([
    [['inspect', 'custom', '--bogus'], 2, /unknown option '--bogus'/],
    [['inspect'], 2, /expected exactly one benchmark id/],
    [['inspect', 'nope'], 2, /unknown benchmark 'nope'/],
    [['inspect', 'custom', '--protocol', 'fast'], 2, /--protocol 'fast' must be one of: paper, closed, full/],
    [['inspect', 'vqa-rad', '--language', 'en', '--data-dir', '.'], 2, /vqa-rad has no language variants/],
  ])('%j exits %i with a clear error', async (argv, code, message) => {
    const { d, err } = deps();
    expect(await main(argv as string[], d)).toBe(code);
    expect(err.join('\n')).toMatch(message);
  });

  it('--data-dir defaults from MEDVLM_DATA_DIR', async () => {
    const empty = tempDir();
    const { d, err } = deps({ MEDVLM_DATA_DIR: empty });
    expect(await main(['inspect', 'slake'], d)).toBe(1);
    expect(err.join('\n')).toContain(`no data found in ${empty}`);
  });
});

/** Exact `inspect --json` figures per benchmark on ../shared/data (paper protocol); each skips on its own. */
const REAL: Array<{ id: string; folder: string; items: number; scored: number; missingImages: number; extra?: string[] }> = [
  { id: 'vqa-rad', folder: 'vqa_rad', items: 451, scored: 251, missingImages: 0 },
  { id: 'slake', folder: 'slake', items: 1061, scored: 416, missingImages: 0 },
  { id: 'pathvqa', folder: 'pathvqa', items: 6719, scored: 3362, missingImages: 0 },
  { id: 'medxpertqa-mm', folder: 'medxpertqa', items: 2000, scored: 2000, missingImages: 2852 },
  { id: 'omnimedvqa', folder: 'omnimedvqa', items: 17919, scored: 17919, missingImages: 17919 },
];
for (const c of REAL) {
  const data = sharedData(c.folder);
  describe.skipIf(!data.available)(`inspect ${c.id} on ../shared/data`, () => {
    it(`${c.items} items, ${c.scored} scored (paper), ${c.missingImages} missing image files`, async () => {
      const { d, out } = deps();
      expect(await main(['inspect', c.id, '--data-dir', data.root, '--json', ...(c.extra ?? [])], d)).toBe(0);
      const j = JSON.parse(out.join(''));
      expect([j.items, j.scored, j.excluded, j.missingImages]).toEqual([c.items, c.scored, c.items - c.scored, c.missingImages]);
      expect(j.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      if (c.id === 'vqa-rad') expect([j.groups.answerType, j.excludedReasons]).toEqual([{ closed: 272, open: 179 }, { 'open-ended': 179, 'closed-not-yes-no': 21 }]);
      if (c.id === 'medxpertqa-mm') expect(j.groups.questionType).toEqual({ reasoning: 1446, understanding: 554 });
    });
  });
}

describe('list', () => {
  it('lists all nine with sources and protocols; --json parses', async () => {
    const { d, out } = deps();
    expect(await main(['list'], d)).toBe(0);
    const text = out.join('\n');
    for (const id of ['vqa-rad', 'slake', 'pathvqa', 'pmc-vqa', 'omnimedvqa', 'mmmu-med', 'medxpertqa-mm', 'medframeqa', 'custom']) expect(text).toContain(`${id} v${getBenchmark(id).version}`);
    expect(text).toMatch(/source: Hugging Face flaviagiammarino\/vqa-rad@74b6acbd67e6/);
    expect(text).toMatch(/protocols: paper, closed, full · languages: en, zh, all \(default en\)/);
    const j = deps();
    expect(await main(['list', '--json'], j.d)).toBe(0);
    expect(JSON.parse(j.out.join('')).map((b: { id: string }) => b.id)).toHaveLength(9);
    const bad = deps();
    expect(await main(['list', '--x'], bad.d)).toBe(2);
  });
});
