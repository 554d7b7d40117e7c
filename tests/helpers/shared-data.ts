/**
 * Locates the real benchmark data shared next to the repository (`<repo>/../shared/data`, overridable with
 * MEDVLM_SHARED_DATA). Tests on real data use it as
 *   const data = sharedData('vqa_rad');
 *   describe.skipIf(!data.available)(…)
 * and the helper prints why a suite is skipped, so a skip is never silent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Root of the shared data folder (may not exist). */
export const SHARED_DATA_DIR = process.env.MEDVLM_SHARED_DATA
  ? path.resolve(process.env.MEDVLM_SHARED_DATA)
  : path.resolve(REPO_ROOT, '..', 'shared', 'data');

export interface SharedData {
  /** true when every requested path exists */
  available: boolean;
  /** the shared data root */
  root: string;
  /** absolute path of the first requested sub-path (or the root) */
  dir: string;
  /** why it is unavailable, or null */
  reason: string | null;
}

/**
 * Resolves sub-paths of the shared data folder (e.g. 'vqa_rad', 'slake/test.json'). When any is absent it
 * warns once with the reason, so the skipped suite shows up in the test log.
 */
export function sharedData(...subPaths: string[]): SharedData {
  const wanted = subPaths.length ? subPaths : ['.'];
  const missing = wanted.map((p) => path.join(SHARED_DATA_DIR, p)).filter((p) => !existsSync(p));
  const reason = missing.length
    ? `shared data not found: ${missing.join(', ')} (set MEDVLM_SHARED_DATA or place the data at ${SHARED_DATA_DIR})`
    : null;
  if (reason) console.warn(`[skip] ${reason}`);
  return { available: !reason, root: SHARED_DATA_DIR, dir: path.join(SHARED_DATA_DIR, wanted[0]!), reason };
}
