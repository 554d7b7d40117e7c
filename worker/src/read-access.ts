/**
 * Who may read (PRIVATE_READS=true). Public deployments: everyone, everything. Private deployments:
 *   - API tokens read the repositories their scope covers (and the allow-lists admit);
 *   - OIDC tokens only when the deployment has ALLOWED_OWNERS or ALLOWED_REPOS and the token's own repository is
 *     admitted by them (any public repository can mint a token with our audience), and then only repositories of
 *     the token's own owner;
 *   - no token: 401.
 * Badges and charts use the same rules unless PUBLIC_BADGES=true (README images cannot send a token).
 */
import type { Context } from 'hono';
import type { AppEnv, ReadAccess } from './app-env.js';
import { authenticate, tokenCovers } from './auth.js';
import { readConfig, type Config } from './config.js';
import { ApiError } from './errors.js';

export type { ReadAccess };

export const PUBLIC_ACCESS: ReadAccess = { canRead: () => true };

/** Resolves the caller's read rights; 401 on private deployments without a valid token, 403 for an outsider's OIDC token. */
export async function readAccess(db: D1Database, config: Config, header: string | undefined): Promise<ReadAccess> {
  if (!config.privateReads) return PUBLIC_ACCESS;
  const who = await authenticate(db, { ...config, allowUnauthenticatedUploads: false }, header);
  const admitted = (repo: string) => allowListed(config, repo.toLowerCase());
  if (who.kind === 'token') return { canRead: (repo) => admitted(repo) && tokenCovers(who.repos, repo.toLowerCase()) };
  if (who.kind === 'oidc') {
    const own = who.repository.toLowerCase();
    if (!(config.allowedOwners || config.allowedRepos) || !admitted(own)) {
      throw new ApiError(403, 'read_not_allowed',
        `this deployment is private; OIDC tokens of ${who.repository} may not read it (ALLOWED_OWNERS / ALLOWED_REPOS)`);
    }
    const owner = own.split('/')[0];
    return { canRead: (repo) => admitted(repo) && repo.toLowerCase().split('/')[0] === owner };
  }
  throw new ApiError(401, 'unauthenticated', 'this deployment requires a token to read');
}

/** 403 unless the caller may read `repository`. */
export function assertCanRead(access: ReadAccess, repository: string): void {
  if (!access.canRead(repository)) {
    throw new ApiError(403, 'read_not_allowed', `this token may not read ${repository}`, { repository });
  }
}

/** Middleware: resolves read access once per request and keeps it in the context (c.get('reader')). */
export async function requireReader(c: Context<AppEnv>, next: () => Promise<void>): Promise<void> {
  c.set('reader', await readAccess(c.env.DB, readConfig(c.env), c.req.header('authorization')));
  await next();
}

/**
 * Badges and charts: null when the image may be served (public deployment, PUBLIC_BADGES=true, or a token that
 * may read the repository); otherwise the reason, and the route renders a grey "private" image with status 200.
 */
export async function imageAccess(c: Context<AppEnv>, repository: string): Promise<'private' | null> {
  const config = readConfig(c.env);
  if (!config.privateReads || config.publicBadges) return null;
  try {
    return (await readAccess(c.env.DB, config, c.req.header('authorization'))).canRead(repository) ? null : 'private';
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) return 'private';
    throw err;
  }
}

function allowListed(config: Config, repo: string): boolean {
  return (!config.allowedOwners || config.allowedOwners.includes(repo.split('/')[0]!))
    && (!config.allowedRepos || config.allowedRepos.includes(repo));
}
