/** Retention: the scheduled handler, called the way the runtime calls it, prunes old pull-request runs only. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/src/index.js';
import { makeRun } from '../helpers/run-fixture.js';
import { createApiToken, json, postRun } from './support.js';

const DAY = 86_400_000;

async function ageRun(id: string, days: number): Promise<void> {
  await env.DB.prepare('UPDATE runs SET created_at = ? WHERE id = ?').bind(Date.now() - days * DAY, id).run();
}

describe('scheduled retention', () => {
  it('deletes PR runs older than RETENTION_PR_DAYS with their scores and bodies; keeps branch runs and recent PRs', async () => {
    const token = await createApiToken(['acme/*']);
    const up = async (commit: string, prNumber: number | null) =>
      (await json(await postRun(makeRun({ commit: commit.repeat(40), prNumber, ref: prNumber ? `refs/pull/${prNumber}/merge` : 'refs/heads/main' }), token))).id as string;
    const oldPr = await up('1', 7);
    const recentPr = await up('2', 8);
    const oldMain = await up('3', null);
    await ageRun(oldPr, 40);
    await ageRun(recentPr, 10);
    await ageRun(oldMain, 400);
    await env.DB.prepare('INSERT INTO used_jti (jti, expires_at) VALUES (?, ?), (?, ?)')
      .bind('old', Math.floor(Date.now() / 1000) - 10, 'live', Math.floor(Date.now() / 1000) + 300).run();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '17 3 * * *' }),
      { ...env, RETENTION_PR_DAYS: '30' } as unknown as Env, ctx);
    await waitOnExecutionContext(ctx);

    const ids = (await env.DB.prepare('SELECT id FROM runs ORDER BY id').all<{ id: string }>()).results.map((r) => r.id);
    expect(ids.sort()).toEqual([recentPr, oldMain].sort());
    const orphans = await env.DB.prepare(`SELECT
      (SELECT COUNT(*) FROM scores WHERE run_id = ?1) + (SELECT COUNT(*) FROM blobs WHERE key = 'run:' || ?1) AS n`)
      .bind(oldPr).first<{ n: number }>();
    expect(orphans!.n).toBe(0);
    const jti = (await env.DB.prepare('SELECT jti FROM used_jti').all<{ jti: string }>()).results.map((r) => r.jti);
    expect(jti).toEqual(['live']);
  });
});
