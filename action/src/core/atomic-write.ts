/** Write a file so readers see the old content or the new, never a torn one: a unique temp file, then rename. */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  // unique per process and call, so two writers of the same file never share a temp file
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
