/**
 * MMMU, Health & Medicine (Yue et al., CVPR 2024, "MMMU: A Massive Multi-discipline Multimodal Understanding and
 * Reasoning Benchmark"). Five subjects: Basic_Medical_Science, Clinical_Medicine,
 * Diagnostics_and_Laboratory_Medicine, Pharmacy, Public_Health; license Apache-2.0.
 *
 * Sources:
 * - HF `MMMU/MMMU`: `<Subject>/validation-00000-of-00001.parquet` per subject (fields id, question with inline
 *   `<image N>` tokens, options = a Python list literal string, answer, image_1…image_7, question_type
 *   multiple-choice | open, subfield, img_type). Revision `main` (no commit verified offline).
 * - Local: the same HF snapshot layout (`<Subject>/validation-*.parquet` for all five subjects).
 * Split: validation, 150 items (30 per subject): 145 multiple-choice + 5 open.
 * Protocol notes: extraction 'mmmu' (official MMMU parsing rules, but no random fallback: unparsed stays
 * unparsed); `<image N>` placeholders are kept in the prompt; open items are excluded under paper.
 * Changelog: v1 initial.
 */
import { fieldError, str, type RecordAt } from '../data/records.js';
import type { ParquetRow } from '../data/parquet.js';
import { parquetSamples } from './common.js';
import { defineBenchmark, type Layout } from './define.js';
import type { Sample } from './types.js';
import { MMMU_SCORER } from '../scoring/scorer.js';

export const MMMU_MED_SUBJECTS = ['Basic_Medical_Science', 'Clinical_Medicine', 'Diagnostics_and_Laboratory_Medicine', 'Pharmacy', 'Public_Health'];
const IMAGE_COLUMNS = ['image_1', 'image_2', 'image_3', 'image_4', 'image_5', 'image_6', 'image_7'];
const LETTERS = 'ABCDEFGHIJ';

/** Parses a Python list-of-strings literal ("['a', \"b's\"]"), as MMMU stores options. */
export function parsePythonStringList(text: string, at: RecordAt): string[] {
  const s = text.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) throw fieldError(at, 'options', `must be a list literal, found ${JSON.stringify(text.slice(0, 40))}`);
  const out: string[] = [];
  let i = 1;
  const skip = () => { while (i < s.length - 1 && /[\s,]/.test(s[i]!)) i++; };
  const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
  for (skip(); i < s.length - 1; skip()) {
    const q = s[i];
    if (q !== "'" && q !== '"') throw fieldError(at, 'options', `unexpected character ${JSON.stringify(q)} at offset ${i}`);
    let v = '';
    for (i++; i < s.length - 1 && s[i] !== q; i++) v += s[i] === '\\' ? (ESC[s[++i]!] ?? `\\${s[i]}`) : s[i];
    if (s[i] !== q) throw fieldError(at, 'options', 'has an unterminated string');
    i++;
    out.push(v);
  }
  return out;
}

function toSample(subject: string, { record, at, images }: ParquetRow): Sample {
  const kind = str(record, 'question_type', at).trim();
  const list = parsePythonStringList(String(record.options ?? '[]'), at);
  const options = kind === 'multiple-choice' ? Object.fromEntries(list.map((o, i) => [LETTERS[i]!, o.trim()])) : undefined;
  return {
    id: str(record, 'id', at),
    question: str(record, 'question', at).trim(),
    options,
    answer: str(record, 'answer', at).trim(),
    images: IMAGE_COLUMNS.flatMap((c) => images[c] ?? []),
    answerType: options ? 'closed' : 'open',
    metadata: { subject, subfield: (record.subfield as string) ?? null, img_type: String(record.img_type ?? '') || null },
  };
}

async function* mmmuMed(dir: string): AsyncGenerator<Sample> {
  for (const subject of MMMU_MED_SUBJECTS) {
    yield* parquetSamples(dir, `${subject}/validation-*.parquet`, IMAGE_COLUMNS, (row) => toSample(subject, row as ParquetRow));
  }
}

const layout: Layout = { name: 'HF snapshot', requires: MMMU_MED_SUBJECTS.map((s) => `${s}/validation-*.parquet`), load: mmmuMed };

export default defineBenchmark({
  id: 'mmmu-med',
  description: 'MMMU validation, Health & Medicine subjects: 150 items (30 per subject; 145 multiple-choice, 5 open).',
  license: 'Apache-2.0',
  split: 'validation',
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['answerType', 'questionType', 'subject'],
  scorer: MMMU_SCORER,
  folderNames: ['mmmu-med', 'mmmu', 'MMMU', 'mmmu_med', 'MMMU--MMMU'],
  hf: { repo: 'MMMU/MMMU', revision: 'main', files: MMMU_MED_SUBJECTS.map((s) => `${s}/validation-00000-of-00001.parquet`), note: 'revision not pinned (no verified commit)' },
  downloadHint: 'the HF dataset MMMU/MMMU (validation parquet of the five Health & Medicine subjects)',
  layouts: [layout],
});

