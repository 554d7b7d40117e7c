/**
 * A local OIDC issuer for tests: an RSA key pair, its JWKS (pass as the worker's inline OIDC_JWKS), and minting of
 * GitHub-Actions-shaped ID tokens, including deliberately broken ones for the attack table. Pure jose/WebCrypto so
 * it runs in workerd and in Node; the loopback HTTP server lives in oidc-server.ts (Node only).
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export const TEST_ISSUER = 'https://issuer.test';
export const TEST_AUDIENCE = 'medvlm-bench';

export interface TestIssuer {
  issuer: string;
  jwks: { keys: JWK[] };
  publicJwk: JWK;
  /** a signed RS256 token; `claims` override the GitHub-like defaults, `undefined` values remove a claim */
  mint(claims?: Partial<GithubClaims> & Record<string, unknown>, opts?: { kid?: string }): Promise<string>;
  privateKey: CryptoKey;
}

export interface GithubClaims extends JWTPayload {
  repository: string; repository_id: string; repository_owner: string; repository_owner_id: string;
  workflow_ref: string; job_workflow_ref: string; run_id: string; ref: string; sha: string;
}

let counter = 0;

export async function createTestIssuer(issuer = TEST_ISSUER): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  return {
    issuer, jwks: { keys: [publicJwk] }, publicJwk, privateKey,
    async mint(claims = {}, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        iss: issuer, aud: TEST_AUDIENCE, iat: now, nbf: now, exp: now + 300, jti: `jti-${now}-${++counter}-${Math.random()}`,
        sub: 'repo:acme/vision:ref:refs/heads/main', repository: 'acme/vision', repository_id: '1001',
        repository_owner: 'acme', repository_owner_id: '2001', ref: 'refs/heads/main', sha: 'a'.repeat(40),
        workflow_ref: 'acme/vision/.github/workflows/bench.yml@refs/heads/main',
        job_workflow_ref: 'acme/vision/.github/workflows/bench.yml@refs/heads/main', run_id: '42',
        ...claims,
      };
      for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
      return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'test-key-1', typ: 'JWT' })
        .sign(privateKey);
    },
  };
}

/** An unsigned token ("alg": "none"). */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.`;
}

/** The classic key-confusion forgery: HS256 with the issuer's public key (as JWK JSON text) used as the HMAC secret. */
export async function hs256WithPublicKey(publicJwk: JWK, payload: Record<string, unknown>): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid, typ: 'JWT' }).sign(secret);
}

/** Decodes a token's payload without verifying (for building forgeries from a valid token). */
export function payloadOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4))) as Record<string, unknown>;
}

function b64url(s: string): string {
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
