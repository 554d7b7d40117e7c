import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineProject } from 'vitest/config';

const root = import.meta.dirname;

export default defineProject(async () => {
  const migrations = await readD1Migrations(path.join(root, 'worker', 'migrations'));
  return {
    plugins: [cloudflareTest({
      main: './worker/src/index.ts',
      wrangler: { configPath: './wrangler.jsonc' },
      miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
    })],
    test: {
      name: 'worker',
      include: ['tests/worker/**/*.test.ts'],
      setupFiles: ['./tests/worker/apply-migrations.ts'],
      testTimeout: 60_000,
    },
  };
});
