/**
 * Who may upload and, on private deployments, read: GitHub Actions OIDC tokens verified with jose (RS256 only,
 * issuer, audience, exp/nbf/iat, repository claims checked against the run and against the ids pinned on first
 * upload, jti replay refused) and scoped API tokens ("mvb_…", stored as SHA-256, revocable). The read rules are in
 * read-access.ts.
 */
import {
  createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey,
} from 'jose';
import type { RunResult } from '../../schemas/results.js';
import type { Config } from './config.js';
import { findApiToken, getRepository, isJtiUsed } from './db.js';
import { ApiError } from './errors.js';
import { bindIdentity, isVerifiedWorkflow } from './identity.js';

export type Uploader =
  | { kind: 'oidc'; repository: string; repositoryId: number; ownerId: number; jti: string; expiresAt: number;
      workflowRef: string | null; jobWorkflowRef: string | null; ghRunId: string | null; verified: boolean;
      /** the signed commit and ref of the workflow run */
      sha: string | null; ref: string | null }
  | { kind: 'token'; tokenId: number; repos: string[] }
  | { kind: 'anonymous' };

export const API_TOKEN_PREFIX = 'mvb_';
// GitHub's tokens live 5–10 minutes; anything issued longer ago than this is refused even if exp says otherwise.
const MAX_TOKEN_AGE = '1h';
const CLOCK_TOLERANCE_S = 30;
const REQUIRED_CLAIMS = ['exp', 'iat', 'jti', 'repository', 'repository_id', 'repository_owner_id'];

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

/** Resolves the Authorization header to an uploader, or throws 401. */
export async function authenticate(db: D1Database, config: Config, header: string | undefined): Promise<Uploader> {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) {
    if (config.allowUnauthenticatedUploads) return { kind: 'anonymous' };
    throw new ApiError(401, 'unauthenticated', 'missing "Authorization: Bearer <token>" (GitHub OIDC token or mvb_ API token)');
  }
  return token.startsWith(API_TOKEN_PREFIX) ? verifyApiToken(db, token) : verifyOidcToken(config, token);
}

async function verifyApiToken(db: D1Database, token: string): Promise<Uploader> {
  const found = await findApiToken(db, await sha256Hex(token));
  if (!found || found.revoked) throw new ApiError(401, 'invalid_token', 'unknown or revoked API token');
  return { kind: 'token', tokenId: found.id, repos: found.repos };
}

async function verifyOidcToken(config: Config, token: string): Promise<Uploader> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySet(config), {
      algorithms: ['RS256'], issuer: config.issuer, audience: config.audience, requiredClaims: REQUIRED_CLAIMS,
      maxTokenAge: MAX_TOKEN_AGE, clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (err) {
    throw new ApiError(401, 'invalid_token', `OIDC token rejected: ${describeJoseError(err)}`);
  }
  const claim = (k: string) => (typeof payload[k] === 'string' ? (payload[k] as string) : null);
  // GitHub sends the ids as strings; accept plain numbers too
  const id = (k: string) => (typeof payload[k] === 'number' ? Number(payload[k]) : Number(claim(k) ?? NaN));
  const repositoryId = id('repository_id');
  const ownerId = id('repository_owner_id');
  if (!claim('repository') || !Number.isSafeInteger(repositoryId) || !Number.isSafeInteger(ownerId)) {
    throw new ApiError(401, 'invalid_token', 'OIDC token lacks repository, repository_id or repository_owner_id');
  }
  const workflowRef = claim('workflow_ref');
  const jobWorkflowRef = claim('job_workflow_ref');
  const ref = claim('ref');
  return {
    kind: 'oidc', repository: claim('repository')!, repositoryId, ownerId, jti: String(payload.jti),
    expiresAt: payload.exp!, workflowRef, jobWorkflowRef, ghRunId: claim('run_id') ?? (typeof payload.run_id === 'number' ? String(payload.run_id) : null),
    verified: isVerifiedWorkflow(config.trustedWorkflows, { repository: claim('repository')!, ref, workflowRef, jobWorkflowRef }),
    sha: claim('sha'), ref,
  };
}

/**
 * Any GitHub repository can mint an OIDC token with this deployment's audience, so a deployment without
 * ALLOWED_OWNERS / ALLOWED_REPOS would store anyone's runs: OIDC uploads are refused until one is set. API tokens
 * (scoped by the operator) and the local ALLOW_UNAUTHENTICATED_UPLOADS mode are not affected.
 */
