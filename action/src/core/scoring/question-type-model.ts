/**
 * The understanding-vs-reasoning text classifier: features, training and prediction. Pure and deterministic (no
 * randomness anywhere), so `npm run train:question-type` reproduces the committed weights byte for byte.
 *
 * Method: L2-regularised logistic regression over binary features of the question text only (the same input every
 * benchmark has; MedXpertQA's embedded "Answer Choices: …" tail is cut off first):
 *   - word unigrams and bigrams (lowercase, Latin letters/digits, numbers collapsed to "<num>");
 *   - Chinese: character unigrams and bigrams of every CJK run ("zh:肝", "zh:肝脏");
 *   - cue features shared by both languages (question-type-cues.ts): "cue:modality" fires on "what modality" and on
 *     成像方式, so what the English training questions teach reaches the Chinese ones;
 *   - no length feature: question length dominated the earlier model (short questions came out "reasoning").
 * Trained by full-batch gradient descent from zero weights (fixed iteration count and step); features seen in fewer
 * than MIN_DF training questions are dropped, and features whose final weight is negligible are pruned from the file.
 */
import { cueFeatures } from './question-type-cues.js';

export interface QuestionTypeWeights {
  format: 'medvlm-question-type/2';
  method: string;
  /** positive class of the logistic model */
  positive: 'reasoning';
  bias: number;
  weights: Record<string, number>;
  training: {
    source: string;
    sha256: string;
    n: number;
    /** per training source: questions used (MedXpertQA labels; weak labels from VQA-RAD/SLAKE train metadata) */
    sources: Record<string, { n: number; reasoning: number; understanding: number }>;
    counts: Record<'reasoning' | 'understanding', number>;
    folds: number;
    cvAccuracy: number;
    cvAccuracyPerFold: number[];
    majorityBaseline: number;
  };
}

export const HYPER = { l2: 1e-5, iterations: 1000, step: 4, minDf: 3, pruneBelow: 1e-3 } as const;

/** The question without MedXpertQA's embedded choices. */
export function questionStem(question: string): string {
  const i = question.search(/\n?\s*Answer Choices\s*:/i);
  return i >= 0 ? question.slice(0, i) : question;
}

/** Distinct features of a question: word uni/bigrams, Chinese character uni/bigrams, cue features. */
export function featurize(question: string): string[] {
  const text = questionStem(question).normalize('NFKC').toLowerCase();
  const words = text.match(/[\p{L}\p{N}]+/gu)?.flatMap((w) => w.split(/[\u3400-\u9fff]+/u))
    .filter((w) => w.length > 0).map((w) => (/^\d+$/.test(w) ? '<num>' : w)) ?? [];
  const feats = new Set<string>(words);
  for (let i = 0; i + 1 < words.length; i++) feats.add(`${words[i]} ${words[i + 1]}`);
  for (const run of text.match(/[\u3400-\u9fff]+/gu) ?? []) {
    for (let i = 0; i < run.length; i++) {
      feats.add(`zh:${run[i]}`);
      if (i + 1 < run.length) feats.add(`zh:${run.slice(i, i + 2)}`);
    }
  }
  for (const cue of cueFeatures(text)) feats.add(cue);
  return [...feats];
}

/** P(reasoning) under a weight table. */
export function probabilityReasoning(features: string[], bias: number, weights: Record<string, number>): number {
  let z = 0;
  for (const f of features) z += weights[f] ?? 0;
  return 1 / (1 + Math.exp(-(bias + z * featureScale(features.length))));
}

/** Each question's feature vector has unit L2 norm (value 1/√k for its k features): keeps gradient descent stable. */
function featureScale(count: number): number {
  return count > 0 ? 1 / Math.sqrt(count) : 0;
}

export interface LabelledQuestion {
  question: string;
  reasoning: boolean;
  /** weight in the loss (default 1): weak-labelled questions are down-weighted and class-balanced */
  weight?: number;
}

/** Fits the model; returns bias and the (unpruned) weight table. */
export function fitLogistic(data: LabelledQuestion[]): { bias: number; weights: Record<string, number> } {
  const docs = data.map((d) => featurize(d.question));
  const df = new Map<string, number>();
  for (const fs of docs) for (const f of fs) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = [...df.entries()].filter(([, c]) => c >= HYPER.minDf).map(([f]) => f).sort();
  const index = new Map(vocab.map((f, i) => [f, i]));
  const rows = docs.map((fs) => Int32Array.from(fs.map((f) => index.get(f) ?? -1).filter((i) => i >= 0)));
  const scale = docs.map((fs) => featureScale(fs.length));
  const y = data.map((d) => (d.reasoning ? 1 : 0));
  const sw = data.map((d) => d.weight ?? 1);
  const total = sw.reduce((a, b) => a + b, 0);
  const w = new Float64Array(vocab.length);
  let b = 0;
  const n = data.length;
  for (let it = 0; it < HYPER.iterations; it++) {
    const grad = new Float64Array(vocab.length);
    let gb = 0;
    for (let r = 0; r < n; r++) {
      let z = 0;
      for (const j of rows[r]!) z += w[j]!;
      const err = sw[r]! * (1 / (1 + Math.exp(-(b + z * scale[r]!))) - y[r]!);
      gb += err;
      for (const j of rows[r]!) grad[j]! += err * scale[r]!;
    }
    for (let j = 0; j < w.length; j++) w[j]! -= HYPER.step * (grad[j]! / total + HYPER.l2 * w[j]!);
    b -= HYPER.step * (gb / total);
  }
  const weights: Record<string, number> = {};
  vocab.forEach((f, j) => { weights[f] = w[j]!; });
  return { bias: b, weights };
}

/**
 * Deterministic k-fold cross-validation over `data`: item i goes to fold i mod k (the file order is not sorted by
 * label); `alwaysTrain` (weak-labelled questions) is added to every training fold and never tested.
 */
export function crossValidate(data: LabelledQuestion[], k: number, alwaysTrain: LabelledQuestion[] = []): number[] {
  const accuracies: number[] = [];
  for (let fold = 0; fold < k; fold++) {
    const train = [...data.filter((_, i) => i % k !== fold), ...alwaysTrain];
    const test = data.filter((_, i) => i % k === fold);
    const model = fitLogistic(train);
    const hits = test.filter((d) => (probabilityReasoning(featurize(d.question), model.bias, model.weights) >= 0.5) === d.reasoning);
    accuracies.push(hits.length / test.length);
  }
  return accuracies;
}

/** Rounded, pruned weights in a stable key order (what gets committed). */
export function compactWeights(weights: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of Object.keys(weights).sort()) {
    const v = Math.round(weights[f]! * 10_000) / 10_000;
    if (Math.abs(v) >= HYPER.pruneBelow) out[f] = v;
  }
  return out;
}
