/** Hono environment shared by every route module. */
import type { Uploader } from './auth';

export interface AppEnv {
  Bindings: Env;
  Variables: { uploader: Uploader };
}
