/**
 * The power of each regression / non-inferiority gate, in its structured finding, its message, the job summary
 * column and the log line. Oracle: hand-counted paired tables (n, discordance, family size) put into closed forms
 * solved here, not power.ts's bisection — Connor's (1987) equation n·δ² = (z_a·√ψ + z_b·√(ψ − δ²))² solved for δ
 * (margin 0), and δ − T = z·√((ψ − δ²)/n) for a margin T or a non-inferiority bound. z values are tabulated.
 */
import { describe, expect, it } from 'vitest';
import { GatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates, type GateCheck } from '../../action/src/github-action/gates/evaluate.js';
import { checkMessage, powerLine } from '../../action/src/github-action/report/check-text.js';
import { renderSummary } from '../../action/src/github-action/report/markdown.js';
import { firstK, makeRun } from './make-run.js';

const Z80 = 0.8416212335729144; // Φ⁻¹(0.80)
const Z_3FAMILY = 2.3939797998185104; // Φ⁻¹(1 − 0.05/3/2): two-sided McNemar at level 0.05/3
const Z_2FAMILY = 2.2414027276049464; // Φ⁻¹(1 − 0.05/2/2)
const Z_ONE_SIDED = 1.6448536269514715; // Φ⁻¹(0.95): non-inferiority bound of a family of one

/** Larger root of (n + k²)δ² − (2Tn + [ψ=0]·k²)δ + T²n − k²ψ = 0, i.e. δ − T = k·√((max(ψ, δ) − δ²)/n). */
function solve(n: number, psi: number, t: number, k: number, root: 1 | -1 = 1): number {
  const a = n + k * k;
  const b = psi > 0 ? -2 * t * n : -(2 * t * n + k * k);
  const c = psi > 0 ? t * t * n - k * k * psi : t * t * n;
  return (-b + root * Math.sqrt(b * b - 4 * a * c)) / (2 * a);
}
/** Regression rule: the gate fails when D̂ > T = max(margin, z·√ψ₀/√n), ψ₀ = max(ψ, 1/n). */
const regression = (n: number, psi: number, z: number, margin = 0) =>
  solve(n, psi, Math.max(margin, (z * Math.sqrt(Math.max(psi, 1 / n))) / Math.sqrt(n)), Z80);

const range = (n: number, from: number, to: number) => Array.from({ length: n }, (_, i) => (i >= from && i < to ? 1 : 0));
const even = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));

// vqa-rad: 400 paired items, base right on 0–299, head on 20–319: 20 lost + 20 won, discordance 0.1
// slake: 100 items, identical answers: discordance 0; pathvqa: 50 items, no question-type groups
const base = makeRun([
  { id: 'vqa-rad', correct: range(400, 0, 300), reasoning: even(400) },
  { id: 'slake', correct: firstK(100, 80), reasoning: even(100) },
  { id: 'pathvqa', correct: firstK(50, 25) },
]);
const head = makeRun([
  { id: 'vqa-rad', correct: range(400, 20, 320), reasoning: even(400) },
  { id: 'slake', correct: firstK(100, 80), reasoning: even(100) },
  { id: 'pathvqa', correct: range(50, 5, 30) },
]);

function check(checks: GateCheck[], benchmark: string, group: string | null = null): GateCheck {
  return checks.find((c) => c.benchmark === benchmark && c.group === group && (c.kind === 'regression' || c.kind === 'non-inferiority'))!;
}
function power(c: GateCheck) {
  if (c.finding.what !== 'compared') throw new Error(`not compared: ${JSON.stringify(c.finding)}`);
  return c.finding.power!;
}

