/**
 * The one error envelope `{ error: { code, message, details } }`, the one zod validation hook (so every 400 looks
 * the same) and the app-wide onError that turns anything thrown into that envelope.
 */
import { zValidator } from '@hono/zod-validator';
import type { Context, ValidationTargets } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    /** extra response headers, e.g. Retry-After on 429/503 */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Issue { path: string; message: string }

/** zod issues → [{ path: "benchmarks[0].outcomes.n", message }] */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.slice(0, 50).map((i) => ({ path: formatPath(i.path), message: i.message }));
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** zValidator with the shared hook: a failed parse throws ApiError(400, 'invalid_request') naming every field. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = describeIssues(result.error.issues);
      const first = issues[0];
      throw new ApiError(400, 'invalid_request',
        `invalid ${target}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'rejected'}`, { issues });
    }
  });
}

export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof ApiError) {
    return c.json({ error: { code: err.code, message: err.message, details: err.details } }, err.status, err.headers);
  }
  if (err instanceof HTTPException) {
    // hono raises these itself, e.g. malformed JSON in a validated body
    const code = err.status === 400 ? 'invalid_json' : `http_${err.status}`;
    const message = err.status === 400 ? `the request body is not valid JSON (${err.message})` : err.message;
    return c.json({ error: { code, message, details: null } }, err.status as ContentfulStatusCode);
  }
  console.error('unhandled error', err);
  return c.json({ error: { code: 'internal', message: 'internal error', details: null } }, 500);
}

export function notFound(what: string, details: unknown = null): ApiError {
  return new ApiError(404, 'not_found', `${what} not found`, details);
}
