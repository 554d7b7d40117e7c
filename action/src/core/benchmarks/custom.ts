/**
 * Custom: a user's own benchmark from a JSONL manifest (`--manifest FILE`). One JSON object per line:
 *   {id, question, options?: {A: text, …}, answer, images?: [paths relative to the manifest],
 *    answerType?: "closed"|"open", questionType?: "reasoning"|"understanding", optionsInQuestion?: bool, …metadata}
 * `answer` is the gold letter when options are given (an option's exact text is accepted and mapped to its
 * letter), else the reference text. answerType defaults to closed for items with options or a yes/no answer,
 * open otherwise. Other scalar fields (modality, category, language…) become metadata and can be grouped on.
 * Errors name the manifest line and field. License: the user's. Changelog: v1 initial.
 */
import path from 'node:path';
import { fileImageIn } from '../data/images.js';
import { fieldError, readJsonLines, scalarMetadata, str, type RawRecord, type RecordAt } from '../data/records.js';
import { UserError } from '../errors.js';
import { answerTypeByYesNo } from './common.js';
import { CHAIN_SCORER } from '../scoring/scorer.js';
import { catalogued } from './define.js';
import type { AnswerType, LoadOptions, QuestionType, Sample } from './types.js';

const KNOWN = new Set(['id', 'question', 'options', 'answer', 'images', 'answerType', 'questionType', 'optionsInQuestion']);

function readOptions(record: RawRecord, at: RecordAt): Record<string, string> | undefined {
  const raw = record.options;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw fieldError(at, 'options', 'must be an object like {"A": "text", "B": "text"}');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length < 2) throw fieldError(at, 'options', 'needs at least two options');
  for (const [k, v] of entries) {
    if (!/^[A-Z]$/.test(k)) throw fieldError(at, `options.${k}`, 'keys must be single capital letters');
    if (typeof v !== 'string' || !v.trim()) throw fieldError(at, `options.${k}`, 'must be a non-empty string');
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, (v as string).trim()]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}

function readEnum<T extends string>(record: RawRecord, field: string, values: readonly T[], at: RecordAt): T | undefined {
  const v = record[field];
  if (v === undefined || v === null) return undefined;
  const t = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (!values.includes(t as T)) throw fieldError(at, field, `must be one of ${values.join(', ')}, found ${JSON.stringify(v)}`);
  return t as T;
}

function readImages(record: RawRecord, at: RecordAt, baseDir: string) {
  const raw = record.images ?? [];
  if (!Array.isArray(raw)) throw fieldError(at, 'images', 'must be a list of paths relative to the manifest');
  return raw.map((p, i) => {
    if (typeof p !== 'string' || !p.trim()) throw fieldError(at, `images[${i}]`, 'must be a non-empty path string');
    if (path.isAbsolute(p)) throw fieldError(at, `images[${i}]`, 'must be relative to the manifest, not absolute');
    return fileImageIn(baseDir, p);
  });
}

/** One manifest line → a Sample. An option-text answer is mapped to its letter. */
export function manifestSample(record: RawRecord, at: RecordAt, baseDir: string): Sample {
  const rawId = record.id;
  if (typeof rawId !== 'string' && typeof rawId !== 'number') throw fieldError(at, 'id', 'is missing (string or number required)');
  const options = readOptions(record, at);
  let answer = str(record, 'answer', at).trim();
  if (options && !(answer in options)) answer = Object.entries(options).find(([, t]) => t === answer)?.[0] ?? answer;
  const answerType: AnswerType = readEnum(record, 'answerType', ['closed', 'open'] as const, at) ?? (options ? 'closed' : answerTypeByYesNo(answer));
  const questionType: QuestionType | undefined = readEnum(record, 'questionType', ['reasoning', 'understanding'] as const, at);
  const extra = Object.keys(record).filter((k) => !KNOWN.has(k));
  return {
    id: String(rawId), question: str(record, 'question', at).trim(), options, answer,
    images: readImages(record, at, baseDir), answerType, questionType,
    optionsInQuestion: record.optionsInQuestion === true ? true : undefined,
    metadata: scalarMetadata(record, extra),
  };
}

async function* loadManifest(opts: LoadOptions): AsyncGenerator<Sample> {
  if (!opts.manifest) throw new UserError('custom: pass --manifest FILE (a JSONL file, one item per line; see docs/benchmarks.md)');
  const file = path.resolve(opts.manifest);
  const baseDir = path.dirname(file);
  try {
    for await (const { record, at } of readJsonLines(file)) yield manifestSample(record, at, baseDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`custom: manifest ${file} does not exist`);
    throw e;
  }
}

const custom = catalogued({
  id: 'custom',
  description: 'Your own benchmark from a JSONL manifest: {id, question, options?, answer, images?, answerType?, questionType?, …metadata}.',
  license: 'user-provided',
  sources: [{ kind: 'manifest', note: '--manifest FILE (JSONL; image paths relative to the manifest)' }],
  protocols: ['paper', 'closed', 'full'],
  groupBy: ['answerType', 'questionType', 'category', 'modality'],
  scorer: CHAIN_SCORER,
  downloadHint: 'write a JSONL manifest; see docs/benchmarks.md',
  load: loadManifest,
});

export default custom;
