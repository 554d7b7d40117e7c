/**
 * The action's aggregator client retries a 5xx (and no answer) with growing waits, never a 4xx; and end to end, a
 * worker whose OIDC key set is briefly unreachable answers 503 jwks_unavailable, which the client rides out until the
 * upload is stored (201). Real loopback servers: a scripted one, and the local worker (workerd + D1) with a JWKS
 * server that fails its first two fetches.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { AggregatorError, uploadRun } from '../../action/src/github-action/aggregator.js';
import { startLocalWorker } from '../../scripts/local-worker.mjs';
import { createTestIssuer } from '../helpers/oidc.js';
import { makeRun } from '../helpers/run-fixture.js';

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Answers each POST with the next status of `script` (the last one repeats), recording when it came. */
async function scripted(script: number[]) {
  const times: number[] = [];
  const url = await serve((req, res) => {
    req.resume();
    const status = script[Math.min(times.length, script.length - 1)]!;
    times.push(Date.now());
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status < 300 ? { id: 'r1', url: null } : { error: { code: 'x', message: `status ${status}` } }));
  });
  return { url, times };
}

const run = makeRun({ repository: 'acme/vision', commit: 'a'.repeat(40) });

describe('aggregator client retries', () => {
  it('503, 503, then 201: stored, after waits that grow', async () => {
    const s = await scripted([503, 503, 201]);
    const up = await uploadRun({ baseUrl: s.url, fetch, retryDelaysMs: [100, 300, 900] }, run, 'tok');
    expect(up).toEqual({ id: 'r1', url: null, created: true });
    expect(s.times).toHaveLength(3);
    const [g1, g2] = [s.times[1]! - s.times[0]!, s.times[2]! - s.times[1]!];
    expect(g1).toBeGreaterThanOrEqual(95);
    expect(g2).toBeGreaterThanOrEqual(295);
    expect(g2).toBeGreaterThan(g1);
  });

  it('a 4xx is not retried', async () => {
    const s = await scripted([409]);
    const err = await uploadRun({ baseUrl: s.url, fetch, retryDelaysMs: [10, 10] }, run, 'tok').catch((e) => e);
    expect(err).toBeInstanceOf(AggregatorError);
    expect((err as AggregatorError).status).toBe(409);
    expect(s.times).toHaveLength(1);
  });

  it('gives up after the last wait with the last 5xx', async () => {
    const s = await scripted([500]);
    const err = await uploadRun({ baseUrl: s.url, fetch, retryDelaysMs: [10, 20] }, run, 'tok').catch((e) => e);
    expect((err as AggregatorError).status).toBe(500);
    expect(s.times).toHaveLength(3);
  });

  it('no answer (nothing listening) is retried too, then reported as unreachable', async () => {
    const err = await uploadRun({ baseUrl: 'http://127.0.0.1:1', fetch, retryDelaysMs: [10] }, run, 'tok').catch((e) => e);
    expect((err as AggregatorError).status).toBeNull();
    expect((err as Error).message).toContain('unreachable');
  });
});

describe('worker with a briefly unreachable key set', () => {
  it('503 jwks_unavailable twice, then the retried upload is stored (201)', async () => {
    let issuerUrl = '';
    let jwksFetches = 0;
    let jwks: unknown = null;
    const url = await serve((req, res) => {
      if (req.url !== '/jwks') return void res.writeHead(404).end();
      jwksFetches++;
      if (jwksFetches <= 2) return void res.writeHead(503).end('down');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    });
    issuerUrl = url;
    const issuer = await createTestIssuer(issuerUrl);
    jwks = issuer.jwks;
    const worker = await startLocalWorker({ vars: { OIDC_ISSUER: issuerUrl, OIDC_JWKS_URL: `${url}/jwks`, ALLOWED_OWNERS: 'acme' } });
    closers.push(() => worker.stop());
    const seen: number[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      seen.push(res.status);
      return res;
    };
    const up = await uploadRun({ baseUrl: worker.url, fetch: recording, retryDelaysMs: [50, 100, 200] }, run, await issuer.mint());
    expect(seen).toEqual([503, 503, 201]);
    expect(up.created).toBe(true);
    expect(jwksFetches).toBe(3);
    const stored = await (await fetch(`${worker.url}/api/v1/runs/${up.id}`)).json() as { commit: string };
    expect(stored.commit).toBe('a'.repeat(40));
  });
});
