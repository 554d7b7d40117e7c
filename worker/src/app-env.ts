/** Hono environment shared by every route module, and what its request variables hold. */
import type { Uploader } from './auth.js';

/** A caller's read rights (read-access.ts resolves them once per request). */
export interface ReadAccess {
  /** false only on private deployments, for repositories this caller may not read */
  canRead(repository: string): boolean;
}

export interface AppEnv {
  Bindings: Env;
  /** htmlPage: set by page routes, so a refused read answers an HTML page instead of the JSON envelope */
  Variables: { uploader: Uploader; reader: ReadAccess; htmlPage: boolean };
}
