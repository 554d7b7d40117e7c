/**
 * The `merge-shards` input: one glob per line (`*`, `?` and `**` segments), matched against directories under the
 * workspace; every matched directory holding a results.json is a shard (e.g. what actions/download-artifact wrote).
 * Node 20 has no fs.glob, and this needs only directory matching, so it is a small walk.
 */
import { join, resolve, isAbsolute } from 'node:path';

export interface DirFs {
  existsSync(p: string): boolean;
  readdirSync(p: string, o: { withFileTypes: true }): Array<{ name: string; isDirectory(): boolean }>;
}

export function findShardDirs(patterns: string, cwd: string, fs: DirFs): string[] {
  const found = new Set<string>();
  for (const raw of patterns.split('\n').map((p) => p.trim()).filter(Boolean)) {
    const abs = isAbsolute(raw) ? raw : resolve(cwd, raw);
    const segments = abs.split('/').filter(Boolean);
    const firstGlob = segments.findIndex(isGlob);
    const root = `/${(firstGlob < 0 ? segments : segments.slice(0, firstGlob)).join('/')}`;
    const rest = firstGlob < 0 ? [] : segments.slice(firstGlob);
    for (const dir of walk(root, rest, fs)) if (fs.existsSync(join(dir, 'results.json'))) found.add(dir);
  }
  return [...found].sort();
}

function walk(dir: string, rest: string[], fs: DirFs): string[] {
  if (!fs.existsSync(dir)) return [];
  if (rest.length === 0) return [dir];
  const [head, ...tail] = rest as [string, ...string[]];
  const children = subdirs(dir, fs);
  if (head === '**') {
    // zero directories, or one more and keep the ** for deeper levels
    return [...walk(dir, tail, fs), ...children.flatMap((c) => walk(join(dir, c), rest, fs))];
  }
  const re = segmentRegex(head);
  return children.filter((c) => re.test(c)).flatMap((c) => walk(join(dir, c), tail, fs));
}

function subdirs(dir: string, fs: DirFs): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function isGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

function segmentRegex(seg: string): RegExp {
  const body = seg.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}
