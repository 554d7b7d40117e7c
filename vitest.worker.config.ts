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
      miniflare: {
        bindings: { TEST_MIGRATIONS: migrations },
        // route tests upload hundreds of runs to one repository a minute: the shipped 30/min limit is tested on its
        // own binding (tests/worker/routes/upload-limits.test.ts)
        ratelimits: { UPLOAD_LIMITER: { simple: { limit: 100_000, period: 60 } }, STRICT_UPLOAD_LIMITER: { simple: { limit: 30, period: 60 } } },
      },
    })],
    test: {
      name: 'worker',
      include: ['tests/worker/**/*.test.ts'],
      setupFiles: ['./tests/worker/apply-migrations.ts'],
      testTimeout: 60_000,
    },
  };
});
