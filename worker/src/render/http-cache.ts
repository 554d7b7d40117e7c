/**
 * Conditional responses for badges, charts and pages: a strong ETag over the exact body and a short max-age, so
 * GitHub's image proxy and browsers revalidate cheaply (304, no body) instead of re-downloading.
 */

/** Badges and charts: shields.io's own default, short enough that a new run shows up within minutes. */
export const IMAGE_MAX_AGE = 300;
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
    'Cache-Control': `public, max-age=${opts.maxAge}`,
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
