/**
 * Understanding vs reasoning for benchmarks without labels (the paper's Tables 2/3 split). The paper trained a
 * classifier on MedXpertQA's labels over image–text embeddings we cannot compute here; we use a transparent text
 * classifier trained the same way on the same labels (question-type-model.ts; weights committed in
 * question-type-model.json, reproduced by `npm run train:question-type`). Labels from the data win and a user's
 * override file beats the classifier: both are applied by prepareBenchmark (suite.ts), not here.
 */
import type { QuestionType, Sample } from '../benchmarks/types.js';
import { featurize, probabilityReasoning, type QuestionTypeWeights } from './question-type-model.js';
import MODEL_JSON from './question-type-model.json' with { type: 'json' };

const MODEL = MODEL_JSON as QuestionTypeWeights;

/** The committed model (for reporting its method and cross-validated accuracy). */
export function questionTypeModel(): QuestionTypeWeights {
  return MODEL;
}

/** P(reasoning) for a question text under the committed weights. */
export function reasoningProbability(question: string): number {
  return probabilityReasoning(featurize(question), MODEL.bias, MODEL.weights);
}

/** 'reasoning' when P(reasoning) ≥ 0.5, else 'understanding'. Uses the question text only. */
export function classifyQuestionType(sample: Pick<Sample, 'question'>): QuestionType {
  return reasoningProbability(sample.question) >= 0.5 ? 'reasoning' : 'understanding';
}
