/**
 * The action built from the current source into a temp folder, for e2e tests that must exercise today's code: the
 * committed action/dist is rebuilt only at release, so it lags the source while work is under way. Same esbuild
 * settings as scripts/build-action.mjs, another outfile; action/dist is never touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../helpers/shared-data.js';

export interface FreshBundle {
  /** path of the built index.js, for runBundle({ bundle }) */
  bundle: string;
  remove(): void;
}

export async function buildFreshBundle(): Promise<FreshBundle> {
  const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-action-build-'));
  const bundle = path.join(dir, 'index.js');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'action/src/github-action/index.ts')], outfile: bundle, bundle: true, platform: 'node',
    target: 'node20', format: 'esm', logLevel: 'warning',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return { bundle, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
