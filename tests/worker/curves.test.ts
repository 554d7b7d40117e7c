/**
 * GET /curve/:owner/:repo.svg — accuracy against checkpoint for the runs of one commit: labels with a step number
 * in numeric order (500 < 2000 < 10000, not string order), labels without one after them in upload order, one
 * band per series, the understanding/reasoning split for one benchmark.
 */
import { exports, env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestRun } from '../../worker/src/ingest.js';
import { checkpointStep, orderCheckpoints } from '../../worker/src/render/curve.js';
import { makeRun } from '../helpers/run-fixture.js';

const T0 = Date.UTC(2026, 10, 1);
const COMMIT = 'c'.repeat(40);
// uploaded out of order on purpose; accuracy rises with the step: item i correct when i % 10 < k
const UPLOADS: Array<[string, number]> = [['my-vlm@step-10000', 8], ['my-vlm@final', 9], ['my-vlm@step-500', 4], ['my-vlm@step-2000', 6], ['my-vlm@best', 7]];

async function get(path: string) {
  const res = await exports.default.fetch(new Request(`http://local${path}`));
  return { res, svg: await res.text() };
}
const tips = (svg: string) => [...svg.matchAll(/<title>([^<]+)<\/title><\/circle>/g)].map((m) => m[1]!);

beforeAll(async () => {
  const who = { kind: 'anonymous' } as const;
  for (const [i, [checkpoint, k]] of UPLOADS.entries()) {
    await ingestRun(env.DB, who, makeRun({ repository: 'acme/curve', commit: COMMIT, model: 'my-vlm', checkpoint, n: 100, correct: (j) => j % 10 < k }), T0 + i * 1000);
  }
  // another commit with a single checkpoint label is not a curve
  await ingestRun(env.DB, who, makeRun({ repository: 'acme/curve', commit: 'd'.repeat(40), model: 'my-vlm', checkpoint: 'my-vlm@step-1' }), T0 + 9000);
});

describe('checkpoint order', () => {
  it('reads the last number of a label as its step', () => {
    expect(['my-vlm@step-2000', 'ckpt_500', 'v2-epoch3', 'final'].map(checkpointStep)).toEqual([2000, 500, 3, null]);
  });
  it('numbered labels numerically, the rest after them in upload order', () => {
    expect(orderCheckpoints(UPLOADS.map(([l]) => l))).toEqual(['my-vlm@step-500', 'my-vlm@step-2000', 'my-vlm@step-10000', 'my-vlm@final', 'my-vlm@best']);
  });
});

describe('GET /curve/:owner/:repo.svg', () => {
  it('finds the newest commit with several checkpoints and plots every benchmark in checkpoint order', async () => {
    const { res, svg } = await get('/curve/acme/curve.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const labels = [...svg.matchAll(/<text class="mvb-x"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['step-500', 'step-2000', 'step-10000', 'final', 'best']);
    // two benchmarks (vqa-rad, slake) × five checkpoints; values in checkpoint order: 40, 60, 80, 90, 70 %
    const vqa = tips(svg).filter((t) => t.startsWith('vqa-rad ·'));
    expect(vqa.map((t) => /· (\d+\.\d)%/.exec(t)![1])).toEqual(['40.0', '60.0', '80.0', '90.0', '70.0']);
    expect(tips(svg).filter((t) => t.startsWith('slake ·'))).toHaveLength(5);
    expect((svg.match(/<polygon /g) ?? []).length).toBe(2);
    expect(svg).toContain('acme/curve at ccccccc');
  });

  it('for one benchmark plots all items, understanding and reasoning, each with a band', async () => {
    const { svg } = await get(`/curve/acme/curve.svg?benchmark=vqa-rad&commit=${COMMIT.slice(0, 7)}`);
    const names = new Set(tips(svg).map((t) => t.split(' · ')[0]));
    expect([...names]).toEqual(['all items', 'understanding', 'reasoning']);
    expect((svg.match(/<polygon /g) ?? []).length).toBe(3);
    // the 95% interval of 40/100 (Wilson) is printed with the point
    // Wilson 95% for 40/100: [30.95%, 49.80%]
    expect(tips(svg)[0]).toBe('all items · my-vlm@step-500 · 40.0% (95% CI 30.9–49.8, n = 100)');
  });

  it('an explicit commit with one checkpoint shows its one point per benchmark', async () => {
    const { svg } = await get(`/curve/acme/curve.svg?commit=${'d'.repeat(40)}`);
    expect(tips(svg).map((t) => t.split(' · ').slice(0, 2).join(' · '))).toEqual(['vqa-rad · my-vlm@step-1', 'slake · my-vlm@step-1']);
  });

  it('an unknown repository or a malformed commit answer an empty image, not an error', async () => {
    for (const path of ['/curve/nobody/none.svg', '/curve/acme/curve.svg?commit=zzz']) {
      const { res, svg } = await get(path);
      expect(res.status, path).toBe(200);
      expect(svg, path).not.toContain('<circle');
      expect(svg, path).toMatch(/>no (data|checkpoints)</);
    }
  });
});
