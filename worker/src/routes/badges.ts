/**
 * GET /badge/:owner/:repo.svg and /badge/:owner/:repo.json (shields.io endpoint format).
 * Query: benchmark, group ("key:value" or "value"), ref, model, label, style (svg only).
 * Default: the suite mean of the newest complete run on the default branch (db.knownDefaultBranch; main or master
 * when unknown) when not given `ref`. Any missing data — unknown repository, no run, unknown benchmark, malformed
 * query — yields a grey "no data" badge with status 200: GitHub's image proxy shows a broken image for anything
 * else. On a private deployment without PUBLIC_BADGES=true a caller without read access gets a grey "private"
 * badge, also with status 200.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { defaultBranchRefs, knownDefaultBranch, latestDefaultBranchRun, latestRun, latestRunAccuracy } from '../db.js';
import { imageAccess } from '../read-access.js';
import { memoRead } from '../read-cache.js';
import { badgeScore, parseGroup } from '../render/adapt.js';
import { badgeContent, DEFAULT_BADGE_LABEL, parseBadgeStyle, renderBadgeSvg, shieldsEndpoint } from '../render/badge.js';
import { cachedResponse, etagOf, IMAGE_CSP, IMAGE_MAX_AGE } from '../render/http-cache.js';

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const FILE = /^([A-Za-z0-9_.-]{1,100})\.(svg|json)$/;
const MAX_QUERY_CHARS = { benchmark: 64, group: 200, ref: 255, model: 200 } as const;

export interface BadgeQuery {
  benchmark: string | null;
  group: string | null;
  ref: string | null;
  model: string | null;
}

/** Reads the badge filters; null when one is oversized (answered with "no data", never an error image). */
export function readBadgeQuery(get: (k: string) => string | undefined): BadgeQuery | null {
  const q: BadgeQuery = { benchmark: null, group: null, ref: null, model: null };
  for (const key of Object.keys(MAX_QUERY_CHARS) as (keyof BadgeQuery)[]) {
    const v = get(key)?.trim();
    if (!v) continue;
    if (v.length > MAX_QUERY_CHARS[key]) return null;
    q[key] = v;
  }
  return q;
}

/** The newest complete run the filters select: `ref` when given, else the default branch (used by the pages). */
export async function selectRun(db: D1Database, repository: string, q: { ref: string | null; model: string | null }) {
  return q.ref ? latestRun(db, repository, { ref: q.ref, model: q.model }) : latestDefaultBranchRun(db, repository, { model: q.model });
}

/** Refs a badge reads: the given ref in both spellings, else the repository's default branch (memoised too). */
export async function badgeRefs(db: D1Database, repository: string, ref: string | null): Promise<string[]> {
  if (ref) return ref.startsWith('refs/') ? [ref] : [ref, `refs/heads/${ref}`];
  return defaultBranchRefs(await memoRead(`default-branch:${repository.toLowerCase()}`, () => knownDefaultBranch(db, repository)));
}

/**
 * Badges are the hottest read (every README view through GitHub's image proxy): one D1 round trip, memoised per
 * isolate for a few seconds by the read cache (read-cache.ts), which every upload in the isolate clears.
 */
async function loadScore(db: D1Database, repository: string, q: BadgeQuery): Promise<number | null> {
  const query = { refs: await badgeRefs(db, repository, q.ref), model: q.model, benchmark: q.benchmark };
  const key = `badge:${repository.toLowerCase()}${JSON.stringify(query)}`;
  const found = await memoRead(key, () => latestRunAccuracy(db, repository, query));
  return found ? badgeScore(found.scoreMean, found.scores, q) : null;
}

// Rendered badges by content: most requests repeat a handful of (label, message, colour, style) combinations, so
// the SVG and its ETag are computed once per isolate. Bounded; the oldest entry goes first.
const RENDERED = new Map<string, { body: string; etag: string }>();
const MAX_RENDERED = 512;

async function renderOnce(key: string, render: () => string): Promise<{ body: string; etag: string }> {
  const hit = RENDERED.get(key);
  if (hit) return hit;
  const body = render();
  const entry = { body, etag: await etagOf(body) };
  if (RENDERED.size >= MAX_RENDERED) RENDERED.delete(RENDERED.keys().next().value!);
  RENDERED.set(key, entry);
  return entry;
}

function defaultLabel(q: BadgeQuery | null): string {
  const group = parseGroup(q?.group)?.value;
  const parts = [q?.benchmark ?? (group ? DEFAULT_BADGE_LABEL : null), group].filter(Boolean);
  return parts.length ? parts.join(' · ') : DEFAULT_BADGE_LABEL;
}

/**
 * What badge and chart routes share: the repository named by `/:owner/:file`, whether the caller may see it, and
 * the query. `readable` is false for a hidden repository or an owner name that cannot exist (then: no data).
 * Null when the file name does not match `file` (a 404, not an image).
 */
export async function readImageRequest(c: Context<AppEnv>, file: RegExp) {
  const match = file.exec(c.req.param('file') ?? '');
  if (!match) return null;
  const owner = c.req.param('owner') ?? '';
  const repository = `${owner}/${match[1]}`;
  const hidden = (await imageAccess(c, repository)) === 'private';
  const q = readBadgeQuery((k) => c.req.query(k));
  return { repository, extension: match[2], hidden, q, readable: q !== null && !hidden && NAME.test(owner) };
}

export const badges = new Hono<AppEnv>().get('/badge/:owner/:file', async (c) => {
  const image = await readImageRequest(c, FILE);
  if (!image) return c.notFound();
  const { repository, hidden, q } = image;
  const score = image.readable && q ? await loadScore(c.env.DB, repository, q) : null;
  const content = badgeContent({ label: c.req.query('label'), defaultLabel: defaultLabel(q), score, private: hidden });
  if (image.extension === 'json') {
    return cachedResponse(c.req.raw, JSON.stringify(shieldsEndpoint(content)), {
      contentType: 'application/json; charset=utf-8', maxAge: IMAGE_MAX_AGE,
    });
  }
  const style = parseBadgeStyle(c.req.query('style'));
  const { body, etag } = await renderOnce(JSON.stringify([style, content.label, content.message, content.color]),
    () => renderBadgeSvg(content, style));
  return cachedResponse(c.req.raw, body, { contentType: 'image/svg+xml; charset=utf-8', maxAge: IMAGE_MAX_AGE, csp: IMAGE_CSP, etag });
});
