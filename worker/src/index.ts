/**
 * The worker: mounts the route modules, one onError (the error envelope), one 404 and the scheduled handler.
 * The page, badge and chart routes (routes/pages.ts, routes/compare-page.ts) are mounted below the API.
 */
import { Hono } from 'hono';
import type { AppEnv } from './app-env.js';
import { countingD1, emptyStats, formatStats } from './d1-stats.js';
import { readConfig } from './config.js';
import { ApiError, errorResponse } from './errors.js';
import { applyCachePolicy, PAGE_CSP } from './render/http-cache.js';
import { renderAccessPage } from './render/pages/access.js';
import { api } from './routes/api/index.js';
import { runScheduled } from './scheduled.js';
import { comparePages } from './routes/compare-page.js';
import { ui } from './routes/pages.js';

export const app = new Hono<AppEnv>();
// bench/worker.ts only (D1_STATS=true): each response reports the D1 queries, rows read/written and SQL time it cost
app.use('*', async (c, next) => {
  if ((c.env as { D1_STATS?: string }).D1_STATS !== 'true') return next();
  const stats = emptyStats();
  c.env = { ...c.env, DB: countingD1(c.env.DB, stats) };
  await next();
  c.res = new Response(c.res.body, c.res);
  c.res.headers.set('X-D1-Stats', formatStats(stats));
});
// caching and nosniff for every response (render/http-cache.ts)
app.use('*', async (c, next) => {
  await next();
  c.res = new Response(c.res.body, c.res);
  applyCachePolicy(c.req.path, c.res.headers, readConfig(c.env));
});
app.get('/health', (c) => c.json({ ok: true }));
app.route('/api/v1', api);
app.route('/', comparePages); // /compare?run=…&run=…: cross-repository comparison (the leaderboard's form)
app.route('/', ui);

app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)));
app.onError((err, c) => {
  // a browser on a page it may not read gets a page that says what access is needed, not the JSON envelope
  if (c.get('htmlPage') && err instanceof ApiError && (err.status === 401 || err.status === 403)) {
    return c.html(renderAccessPage(err.status, err.message), err.status, {
      'Content-Security-Policy': PAGE_CSP, ...(err.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}),
    });
  }
  return errorResponse(c, err);
});

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(env, controller.scheduledTime)),
} satisfies ExportedHandler<Env>;
