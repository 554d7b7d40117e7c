/**
 * The classifier against 170 questions of the VQA-RAD, SLAKE (en + zh) and PathVQA test splits, labelled by hand
 * with docs/question-type-guide.md (question-type-labels.json holds ids and labels only; the questions are read
 * from the shared data, so the suite skips when it is absent). None of these questions is trained on: the weak
 * labels come from the train splits. The figures are the ones docs/scoring.md and README report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyQuestionType } from '../../../action/src/core/scoring/classify.js';
import { sharedData } from '../../helpers/shared-data.js';
import LABELS from './question-type-labels.json' with { type: 'json' };

const rad = sharedData('vqa_rad/VQA_RAD Dataset Public.json');
const slake = sharedData('slake/test.json');
const path6719 = sharedData('pathvqa/DERIVED_hf_test_6719.jsonl');

function questions(): Record<string, Map<string, string>> {
  const radRows = JSON.parse(readFileSync(rad.dir, 'utf8')) as Array<{ qid: number | string; question: string }>;
  const slakeRows = JSON.parse(readFileSync(slake.dir, 'utf8')) as Array<{ qid: number; question: string }>;
  const pv = readFileSync(path6719.dir, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { hf_test_row: number; question: string });
  return {
    'vqa-rad': new Map(radRows.map((r) => [String(r.qid), r.question])),
    slake: new Map(slakeRows.map((r) => [String(r.qid), r.question])),
    pathvqa: new Map(pv.map((r) => [`test-${r.hf_test_row}`, r.question])),
  };
}

describe.skipIf(!rad.available || !slake.available || !path6719.available)('question types on 170 hand-labelled test questions', () => {
  it('the labels file holds ids and labels only, 170 of them', () => {
    const all = Object.values(LABELS.labels).flatMap((m) => Object.entries(m));
    expect(all).toHaveLength(170);
    for (const [id, label] of all) {
      expect(id).toMatch(/^(\d+|test-\d+)$/);
      expect(['reasoning', 'understanding']).toContain(label);
    }
    expect(path.basename(LABELS.guide)).toBe('question-type-guide.md');
  });

  it('accuracy 140/170 (82.4%; majority class 100/170 = 58.8%), per part as documented', () => {
    const q = questions();
    const per: Record<string, [number, number]> = {};
    let majority = 0;
    for (const [bench, labels] of Object.entries(LABELS.labels) as Array<[string, Record<string, string>]>) {
      for (const [id, label] of Object.entries(labels)) {
        const question = q[bench]!.get(id);
        expect(question, `${bench} ${id}`).toBeDefined();
        const part = bench === 'slake' ? (/[\u3400-\u9fff]/u.test(question!) ? 'slake-zh' : 'slake-en') : bench;
        const hit = classifyQuestionType({ question: question! }) === label ? 1 : 0;
        per[part] = [(per[part]?.[0] ?? 0) + hit, (per[part]?.[1] ?? 0) + 1];
        if (label === 'understanding') majority++;
      }
    }
    expect(per).toEqual({ 'vqa-rad': [34, 45], 'slake-en': [39, 40], 'slake-zh': [38, 40], pathvqa: [29, 45] });
    expect(majority).toBe(100);
  });
});
