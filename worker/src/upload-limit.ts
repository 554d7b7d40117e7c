/**
 * Per-repository upload limit with Cloudflare's rate-limiting binding (`ratelimits` in wrangler.jsonc; Miniflare
 * and workerd run it locally too). Counted per Cloudflare location, so it bounds bursts — a runaway workflow, a
 * leaked API token — rather than a global quota. Only uploads that passed validation and authorisation count.
 * Anonymous uploads exist only on a local worker (ALLOW_UNAUTHENTICATED_UPLOADS) and are not limited; a deployment
 * without the binding is not limited either.
 */
import type { Uploader } from './auth.js';
import { ApiError } from './errors.js';

export async function assertUploadAllowed(env: Env, who: Uploader, repository: string): Promise<void> {
  const limiter = (env as Partial<Env>).UPLOAD_LIMITER;
  if (!limiter || who.kind === 'anonymous') return;
  const { success } = await limiter.limit({ key: `upload:${repository.toLowerCase()}` });
  if (success) return;
  throw new ApiError(429, 'rate_limited',
    `too many uploads for ${repository} in the last minute (the UPLOAD_LIMITER binding in wrangler.jsonc); retry in ` +
    'a minute', { repository }, { 'retry-after': '60' });
}
