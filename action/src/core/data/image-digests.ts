/**
 * SHA-256 of image files already read by this process, by path, valid while the file's stamp (size, mtime, inode)
 * is unchanged. The fingerprint (benchmarks/fingerprint.ts) hashes every image before a run; the runner's image
 * cache needs the same hash for its resume keys and takes it from here instead of hashing the bytes a second time.
 * Bounded by the number of distinct files (a 100,000-item manifest over 2,000 files keeps 2,000 entries).
 */
import { statSync } from 'node:fs';

const digests = new Map<string, { stamp: string; sha256: string }>();

/** size:mtime:inode of a file, or null when it does not exist */
export function fileStamp(path: string): string | null {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.size}:${st.mtimeMs}:${st.ino}` : null;
}

/** the remembered hash, when it was taken from a file with this stamp */
export function knownDigest(path: string, stamp: string | null): string | null {
  const d = stamp === null ? undefined : digests.get(path);
  return d && d.stamp === stamp ? d.sha256 : null;
}

/** `stamp` must be read before the bytes were: a file that changed during the read then never matches it again */
export function rememberDigest(path: string, stamp: string | null, sha256: string): void {
  if (stamp !== null) digests.set(path, { stamp, sha256 });
}
