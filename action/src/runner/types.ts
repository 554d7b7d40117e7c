/**
 * The slices of the suite and scoring types the evaluation engine needs. Structural on purpose: the engine runs on
 * PreparedItems from the suite in production, and on small synthetic items in its own tests.
 */
import type { ImageRef } from '../core/data/images.js';
import type { ItemOutcome } from '../core/scoring/summary.js';

export interface EvalItem {
  index: number;
  sample: { id: string; question: string; images: ImageRef[] };
  kind: 'mcq' | 'open';
  gold: string;
  prompt: string;
}

export interface EvalTask {
  benchmark: string;
  item: EvalItem;
  /** folded into the cache key: a new prompt template re-runs the item */
  promptVersion: number;
}

export interface ModelAnswer {
  content: string;
  reasoning?: string | null;
  truncated?: boolean;
}

export interface Scored {
  extracted: string | null;
  correct: boolean;
  graded?: { [name: string]: number | null } | { open_exact_match: number; open_token_recall: number; open_token_f1: number };
  /** how the answer was read (the extraction stage), recorded in predictions.jsonl */
  how?: string;
}

/**
 * scoreResponse bound to a benchmark's extraction mode. `version` names the scoring rules for a task (e.g. the
 * extraction id): resume reuses a stored outcome only when it was scored under the same rules and gold answer, and
 * otherwise reads the stored response back and rescores it. Without `version` every resumed item is rescored.
 */
export interface Scorer {
  (task: EvalTask, answer: ModelAnswer): Scored;
  version?: (task: EvalTask) => string;
}

export const ABSENT: ItemOutcome = Object.freeze({ present: false, correct: false, unparsed: false, error: false, truncated: false });
