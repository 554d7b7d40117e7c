/** Query/path schemas shared by the API routes (validated through errors.validate, so 400s look the same). */
import { z } from 'zod';

export const RunId = z.string().regex(/^[0-9a-f]{16}$/, 'must be a 16-hex run id');
export const RepoParams = z.object({
  owner: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'invalid owner'),
  repo: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'invalid repository name'),
});
export const RunFilterQuery = z.object({
  ref: z.string().min(1).max(255).optional(),
  sha: z.string().regex(/^[0-9a-f]{7,40}$/, 'must be a hex commit sha').optional(),
  model: z.string().min(1).max(200).optional(),
});
export const ListQuery = RunFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^\d{1,16}-[0-9a-f]{16}$/, 'malformed cursor').optional(),
});

export function parseCursor(cursor: string | undefined) {
  if (!cursor) return null;
  const [createdAt, id] = cursor.split('-');
  return { createdAt: Number(createdAt), id: id! };
}

export function formatCursor(c: { createdAt: number; id: string } | null): string | null {
  return c ? `${c.createdAt}-${c.id}` : null;
}
