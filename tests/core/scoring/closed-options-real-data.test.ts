/**
 * Option derivation on every real closed item of VQA-RAD and SLAKE (../shared/data; skipped with the reason when
 * absent). The expected shape of each item comes from the raw JSON with a different, simple rule, not from
 * deriveClosedChoices: a yes/no answer word (the sets below, read by hand from the answers the files contain) means a
 * yes/no item; otherwise the question lists its options, three for the item ids listed by hand below, none derivable
 * for the ids whose answer is not among the listed options, two for every other one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import { deriveClosedChoices } from '../../../action/src/core/scoring/protocol.js';
import { sharedData } from '../../helpers/shared-data.js';

type Raw = { qid: number; question: string; answer: string | number; answer_type: string; q_lang?: string };
type Shape = 'yes/no' | '2 options' | '3 options' | 'none';

const YES_NO: Record<string, Set<string>> = {
  en: new Set(['yes', 'no']),
  // every Chinese closed answer in SLAKE's test.json that affirms or denies (是的 yes, 不是 no, 包含 contains, 有 has,
  // 可以 can, 正常 normal, 健康 healthy, 存在 exists, and their negations)
  zh: new Set(['是', '是的', '否', '不是', '包含', '不包含', '有', '没有', '可以', '不可以', '正常', '不正常', '健康', '不健康', '存在']),
};
/** "left, right, or both", "T1 weighted, T2 weighted, or FLAIR", "lung, liver or heart", "核磁共振、CT还是X光", … */
const THREE_OPTIONS = new Set([2770, 2938, 11944, 11954, 12102, 12116, 12534, 12864, 12878, 12970, 12979, 12988,
  13029, 13343, 13387, 13804, 13848, 14018, 14027]);
/** "multiple or just 1" answered "one"; "kidney or spleen" answered "Liver"; 脾脏和肝脏 answered 心脏 */
const NO_OPTIONS = new Set([401, 12130, 13242]);

function expectedShape(r: Raw): Shape {
  if (YES_NO[r.q_lang ?? 'en']!.has(String(r.answer).trim().toLowerCase())) return 'yes/no';
  if (NO_OPTIONS.has(r.qid)) return 'none';
  return THREE_OPTIONS.has(r.qid) ? '3 options' : '2 options';
}

function derived(r: Raw): { shape: Shape; choices: Record<string, string> | null; gold: string | null } {
  const s: Sample = { id: String(r.qid), question: r.question, answer: String(r.answer), images: [], answerType: 'closed',
    metadata: { language: r.q_lang ?? 'en' } };
  const d = deriveClosedChoices(s);
  if (!d) return { shape: 'none', choices: null, gold: null };
  const yesNo = ['yes', '是'].includes(d.choices.A!);
  return { shape: yesNo ? 'yes/no' : (`${Object.keys(d.choices).length} options` as Shape), choices: d.choices, gold: d.gold };
}

const tally = (shapes: Shape[]) => shapes.reduce<Record<string, number>>((o, k) => ({ ...o, [k]: (o[k] ?? 0) + 1 }), {});
const closed = (file: string, lang?: string) => (JSON.parse(readFileSync(file, 'utf8')) as Raw[])
  .filter((r) => r.answer_type.trim() === 'CLOSED' && (lang === undefined || r.q_lang === lang));

const rad = sharedData('vqa_rad/testset.json');
const slake = sharedData('slake/test.json');
const cases = [
  { name: 'VQA-RAD test', data: rad, file: 'vqa_rad/testset.json', lang: undefined, closed: 272 },
  { name: 'SLAKE test, English', data: slake, file: 'slake/test.json', lang: 'en', closed: 416 },
  { name: 'SLAKE test, Chinese', data: slake, file: 'slake/test.json', lang: 'zh', closed: 420 },
];

for (const c of cases) {
  describe.skipIf(!c.data.available)(`option derivation on every real closed item: ${c.name}`, () => {
    const rows = () => closed(path.join(c.data.root, c.file), c.lang);

    it(`each of the ${c.closed} closed items gets the shape the raw question and answer give`, () => {
      const all = rows();
      expect(all).toHaveLength(c.closed);
      const wrong = all.filter((r) => derived(r).shape !== expectedShape(r))
        .map((r) => `${r.qid} ${r.question} → ${r.answer}: derived ${derived(r).shape}, expected ${expectedShape(r)}`);
      expect(wrong).toEqual([]);
      expect(tally(all.map(derived).map((d) => d.shape))).toEqual(tally(all.map(expectedShape)));
    });

    it('every word of every derived option is in the question, and the gold option is the dataset answer', () => {
      for (const r of rows()) {
        const d = derived(r);
        if (d.shape === 'yes/no' || d.shape === 'none') continue;
        const q = r.question.toLowerCase();
        // word by word: "left or right side" gives "left side" and "right side"
        for (const word of Object.values(d.choices!).flatMap((t) => t.toLowerCase().split(/\s+/))) expect(q, `${r.qid}`).toContain(word);
        expect(d.choices![d.gold!]!.toLowerCase(), `${r.qid}`).toBe(String(r.answer).trim().toLowerCase());
      }
    });
  });
}
