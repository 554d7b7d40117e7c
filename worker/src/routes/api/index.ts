/** /api/v1: reads are public unless PRIVATE_READS=true; uploads authenticate in their own route. */
import { Hono } from 'hono';
import type { AppEnv } from '../../app-env';
import { authorizeRead } from '../../auth';
import { readConfig } from '../../config';
import { analysis } from './analysis';
import { repos } from './repos';
import { runs } from './runs';

export const api = new Hono<AppEnv>();
api.use('*', async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    await authorizeRead(c.env.DB, readConfig(c.env), c.req.header('authorization'));
  }
  await next();
});
api.route('/runs', runs);
api.route('/repos', repos);
api.route('/', analysis);
