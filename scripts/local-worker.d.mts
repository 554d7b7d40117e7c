/** Types for scripts/local-worker.mjs (used by Node-side tests, bench/ and the demo). */
export interface LocalWorker {
  /** e.g. http://127.0.0.1:40123 (no trailing slash) */
  url: string;
  stop(): Promise<void>;
  /** the underlying Miniflare instance (getD1Database('DB') for direct queries) */
  mf: import('miniflare').Miniflare;
}
export function startLocalWorker(opts?: {
  port?: number;
  host?: string;
  /** wrangler-style state folder such as ".wrangler/state/v3"; null/omitted = in-memory D1 */
  persistDir?: string | null;
  vars?: Record<string, string>;
}): Promise<LocalWorker>;
export function applyMigrations(db: unknown): Promise<void>;
/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port: number): Promise<boolean>;
