/** Hono environment shared by every route module. */
import type { Uploader } from './auth';
import type { ReadAccess } from './read-access';

export interface AppEnv {
  Bindings: Env;
  Variables: { uploader: Uploader; reader: ReadAccess };
}
