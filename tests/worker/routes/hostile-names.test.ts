/**
 * Names that are also properties of every JavaScript object (toString, constructor, __proto__, …) used as metric
 * names, graded keys, group keys/values and excluded-reason keys, in whole runs and in shards: the worker answers
 * 4xx or accepts the body — never 500 — and a refused upload leaves no row. The property names come from the
 * runtime itself (Object.prototype), not from the worker's list.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../schemas/results.js';
import { makeRun, splitIntoShards } from '../../helpers/run-fixture.js';
import { call, createApiToken, json, postRun, rowCounts } from '../support.js';

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);
const REQUIRED = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

type Place = 'metric' | 'groupMetric' | 'graded' | 'gradedMetric' | 'groupKey' | 'groupValue' | 'excludedReason';
const PLACES: Place[] = ['metric', 'groupMetric', 'graded', 'gradedMetric', 'groupKey', 'groupValue', 'excludedReason'];

/** A valid run with `name` put in one place. JSON text, so "__proto__" stays an own key. */
function hostile(base: RunResult, place: Place, name: string): string {
  const run = structuredClone(base) as any;
  const b = run.benchmarks[0];
  const n = b.outcomes.n;
  const metric = { name, value: 0.5, n: 0, ci95: null, higherIsBetter: true };
  if (place === 'metric') b.metrics.push(metric);
  if (place === 'groupMetric') b.groups[0].metrics.push(metric);
  if (place === 'groupKey') b.groups[0].key = name;
  if (place === 'groupValue') b.groups[0].value = name;
  let text = JSON.stringify(run);
  // keys named __proto__ cannot be set on a plain object without changing its prototype: splice them into the text
  if (place === 'graded' || place === 'gradedMetric') {
    const arr = JSON.stringify(new Array(n).fill(null));
    text = text.replace('"graded":{}', `"graded":{${JSON.stringify(name)}:${arr}}`);
    if (place === 'gradedMetric') text = text.replace('"metrics":[', `"metrics":[${JSON.stringify(metric)},`);
  }
  if (place === 'excludedReason') text = text.replace('"excludedReasons":{}', `"excludedReasons":{${JSON.stringify(name)}:0}`);
  return text;
}

let token: string;
beforeAll(async () => {
  token = await createApiToken(['acme/*']);
});

async function expectNo500(res: Response, what: string): Promise<number> {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res.status;
}

describe('names that are Object.prototype properties', () => {
  it('the runtime has the five names the issue lists', () => {
    for (const n of REQUIRED) expect(PROTO_NAMES).toContain(n);
  });

  it('whole runs: every place × every name → 4xx with the envelope (no row) or accepted and readable', async () => {
    let k = 0;
    for (const name of PROTO_NAMES) {
      for (const place of PLACES) {
        const before = await rowCounts();
        const text = hostile(makeRun({ repository: 'acme/hostile', commit: (k++).toString(16).padStart(40, '0'), n: 16 }), place, name);
        const res = await postRun(text, token);
        const status = await expectNo500(res, `${place}=${name}`);
        if (status >= 400) {
          expect((await json(res)).error.code, `${place}=${name}`).toBe('invalid_request');
          expect(await rowCounts()).toEqual(before);
          continue;
        }
        const { id } = await json(res);
        await expectNo500(await call(`/api/v1/runs/${id}`), `GET run ${place}=${name}`);
        await expectNo500(await call('/acme/hostile'), `repo page ${place}=${name}`);
      }
    }
  });

  it('metric names and graded keys named like object properties are refused (400 naming the field)', async () => {
    for (const name of REQUIRED) {
      for (const place of ['metric', 'groupMetric', 'gradedMetric'] as const) {
        const res = await postRun(hostile(makeRun({ repository: 'acme/hostile', commit: 'e'.repeat(40), n: 16 }), place, name), token);
        expect(res.status, `${place}=${name}`).toBe(400);
        const err = (await json(res)).error;
        expect(err.message).toContain(name);
        // a graded metric named __proto__ is caught on the raw body at its graded key, before the metric list
        expect(err.message).toMatch(/benchmarks\[0\]\.((groups\[0\]\.)?metrics\[\d+\]\.name|outcomes\.graded\.__proto__)/);
      }
    }
  });

  it('sharded: a hostile metric name in any shard is refused before it is stored, so no merge ever sees it', async () => {
    for (const name of REQUIRED) {
      const whole = makeRun({ repository: 'acme/hostile-shards', commit: 'f'.repeat(40), n: 16 });
      const shards = splitIntoShards(whole, 2, `hostile-${name}`);
      const before = await rowCounts();
      const bad = hostile(shards[1]!, 'metric', name);
      const res = await Promise.all([postRun(bad, token), postRun(hostile(shards[0]!, 'gradedMetric', name), token)]);
      for (const r of res) expect(r.status, name).toBe(400);
      expect(await rowCounts()).toEqual(before);
    }
  });

  it('fuzz: random valid runs with random places and prototype names never answer 5xx', async () => {
    const cases = fc.sample(fc.record({ place: fc.constantFrom(...PLACES), name: fc.constantFrom(...PROTO_NAMES),
      shard: fc.boolean(), seed: fc.nat({ max: 1e6 }) }), { numRuns: 60, seed: 20261202 });
    for (const c of cases) {
      const run = makeRun({ repository: 'acme/hostile-fuzz', commit: c.seed.toString(16).padStart(40, 'a'), n: 24 });
      const body = c.shard ? splitIntoShards(run, 2, `fuzz-${c.seed}`)[0]! : run;
      await expectNo500(await postRun(hostile(body, c.place, c.name), token), JSON.stringify(c));
    }
  });
});
