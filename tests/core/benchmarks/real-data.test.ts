/**
 * Facts that must hold on the real data in ../shared/data (skipped, with the reason printed, when absent).
 * Counts come from shared/data/SOURCES.md and BENCHMARKS.md; the loader must reproduce them exactly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBenchmark } from '../../../action/src/core/benchmarks/index.js';
import type { LoadOptions, Sample } from '../../../action/src/core/benchmarks/types.js';
import { sharedData } from '../../helpers/shared-data.js';

/** One availability check per benchmark folder, so a missing folder skips only that benchmark's facts. */
const has = {
  vqaRad: sharedData('vqa_rad').available, slake: sharedData('slake').available, pathvqa: sharedData('pathvqa').available,
  medxpertqa: sharedData('medxpertqa').available, omnimedvqa: sharedData('omnimedvqa').available,
};
const root = sharedData().root;

async function load(id: string, opts: Partial<LoadOptions> = {}): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of getBenchmark(id).load({ dataDir: root, env: {}, ...opts })) out.push(s);
  return out;
}

function count<T>(xs: T[], key: (x: T) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) {
    const k = key(x);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

const yesNo = (s: Sample) => /^(yes|no)$/i.test(s.answer);

describe.skipIf(!has.vqaRad)('real data: vqa-rad', () => {
  it('vqa-rad: 451 test items, CLOSED 272 / OPEN 179, 251 yes/no answers, every image present', async () => {
    const samples = await load('vqa-rad');
    expect(samples).toHaveLength(451);
    expect(count(samples, (s) => s.answerType)).toEqual({ closed: 272, open: 179 });
    expect(samples.filter(yesNo)).toHaveLength(251);
    const exists = await Promise.all(samples.map((s) => s.images[0]!.exists()));
    expect(exists.every(Boolean)).toBe(true);
    const bytes = await samples[0]!.images[0]!.read();
    expect(samples[0]!.images[0]!.mime).toBe('image/jpeg');
    expect(bytes.length).toBeGreaterThan(1000);
  });

});

describe.skipIf(!has.slake)('real data: slake', () => {
  it('slake: English test 1,061 (CLOSED 416 / OPEN 645) by default; zh 1,033; all 2,094', async () => {
    const en = await load('slake');
    expect(en).toHaveLength(1061);
    expect(count(en, (s) => s.answerType)).toEqual({ closed: 416, open: 645 });
    expect(count(en, (s) => String(s.metadata.modality))).toEqual({ CT: 472, 'X-Ray': 361, MRI: 228 });
    expect(await load('slake', { language: 'zh' })).toHaveLength(1033);
    const all = await load('slake', { language: 'all' });
    expect(all).toHaveLength(2094);
    expect(await all[all.length - 1]!.images[0]!.exists()).toBe(true);
  });

});

// checked before any data is looked for, so it needs none
it('slake: an unknown language is a clear error', async () => {
  await expect(load('slake', { language: 'fr', dataDir: '/nonexistent-medvlm' })).rejects.toThrow(/unknown language 'fr'.*en, zh, all/);
});

describe.skipIf(!has.pathvqa)('real data: pathvqa', () => {
  it('pathvqa: 6,719 test items, 3,362 yes/no-answered (= closed), all 858 images present', async () => {
    const samples = await load('pathvqa');
    expect(samples).toHaveLength(6719);
    expect(samples.filter(yesNo)).toHaveLength(3362);
    expect(count(samples, (s) => s.answerType)).toEqual({ closed: 3362, open: 3357 });
    expect(new Set(samples.map((s) => s.images[0]!.name)).size).toBe(858);
    expect(new Set(samples.map((s) => s.id)).size).toBe(6719);
  });

});

describe.skipIf(!has.medxpertqa)('real data: medxpertqa-mm', () => {
  it('medxpertqa-mm: 2,000 items, Reasoning 1,446 / Understanding 554, 1–6 images, options in question, images missing', async () => {
    const samples = await load('medxpertqa-mm');
    expect(samples).toHaveLength(2000);
    expect(count(samples, (s) => s.questionType)).toEqual({ reasoning: 1446, understanding: 554 });
    const perItem = samples.map((s) => s.images.length);
    expect(Math.min(...perItem)).toBe(1);
    expect(Math.max(...perItem)).toBe(6);
    expect(perItem.reduce((a, b) => a + b, 0)).toBe(2852);
    expect(samples.every((s) => s.optionsInQuestion === true && Object.keys(s.options!).join('') === 'ABCDE')).toBe(true);
    expect(samples.every((s) => s.answer in s.options!)).toBe(true);
    expect(await samples[0]!.images[0]!.exists()).toBe(false);
    await expect(samples[0]!.images[0]!.read()).rejects.toThrow(/images\.zip/);
  });

});

/**
 * OmniMedVQA's raw split files, read without the loader: item counts per question-type file, and each item's modality
 * by looking its image path up in the modality files (no image is in two of them).
 */
function omniFromRawFiles(): { perType: Record<string, number>; perModality: Record<string, number>; unmatched: number } {
  const dir = (split: string) => path.join(root, 'omnimedvqa', 'Splits', split, 'test');
  const read = (split: string, file: string) => JSON.parse(readFileSync(path.join(dir(split), file), 'utf8')) as Array<{ image: string }>;
  const name = (file: string) => file.replace(/_test\.json$/, '');
  const modalityOf = new Map<string, string>();
  for (const f of readdirSync(dir('modality'))) for (const r of read('modality', f)) modalityOf.set(r.image, name(f));
  const perType: Record<string, number> = {};
  const perModality: Record<string, number> = {};
  let unmatched = 0;
  for (const f of readdirSync(dir('question_type'))) {
    const rows = read('question_type', f);
    perType[name(f)] = rows.length;
    for (const r of rows) {
      const m = modalityOf.get(r.image);
      if (m === undefined) unmatched++;
      else perModality[m] = (perModality[m] ?? 0) + 1;
    }
  }
  return { perType, perModality, unmatched };
}

describe.skipIf(!has.omnimedvqa)('real data: omnimedvqa', () => {
  it('omnimedvqa (Med-R1 question-type splits): 17,919 items, every gold letter among 2–4 parsed options', async () => {
    const samples = await load('omnimedvqa');
    const raw = omniFromRawFiles();
    expect(samples).toHaveLength(17919);
    expect(Object.values(raw.perType).reduce((a, b) => a + b, 0)).toBe(17919);
    expect(count(samples, (s) => String(s.metadata.omniQuestionType))).toEqual(raw.perType);
    // modality joined by image path from Splits/modality/test (an independent random subset: 3,984 items match)
    expect(count(samples, (s) => (s.metadata.modality === null ? undefined : String(s.metadata.modality)))).toEqual(raw.perModality);
    expect(Object.keys(raw.perModality)).toHaveLength(8);
    expect(samples.filter((s) => s.metadata.modality === null)).toHaveLength(raw.unmatched);
    expect(17919 - raw.unmatched).toBe(3984);
    for (const s of samples) {
      const n = Object.keys(s.options!).length;
      expect(n >= 2 && n <= 4 && s.answer in s.options! && Object.values(s.options!).every((t) => t.length > 0)).toBe(true);
    }
  });
});
