/**
 * The repository page shows "Training curves" when a commit of the repository was evaluated at two or more
 * checkpoint labels (a matrix over checkpoints), with images of GET /curve/…svg for that commit that load; a
 * repository whose commits each carry one label has no such section.
 */
import { exports, env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestRun } from '../../worker/src/ingest.js';
import { makeRun } from '../helpers/run-fixture.js';

const T0 = Date.UTC(2026, 10, 1);
const MATRIX = '7'.repeat(40);

async function get(path: string) {
  const res = await exports.default.fetch(new Request(`http://local${path}`));
  return { res, text: await res.text() };
}
const images = (html: string) => [...html.matchAll(/<img src="(\/curve\/[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

beforeAll(async () => {
  const who = { kind: 'anonymous' } as const;
  // acme/matrix: an older single-label commit, then one commit at two checkpoints
  await ingestRun(env.DB, who, makeRun({ repository: 'acme/matrix', commit: '1'.repeat(40), model: 'my-vlm', checkpoint: 'my-vlm@step-100' }), T0);
  for (const [i, [checkpoint, k]] of ([['my-vlm@step-2000', 7], ['my-vlm@step-1000', 5]] as const).entries()) {
    await ingestRun(env.DB, who, makeRun({ repository: 'acme/matrix', commit: MATRIX, model: 'my-vlm', checkpoint, correct: (j) => j % 10 < k }), T0 + (i + 1) * 1000);
  }
  // acme/single: two commits, one label each
  await ingestRun(env.DB, who, makeRun({ repository: 'acme/single', commit: '2'.repeat(40), model: 'm', checkpoint: 'm@a' }), T0);
  await ingestRun(env.DB, who, makeRun({ repository: 'acme/single', commit: '3'.repeat(40), model: 'm', checkpoint: 'm@b' }), T0 + 1000);
});

describe('GET /:owner/:repo: training curves', () => {
  it('shows the curve of the newest multi-checkpoint commit, all benchmarks and each one', async () => {
    const { res, text } = await get('/acme/matrix');
    expect(res.status).toBe(200);
    expect(text).toContain('<h2 id="curves-h">Training curves</h2>');
    expect(text).toContain(`at <span class="mono">${MATRIX.slice(0, 7)}</span>`);
    // the fixture's benchmarks: vqa-rad and slake
    expect(images(text)).toEqual([
      `/curve/acme/matrix.svg?commit=${MATRIX}`,
      `/curve/acme/matrix.svg?commit=${MATRIX}&benchmark=vqa-rad`,
      `/curve/acme/matrix.svg?commit=${MATRIX}&benchmark=slake`,
    ]);
  });

  it('the images it points at are the checkpoint curves, steps in numeric order', async () => {
    const [all, vqa] = images((await get('/acme/matrix')).text);
    const { res, text } = await get(all!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect([...text.matchAll(/<text class="mvb-x"[^>]*>([^<]+)</g)].map((m) => m[1])).toEqual(['step-1000', 'step-2000']);
    // one benchmark: all items plus the understanding/reasoning split; vqa-rad at 50% then 70%
    const one = (await get(vqa!)).text;
    const tips = [...one.matchAll(/<title>([^<]+)<\/title><\/circle>/g)].map((m) => m[1]!);
    expect(tips.filter((t) => t.startsWith('all items ·')).map((t) => /· (\d+\.\d)%/.exec(t)![1])).toEqual(['50.0', '70.0']);
    expect(tips.some((t) => t.startsWith('reasoning ·'))).toBe(true);
  });

  it('no section when no commit has two checkpoint labels', async () => {
    const { res, text } = await get('/acme/single');
    expect(res.status).toBe(200);
    expect(text).not.toContain('Training curves');
    expect(images(text)).toEqual([]);
  });
});
