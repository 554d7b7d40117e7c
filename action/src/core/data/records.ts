/**
 * Reading raw records: JSON arrays, JSONL (streamed, line-numbered) and typed field access whose errors name
 * the file, the line or row, and the field, so a malformed record can be found and fixed.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.js';

/** Where a record came from: `file:line` (JSONL, JSON arrays by index) or `file row N` (CSV, parquet). */
export interface RecordAt {
  file: string;
  /** human-readable position, e.g. "line 12" or "row 3" or "item 7" */
  at: string;
}

export type RawRecord = Record<string, unknown>;

/** Converts a character offset into "line L, column C" for JSON syntax errors. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Parses a whole JSON file (used for files of a few MB at most: SLAKE, VQA-RAD, OmniMedVQA splits). */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const where = m ? ` at ${lineColumn(text, Number(m[1]))}` : '';
    throw new UserError(`${file}: invalid JSON${where}: ${(e as Error).message}`);
  }
}

/** A JSON file that must hold an array of objects; yields each with its position ("item N", 0-based). */
export async function* readJsonArray(file: string): AsyncGenerator<{ record: RawRecord; at: RecordAt }> {
  const data = await readJsonFile(file);
  if (!Array.isArray(data)) throw new UserError(`${file}: expected a JSON array of records, found ${typeof data}`);
  for (let i = 0; i < data.length; i++) {
    const at = { file, at: `item ${i}` };
    yield { record: asRecord(data[i], at), at };
  }
}

/** Streams a JSONL file line by line (never the whole file in memory); blank lines are skipped. */
export async function* readJsonLines(file: string): AsyncGenerator<{ record: RawRecord; at: RecordAt }> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = n === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (!line.trim()) continue;
    const at = { file, at: `line ${n}` };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new UserError(`${file}:${n}: invalid JSON: ${(e as Error).message}`);
    }
    yield { record: asRecord(value, at), at };
  }
}

export function describeAt(at: RecordAt): string {
  return at.at.startsWith('line ') ? `${at.file}:${at.at.slice(5)}` : `${at.file} (${at.at})`;
}

function asRecord(value: unknown, at: RecordAt): RawRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${describeAt(at)}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as RawRecord;
}

/** A field error naming file, position and field. */
export function fieldError(at: RecordAt, field: string, problem: string): UserError {
  return new UserError(`${describeAt(at)}: field '${field}' ${problem}`);
}

/** A required non-empty string (numbers are accepted and stringified: some datasets store answers as 2). */
export function str(record: RawRecord, field: string, at: RecordAt): string {
  const v = record[field];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') throw fieldError(at, field, v === undefined ? 'is missing' : `must be a string, found ${typeof v}`);
  if (!v.trim()) throw fieldError(at, field, 'is empty');
  return v;
}

/** Plain scalar metadata values (strings, numbers, booleans) copied from a record's extra fields. */
export function scalarMetadata(record: RawRecord, fields: string[]): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const f of fields) {
    const v = record[f];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[f] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}
