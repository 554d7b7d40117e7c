/**
 * The compare API and page say what each test can see (the smallest drop detected with 80% power at its family's
 * level) and how cost and verbosity moved (completion tokens per answered item, latency p50/p95). Oracle: hand-counted
 * paired tables put into Connor's (1987) equation solved for δ here — n·δ² = (z_a·√ψ + z_b·√(ψ − δ²))² — or, with a
 * margin T above the test threshold, δ − T = z_b·√((ψ − δ²)/n); z values are tabulated.
 */
import { exports, env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestRun } from '../../worker/src/ingest.js';
import type { RunResult } from '../../schemas/results.js';
import { makeRun } from '../helpers/run-fixture.js';

const Z80 = 0.8416212335729144; // Φ⁻¹(0.80)
const Z_FAMILY_OF_2 = 2.2414027276049464; // Φ⁻¹(1 − 0.05/2/2): two-sided McNemar at level 0.05/2

/** Larger root of (n + z²)δ² − 2Tnδ + T²n − z²ψ = 0 (δ − T = z·√((ψ − δ²)/n)), T the gate's threshold on D̂. */
function detectable(n: number, psi: number, margin: number): number {
  const t = Math.max(margin, (Z_FAMILY_OF_2 * Math.sqrt(psi)) / Math.sqrt(n));
  const a = n + Z80 * Z80;
  const b = -2 * t * n;
  const c = t * t * n - Z80 * Z80 * psi;
  return (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
}

// 200 items per benchmark (vqa-rad, slake): base right when i % 10 < 6; head loses the 5s and wins the 7s:
// 20 lost + 20 won → discordance 0.2, two benchmarks → level 0.05 / 2
const REPO = 'acme/power';
const base = makeRun({ repository: REPO, commit: 'a'.repeat(40), correct: (i) => i % 10 < 6 });
const headRun = makeRun({ repository: REPO, commit: 'b'.repeat(40), correct: (i) => i % 10 < 5 || i % 10 === 7 });
// base: 400 answered items, 400 completion tokens (1.0 each), p50 100 ms, p95 200 ms (the fixture's timing)
const head: RunResult = { ...headRun, timing: { ...headRun.timing, latencyMs: { p50: 200, p95: 500 }, tokens: { prompt: 4000, completion: 560 } } };
const ids: Record<string, string> = {};

async function get(path: string) {
  const res = await exports.default.fetch(new Request(`http://local${path}`));
  return { res, text: await res.text() };
}

beforeAll(async () => {
  const who = { kind: 'anonymous' } as const;
  ids.base = (await ingestRun(env.DB, who, base, Date.UTC(2026, 10, 1))).id;
  ids.head = (await ingestRun(env.DB, who, head, Date.UTC(2026, 10, 2))).id;
});

describe('GET /api/v1/compare: power and cost (additive fields)', () => {
  it('each comparison carries its power at the request\'s margin and its family\'s level', async () => {
    const { res, text } = await get(`/api/v1/compare?base=${ids.base}&head=${ids.head}&margin=0`);
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    const vqa = body.benchmarks.find((b: { id: string }) => b.id === 'vqa-rad');
    expect(vqa.counts).toMatchObject({ baseOnly: 20, headOnly: 20 });
    expect(vqa.power).toMatchObject({ familySize: 2, level: 0.025, discordance: 0.2, failsWithoutDrop: false });
    expect(vqa.power.detectableDrop).toBeCloseTo(detectable(200, 0.2, 0), 5);
    // reasoning items (i % 3 = 0): a family of the 2 benchmarks' reasoning groups
    const reasoning = vqa.groups.find((g: { value: string }) => g.value === 'reasoning');
    expect(reasoning.power).toMatchObject({ familySize: 2, level: 0.025 });
    expect(reasoning.power.discordance).toBeCloseTo(13 / 67, 12); // 7 lost (i % 10 = 5) + 6 won (i % 10 = 7) of 67
  });

  it('a margin above the test threshold raises the detectable drop', async () => {
    const { text } = await get(`/api/v1/compare?base=${ids.base}&head=${ids.head}&margin=0.1`);
    const vqa = JSON.parse(text).benchmarks.find((b: { id: string }) => b.id === 'vqa-rad');
    expect(vqa.power.detectableDrop).toBeCloseTo(detectable(200, 0.2, 0.1), 5);
    expect(vqa.power.detectableDrop).toBeCloseTo(0.1255, 4);
  });

  it('carries both runs\' cost figures', async () => {
    const { text } = await get(`/api/v1/compare?base=${ids.base}&head=${ids.head}`);
    expect(JSON.parse(text).cost).toEqual({
      base: { answered: 400, completionTokensPerItem: 1, latencyMs: { p50: 100, p95: 200 } },
      head: { answered: 400, completionTokensPerItem: 1.4, latencyMs: { p50: 200, p95: 500 } },
    });
  });
});

describe('GET /:owner/:repo/compare/:base...:head: power column and cost section', () => {
  it('shows each row\'s detectable drop in percentage points', async () => {
    const { res, text } = await get(`/${REPO}/compare/${ids.base}...${ids.head}`);
    expect(res.status).toBe(200);
    expect(text).toContain('Detects (80% power)</abbr></th>');
    const pp = (detectable(200, 0.2, 0) * 100).toFixed(1);
    expect(pp).toBe('9.7');
    expect(text).toMatch(/<th scope="row">vqa-rad<\/th>[\s\S]*?<td class="num" data-label="Detects \(80% power\)"><abbr title="n 200, disagreement 20\.0%, level 0\.025 \(α \/ 2\)">≥ 9\.7 pp<\/abbr><\/td><\/tr>/);
  });

  it('with the gate\'s margin in the address (as the PR comment links it)', async () => {
    const { text } = await get(`/${REPO}/compare/${ids.base}...${ids.head}?margin=0.1`);
    expect(text).toMatch(/<th scope="row">vqa-rad<\/th>[\s\S]*?>≥ 12\.6 pp<\/abbr>/);
  });

  it('shows completion tokens per item and latency, base and head, with the relative change', async () => {
    const { text } = await get(`/${REPO}/compare/${ids.base}...${ids.head}`);
    expect(text).toContain('<h2 id="cost-h">Cost and verbosity</h2>');
    const row = (name: string) => new RegExp(`<th scope="row">${name}</th><td class="num" data-label="Base">([^<]+)</td><td class="num" data-label="Head">([^<]+)</td>\\s*<td class="num" data-label="Change">([^<]+)</td>`).exec(text)?.slice(1);
    expect(row('Completion tokens per answered item')).toEqual(['1.0', '1.4', '+40%']);
    expect(row('Latency p50 per request')).toEqual(['100 ms', '200 ms', '+100%']);
    expect(row('Latency p95 per request')).toEqual(['200 ms', '500 ms', '+150%']);
  });
});
