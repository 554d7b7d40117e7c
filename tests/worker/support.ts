/** Shared by the worker route tests: calling the app with extra vars, auth headers, row counts. */
import { env } from 'cloudflare:workers';
import { app } from '../../worker/src/index.js';
import { sha256Hex } from '../../worker/src/auth.js';
import { createTestIssuer, TEST_ISSUER, type TestIssuer } from '../helpers/oidc.js';

export const TABLES = ['repositories', 'runs', 'scores', 'shards', 'blobs', 'used_jti'] as const;

export async function setupIssuer(): Promise<{ issuer: TestIssuer; vars: Record<string, string> }> {
  const issuer = await createTestIssuer(TEST_ISSUER);
  // OIDC uploads are refused without an allow-list; the test issuer's default repository is acme/vision
  return { issuer, vars: { OIDC_ISSUER: TEST_ISSUER, OIDC_JWKS: JSON.stringify(issuer.jwks), ALLOWED_OWNERS: 'acme' } };
}

/** Calls the worker in-process (same workerd, real local D1) with the given vars layered over the test env. */
export async function call(path: string, init: RequestInit = {}, vars: Record<string, string> = {}): Promise<Response> {
  return app.request(path, init, { ...env, ...vars });
}

export function postRun(body: unknown, token: string | null, vars: Record<string, string> = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return call('/api/v1/runs', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }, vars);
}

export async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    out[t] = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`).first<{ n: number }>())!.n;
  }
  return out;
}

/** Inserts a scoped API token (as `npm run token -- create` would) and returns its clear text. */
export async function createApiToken(repos: string[]): Promise<string> {
  const token = `mvb_${crypto.randomUUID().replace(/-/g, '')}`;
  await env.DB.prepare('INSERT INTO api_tokens (token_sha256, repos, label, created_at) VALUES (?, ?, ?, ?)')
    .bind(await sha256Hex(token), repos.join(','), 'test', Date.now()).run();
  return token;
}

export async function json<T = Record<string, any>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
