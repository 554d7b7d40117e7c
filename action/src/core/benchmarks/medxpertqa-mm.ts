/**
 * MedXpertQA, multimodal subset (Zuo et al., ICML 2025, "MedXpertQA: Benchmarking Expert-Level Medical Reasoning
 * and Understanding"). Expert-level multiple choice, options A–E, 1–6 images per item; license MIT.
 *
 * Sources:
 * - HF `TsinghuaC3I/MedXpertQA`, revision f4e6fe7e5a9e13d6c97d7aa2b91cdd8b80c9cc61: `MM/test.jsonl`
 *   (options as {A: text}, label "A", images as file names) + `images.zip` (517 MB).
 * - Official repo eval input `medxpertqa_mm_input.jsonl` (options as [{letter, content}], label ["A"], images as
 *   [{image_path}]); images from `images/` or `images.zip` next to it when present, else reported missing.
 * Split: test, 2,000 items (MM-0 … MM-1999); question_type Reasoning 1,446 / Understanding 554; 2,852 images.
 * Protocol notes: the question text already lists "Answer Choices: (A) …", so optionsInQuestion is set and
 * prompts do not repeat the options. Groups: question type (the official labels), medical task, body system.
 * Changelog: v1 initial.
 */
import path from 'node:path';
import { fieldError, readJsonLines, scalarMetadata, str, type RawRecord, type RecordAt } from '../data/records.js';
import { ImageStore } from './common.js';
import { defineBenchmark } from './define.js';
import type { QuestionType, Sample } from './types.js';
import { CHAIN_SCORER } from '../scoring/scorer.js';

const HINT = 'images.zip from the HF dataset TsinghuaC3I/MedXpertQA (517 MB; place it or its unpacked images/ folder next to the jsonl)';

/** Options as {A: text} (HF) or [{letter, content}] (official repo). */
function readOptions(record: RawRecord, at: RecordAt): Record<string, string> {
  const raw = record.options;
  const pairs: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((o: { letter?: unknown; content?: unknown }) => [String(o?.letter ?? ''), o?.content])
    : raw && typeof raw === 'object' ? Object.entries(raw) : [];
  if (!pairs.length) throw fieldError(at, 'options', 'must be a non-empty object or list of {letter, content}');
  const out: Record<string, string> = {};
  for (const [letter, text] of pairs) {
    if (!/^[A-Z]$/.test(letter) || typeof text !== 'string') throw fieldError(at, 'options', `has a malformed entry for '${letter}'`);
    out[letter] = text.trim();
  }
  return out;
}

function readLabel(record: RawRecord, at: RecordAt): string {
  const raw = Array.isArray(record.label) ? record.label[0] : record.label;
  if (typeof raw !== 'string' || !raw.trim()) throw fieldError(at, 'label', 'must be a letter or a one-letter list');
  return raw.trim();
}

function imageNames(record: RawRecord, at: RecordAt): string[] {
  const raw = record.images;
  if (!Array.isArray(raw) || !raw.length) throw fieldError(at, 'images', 'must be a non-empty list');
  return raw.map((im: unknown) => {
    const name = typeof im === 'string' ? im : (im as { image_path?: unknown })?.image_path;
    if (typeof name !== 'string' || !name) throw fieldError(at, 'images', 'entries must be file names or {image_path}');
    return name;
  });
}

function questionType(record: RawRecord, at: RecordAt): QuestionType {
  const t = str(record, 'question_type', at).trim().toLowerCase();
  if (t !== 'reasoning' && t !== 'understanding') throw fieldError(at, 'question_type', `must be Reasoning or Understanding, found ${t}`);
  return t;
}

async function* medxpert(dir: string, file: string): AsyncGenerator<Sample> {
  const images = await ImageStore.open(dir, ['images'], ['images.zip'], ['images/'], HINT);
  for await (const { record, at } of readJsonLines(path.join(dir, file))) {
    yield {
      id: str(record, 'id', at),
      question: str(record, 'question', at).trim(),
      options: readOptions(record, at),
      answer: readLabel(record, at),
      images: imageNames(record, at).map((n) => images.image(n)),
      answerType: 'closed',
      questionType: questionType(record, at),
      optionsInQuestion: true,
      metadata: scalarMetadata(record, ['medical_task', 'body_system']),
    };
  }
}

export default defineBenchmark({
  id: 'medxpertqa-mm',
  description: 'Expert-level multimodal MCQ (A–E). MM test: 2,000 items, Reasoning 1,446 / Understanding 554, 1–6 images each.',
  license: 'MIT',
  split: 'test',
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['questionType', 'medical_task', 'body_system'],
  scorer: CHAIN_SCORER,
  folderNames: ['medxpertqa-mm', 'medxpertqa', 'medxpertqa_mm', 'MedXpertQA', 'TsinghuaC3I--MedXpertQA'],
  hf: { repo: 'TsinghuaC3I/MedXpertQA', revision: 'f4e6fe7e5a9e13d6c97d7aa2b91cdd8b80c9cc61', files: ['MM/test.jsonl', 'images.zip'] },
  downloadHint: `the HF dataset TsinghuaC3I/MedXpertQA (MM/test.jsonl + images.zip), or the official repo's eval/data/medxpertqa/input/medxpertqa_mm_input.jsonl; ${HINT}`,
  layouts: [
    { name: 'HF snapshot', requires: ['MM/test.jsonl'], load: (dir) => medxpert(dir, 'MM/test.jsonl') },
    { name: 'official eval input', requires: ['medxpertqa_mm_input.jsonl'], load: (dir) => medxpert(dir, 'medxpertqa_mm_input.jsonl') },
  ],
});