export function assertOidcUploadsConfigured(config: Config, who: Uploader): void {
  if (who.kind !== 'oidc' || config.allowedOwners || config.allowedRepos) return;
  throw new ApiError(403, 'allow_list_required',
    `this deployment accepts no GitHub OIDC uploads until it names who may upload: set ALLOWED_OWNERS (e.g. ` +
    `"${who.repository.split('/')[0]}") or ALLOWED_REPOS (e.g. "${who.repository}") in the "vars" of wrangler.jsonc, ` +
    'or with `npx wrangler secret put ALLOWED_OWNERS`, then deploy (docs/worker.md, "Deploying to Cloudflare")',
    { repository: who.repository });
}

/**
 * Refuses an upload unless the uploader may write the run's repository: allow-lists, the token's repository claim,
 * the GitHub ids pinned on first upload, the API token's scope, the token's commit and ref (identity.ts). Writes
 * nothing: the jti is consumed in the same transaction as the run (db/writes.ts). Returns the run to store
 * (identity gaps filled from the token).
 */
export async function authorizeUpload(db: D1Database, config: Config, who: Uploader, run: RunResult): Promise<RunResult> {
  const repository = run.identity.repository!;
  const repo = repository.toLowerCase();
  const owner = repo.split('/')[0]!;
  if (config.allowedOwners && !config.allowedOwners.includes(owner)) {
    throw new ApiError(403, 'owner_not_allowed', `owner "${owner}" is not in ALLOWED_OWNERS`);
  }
  if (config.allowedRepos && !config.allowedRepos.includes(repo)) {
    throw new ApiError(403, 'repository_not_allowed', `repository "${repository}" is not in ALLOWED_REPOS`);
  }
  if (who.kind === 'token' && !tokenCovers(who.repos, repo)) {
    throw new ApiError(403, 'token_scope', `API token is not scoped to ${repository}`, { scope: who.repos });
  }
  if (who.kind !== 'oidc') return bindIdentity(run, null);
  if (who.repository.toLowerCase() !== repo) {
    throw new ApiError(403, 'repository_mismatch',
      `OIDC token is for ${who.repository} but the run is for ${repository}`);
  }
  const pinned = await getRepository(db, repository);
  if (pinned?.githubId != null && (pinned.githubId !== who.repositoryId || pinned.ownerGithubId !== who.ownerId)) {
    throw pinMismatch(repository, pinned, who);
  }
  if (await isJtiUsed(db, who.jti)) throw replayed();
  return bindIdentity(run, { sha: who.sha, ref: who.ref, runId: who.ghRunId });
}

export function pinMismatch(repository: string, pinned: { githubId: number | null; ownerGithubId: number | null },
  who: { repositoryId: number; ownerId: number }): ApiError {
  return new ApiError(403, 'repository_id_mismatch',
    `${repository} is pinned to repository id ${pinned.githubId} (owner ${pinned.ownerGithubId}); the token carries ` +
    `${who.repositoryId} (owner ${who.ownerId}) — a renamed or re-created repository cannot write this history`);
}

export function replayed(): ApiError {
  return new ApiError(401, 'token_replayed', 'OIDC token was already used (jti replay); request a fresh token');
}

export function tokenCovers(scope: string[], repo: string): boolean {
  const owner = repo.split('/')[0];
  return scope.some((s) => s.toLowerCase() === repo || s.toLowerCase() === `${owner}/*`);
}

export async function sha256Hex(text: string | Uint8Array): Promise<string> {
  const data = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function keySet(config: Config) {
  if (config.jwksInline) {
    try {
      return createLocalJWKSet(JSON.parse(config.jwksInline));
    } catch {
      throw new ApiError(500, 'misconfigured', 'OIDC_JWKS is not a valid JSON Web Key Set');
    }
  }
  let set = remoteKeySets.get(config.jwksUrl);
  if (!set) remoteKeySets.set(config.jwksUrl, (set = remoteKeySet(config.jwksUrl)));
  return set;
}

/** Errors of the key lookup that are the token's fault (its kid or alg); any other failure is the key set's. */
const TOKEN_FAULTS = [joseErrors.JWKSNoMatchingKey, joseErrors.JWKSMultipleMatchingKeys, joseErrors.JOSEAlgNotAllowed,
  joseErrors.JOSENotSupported];

/**
 * GitHub's key set behind jose's cache. When it cannot be fetched (unreachable, timeout, not 200, not a key set)
 * nothing is known about the token: that is a retryable 503, not a 401 that would tell the uploader its token is bad.
 */
function remoteKeySet(url: string): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url));
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (TOKEN_FAULTS.some((T) => err instanceof T)) throw err;
      const why = err instanceof Error ? err.message : String(err);
      throw new ApiError(503, 'jwks_unavailable', `the OIDC key set at ${url} could not be fetched (${why}); retry later`,
        { jwksUrl: url });
    }
  };
}

function describeJoseError(err: unknown): string {
  if (err instanceof ApiError) throw err;
  if (err instanceof joseErrors.JOSEError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
