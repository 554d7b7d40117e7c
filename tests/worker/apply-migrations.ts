import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// idempotent; setup files may run more than once per isolate
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
