/** Small helpers shared by benchmark files: answer types, image lookup in folders or zips. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileImageIn, missingImage } from '../data/images.js';
import { globFiles } from '../data/local.js';
import { readParquetRows, type ParquetRow } from '../data/parquet.js';
import { fieldError, type RawRecord, type RecordAt } from '../data/records.js';
import { ZipArchive } from '../data/zip.js';
import type { ImageRef } from '../data/images.js';
import type { AnswerType, Sample } from './types.js';

/** Whether a reference answer is a bare yes/no (case and surrounding punctuation ignored). */
export function isYesNo(answer: string): boolean {
  return /^(yes|no)$/i.test(answer.trim().replace(/[.!]+$/, ''));
}

/** The dataset's CLOSED/OPEN label (trailing spaces and case tolerated, e.g. VQA-RAD's "CLOSED "). */
export function answerTypeLabel(record: RawRecord, field: string, at: RecordAt): AnswerType {
  const v = String(record[field] ?? '').trim().toUpperCase();
  if (v === 'CLOSED') return 'closed';
  if (v === 'OPEN') return 'open';
  throw fieldError(at, field, `must be CLOSED or OPEN, found ${JSON.stringify(record[field])}`);
}

/** Datasets without a label (HF VQA-RAD, PathVQA): closed exactly when the answer is yes/no, as the toolkits do. */
export function answerTypeByYesNo(answer: string): AnswerType {
  return isYesNo(answer) ? 'closed' : 'open';
}

/**
 * Resolves images named relative to an image root that may be a folder or a zip (members with or without a
 * folder prefix, e.g. `imgs/xmlab1/source.jpg` or `xmlab1/source.jpg`). Opened once per load.
 */
export class ImageStore {
  private constructor(private folder: string | null, private zip: ZipArchive | null, private prefixes: string[], private hint: string) {}

  /** `folders`/`zips` are candidates relative to dir, first existing wins (folder before zip). */
  static async open(dir: string, folders: string[], zips: string[], prefixes: string[], hint: string): Promise<ImageStore> {
    const folder = folders.map((f) => path.join(dir, f)).find((f) => existsSync(f)) ?? null;
    if (folder) return new ImageStore(folder, null, [], hint);
    const zipFile = zips.map((f) => path.join(dir, f)).find((f) => existsSync(f)) ?? null;
    return new ImageStore(null, zipFile ? await ZipArchive.open(zipFile) : null, prefixes, hint);
  }

  get source(): string {
    return this.folder ?? this.zip?.file ?? 'none';
  }

  image(name: string): ImageRef {
    const clean = name.replace(/\\/g, '/');
    if (this.folder) return fileImageIn(this.folder, clean);
    if (this.zip) return this.zip.image(this.zip.find(['', ...this.prefixes].map((p) => p + clean)), clean);
    return missingImage(clean, this.hint);
  }
}

/** Samples from every parquet file matching `pattern` (sorted by name), with a running row index across files. */
export async function* parquetSamples(
  dir: string, pattern: string, imageColumns: string[], toSample: (row: ParquetRow & { index: number }) => Sample | null,
): AsyncGenerator<Sample> {
  let index = 0;
  for (const file of globFiles(dir, pattern)) {
    for await (const row of readParquetRows(file, imageColumns)) {
      const s = toSample({ ...row, index: index++ });
      if (s) yield s;
    }
  }
}
