/**
 * Local folders (`--data-dir`): finding a benchmark's sub-folder by its declared names and matching simple
 * file patterns (`*` within the last path segment, e.g. `data/test-*.parquet`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Folder-name key: case, dashes, underscores, dots and spaces do not matter (VQA_RAD ≡ vqa-rad ≡ vqarad). */
export function folderKey(name: string): string {
  return name.toLowerCase().replace(/[-_. ]/g, '');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Sub-folders of `dataDir` whose name matches one of `names`, in the order the names are declared. */
export function matchingSubfolders(dataDir: string, names: string[]): string[] {
  if (!isDir(dataDir)) return [];
  const children = readdirSync(dataDir).filter((c) => isDir(path.join(dataDir, c)));
  const out: string[] = [];
  for (const n of names) {
    for (const c of children) {
      const full = path.join(dataDir, c);
      if (folderKey(c) === folderKey(n) && !out.includes(full)) out.push(full);
    }
  }
  return out;
}

function patternRegex(segment: string): RegExp {
  return new RegExp(`^${segment.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Files under `dir` matching `pattern` (relative; `*` allowed in the last segment), sorted by name. */
export function globFiles(dir: string, pattern: string): string[] {
  const parent = path.join(dir, path.dirname(pattern));
  const leaf = path.basename(pattern);
  if (!leaf.includes('*')) {
    const p = path.join(parent, leaf);
    return existsSync(p) ? [p] : [];
  }
  if (!isDir(parent)) return [];
  const re = patternRegex(leaf);
  return readdirSync(parent).filter((f) => re.test(f)).sort().map((f) => path.join(parent, f));
}

/** True when `name` (a relative path, possibly a pattern) matches `pattern`. */
export function matchesPattern(name: string, pattern: string): boolean {
  return path.posix.dirname(name) === path.posix.dirname(pattern) && patternRegex(path.posix.basename(pattern)).test(path.posix.basename(name));
}

