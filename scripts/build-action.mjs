// Bundles the action entry into action/dist/index.js (committed; CI fails when it is stale).
import { build } from 'esbuild';

await build({
  entryPoints: ['action/src/github-action/index.ts'],
  outfile: 'action/dist/index.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  minify: false,
  logLevel: 'warning',
});
