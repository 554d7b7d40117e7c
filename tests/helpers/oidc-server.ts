/**
 * Node-only loopback OIDC issuer for e2e tests: serves the JWKS and openid-configuration under its own URL (so the
 * worker can use OIDC_ISSUER / OIDC_JWKS_URL against it) and the GitHub Actions ID-token endpoint, i.e. the
 * ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN contract: GET <url>&audience=<aud> with
 * "Authorization: Bearer <request token>" → { "value": "<jwt>" }.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestIssuer, type GithubClaims, type TestIssuer } from './oidc.js';

export interface OidcServer {
  issuer: TestIssuer;
  url: string;
  jwksUrl: string;
  /** set these in the action's environment */
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** tokens handed out so far (audience requested each time) */
  requests: { audience: string | null }[];
  close(): Promise<void>;
}

export async function startOidcServer(claims: Partial<GithubClaims> = {}): Promise<OidcServer> {
  const requestToken = `req-${Math.random().toString(36).slice(2)}`;
  const requests: { audience: string | null }[] = [];
  let issuer: TestIssuer | null = null;
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (u.pathname === '/.well-known/jwks') return send(200, issuer!.jwks);
    if (u.pathname === '/.well-known/openid-configuration') {
      return send(200, { issuer: issuer!.issuer, jwks_uri: `${issuer!.issuer}/.well-known/jwks` });
    }
    if (u.pathname === '/id-token') {
      if (req.headers.authorization !== `Bearer ${requestToken}`) return send(401, { message: 'bad request token' });
      const audience = u.searchParams.get('audience');
      requests.push({ audience });
      return void issuer!.mint({ ...claims, ...(audience ? { aud: audience } : {}) }).then((value) => send(200, { value }));
    }
    send(404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = await createTestIssuer(url);
  return {
    issuer, url, jwksUrl: `${url}/.well-known/jwks`, requests,
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/id-token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
