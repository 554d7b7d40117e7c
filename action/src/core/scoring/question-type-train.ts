/**
 * Training entry used by scripts/train-question-type.ts and by the reproducibility test. Two kinds of labels:
 *   - MedXpertQA-MM's own `question_type` (Reasoning | Understanding), the labels the paper trained on;
 *   - weak labels for the short questions of the VQA-RAD and SLAKE *train* splits, read off their metadata by the
 *     labelling guide's rules (docs/question-type-guide.md): VQA-RAD question_type MODALITY/PLANE/ORGAN/POS/COUNT/
 *     COLOR/SIZE and SLAKE content_type Modality/Plane/Organ/Position/Quantity/Color/Shape/Size → understanding,
 *     VQA-RAD ABN and SLAKE Abnormality → reasoning; the mixed types (PRES, ATTRIB, OTHER, KG) are left out.
 *     SLAKE's train split is bilingual, so the Chinese features get weights of their own.
 * Cross-validation is over MedXpertQA only (item i in fold i mod 5); the weak-labelled questions are in every
 * training fold. The hand-labelled test-split questions (tests/core/scoring/question-type-labels.json) are never
 * trained on.
 */
import { createHash } from 'node:crypto';
import {
  compactWeights, crossValidate, fitLogistic, HYPER, type LabelledQuestion, type QuestionTypeWeights,
} from './question-type-model.js';

export const CV_FOLDS = 5;

export interface TrainingInputs {
  /** MedXpertQA's eval input JSONL (`question`, `question_type`) */
  medxpertqa: string;
  /** VQA-RAD trainset.json (MEVF split: `question`, `question_type`) */
  vqaRadTrain?: string | null;
  /** SLAKE train.json (`question`, `content_type`, `q_lang`) */
  slakeTrain?: string | null;
}

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

const VQA_RAD_WEAK: Record<string, boolean> = {
  MODALITY: false, PLANE: false, ORGAN: false, POS: false, COUNT: false, COLOR: false, SIZE: false, ABN: true,
};
const SLAKE_WEAK: Record<string, boolean> = {
  Modality: false, Plane: false, Organ: false, Position: false, Quantity: false, Color: false, Shape: false, Size: false,
  Abnormality: true,
};

/** Weak labels from a JSON array's metadata field; rows whose type is mixed or unknown are skipped. */
export function weakLabels(text: string, field: 'question_type' | 'content_type', source: string): LabelledQuestion[] {
  const rows = JSON.parse(text) as unknown;
  if (!Array.isArray(rows)) throw new Error(`${source}: expected a JSON array`);
  const table = field === 'question_type' ? VQA_RAD_WEAK : SLAKE_WEAK;
  const out: LabelledQuestion[] = [];
  for (const row of rows as Array<Record<string, unknown>>) {
    const type = typeof row[field] === 'string' ? (row[field] as string).trim() : '';
    if (typeof row.question !== 'string' || !Object.hasOwn(table, type)) continue;
    out.push({ question: row.question, reasoning: table[type]! });
  }
  return out;
}

/**
 * Weights for the weak labels, fixed before looking at any validation figure: together they weigh as much as the
 * MedXpertQA questions (so neither source dominates), split equally between the two classes (the weak labels are
 * 83% understanding, which would otherwise pull every short question to understanding).
 */
function balanceWeak(weak: LabelledQuestion[], total: number): LabelledQuestion[] {
  const reasoning = weak.filter((d) => d.reasoning).length;
  const understanding = weak.length - reasoning;
  if (reasoning === 0 || understanding === 0) return weak;
  return weak.map((d) => ({ ...d, weight: total / 2 / (d.reasoning ? reasoning : understanding) }));
}

const count = (d: LabelledQuestion[]) => {
  const reasoning = d.filter((x) => x.reasoning).length;
  return { n: d.length, reasoning, understanding: d.length - reasoning };
};

/** `crossValidate: false` skips the 5 CV fits (the reproducibility test compares only the final weights). */
export function trainQuestionTypeWeights(
  inputs: TrainingInputs, source: string, opts: { crossValidate?: boolean } = {},
): QuestionTypeWeights {
  const mx = parseTrainingJsonl(inputs.medxpertqa, 'medxpertqa');
  const rad = inputs.vqaRadTrain ? weakLabels(inputs.vqaRadTrain, 'question_type', 'vqa-rad train') : [];
  const slake = inputs.slakeTrain ? weakLabels(inputs.slakeTrain, 'content_type', 'slake train') : [];
  const weak = balanceWeak([...rad, ...slake], mx.length);
  const folds = opts.crossValidate === false ? [Number.NaN] : crossValidate(mx, CV_FOLDS, weak);
  const model = fitLogistic([...mx, ...weak]);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  const hash = createHash('sha256');
  for (const t of [inputs.medxpertqa, inputs.vqaRadTrain ?? '', inputs.slakeTrain ?? '']) hash.update(t).update('\0');
  const c = count(mx);
  return {
    format: 'medvlm-question-type/2',
    method: `logistic regression, L2 ${HYPER.l2}, ${HYPER.iterations} full-batch gradient steps of ${HYPER.step}; `
      + `binary word uni/bigrams, Chinese character uni/bigrams and bilingual cue features, no length feature; `
      + `weak labels weighted to the MedXpertQA total, class-balanced; `
      + `min document frequency ${HYPER.minDf}`,
    positive: 'reasoning',
    bias: round(model.bias),
    weights: compactWeights(model.weights),
    training: {
      source,
      sha256: hash.digest('hex'),
      n: mx.length + weak.length,
      sources: { medxpertqa: c, 'vqa-rad-train-weak': count(rad), 'slake-train-weak': count(slake) },
      counts: { reasoning: c.reasoning, understanding: c.understanding },
      folds: CV_FOLDS,
      cvAccuracy: round(folds.reduce((s, a) => s + a, 0) / folds.length),
      cvAccuracyPerFold: folds.map(round),
      majorityBaseline: round(Math.max(c.reasoning, c.understanding) / c.n),
    },
  };
}
