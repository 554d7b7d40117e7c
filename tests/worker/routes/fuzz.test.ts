/**
 * ≥ 500 malformed uploads derived from a valid body (keys removed, values type-swapped or oversized, bitsets of the
 * wrong length, truncated JSON, wrong root types) → every answer is a 4xx envelope and no table gains a row.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunResult } from '../../../schemas/results.js';
import { findRunIssues } from '../../../worker/src/run-checks.js';
import { makeRun } from '../../helpers/run-fixture.js';
import { createApiToken, json, postRun, rowCounts } from '../support.js';

const VALID = makeRun({ n: 24, commit: '9'.repeat(40) });
type Path = (string | number)[];

function allPaths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (at.length) out.push(at);
  if (v && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) allPaths(child, [...at, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}
const PATHS = allPaths(VALID);

const junk = fc.oneof(
  fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(-1),
  fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.string({ minLength: 300, maxLength: 400 }), fc.base64String({ maxLength: 12 }),
);
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ kind: fc.constant('swap' as const), path: fc.constantFrom(...PATHS), value: junk }),
  fc.record({ kind: fc.constant('bitset' as const), field: fc.constantFrom('present', 'correct', 'error', 'unparsed', 'truncated'),
    value: fc.base64String({ maxLength: 16 }) }),
);
const body = fc.oneof(
  { weight: 12, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map(applyAll) },
  { weight: 1, arbitrary: fc.nat({ max: 2000 }).map((cut) => JSON.stringify(VALID).slice(0, cut)) },
  { weight: 1, arbitrary: junk.map((v) => JSON.stringify(v)) },
);

function applyAll(ms: { kind: string; path?: Path; value?: unknown; field?: string }[]): string {
  const copy = structuredClone(VALID) as unknown as Record<string, unknown>;
  for (const m of ms) {
    if (m.kind === 'bitset') {
      const outcomes = (copy.benchmarks as any)?.[0]?.outcomes;
      if (outcomes && typeof outcomes === 'object') outcomes[m.field!] = m.value;
      continue;
    }
    const path = m.path!;
    let parent: any = copy;
    for (const k of path.slice(0, -1)) parent = parent?.[k];
    if (parent === null || typeof parent !== 'object') continue;
    const last = path[path.length - 1]!;
    if (m.kind === 'remove') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
    else parent[last] = m.value;
  }
  return JSON.stringify(copy);
}

/** Only bodies the contract rejects count as malformed (a mutation can by chance produce a valid body). */
function isMalformed(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return true;
  }
  const r = RunResult.safeParse(parsed);
  return !r.success || findRunIssues(r.data).length > 0;
}

let token: string;
beforeAll(async () => {
  token = await createApiToken(['acme/*']);
});

describe('malformed uploads', () => {
  it('≥ 500 generated malformed bodies → only 4xx with the envelope, row counts unchanged', async () => {
    const samples = fc.sample(body, { numRuns: 900, seed: 20261128 }).filter(isMalformed).slice(0, 520);
    expect(samples.length).toBeGreaterThanOrEqual(500);
    const before = await rowCounts();
    const statuses = new Map<number, number>();
    for (const text of samples) {
      const res = await postRun(text, token);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status < 400 || res.status >= 500) throw new Error(`status ${res.status} for body ${text.slice(0, 300)}`);
      const err = (await json(res)).error;
      expect(typeof err.code).toBe('string');
      expect(typeof err.message).toBe('string');
    }
    expect(await rowCounts()).toEqual(before);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  });

  it('the unmutated body is accepted (the generator starts from a valid upload)', async () => {
    expect(isMalformed(JSON.stringify(VALID))).toBe(false);
    expect((await postRun(VALID, token)).status).toBe(201);
  });
});
