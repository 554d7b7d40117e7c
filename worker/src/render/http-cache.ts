/**
 * Conditional responses for badges, charts and pages: a strong ETag over the exact body and no-cache (images) or a
 * short max-age (pages), so GitHub's image proxy and browsers revalidate cheaply (304, no body) instead of
 * re-downloading. Who may cache what is decided once for every response by applyCachePolicy.
 */

/**
 * Badges and charts: 0 = `no-cache`, revalidated with the ETag on every view (a 304 costs no body), so GitHub's image
 * proxy shows a new run's badge at once instead of after max-age seconds.
 */
export const IMAGE_MAX_AGE = 0;
export const PAGE_MAX_AGE = 60;

/** Pages and images carry no scripts and load nothing from elsewhere; the policy makes that a guarantee. */
export const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  const hex = Array.from(new Uint8Array(digest).subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
  return `"${hex}"`;
}

/** True when an If-None-Match header names this ETag (weak comparison, "*" included, as RFC 9110 asks for GET). */
export function matchesEtag(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === bare);
}

export async function cachedResponse(
  request: Request, body: string, opts: { contentType: string; maxAge: number; status?: number; csp?: string; etag?: string },
): Promise<Response> {
  const etag = opts.etag ?? (await etagOf(body));
  const headers = new Headers({
    'Cache-Control': opts.maxAge > 0 ? `public, max-age=${opts.maxAge}` : 'public, no-cache',
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  });
  if (opts.csp) headers.set('Content-Security-Policy', opts.csp);
  // only successful representations are validated; a 404 page is served as is
  if ((opts.status ?? 200) === 200 && matchesEtag(request.headers.get('If-None-Match'), etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set('Content-Type', opts.contentType);
  return new Response(body, { status: opts.status ?? 200, headers });
}

/**
 * The caching rules every response leaves the worker with (applied once, in index.ts):
 *   - a response that depends on who asks — anything read-gated on a PRIVATE_READS deployment (pages, API, and
 *     badges/charts unless PUBLIC_BADGES) — is `private, no-cache` with `Vary: Authorization`: no shared cache may
 *     store an authorised page or badge and hand it to someone else;
 *   - public badges and charts are `public, no-cache`: GitHub's image proxy revalidates with the ETag (304) on
 *     every view instead of showing a stale badge for max-age seconds;
 *   - public pages keep `public, max-age=PAGE_MAX_AGE`; JSON answers get `X-Content-Type-Options: nosniff`.
 */
export function applyCachePolicy(path: string, headers: Headers, config: { privateReads: boolean; publicBadges: boolean }): void {
  if ((headers.get('content-type') ?? '').startsWith('application/json')) headers.set('X-Content-Type-Options', 'nosniff');
  if (path === '/health' || path === '/favicon.svg') return;
  const image = /^\/(badge|chart|curve)\//.test(path);
  if (config.privateReads && !(image && config.publicBadges)) {
    headers.set('Cache-Control', 'private, no-cache');
    headers.append('Vary', 'Authorization');
  } else if (image) {
    headers.set('Cache-Control', 'public, no-cache');
  }
}
