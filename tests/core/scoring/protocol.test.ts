import { describe, expect, it } from 'vitest';
import type { BenchmarkDef } from '../../../action/src/core/benchmarks/define.js';
import type { Sample } from '../../../action/src/core/benchmarks/types.js';
import { CHAIN_SCORER } from '../../../action/src/core/scoring/scorer.js';
import { deriveClosedChoices, isExclusion, prepareItem, PROMPT_VERSION, type PreparedItem } from '../../../action/src/core/scoring/protocol.js';

const DEF = {
  id: 'custom', version: 1, title: 't', description: 'd', license: 'x', sources: [], protocols: ['paper', 'full'],
  groupBy: ['answerType'], scorer: CHAIN_SCORER, load: async function* () {},
} as unknown as BenchmarkDef;

function sample(p: Partial<Sample>): Sample {
  return { id: 's1', question: 'Q?', answer: 'yes', images: [], answerType: 'closed', metadata: {}, ...p };
}
function item(x: ReturnType<typeof prepareItem>): PreparedItem {
  if (isExclusion(x)) throw new Error(`unexpected exclusion ${x.reason}`);
  return x;
}

describe('prepareItem — paper protocol', () => {
  it('keeps native options and lists them once', () => {
    const s = sample({ question: 'Which organ?', options: { A: 'Liver', B: 'Lung', C: 'Heart' }, answer: 'B' });
    const p = item(prepareItem(s, 'paper', DEF, 3));
    expect(p).toMatchObject({ index: 3, kind: 'mcq', gold: 'B', choices: { A: 'Liver', B: 'Lung', C: 'Heart' } });
    expect(p.prompt).toBe('Which organ?\n\nOptions:\nA. Liver\nB. Lung\nC. Heart\n\n'
      + 'Think through the question step by step. Then give your final answer as the letter of the correct option inside \\boxed{}.');
  });

  it('does not repeat choices that the question already lists (MedXpertQA)', () => {
    const q = 'Which step?\nAnswer Choices: (A) Repair (B) Plication (C) Replacement';
    const s = sample({ question: q, options: { A: 'Repair', B: 'Plication', C: 'Replacement' }, answer: 'A', optionsInQuestion: true });
    const p = item(prepareItem(s, 'paper', DEF, 0));
    expect(p.prompt.startsWith(`${q}\n\nThink through`)).toBe(true);
    expect(p.prompt.match(/Plication/g)).toHaveLength(1);
  });

  it('keeps MMMU <image n> placeholders', () => {
    const s = sample({ question: 'Look at <image 1> and <image 2>. Which?', options: { A: 'x', B: 'y' }, answer: 'A' });
    expect(item(prepareItem(s, 'paper', DEF, 0)).prompt).toContain('<image 1> and <image 2>');
  });

  it('gives yes/no items the options A. yes / B. no', () => {
    const yes = item(prepareItem(sample({ answer: 'Yes' }), 'paper', DEF, 0));
    const no = item(prepareItem(sample({ answer: 'no' }), 'paper', DEF, 0));
    expect(yes.choices).toEqual({ A: 'yes', B: 'no' });
    expect(yes.gold).toBe('A');
    expect(no.gold).toBe('B');
  });

  it('uses Chinese yes/no options and wording for Chinese items', () => {
    const p = item(prepareItem(sample({ question: '图片中包含肝脏吗?', answer: '不包含', metadata: { language: 'zh' } }), 'paper', DEF, 0));
    expect(p.choices).toEqual({ A: '是', B: '否' });
    expect(p.gold).toBe('B');
    expect(p.prompt).toContain('选项：\nA. 是\nB. 否');
  });

  it('turns "X or Y?" closed items into two options', () => {
    const p = item(prepareItem(sample({ question: 'Is the abnormality hyperdense or hypodense?', answer: 'Hypodense' }), 'paper', DEF, 0));
    expect(p.choices).toEqual({ A: 'hyperdense', B: 'hypodense' });
    expect(p.gold).toBe('B');
  });

  it('excludes closed items whose gold is not an alternative, and open items', () => {
    const c = prepareItem(sample({ question: 'Which is bigger in this image, kidney or spleen?', answer: 'Liver' }), 'paper', DEF, 0);
    const o = prepareItem(sample({ question: 'What organ is shown?', answer: 'liver', answerType: 'open' }), 'paper', DEF, 0);
    expect(isExclusion(c) && c.reason).toBe('closed-not-binary');
    expect(isExclusion(o) && o.reason).toBe('open-ended');
  });

  it('excludes a gold that matches no option', () => {
    const x = prepareItem(sample({ options: { A: 'a', B: 'b' }, answer: 'E' }), 'paper', DEF, 0);
    expect(isExclusion(x) && x.reason).toBe('gold-not-in-options');
  });

  it('accepts a gold given as the text of exactly one option', () => {
    expect(item(prepareItem(sample({ options: { A: 'Chest region.', B: 'Head' }, answer: 'chest region' }), 'paper', DEF, 0)).gold).toBe('A');
  });
});

