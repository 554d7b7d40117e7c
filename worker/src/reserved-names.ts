/**
 * Names the worker looks up in plain objects (metric names → graded arrays, graded keys, group and excluded-reason
 * keys) must not be properties every JavaScript object already has: `graded["toString"]` is a function, and zod
 * silently drops a `__proto__` key, so a metric named after one would meet a value that is not its data. Such names
 * are refused with a 400 naming the field; lookups also use Object.hasOwn (metrics.ts) as a second line.
 */
import type { RunResult } from '../../schemas/results.js';
import type { Issue } from './errors.js';

const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

export function isReservedName(name: string): boolean {
  return RESERVED.has(name);
}

export function findReservedNames(run: RunResult): Issue[] {
  const issues: Issue[] = [];
  const check = (path: string, name: string) => {
    if (RESERVED.has(name)) {
      issues.push({ path, message: `"${name}" is a property of every JavaScript object and cannot name a metric, key or group` });
    }
  };
  run.benchmarks.forEach((b, bi) => {
    const at = `benchmarks[${bi}]`;
    b.metrics.forEach((m, mi) => check(`${at}.metrics[${mi}].name`, m.name));
    Object.keys(b.outcomes.graded).forEach((k) => check(`${at}.outcomes.graded.${k}`, k));
    Object.keys(b.counts.excludedReasons).forEach((k) => check(`${at}.counts.excludedReasons.${k}`, k));
    b.groups.forEach((g, gi) => {
      check(`${at}.groups[${gi}].key`, g.key);
      check(`${at}.groups[${gi}].value`, g.value);
      g.metrics.forEach((m, mi) => check(`${at}.groups[${gi}].metrics[${mi}].name`, m.name));
    });
  });
  return issues;
}
