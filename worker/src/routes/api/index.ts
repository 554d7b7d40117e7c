/** /api/v1: reads are public unless PRIVATE_READS=true (read-access.ts); uploads authenticate in their own route. */
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { requireReader } from '../../read-access.js';
import { analysis } from './analysis.js';
import { repos } from './repos.js';
import { runs } from './runs.js';

export const api = new Hono<AppEnv>();
api.use('*', async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return requireReader(c, next);
  await next();
});
api.route('/runs', runs);
api.route('/repos', repos);
api.route('/', analysis);
