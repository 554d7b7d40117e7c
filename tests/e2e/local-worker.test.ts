import { describe, expect, it } from 'vitest';
import { startLocalWorker } from '../../scripts/local-worker.mjs';

describe('scripts/local-worker.mjs', () => {
  it('serves /health and has the migrations applied before resolving', async () => {
    const { url, stop } = await startLocalWorker({ port: 0 });
    try {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      // a read that needs the runs table: an unknown run must be a clean 404, not a "no such table" 500
      const missing = await fetch(`${url}/api/v1/runs/0000000000000000`);
      expect(missing.status).toBe(404);
    } finally {
      await stop();
    }
  });
});
