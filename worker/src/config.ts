/** Deployment settings read from vars (wrangler.jsonc / secrets / test bindings), with the documented defaults. */

export interface Config {
  issuer: string;
  jwksUrl: string;
  /** inline JSON Web Key Set (tests, air-gapped deployments); wins over jwksUrl */
  jwksInline: string | null;
  audience: string;
  allowedOwners: string[] | null;
  allowedRepos: string[] | null;
  trustedWorkflows: string[];
  privateReads: boolean;
  /** with privateReads: badges and charts stay readable without a token (README images cannot send one) */
  publicBadges: boolean;
  retentionPrDays: number;
  allowUnauthenticatedUploads: boolean;
}

export const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
export const DEFAULT_AUDIENCE = 'medvlm-bench';
export const DEFAULT_RETENTION_PR_DAYS = 90;
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function readConfig(env: object): Config {
  const vars = env as Record<string, unknown>;
  const str = (k: string): string | null => {
    const v = vars[k];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  };
  const issuer = (str('OIDC_ISSUER') ?? DEFAULT_ISSUER).replace(/\/$/, '');
  const days = Number(str('RETENTION_PR_DAYS') ?? DEFAULT_RETENTION_PR_DAYS);
  return {
    issuer,
    jwksUrl: str('OIDC_JWKS_URL') ?? `${issuer}/.well-known/jwks`,
    jwksInline: str('OIDC_JWKS'),
    audience: str('OIDC_AUDIENCE') ?? DEFAULT_AUDIENCE,
    allowedOwners: list(str('ALLOWED_OWNERS')),
    allowedRepos: list(str('ALLOWED_REPOS')),
    trustedWorkflows: list(str('TRUSTED_WORKFLOWS')) ?? [],
    privateReads: str('PRIVATE_READS') === 'true',
    publicBadges: str('PUBLIC_BADGES') === 'true',
    retentionPrDays: Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_PR_DAYS,
    allowUnauthenticatedUploads: str('ALLOW_UNAUTHENTICATED_UPLOADS') === 'true',
  };
}

function list(v: string | null): string[] | null {
  if (!v) return null;
  const items = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  return items.length ? items : null;
}
