/**
 * MedFrameQA (Yu et al., 2025, "MedFrameQA: A Multi-Image Medical VQA Benchmark for Clinical Reasoning",
 * arXiv 2505.16964). Multiple choice over 2–5 frames from medical videos; license CC BY 4.0.
 *
 * Sources:
 * - HF `SuhaoYu1020/MedFrameQA` (parquet). Revision `main` and file names (`data/*.parquet`) UNVERIFIED offline.
 *   Schema as MedEvalKit reads it: question, options (list of strings), correct_answer, image_1 … image_5.
 * - The OctoMed re-upload schema is accepted too: question_id, question, options (list), answer, image (list),
 *   system, organ, modality, keyword, video_id.
 * - Local: the same snapshot layout (`data/*.parquet` or `*.parquet`).
 * Split: test, 2,851 items, 2–5 images per item.
 * Protocol notes: options become A, B, … in list order (an "A." prefix already present is stripped); a gold given as
 * option text is mapped to its letter, and one matching no option is excluded by scoring (gold-not-in-options).
 * Changelog: v1 initial.
 */
import { fieldError, scalarMetadata, str, type RawRecord, type RecordAt } from '../data/records.js';
import type { ParquetRow } from '../data/parquet.js';
import { parquetSamples } from './common.js';
import { defineBenchmark } from './define.js';
import type { Sample } from './types.js';
import { CHAIN_SCORER } from '../scoring/scorer.js';

const IMAGE_COLUMNS = ['image_1', 'image_2', 'image_3', 'image_4', 'image_5', 'image'];
const LETTERS = 'ABCDEFGHIJ';

function readOptions(record: RawRecord, at: RecordAt): Record<string, string> {
  const raw = record.options;
  if (!Array.isArray(raw) || raw.length < 2) throw fieldError(at, 'options', 'must be a list of at least two strings');
  return Object.fromEntries(raw.map((o, i) => {
    const letter = LETTERS[i]!;
    if (typeof o !== 'string') throw fieldError(at, 'options', `entry ${i} must be a string`);
    return [letter, o.trim().replace(new RegExp(`^\\(?${letter}[.):]\\s*`), '').trim()];
  }));
}

/** The gold letter: a bare/parenthesised letter, or the letter of the option whose text equals the answer. */
function goldLetter(options: Record<string, string>, answer: string): string {
  const letter = /^\(?([A-J])\)?[.:]?$/.exec(answer.trim())?.[1];
  if (letter) return letter;
  const hit = Object.entries(options).find(([, t]) => t.toLowerCase() === answer.trim().toLowerCase());
  return hit ? hit[0] : answer.trim();
}

function toSample({ record, at, images, index }: ParquetRow & { index: number }): Sample {
  const options = readOptions(record, at);
  const answer = str(record, record.correct_answer !== undefined ? 'correct_answer' : 'answer', at);
  return {
    id: record.question_id !== undefined && record.question_id !== null ? String(record.question_id) : `test-${index}`,
    question: str(record, 'question', at).trim(),
    options,
    answer: goldLetter(options, answer),
    images: IMAGE_COLUMNS.flatMap((c) => images[c] ?? []),
    answerType: 'closed',
    metadata: scalarMetadata(record, ['system', 'organ', 'modality', 'keyword']),
  };
}

export default defineBenchmark({
  id: 'medframeqa',
  description: 'Multi-image MCQ over medical video frames: 2,851 items, 2–5 images each.',
  license: 'CC-BY-4.0',
  split: 'test',
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['questionType', 'system', 'modality'],
  scorer: CHAIN_SCORER,
  folderNames: ['medframeqa', 'MedFrameQA', 'med-frame-qa', 'SuhaoYu1020--MedFrameQA'],
  hf: { repo: 'SuhaoYu1020/MedFrameQA', revision: 'main', files: ['data/*.parquet'], note: 'revision and file names UNVERIFIED' },
  downloadHint: 'the HF dataset SuhaoYu1020/MedFrameQA (parquet)',
  layouts: [
    { name: 'HF snapshot', requires: ['data/*.parquet'], load: (dir) => parquetSamples(dir, 'data/*.parquet', IMAGE_COLUMNS, toSample) },
    { name: 'parquet folder', requires: ['*.parquet'], load: (dir) => parquetSamples(dir, '*.parquet', IMAGE_COLUMNS, toSample) },
  ],
});