describe('regression gates: the smallest drop each detects with 80% power', () => {
  const report = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: '*', 'max-drop': 0 }] }), head, base);

  it('whole benchmarks are one family of 3: level 0.05/3, n and discordance from the paired table', () => {
    const p = power(check(report.checks, 'vqa-rad'));
    expect(p.familySize).toBe(3);
    expect(p.level).toBeCloseTo(0.05 / 3, 12);
    expect(p.discordance).toBe(0.1);
    expect(p.detectableDrop!).toBeCloseTo(regression(400, 0.1, Z_3FAMILY), 5);
    expect(p.detectableDrop!).toBeCloseTo(0.05099, 4);
  });

  it('identical answers (discordance 0) still have a detectable drop: the variance comes from the drop itself', () => {
    const p = power(check(report.checks, 'slake'));
    expect(p.discordance).toBe(0);
    expect(p.detectableDrop!).toBeCloseTo(regression(100, 0, Z_3FAMILY), 5);
  });

  it('the gate message, the power line and the log say it in percentage points', () => {
    const c = check(report.checks, 'vqa-rad');
    const pp = (regression(400, 0.1, Z_3FAMILY) * 100).toFixed(1);
    expect(pp).toBe('5.1');
    expect(checkMessage(c)).toMatch(/: no significant drop larger than 0\.000; this gate detects drops ≥ 5\.1 pp with 80% power; smaller drops pass unseen$/);
    expect(powerLine(c)).toBe('vqa-rad: this gate detects drops ≥ 5.1 pp with 80% power; smaller drops pass unseen');
    // the demo prints the power on a line of its own under the gate's message
    expect(checkMessage(c, { power: false })).toMatch(/: no significant drop larger than 0\.000$/);
  });

  it('a margin larger than the test threshold sets the bar: δ = margin + z₈₀·σ(δ)', () => {
    const r = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: 'vqa-rad', 'max-drop': 0.06 }] }), head, base);
    const p = power(check(r.checks, 'vqa-rad'));
    // the family is every compared benchmark, gated or not (as the Holm adjustment has it)
    expect(p.familySize).toBe(3);
    expect(p.detectableDrop!).toBeCloseTo(regression(400, 0.1, Z_3FAMILY, 0.06), 5);
    expect(p.detectableDrop!).toBeCloseTo(0.07295, 4);
  });

  it('a group gate is held to its key=value family: reasoning items of the 2 benchmarks that have them', () => {
    const r = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: '*', group: 'questionType=reasoning', 'max-drop': 0 }] }), head, base);
    const p = power(check(r.checks, 'vqa-rad', 'questionType=reasoning'));
    // even items: 10 of the 20 lost and 10 of the 20 won, 200 paired
    expect(p.familySize).toBe(2);
    expect(p.discordance).toBe(0.1);
    expect(p.detectableDrop!).toBeCloseTo(regression(200, 0.1, Z_2FAMILY), 5);
    expect(powerLine(check(r.checks, 'vqa-rad', 'questionType=reasoning'))).toBe(
      `vqa-rad [questionType=reasoning]: this gate detects drops ≥ ${(regression(200, 0.1, Z_2FAMILY) * 100).toFixed(1)} pp with 80% power; smaller drops pass unseen`);
    // pathvqa has no question types: skipped, no power
    expect(check(r.checks, 'pathvqa', 'questionType=reasoning').status).toBe('skipped');
    expect(powerLine(check(r.checks, 'pathvqa', 'questionType=reasoning'))).toBeNull();
  });

  it('the job summary has a column with each gated benchmark\'s detectable drop', () => {
    const md = renderSummary({ head, gates: report, baselineNote: 'x', uploadNote: null, gatesSource: 'inline', links: {}, failOn: 'gate' });
    expect(md).toContain('| Benchmark | Base | Head | Δ (95% CI) | p (Holm) | Verdict | Gate detects (80% power) |');
    expect(md).toMatch(/\| vqa-rad \| 0\.750 \| 0\.750 \| \+0\.000 \[[^\]]+\] \| 1\.000 \| no significant change \| drops ≥ 5\.1 pp \|/);
    expect(md).toMatch(/\| slake \| [^\n]* \| drops ≥ 4\.1 pp \|/);
  });
});

describe('non-inferiority gates', () => {
  it('one benchmark, margin 0.10: δ = margin − (z₉₅ − z₈₀)·σ(δ), below the margin', () => {
    const only = (r: typeof head) => ({ ...r, benchmarks: r.benchmarks.slice(0, 1) });
    const r = evaluateGates(GatesConfig.parse({ mode: 'non-inferiority', gates: [{ benchmark: 'vqa-rad', 'max-drop': 0.1 }] }), only(head), only(base));
    const p = power(check(r.checks, 'vqa-rad'));
    expect(p.familySize).toBe(1);
    expect(p.level).toBe(0.05);
    const expected = solve(400, 0.1, 0.1, Z80 - Z_ONE_SIDED, -1);
    expect(expected).toBeCloseTo(0.0878, 4);
    expect(p.detectableDrop!).toBeCloseTo(expected, 5);
    expect(checkMessage(check(r.checks, 'vqa-rad'))).toContain('; this gate detects drops ≥ 8.8 pp with 80% power; smaller drops pass unseen');
  });

  it('too few items for the margin: says the gate fails even an unchanged model', () => {
    // pathvqa: 50 items, 5 lost + 5 won (discordance 0.2); σ₀ = √(0.2/50); P(bound ≤ −0.01 | no change) = Φ(1.487) ≈ 0.93
    const only = (r: typeof head) => ({ ...r, benchmarks: r.benchmarks.slice(2) });
    const r = evaluateGates(GatesConfig.parse({ mode: 'non-inferiority', gates: [{ benchmark: 'pathvqa', 'max-drop': 0.01 }] }), only(head), only(base));
    const c = check(r.checks, 'pathvqa');
    expect(power(c)).toMatchObject({ failsWithoutDrop: true, discordance: 0.2 });
    expect(powerLine(c)).toBe('pathvqa: too few items: this gate fails with ≥ 80% probability even when nothing changed');
  });
});

describe('without a comparison there is no power to report', () => {
  it('no baseline: the regression check is skipped and carries no power', () => {
    const r = evaluateGates(GatesConfig.parse({ gates: [{ benchmark: 'vqa-rad', 'max-drop': 0.02 }] }), head, null);
    expect(r.checks[0]!.finding).toEqual({ what: 'no-baseline' });
    expect(powerLine(r.checks[0]!)).toBeNull();
  });
});
