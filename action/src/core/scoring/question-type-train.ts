/**
 * Training entry used by scripts/train-question-type.ts and by the reproducibility test: parses MedXpertQA's eval
 * input (JSONL with `question` and `question_type` = Reasoning | Understanding), cross-validates, fits on all rows.
 */
import { createHash } from 'node:crypto';
import {
  compactWeights, crossValidate, fitLogistic, HYPER, type LabelledQuestion, type QuestionTypeWeights,
} from './question-type-model.js';

export const CV_FOLDS = 5;

export function parseTrainingJsonl(text: string, source: string): LabelledQuestion[] {
  const out: LabelledQuestion[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: { question?: unknown; question_type?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new Error(`${source}:${i + 1}: not valid JSON`);
    }
    const type = typeof row.question_type === 'string' ? row.question_type.toLowerCase() : '';
    if (typeof row.question !== 'string' || (type !== 'reasoning' && type !== 'understanding')) {
      throw new Error(`${source}:${i + 1}: needs a string "question" and "question_type" Reasoning|Understanding`);
    }
    out.push({ question: row.question, reasoning: type === 'reasoning' });
  });
  return out;
}

export function trainQuestionTypeWeights(jsonl: string, source: string): QuestionTypeWeights {
  const data = parseTrainingJsonl(jsonl, source);
  const folds = crossValidate(data, CV_FOLDS);
  const reasoning = data.filter((d) => d.reasoning).length;
  const model = fitLogistic(data);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    format: 'medvlm-question-type/1',
    method: `logistic regression, L2 ${HYPER.l2}, ${HYPER.iterations} full-batch gradient steps of ${HYPER.step}; `
      + `binary word unigram+bigram+length-bucket features, min document frequency ${HYPER.minDf}`,
    positive: 'reasoning',
    bias: round(model.bias),
    weights: compactWeights(model.weights),
    training: {
      source,
      sha256: createHash('sha256').update(jsonl).digest('hex'),
      n: data.length,
      counts: { reasoning, understanding: data.length - reasoning },
      folds: CV_FOLDS,
      cvAccuracy: round(folds.reduce((s, a) => s + a, 0) / folds.length),
      cvAccuracyPerFold: folds.map(round),
      majorityBaseline: round(Math.max(reasoning, data.length - reasoning) / data.length),
    },
  };
}
