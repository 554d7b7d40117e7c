import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classifyQuestionType, classifyWithProbability, questionTypeConfidence, questionTypeModel, reasoningProbability,
} from '../../../action/src/core/scoring/classify.js';
import { cueFeatures } from '../../../action/src/core/scoring/question-type-cues.js';
import { featurize } from '../../../action/src/core/scoring/question-type-model.js';
import { trainQuestionTypeWeights, weakLabels } from '../../../action/src/core/scoring/question-type-train.js';
import { REPO_ROOT, sharedData } from '../../helpers/shared-data.js';

const weightsFile = path.join(REPO_ROOT, 'action', 'src', 'core', 'scoring', 'question-type-model.json');
const mx = sharedData('medxpertqa/medxpertqa_mm_input.jsonl');
const rad = sharedData('vqa_rad/trainset.json');
const slake = sharedData('slake/train.json');

describe('question-type classifier', () => {
  it('loads the committed weights (small, with honest training figures)', () => {
    const m = questionTypeModel();
    expect(m.format).toBe('medvlm-question-type/2');
    expect(Object.keys(m.weights).length).toBeGreaterThan(1000);
    expect(readFileSync(weightsFile).length).toBeLessThan(500 * 1024);
    expect(m.training.counts).toEqual({ reasoning: 1446, understanding: 554 });
    expect(m.training.majorityBaseline).toBe(0.723);
    expect(m.training.cvAccuracy).toBeGreaterThan(m.training.majorityBaseline);
  });

  it('has no length feature, and Chinese character and cue features', () => {
    expect(featurize('What modality is used?').some((f) => f.startsWith('__len'))).toBe(false);
    expect(featurize('这张图片的成像方式是什么?')).toEqual(expect.arrayContaining(['zh:成', 'zh:成像', 'cue:modality']));
    expect(cueFeatures('what modality is used to take this image?')).toEqual(['cue:modality']);
    expect(cueFeatures('如何治疗这种疾病?')).toEqual(['cue:diagnosis', 'cue:treatment']);
  });

  it('labels clear examples in both languages, whatever their length', () => {
    const vignette = 'A 62-year-old man with a 40-pack-year smoking history presents with 3 months of weight loss, hemoptysis and '
      + 'hypercalcemia. His serum calcium is 13.1 mg/dL and PTH is suppressed. Chest CT is shown. Which of the following '
      + 'is the most appropriate next step in management?';
    expect(classifyQuestionType({ question: vignette })).toBe('reasoning');
    expect(classifyQuestionType({ question: 'What modality is used to take this image?' })).toBe('understanding');
    expect(classifyQuestionType({ question: 'Does the picture contain liver?' })).toBe('understanding');
    expect(classifyQuestionType({ question: '图片中包含肝脏吗?' })).toBe('understanding');
    expect(classifyQuestionType({ question: '如何治疗这种疾病?' })).toBe('reasoning');
    expect(classifyQuestionType({ question: 'Is there a pneumothorax?' })).toBe('reasoning');
  });

  it('Chinese items no longer share one probability', () => {
    const ps = ['这张图片的成像方式是什么?', '肝脏在哪个位置?', '肺是健康的吗?', '图中病人患有脑瘤吗?'].map(reasoningProbability);
    expect(new Set(ps).size).toBe(4);
  });

  it('reports the probability with the label, and a confidence summary', () => {
    const c = classifyWithProbability({ question: 'How to treat the disease in the left lung?' });
    expect(c.type).toBe(c.pReasoning >= 0.5 ? 'reasoning' : 'understanding');
    expect(c.pReasoning).toBe(Math.round(reasoningProbability('How to treat the disease in the left lung?') * 1000) / 1000);
    const s = questionTypeConfidence([
      { id: 'a', metadata: { questionTypeProbability: 0.9 } }, { id: 'b', metadata: { questionTypeProbability: 0.45 } },
      { id: 'c', metadata: {} },
    ]);
    expect(s).toEqual({ classified: 2, meanConfidence: 0.725, uncertain: 1, uncertainExamples: [{ id: 'b', pReasoning: 0.45 }] });
  });

  it('ignores MedXpertQA\'s embedded answer choices', () => {
    expect(featurize('What is shown?\nAnswer Choices: (A) Liver (B) Lung')).toEqual(featurize('What is shown?'));
  });

  it('weak labels: mixed types are skipped', () => {
    const rows = JSON.stringify([
      { question: 'What modality?', question_type: 'MODALITY' }, { question: 'Is there a mass?', question_type: 'ABN' },
      { question: 'Is there X?', question_type: 'PRES' }, { question: 'Which side?', question_type: 'POS ' },
    ]);
    expect(weakLabels(rows, 'question_type', 't').map((d) => d.reasoning)).toEqual([false, true, false]);
  });

  // the final fit only (the 5 cross-validation fits take minutes; `npm run train:question-type -- --check` runs them)
  it.skipIf(!mx.available || !rad.available || !slake.available)('training reproduces the committed weights exactly', () => {
    const fresh = trainQuestionTypeWeights({
      medxpertqa: readFileSync(mx.dir, 'utf8'), vqaRadTrain: readFileSync(rad.dir, 'utf8'), slakeTrain: readFileSync(slake.dir, 'utf8'),
    }, 'medxpertqa/medxpertqa_mm_input.jsonl + vqa_rad/trainset.json + slake/train.json', { crossValidate: false });
    const committed = questionTypeModel();
    expect([fresh.bias, fresh.weights, fresh.training.sha256, fresh.training.sources])
      .toEqual([committed.bias, committed.weights, committed.training.sha256, committed.training.sources]);
  }, 120_000);
});
