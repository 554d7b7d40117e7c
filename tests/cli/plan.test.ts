/** `medvlm-bench plan`: what a gate can see, with the items needed checked against Connor's closed form. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../action/src/cli/main.js';
import type { CliDeps } from '../../action/src/cli/deps.js';
import { firstK, makeRun } from '../github-action/make-run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'medvlm-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const deps: CliDeps = { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; }, fetch, now: () => 0, env: {}, cwd: dir, version: '0', isTTY: false };
  return { code: await main(argv, deps), out, err };
}

describe('medvlm-bench plan', () => {
  // base: first 150 of 251 right; head: loses items 0..19 and wins items 150..159 → 30 discordant of 251
  const baseCorrect = firstK(251, 150);
  const headCorrect = baseCorrect.map((v, i) => (i < 20 ? 0 : i >= 150 && i < 160 ? 1 : v));
  writeFileSync(path.join(dir, 'base.json'), JSON.stringify(makeRun([{ id: 'vqa-rad', correct: baseCorrect }, { id: 'slake', correct: firstK(416, 300) }])));
  writeFileSync(path.join(dir, 'head.json'), JSON.stringify(makeRun([{ id: 'vqa-rad', correct: headCorrect }, { id: 'slake', correct: firstK(416, 300) }])));

  it("no margin: the items needed are Connor's n (ψ 0.2, δ 0.05, α 0.05 → 626)", async () => {
    const r = await cli(['plan', '--baseline', 'base.json', '--benchmarks', 'vqa-rad', '--margin', '0', '--drop', '0.05', '--discordance', '0.2', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { level: number; rows: Array<{ benchmark: string; needed: number; n: number }> };
    expect(j.level).toBe(0.05);
    expect(j.rows).toMatchObject([{ benchmark: 'vqa-rad', n: 251, needed: 626 }]);
  });

  it('uses the disagreement observed against --head and alpha/m over the benchmarks', async () => {
    const r = await cli(['plan', '--baseline', 'base.json', '--head', 'head.json']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('level 0.0250 per benchmark');
    expect(r.out).toContain('vqa-rad: n=251, accuracy 59.8%, discordance 12.0% (observed)');
    expect(r.out).toMatch(/vqa-rad[\s\S]*today: detects drops ≥ \d+\.\d pp with 80% power; smaller drops pass unseen/);
    expect(r.out).toMatch(/to detect a drop of 4\.0 pp: [\d,]+ items \([\d,]+ more than today\)/);
  });

  it('a drop no larger than the margin is never detected, and says why', async () => {
    const r = await cli(['plan', '--baseline', 'base.json', '--margin', '0.02', '--drop', '0.02']);
    expect(r.out).toContain('never: drops up to the margin (2.0 pp) pass by design');
  });

  it('names a benchmark the baseline lacks', async () => {
    const r = await cli(['plan', '--baseline', 'base.json', '--benchmarks', 'pathvqa']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--benchmarks: pathvqa not in the baseline run (it has vqa-rad, slake)');
  });
});
