/** Hono environment shared by every route module. */
import type { Uploader } from './auth.js';
import type { ReadAccess } from './read-access.js';

export interface AppEnv {
  Bindings: Env;
  Variables: { uploader: Uploader; reader: ReadAccess };
}
