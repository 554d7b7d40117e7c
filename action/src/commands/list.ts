import { UserError } from '../errors.js';
import type { CliDeps } from './deps.js';

export async function run(_argv: string[], _deps: CliDeps): Promise<number> {
  throw new UserError('`list` is not implemented yet');
}
