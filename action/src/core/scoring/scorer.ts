/**
 * A benchmark's scorer, declared as an object in its definition (`scorer: CHAIN_SCORER`): how a response becomes a
 * score (the extraction rules), the id those rules are recorded under, the prompt wording that goes with them, and
 * the graded metrics open items get. Everything that used to branch on an `extraction: 'chain' | 'mmmu'` string
 * (fingerprint, results.json, resume, prompts, scoring) reads these fields instead.
 */
import { CHAIN_EXTRACTION_ID } from './extract.js';
import { MMMU_EXTRACTION_ID } from './mmmu-parse.js';
import type { PromptStyle } from './prompts.js';
import type { PreparedItem } from './protocol.js';
import { scoreResponse, type ItemScore, type ModelResponse } from './score.js';

export interface Scorer {
  /** short name shown by `list` */
  readonly name: string;
  /** recorded as results.json `extraction`, in the fingerprint and with resumed outcomes: new rules, new id */
  readonly extractionId: string;
  /** the prompt wording these rules expect (MMMU's official parser goes with MMMU's own prompt) */
  readonly promptStyle: PromptStyle;
  /** per-item graded metrics of open items, in report order; multiple-choice items give `accuracy` */
  readonly openMetrics: readonly string[];
  score(item: PreparedItem, response: ModelResponse): ItemScore;
}

const OPEN_METRICS = ['open_exact_match', 'open_token_recall', 'open_token_f1'] as const;

/** Our default: the extraction chain of extract.ts; an open item is correct on an exact match. */
export const CHAIN_SCORER: Scorer = Object.freeze({
  name: 'chain',
  extractionId: CHAIN_EXTRACTION_ID,
  promptStyle: 'default',
  openMetrics: OPEN_METRICS,
  score: (item: PreparedItem, r: ModelResponse) => scoreResponse(item, r, 'chain'),
});

/** The official MMMU parsing rules (mmmu-parse.ts), without their random fallback. */
export const MMMU_SCORER: Scorer = Object.freeze({
  name: 'mmmu',
  extractionId: MMMU_EXTRACTION_ID,
  promptStyle: 'mmmu',
  openMetrics: OPEN_METRICS,
  score: (item: PreparedItem, r: ModelResponse) => scoreResponse(item, r, 'mmmu'),
});
