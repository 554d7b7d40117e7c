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

const MODEL = MODEL_JSON as unknown as QuestionTypeWeights;

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
  return classifyWithProbability(sample).type;
}

/**
 * The label with the classifier's P(reasoning), rounded to 3 decimals: recorded per item
 * (metadata.questionTypeProbability) so a user can see how sure each label is — 0.51 and 0.99 are both "reasoning".
 */
export function classifyWithProbability(sample: Pick<Sample, 'question'>): { type: QuestionType; pReasoning: number } {
  const p = reasoningProbability(sample.question);
  return { type: p >= 0.5 ? 'reasoning' : 'understanding', pReasoning: Math.round(p * 1000) / 1000 };
}

/** How sure the classifier was over a benchmark's items: for inspect (items labelled by data or override are not counted). */
export function questionTypeConfidence(samples: Array<Pick<Sample, 'id' | 'metadata'>>): {
  classified: number; meanConfidence: number | null; uncertain: number; uncertainExamples: Array<{ id: string; pReasoning: number }>;
} {
  const ps = samples.flatMap((s) => {
    const p = s.metadata.questionTypeProbability;
    return typeof p === 'number' ? [{ id: s.id, pReasoning: p }] : [];
  });
  // "uncertain": P(reasoning) within 0.15 of the 0.5 threshold
  const uncertain = ps.filter((x) => Math.abs(x.pReasoning - 0.5) < UNCERTAIN_MARGIN);
  const mean = ps.length ? ps.reduce((a, x) => a + Math.max(x.pReasoning, 1 - x.pReasoning), 0) / ps.length : null;
  return {
    classified: ps.length,
    meanConfidence: mean === null ? null : Math.round(mean * 1000) / 1000,
    uncertain: uncertain.length,
    uncertainExamples: uncertain.slice(0, 5),
  };
}

export const UNCERTAIN_MARGIN = 0.15;
