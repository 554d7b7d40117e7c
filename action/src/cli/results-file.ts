/** Reading a results.json given as a file or its folder, checked against the wire schema, for CLI commands. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RunResult } from '../../../schemas/results.js';
import { UserError } from '../core/errors.js';

export function resultsFile(p: string): string {
  try {
    return statSync(p).isDirectory() ? path.join(p, 'results.json') : p;
  } catch {
    return p; // readResult names the missing file
  }
}

export function readResult(file: string): RunResult {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`${file}: ${err.code ? `cannot read (${err.code})` : `not valid JSON (${err.message})`}`);
  }
  const parsed = RunResult.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new UserError(`${file} is not a valid results file:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}
