/** POST /runs (authenticated upload) and GET /runs/:id. */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RunResult } from '../../../../schemas/results.js';
import type { AppEnv } from '../../app-env.js';
import { assertOidcUploadsConfigured, authenticate, authorizeUpload } from '../../auth.js';
import { MAX_BODY_BYTES, readConfig } from '../../config.js';
import { getRun, getRunFailure, getRunResult, listShardIndexes } from '../../db.js';
import { ApiError, notFound, validate } from '../../errors.js';
import { ingestRun } from '../../ingest.js';
import { invalidateReads } from '../../read-cache.js';
import { assertRunConsistent } from '../../run-checks.js';
import { assertUploadAllowed } from '../../upload-limit.js';
import { protoKeyPath } from '../../reserved-names.js';
import { RunId } from './params.js';
import { z } from 'zod';

export function runUrl(requestUrl: string, id: string): string {
  return new URL(`/api/v1/runs/${id}`, requestUrl).toString();
}

const tooLarge = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`, { maxBytes: MAX_BODY_BYTES });
  },
});

export const runs = new Hono<AppEnv>()
  .post('/', tooLarge,
    async (c, next) => {
      // authenticate before parsing so anonymous callers cannot make the worker parse 8 MB bodies
      const config = readConfig(c.env);
      const who = await authenticate(c.env.DB, config, c.req.header('authorization'));
      assertOidcUploadsConfigured(config, who);
      c.set('uploader', who);
      await next();
    },
    requireJsonBody,
    refuseProtoKeys,
    validate('json', RunResult),
    async (c) => {
      const uploaded = c.req.valid('json');
      assertRunConsistent(uploaded);
      const who = c.get('uploader');
      const run = await authorizeUpload(c.env.DB, readConfig(c.env), who, uploaded);
      await assertUploadAllowed(c.env, who, run.identity.repository!);
      const r = await ingestRun(c.env.DB, who, run, Date.now());
      invalidateReads();
      const page = new URL(`/${run.identity.repository}/runs/${r.id}`, c.req.url).toString();
      return c.json({ id: r.id, url: runUrl(c.req.url, r.id), page, status: r.status, missingShards: r.missingShards },
        r.created ? 201 : 200);
    })
  .get('/:id', validate('param', z.object({ id: RunId })), async (c) => {
    const { id } = c.req.valid('param');
    const run = await getRun(c.env.DB, id);
    // private deployments: a run the caller may not read answers like a missing one
    if (!run || !c.get('reader').canRead(run.repository)) throw notFound(`run ${id}`);
    const missingShards = run.status === 'incomplete' ? await missingShardIndexes(c.env.DB, id, run.shardCount ?? 0) : [];
    const result = run.status === 'complete' ? await getRunResult(c.env.DB, id) : null;
    // a sharded run whose shards could not be merged reads 'failed' with the reason until its shards come again
    const failure = run.status === 'incomplete' ? await getRunFailure(c.env.DB, id) : null;
    return c.json({ ...run, status: failure ? 'failed' : run.status, failure, url: runUrl(c.req.url, id), missingShards, result });
  });

/** A "__proto__" key anywhere in the body is refused before zod, which would silently drop it (reserved-names.ts). */
async function refuseProtoKeys(c: Context<AppEnv>, next: () => Promise<void>): Promise<void> {
  const raw: unknown = await c.req.json().catch(() => undefined);
  const at = protoKeyPath(raw);
  if (at) {
    const message = '"__proto__" is a property of every JavaScript object and cannot name a metric, key or group';
    throw new ApiError(400, 'invalid_request', `invalid json: ${at}: ${message}`, { issues: [{ path: at, message }] });
  }
  await next();
}

/** A body that is not declared as JSON would reach the validator as {} and fail on an unrelated field. */
async function requireJsonBody(c: Context<AppEnv>, next: () => Promise<void>): Promise<void> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(400, 'invalid_json',
      `the body must be a JSON RunResult sent with "Content-Type: application/json" (got ${type ? `"${type.slice(0, 100)}"` : 'no content type'})`);
  }
  await next();
}

async function missingShardIndexes(db: D1Database, id: string, count: number): Promise<number[]> {
  const present = new Set(await listShardIndexes(db, id));
  return Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
}
