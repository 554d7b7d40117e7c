/**
 * Cost and verbosity: completion tokens per answered item and latency p50/p95, base and head with the relative
 * change, in the job summary and the PR comment; the optional `max-tokens-increase` / `max-latency-increase` gates,
 * evaluated only against a baseline. Expected figures are counted by hand from the fixtures' timing.
 */
import { describe, expect, it } from 'vitest';
import { GatesConfig, parseGatesConfig } from '../../action/src/github-action/gates/config.js';
import { evaluateGates, type GateCheck } from '../../action/src/github-action/gates/evaluate.js';
import { checkMessage } from '../../action/src/github-action/report/check-text.js';
import { renderComment, renderSummary, type ReportInput } from '../../action/src/github-action/report/markdown.js';
import type { RunResult } from '../../schemas/results.js';
import { firstK, makeRun } from './make-run.js';

function timed(run: RunResult, completion: number, p50: number, p95: number): RunResult {
  return { ...run, timing: { ...run.timing, latencyMs: { p50, p95 }, tokens: { prompt: 5000, completion } } };
}

// base: 100 answered items, 10,000 completion tokens → 100.0 per item; p50 500 ms, p95 900 ms
// head: 100 items of which 20 errored (no tokens, no latency) → 11,200 / 80 = 140.0 per item (+40%); p50 1000 ms (+100%)
const base = timed(makeRun([{ id: 'vqa-rad', correct: firstK(100, 70) }]), 10_000, 500, 900);
const head = timed(makeRun([{ id: 'vqa-rad', correct: firstK(100, 70), errors: 20 }]), 11_200, 1000, 2400);

const costChecks = (checks: GateCheck[]) => checks.filter((c) => c.kind === 'latency-increase' || c.kind === 'tokens-increase');
const input = (gates: ReportInput['gates'], h = head): ReportInput => ({
  head: h, gates, baselineNote: 'x', uploadNote: null, gatesSource: 'inline', links: {}, failOn: 'gate',
});

describe('cost and verbosity figures', () => {
  const report = evaluateGates(GatesConfig.parse({}), head, base);

  it('counts per answered item and reports both runs', () => {
    expect(report.cost.base).toEqual({ answered: 100, completionTokensPerItem: 100, latencyMs: { p50: 500, p95: 900 } });
    expect(report.cost.head).toEqual({ answered: 80, completionTokensPerItem: 140, latencyMs: { p50: 1000, p95: 2400 } });
  });

  it('the summary and the comment show base, head and the relative change, informative without a gate', () => {
    for (const md of [renderSummary(input(report)), renderComment(input(report))]) {
      expect(md).toContain('### Cost and verbosity (whole run)');
      expect(md).toContain('| Completion tokens per answered item | 100.0 | 140.0 | +40% |');
      expect(md).toContain('| Latency p50 (per request) | 500 ms | 1.00 s | +100% |');
      expect(md).toContain('| Latency p95 (per request) | 900 ms | 2.40 s | +167% |');
      expect(md).toContain('Informative only (gate with `max-tokens-increase` / `max-latency-increase`)');
    }
    expect(costChecks(report.checks)).toEqual([]);
  });

  it('without a baseline: the head\'s figures only', () => {
    const md = renderSummary(input(evaluateGates(GatesConfig.parse({}), head, null)));
    expect(md).toContain('| Measure | Head |');
    expect(md).toContain('| Completion tokens per answered item | 140.0 |');
  });

  it('a server that reports no usage gives no per-item figure (–), not zero', () => {
    const silent = timed(base, 0, 500, 900);
    const md = renderSummary(input(evaluateGates(GatesConfig.parse({}), head, silent)));
    expect(md).toContain('| Completion tokens per answered item | – | 140.0 | – |');
  });
});

describe('max-tokens-increase and max-latency-increase', () => {
  const config = GatesConfig.parse({ 'max-tokens-increase': 0.3, 'max-latency-increase': 1.5 });

  it('fails 40% more tokens per item against a 30% allowance; passes +100% latency against +150%', () => {
    const r = evaluateGates(config, head, base);
    const [latency, tokens] = costChecks(r.checks);
    expect(latency).toMatchObject({ kind: 'latency-increase', status: 'pass', threshold: 1.5, benchmark: 'whole run' });
    expect(latency!.observed).toBeCloseTo(1, 12);
    expect(checkMessage(latency!)).toBe('median latency 500 ms → 1.00 s (+100%) ≤ allowed +150%');
    expect(tokens).toMatchObject({ kind: 'tokens-increase', status: 'fail', threshold: 0.3 });
    expect(tokens!.observed).toBeCloseTo(0.4, 12);
    expect(checkMessage(tokens!)).toBe('completion tokens per item 100.0 → 140.0 (+40%) > allowed +30%');
    expect(r.passed).toBe(false);
    const md = renderSummary(input(r));
    expect(md).toContain('| ❌ | tokens increase | whole run | – | completion tokens per item 100.0 → 140.0 (+40%) > allowed +30% |');
    expect(md).toContain('Gated: completion tokens per item may grow by at most +30%; median latency may grow by at most +150%.');
  });

  it('skipped, with the reason, without a baseline or without the figure', () => {
    const none = costChecks(evaluateGates(config, head, null).checks);
    expect(none.map((c) => [c.status, checkMessage(c)])).toEqual([
      ['skipped', 'not compared: no baseline run to compare with'],
      ['skipped', 'not compared: no baseline run to compare with'],
    ]);
    const silent = costChecks(evaluateGates(config, head, timed(base, 0, 500, 900)).checks);
    expect(silent[1]!.status).toBe('skipped');
    expect(checkMessage(silent[1]!)).toBe('not compared: the baseline run reports no completion tokens (the server sent no usage)');
  });

  it('a faster, terser head passes (negative change)', () => {
    const r = costChecks(evaluateGates(GatesConfig.parse({ 'max-tokens-increase': 0 }), base, head).checks);
    expect(r[0]!.status).toBe('pass');
    expect(checkMessage(r[0]!)).toBe('completion tokens per item 140.0 → 100.0 (−29%) ≤ allowed +0%');
  });

  it('the config names the new keys and rejects a negative allowance at its line', () => {
    expect(() => parseGatesConfig('max-latency-increase: -0.5\n', 'gates.yml')).toThrow(/gates\.yml:1:23: max-latency-increase: /);
    expect(() => parseGatesConfig('max-token-increase: 0.5\n', 'gates.yml')).toThrow(
      "unknown key 'max-token-increase' (allowed: gates, alpha, mode, max-unparsed, max-errors, max-latency-increase, max-tokens-increase)");
  });
});