describe('prepareItem — full protocol', () => {
  it('scores open items with the open prompt and the reference text as gold', () => {
    const p = item(prepareItem(sample({ question: 'What organ is shown?', answer: ' Liver ', answerType: 'open' }), 'full', DEF, 1));
    expect(p).toMatchObject({ kind: 'open', choices: null, gold: 'Liver' });
    expect(p.prompt).toBe('What organ is shown?\n\nThink through the question step by step. Then give your final answer, a single word or short phrase, inside \\boxed{}.');
  });

  it('treats non-derivable closed items as short-answer open items', () => {
    const p = item(prepareItem(sample({ question: 'Which is bigger in this image, kidney or spleen?', answer: 'Liver' }), 'full', DEF, 0));
    expect(p.kind).toBe('open');
  });

  it('keeps derivable closed items multiple choice, identical to paper', () => {
    const s = sample({ answer: 'no' });
    expect(item(prepareItem(s, 'full', DEF, 0)).prompt).toBe(item(prepareItem(s, 'paper', DEF, 0)).prompt);
  });
});

describe('deriveClosedChoices', () => {
  const cases: Array<[string, string, Record<string, string> | null, string | null]> = [
    ['Is this a T1 weighted or T2 weighted MRI image?', 'T2', { A: 'T1', B: 'T2' }, 'B'],
    ['Is this an MRI or a CT scan?', 'MRI', { A: 'MRI', B: 'CT' }, 'A'],
    ['Is the lesion on the left or right side of the brain?', 'Left', { A: 'left', B: 'right' }, 'A'],
    ['Are pleural opacities located on the left, right, or both sides of the lung?', 'Both', { A: 'left', B: 'right', C: 'both' }, 'C'],
    ['Which is the biggest in this image,lung,liver or heart?', 'Liver', { A: 'lung', B: 'liver', C: 'heart' }, 'B'],
    ['Which is smaller in this image,liver or right kidney?', 'Right Kidney', { A: 'liver', B: 'right kidney' }, 'B'],
    ['Which type of modality is shown about this image, MRI, CT or X-Ray?', 'CT', { A: 'MRI', B: 'CT', C: 'X-Ray' }, 'B'],
    ['Are there multiple or just 1 metastatic focus?', 'one', null, null],
    ['扫描的是图像的哪个平面,横断面还是冠状面?', '冠状面', { A: '横断面', B: '冠状面' }, 'B'],
    ['这张图像显示的是哪种类型的成像,核磁共振、CT还是X光?', 'X光', { A: '核磁共振', B: 'CT', C: 'X光' }, 'C'],
    ['这是T1加权还是T2加权的核磁共振图像?', 'T2', { A: 'T1', B: 'T2' }, 'B'],
    ['相对于其他组织,脑肿瘤是白色的还是灰色的?', '白色', { A: '白色', B: '灰色' }, 'A'],
    ['图中异常是高密度还是低密度?', '低密度', { A: '高密度', B: '低密度' }, 'B'],
    ['这是肺还是心脏?', '心脏', null, null],
    ['肺或者心脏哪个是异常的?', '肺', { A: '肺', B: '心脏' }, 'A'],
    ['图中脾脏和肝脏哪个更大?', '肝脏', { A: '脾脏', B: '肝脏' }, 'B'],
    ['图中脾脏和肝脏哪个更大?', '心脏', null, null],
    ['肝脏和脾脏谁的体积大?', '肝脏', { A: '肝脏', B: '脾脏' }, 'A'],
    ['在这个图像中左肺和肝脏哪个体积更大?', '肝脏', { A: '左肺', B: '肝脏' }, 'B'],
    ['图中心脏、肺和肝脏哪个更大?', '肺', { A: '心脏', B: '肺', C: '肝脏' }, 'B'],
    ['Is the gastric bubble shown on the left or right side of the patient?', 'Right side', { A: 'left side', B: 'right side' }, 'B'],
    ['What is shown?', 'liver', null, null],
  ];
  it.each(cases)('%s (%s)', (question, answer, choices, gold) => {
    const d = deriveClosedChoices(sample({ question, answer }));
    expect(d?.choices ?? null).toEqual(choices);
    expect(d?.gold ?? null).toBe(gold);
  });
});

it('PROMPT_VERSION covers the three protocols', () => {
  expect(Object.keys(PROMPT_VERSION).sort()).toEqual(['closed', 'full', 'paper']);
  for (const v of Object.values(PROMPT_VERSION)) expect(Number.isInteger(v) && v >= 1).toBe(true);
});

// Option derivation on every real closed item (VQA-RAD, SLAKE en/zh): closed-options-real-data.test.ts, with expected
// shapes from the raw files rather than totals copied from output.
