import { exports } from 'cloudflare:workers';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('worker health', () => {
  it('answers /health and has migrations applied', async () => {
    const res = await exports.default.fetch('http://local/health');
    expect(res.status).toBe(200);
    const tables = await env.DB.prepare("select name from sqlite_master where type='table'").all<{ name: string }>();
    expect(tables.results.length).toBeGreaterThan(0);
  });
});
