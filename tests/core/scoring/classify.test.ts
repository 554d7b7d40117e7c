import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyQuestionType, questionTypeModel, reasoningProbability } from '../../../action/src/core/scoring/classify.js';
import { featurize } from '../../../action/src/core/scoring/question-type-model.js';
import { trainQuestionTypeWeights } from '../../../action/src/core/scoring/question-type-train.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = process.env.MEDVLM_SHARED_DATA ?? path.resolve(repoRoot, '..', 'shared', 'data');
const input = path.join(shared, 'medxpertqa', 'medxpertqa_mm_input.jsonl');
const weightsFile = path.join(repoRoot, 'action', 'src', 'core', 'scoring', 'question-type-model.json');
const haveData = existsSync(input);
if (!haveData) console.warn(`classify.test: ${input} absent — skipping the reproducibility test`);

describe('question-type classifier', () => {
  it('loads the committed weights (small, with honest training figures)', () => {
    const m = questionTypeModel();
    expect(m.format).toBe('medvlm-question-type/1');
    expect(Object.keys(m.weights).length).toBeGreaterThan(1000);
    expect(readFileSync(weightsFile).length).toBeLessThan(500 * 1024);
    expect(m.training.counts).toEqual({ reasoning: 1446, understanding: 554 });
    expect(m.training.majorityBaseline).toBe(0.723);
    expect(m.training.cvAccuracy).toBeGreaterThan(m.training.majorityBaseline);
  });

  it('labels clear examples', () => {
    const vignette = 'A 62-year-old man with a 40-pack-year smoking history presents with 3 months of weight loss, hemoptysis and '
      + 'hypercalcemia. His serum calcium is 13.1 mg/dL and PTH is suppressed. Chest CT is shown. Which of the following '
      + 'is the most appropriate next step in management?';
    expect(classifyQuestionType({ question: vignette })).toBe('reasoning');
    expect(classifyQuestionType({ question: 'What modality is used to take this image?' })).toBe('understanding');
    expect(reasoningProbability(vignette)).toBeGreaterThan(reasoningProbability('What is the diagnosis?'));
  });

  it('ignores MedXpertQA\'s embedded answer choices', () => {
    expect(featurize('What is shown?\nAnswer Choices: (A) Liver (B) Lung')).toEqual(featurize('What is shown?'));
  });

  it.skipIf(!haveData)('the training script reproduces the committed weights exactly', () => {
    const fresh = trainQuestionTypeWeights(readFileSync(input, 'utf8'), 'medxpertqa/medxpertqa_mm_input.jsonl');
    expect(`${JSON.stringify(fresh, null, 1)}\n`).toBe(readFileSync(weightsFile, 'utf8'));
  });
});
