/**
 * Core types of the suite. A Sample is one benchmark item as loaded (protocol-independent); protocols
 * (scoring/protocol.ts) turn samples into prepared items with choices, prompt and gold, or exclude them.
 * What a benchmark definition declares (BenchmarkDef) lives in define.ts, next to defineBenchmark.
 */
import type { ImageRef } from '../data/images.js';

export type AnswerType = 'closed' | 'open';
export type QuestionType = 'reasoning' | 'understanding';
export type MetadataValue = string | number | boolean | null;

export interface Sample {
  /** stable, unique within the benchmark */
  id: string;
  question: string;
  /** letter → option text, letters in order (A, B, …); absent for non-multiple-choice items */
  options?: Record<string, string>;
  /** gold: the option letter when options exist, else the reference answer text */
  answer: string;
  images: ImageRef[];
  answerType: AnswerType;
  /** from the dataset's labels when it has them (MedXpertQA), else from the classifier or an override file */
  questionType?: QuestionType;
  /** true when the question text already lists the choices (MedXpertQA): prompts must not list them twice */
  optionsInQuestion?: boolean;
  /** modality, subject, organ, language, source dataset… used by groupBy */
  metadata: Record<string, MetadataValue>;
}

export type GroupKey = 'answerType' | 'questionType' | string;

/** Where a benchmark's data can come from, declared (not coded) per benchmark. */
export type SourceDecl =
  | { kind: 'hf'; repo: string; revision: string; files: string[]; note?: string }
  | { kind: 'local'; folderNames: string[]; layouts: string[]; note?: string }
  | { kind: 'manifest'; note?: string };

export interface LoadOptions {
  dataDir?: string;
  manifest?: string;
  language?: string;
  /** HF download settings; defaults from HF_TOKEN / HF_HOME / HF_ENDPOINT */
  hf?: { endpoint?: string; token?: string; cacheDir?: string; fetch?: typeof fetch };
  /** progress/log sink */
  log?: (msg: string) => void;
  /** environment for defaults (HF_*, MEDVLM_DATA_DIR); process.env when absent */
  env?: Record<string, string | undefined>;
}
